"""CogProcess: Cog's own HTTP server (`python -m cog.server.http`) for one package, as a child.

The server is coglet's Rust server; it runs the predictor in a worker subprocess that it
starts as `python` from PATH, so the environment's bin directory goes first on PATH (else
the worker cannot import coglet and the server never leaves STARTING). The server runs in
its own process group so `stop()` ends the worker too, and on Linux it gets SIGTERM when
the thread that started it dies (coglet then takes its worker down); every live server is
also stopped at interpreter exit. No orphans.

Determinism: thread counts of the usual math libraries are fixed (OMP, MKL, OpenBLAS,
numexpr, torch reads OMP), PYTHONHASHSEED is fixed, and Hugging Face hubs are offline.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from eternal.child_processes import die_with_parent, free_port
from eternal.runtime.cog_client import BROKEN_STATES, READY, CogClient
from eternal.runtime.errors import ModelServerDown, ModelStartError

HOST = "127.0.0.1"
DEFAULT_PREDICTOR = "predict.py:Predictor"
_LOG_TAIL = 2000  # characters of the server's log quoted in a ModelStartError
_POLL = 0.05  # seconds between health checks while starting
_LIVE: set[CogProcess] = set()


def determinism_env(threads: int) -> dict[str, str]:
    """Variables that make a model's numerics repeatable on CPU."""
    count = str(threads)
    return {
        "OMP_NUM_THREADS": count,
        "MKL_NUM_THREADS": count,
        "OPENBLAS_NUM_THREADS": count,
        "NUMEXPR_NUM_THREADS": count,
        "VECLIB_MAXIMUM_THREADS": count,
        "PYTHONHASHSEED": "0",
        "TOKENIZERS_PARALLELISM": "false",
        "CUBLAS_WORKSPACE_CONFIG": ":4096:8",  # deterministic cuBLAS on a GPU host
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }


class CogProcess:
    """One Cog server for one package. `start()` returns once it is READY; `stop()` ends it."""

    def __init__(
        self,
        package_dir: Path,
        *,
        python: Path | None = None,
        port: int | None = None,
        env: Mapping[str, str] | None = None,
        predictor: str = DEFAULT_PREDICTOR,
        log_path: Path | None = None,
        threads: int = 1,
        start_timeout: float = 300.0,
    ) -> None:
        self.package_dir = Path(package_dir)
        # Not resolved: a venv's python is a symlink, and resolving it would leave the venv.
        self.python = Path(python) if python is not None else Path(sys.executable)
        self.requested_port = port
        self.extra_env = dict(env or {})
        self.predictor = predictor
        self.log_path = log_path
        self.threads = threads
        self.start_timeout = start_timeout
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.start_seconds = 0.0  # how long the last start() took, setup() included
        self._log: IO[bytes] | None = None
        self._client: CogClient | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def client(self) -> CogClient:
        if self._client is None:
            raise ModelServerDown(f"the Cog server for {self.package_dir} is not started")
        return self._client

    def environment(self) -> dict[str, str]:
        bin_dir = str(self.python.parent)
        path = os.environ.get("PATH", "")
        return {
            **os.environ,
            **determinism_env(self.threads),
            **self.extra_env,
            "PATH": bin_dir + os.pathsep + path if path else bin_dir,
            "PORT": str(self.port),
            "COG_PREDICT_TYPE_STUB": self.predictor,
            # No __pycache__ in the package folder: it stays byte for byte what was unpacked.
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def command(self) -> list[str]:
        return [str(self.python), "-m", "cog.server.http", "--host", HOST]

    def start(self) -> Self:
        if self.running:
            return self
        if not self.package_dir.is_dir():
            raise ModelStartError(f"package directory {self.package_dir} does not exist")
        self.port = self.requested_port or free_port(HOST)
        self._log = self._open_log()
        started = time.monotonic()
        try:
            self.process = subprocess.Popen(
                self.command(),
                cwd=self.package_dir,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() reaches the worker
                preexec_fn=die_with_parent(),  # only a prctl call, see there
            )
        except OSError as exc:
            self._close_log()
            raise ModelStartError(f"cannot run {self.python}: {exc}") from exc
        _LIVE.add(self)
        self._client = CogClient(self.url)
        try:
            self._wait_until_ready(started)
        except BaseException:
            self.stop(grace=0)
            raise
        self.start_seconds = time.monotonic() - started
        return self

    def stop(self, grace: float = 3.0) -> None:
        """SIGTERM the server's process group, SIGKILL it after `grace` seconds. Idempotent.

        `grace=0` kills at once: what a hung prediction needs (Cog waits for it otherwise).
        """
        _LIVE.discard(self)
        process, self.process = self.process, None
        if process is not None:
            _end_group(process, grace)
        if self._client is not None:
            self._client.close()
            self._client = None
        self._close_log()

    def log_tail(self, limit: int = _LOG_TAIL) -> str:
        path = self._log_file_path()
        if path is None or not path.is_file():
            return ""
        with path.open("rb") as log:
            log.seek(max(0, path.stat().st_size - limit))
            return log.read().decode("utf-8", "replace").strip()

    def _wait_until_ready(self, started: float) -> None:
        assert self.process is not None and self._client is not None
        deadline = started + self.start_timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                raise ModelStartError(
                    f"Cog server for {self.package_dir} exited with code {code}{self._tail()}"
                )
            try:
                report = self._client.health_report()
            except ModelServerDown:
                report = {}  # not listening yet
            status = report.get("status")
            if status == READY:
                return
            if status in BROKEN_STATES:
                setup = report.get("setup") or {}
                why = setup.get("logs") if isinstance(setup, dict) else None
                raise ModelStartError(
                    f"Cog server for {self.package_dir} is {status}: "
                    f"{str(why).strip() if why else 'no setup log'}{self._tail()}"
                )
            time.sleep(_POLL)
        raise ModelStartError(
            f"Cog server for {self.package_dir} not ready within {self.start_timeout:g}s"
            f"{self._tail()}"
        )

    def _tail(self) -> str:
        tail = self.log_tail()
        # A temporary log is deleted by stop(): name only a log that stays.
        where = f" {self.log_path}" if self.log_path is not None else ""
        return f"\n--- end of the server's log{where} ---\n{tail}" if tail else ""

    def _open_log(self) -> IO[bytes]:
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            return self.log_path.open("ab")
        # A file, not a pipe: a pipe nobody reads would block the server once full.
        return tempfile.NamedTemporaryFile(  # closed in stop()
            prefix=f"eternal-cog-{self.package_dir.name}-", suffix=".log"
        )

    def _log_file_path(self) -> Path | None:
        if self.log_path is not None:
            return self.log_path
        return Path(self._log.name) if self._log is not None else None

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _end_group(process: subprocess.Popen[bytes], grace: float) -> None:
    group = process.pid  # start_new_session: the server leads its own group
    if process.poll() is None:
        _signal_group(group, signal.SIGTERM if grace > 0 else signal.SIGKILL)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            _signal_group(group, signal.SIGKILL)
            process.wait()
    # The server is gone (stopped here, or killed by someone else): its worker goes too.
    _signal_group(group, signal.SIGKILL)


def _signal_group(group: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signum)


@atexit.register
def _stop_all() -> None:
    for process in list(_LIVE):
        process.stop(grace=1.0)
