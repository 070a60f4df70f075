"""A local anvil node as a child process, and `AnvilChain`, an RpcChain that owns one.

anvil always runs with `--prune-history`: without it, it writes every block's state under
~/.foundry/anvil/tmp (gigabytes after a few thousand blocks) and slows down. It listens on
127.0.0.1 only, on a free port. Every started process is stopped at interpreter exit, and on
Linux it also gets SIGTERM if the Python thread that started it dies, so no orphan stays.
"""

from __future__ import annotations

import atexit
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import requests
from eth_account.signers.local import LocalAccount

from eternal.chain.accounts import DEV_MNEMONIC, dev_accounts
from eternal.chain.backend import DEFAULT_GAS_LIMIT
from eternal.chain.retry import RetryPolicy
from eternal.chain.revert_decoding import ErrorRegistry
from eternal.chain.rpc import RpcChain
from eternal.child_processes import die_with_parent, free_port
from eternal.errors import NodeStartError

ANVIL_ENV = "ETERNAL_ANVIL"
HOST = "127.0.0.1"
_NPM_PLATFORM = {
    ("Linux", "x86_64"): "linux-amd64",
    ("Linux", "aarch64"): "linux-arm64",
    ("Darwin", "x86_64"): "darwin-amd64",
    ("Darwin", "arm64"): "darwin-arm64",
}
_STDERR_TAIL = 2000  # characters of anvil's stderr quoted in a NodeStartError
_LIVE: set[AnvilProcess] = set()


def find_anvil() -> Path | None:
    """$ETERNAL_ANVIL, else npm's binary in node_modules (repo root, cwd and up), else PATH."""
    explicit = os.environ.get(ANVIL_ENV)
    if explicit:
        return Path(explicit)
    package = "anvil-" + _NPM_PLATFORM.get((platform.system(), platform.machine()), "unknown")
    relative = Path("node_modules", "@foundry-rs", package, "bin", "anvil")
    repo_root = Path(__file__).resolve().parents[3]  # src/eternal/chain/anvil.py
    cwd = Path.cwd()
    for folder in (repo_root, cwd, *cwd.parents):
        if (folder / relative).is_file():
            return folder / relative
    found = shutil.which("anvil")
    return Path(found) if found else None


class AnvilProcess:
    """One anvil child process. `start()` returns once its RPC answers; `stop()` ends it."""

    def __init__(
        self,
        *,
        binary: str | Path | None = None,
        mnemonic: str = DEV_MNEMONIC,
        accounts: int = 10,
        balance_eth: int = 10_000,
        gas_limit: int = DEFAULT_GAS_LIMIT,
        code_size_limit: int | None = None,  # None: anvil's EIP-170 default (24,576 bytes)
        chain_id: int = 31337,
        start_timeout: float = 10.0,
        extra_args: Sequence[str] = (),
    ) -> None:
        self.binary = Path(binary) if binary is not None else find_anvil()
        self.mnemonic = mnemonic
        self.accounts = accounts
        self.balance_eth = balance_eth
        self.gas_limit = gas_limit
        self.code_size_limit = code_size_limit
        self.chain_id = chain_id
        self.start_timeout = start_timeout
        self.extra_args = tuple(extra_args)
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def dev_accounts(self) -> tuple[LocalAccount, ...]:
        """The funded accounts, derived the way anvil derives them."""
        return dev_accounts(self.accounts, self.mnemonic)

    def command(self) -> list[str]:
        if self.binary is None:
            raise NodeStartError(f"anvil not found: set {ANVIL_ENV} or run `npm ci`")
        args = [
            str(self.binary),
            "--host", HOST,
            "--port", str(self.port),
            "--prune-history",  # always: see the module docstring
            "--silent",
            "--mnemonic", self.mnemonic,
            "--accounts", str(self.accounts),
            "--balance", str(self.balance_eth),
            "--gas-limit", str(self.gas_limit),
            "--chain-id", str(self.chain_id),
        ]  # fmt: skip
        if self.code_size_limit is not None:
            args += ["--code-size-limit", str(self.code_size_limit)]
        return args + list(self.extra_args)

    def start(self) -> Self:
        if self.running:
            return self
        self.port = free_port(HOST)
        command = self.command()
        if not Path(command[0]).is_file():
            raise NodeStartError(f"anvil binary {command[0]} does not exist")
        # A file, not a pipe: a pipe nobody reads would block anvil once full. Closed in stop().
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        started = time.monotonic()
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            preexec_fn=die_with_parent(),  # only a prctl call, see there
        )
        _LIVE.add(self)
        try:
            self._wait_until_answering(started)
        except NodeStartError:
            self.stop()
            raise
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Terminate, wait, and kill if it does not exit in `timeout` seconds. Idempotent."""
        _LIVE.discard(self)
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _wait_until_answering(self, started: float) -> None:
        probe: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}
        deadline = started + self.start_timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            code = self.process.poll()
            if code is not None:
                raise NodeStartError(f"anvil exited with code {code}{self._stderr_tail()}")
            try:
                if requests.post(self.url, json=probe, timeout=0.5).ok:
                    return
            except requests.RequestException:
                pass  # not listening yet
            time.sleep(0.02)
        raise NodeStartError(
            f"anvil did not answer on {self.url} within {self.start_timeout}s{self._stderr_tail()}"
        )

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip()
        return f"; stderr: ...{text[-_STDERR_TAIL:]}" if text else "; stderr is empty"

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class AnvilChain(RpcChain):
    """An RpcChain on a fresh anvil process that it starts and, on `close()`, stops."""

    def __init__(
        self,
        process: AnvilProcess | None = None,
        *,
        retry: RetryPolicy | None = None,
        errors: ErrorRegistry | None = None,
    ) -> None:
        self.process = (process or AnvilProcess()).start()
        try:
            keys = [account.key for account in self.process.dev_accounts()]
            super().__init__(self.process.url, keys, retry=retry, errors=errors)
        except BaseException:
            self.process.stop()
            raise

    def close(self) -> None:
        super().close()
        self.process.stop()


@atexit.register
def _stop_all() -> None:
    for process in list(_LIVE):
        process.stop()
