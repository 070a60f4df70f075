"""Runners: what a node calls to run a prediction on a model.

`ModelRunner` owns a local Cog server for one package and keeps it warm. Before each
prediction it checks the server's health; a server that died or reports itself broken (a
worker crash leaves Cog UNHEALTHY for good) is restarted. A prediction whose server vanished
mid-request is retried once on a fresh server. A prediction that outlives its timeout gets
PredictionTimeout and its server is killed and restarted: Cog cannot reliably cancel a
prediction that is stuck in native code, and a stuck server would hold every later task.

`RemoteRunner` sends the same predictions to a Cog server someone else runs (a container on
a GPU host): nothing to start, nothing to restart.

Both are thread-safe: a node may run several tasks at once. Cog serves one prediction per
slot and answers 409 to the rest, which the client retries until the timeout.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

from eternal.models.metadata import ModelMetadata
from eternal.runtime.cog_client import BROKEN_STATES, CogClient
from eternal.runtime.cog_process import DEFAULT_PREDICTOR, CogProcess
from eternal.runtime.environments import PythonEnvironment
from eternal.runtime.errors import ModelServerDown, ModelStartError, PredictionTimeout
from eternal.runtime.inputs import prepare_inputs
from eternal.runtime.prediction import Fetch, Prediction, materialise_files, run_prediction

DEFAULT_TIMEOUT = 600.0  # seconds per prediction


class Runner(Protocol):
    """What nodes run predictions with: a local `ModelRunner` or a `RemoteRunner`."""

    @property
    def metadata(self) -> ModelMetadata: ...

    def start(self) -> Self: ...

    def stop(self) -> None: ...

    def predict(self, inputs: Mapping[str, Any], *, task_id: int) -> Prediction: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class _RunnerLifecycle(ABC):
    """start() on enter, stop() on exit."""

    @abstractmethod
    def start(self) -> Self: ...

    @abstractmethod
    def stop(self) -> None: ...

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class ModelRunner(_RunnerLifecycle):
    """A warm local Cog server for one model package.

    `restart_attempts`: how many more times a failed server start is tried (at start and
    after a crash) before ModelStartError. `log_dir`: where the server's log goes
    (`cog-<model name>-<package folder>.log`, appended across restarts); a temporary file,
    deleted when the server stops, when None. `predict()` starts the server if needed.
    """

    def __init__(
        self,
        package_dir: Path,
        metadata: ModelMetadata,
        *,
        fetch: Fetch,
        environment: PythonEnvironment | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        restart_attempts: int = 1,
        predictor: str = DEFAULT_PREDICTOR,
        log_dir: Path | None = None,
        threads: int = 1,
        start_timeout: float = 300.0,
    ) -> None:
        self.package_dir = Path(package_dir)
        self._metadata = metadata
        self.environment = environment or PythonEnvironment.current()
        self.timeout = timeout
        self.restart_attempts = restart_attempts
        self.predictor = predictor
        log_name = f"cog-{metadata.name}-{self.package_dir.name}.log"
        self.log_path = log_dir / log_name if log_dir is not None else None
        self.threads = threads
        self.start_timeout = start_timeout
        self.restarts = 0  # servers started after the first one: crashes and timeouts
        self._fetch = fetch
        self._lock = threading.Lock()
        self._process: CogProcess | None = None
        self._generation = 0  # bumped on every (re)start, so one failure restarts once

    @property
    def metadata(self) -> ModelMetadata:
        return self._metadata

    @property
    def server(self) -> CogProcess | None:
        """The current server process (None before start and after stop)."""
        return self._process

    def start(self) -> Self:
        with self._lock:
            if self._process is None:
                self._start_locked()
        return self

    def stop(self) -> None:
        with self._lock:
            process, self._process = self._process, None
            if process is not None:
                process.stop()

    def predict(self, inputs: Mapping[str, Any], *, task_id: int) -> Prediction:
        prepared = prepare_inputs(self._metadata, inputs, task_id=task_id)
        cog_inputs = materialise_files(self._metadata, prepared, self._fetch)
        for attempt in (1, 2):
            process, generation = self._healthy_server()
            try:
                return run_prediction(
                    process.client, self._metadata, prepared, cog_inputs, self.timeout
                )
            except ModelServerDown:
                if attempt == 2:
                    raise  # the next prediction's health check restarts it
                self._restart(generation)
            except PredictionTimeout as exc:
                if exc.started:
                    self._restart(generation)  # kill the prediction that hangs
                raise
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _healthy_server(self) -> tuple[CogProcess, int]:
        with self._lock:
            if self._process is None:
                self._start_locked()
            assert self._process is not None
            if not self._process.running or not self._serving():
                self._restart_locked()
            assert self._process is not None
            return self._process, self._generation

    def _serving(self) -> bool:
        assert self._process is not None
        try:
            return self._process.client.health() not in BROKEN_STATES
        except ModelServerDown:
            return False

    def _restart(self, generation: int) -> None:
        with self._lock:
            if generation == self._generation:  # else another thread restarted it already
                self._restart_locked()

    def _restart_locked(self) -> None:
        if self._process is not None:
            self._process.stop(grace=0)  # what it was doing is lost anyway
            self._process = None
        self.restarts += 1
        self._start_locked()

    def _start_locked(self) -> None:
        failure: ModelStartError | None = None
        for _ in range(1 + max(0, self.restart_attempts)):
            process = CogProcess(
                self.package_dir,
                python=self.environment.python,
                predictor=self.predictor,
                log_path=self.log_path,
                threads=self.threads,
                start_timeout=self.start_timeout,
            )
            try:
                self._process = process.start()
            except ModelStartError as exc:
                failure = exc
                continue
            self._generation += 1
            return
        assert failure is not None
        raise failure


class RemoteRunner(_RunnerLifecycle):
    """Predictions on a Cog server at `base_url` that this node does not manage."""

    def __init__(
        self,
        base_url: str,
        metadata: ModelMetadata,
        *,
        fetch: Fetch,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.base_url = base_url
        self._metadata = metadata
        self.timeout = timeout
        self._fetch = fetch
        self._client: CogClient | None = None

    @property
    def metadata(self) -> ModelMetadata:
        return self._metadata

    def start(self) -> Self:
        """Checks that the server answers and that its setup did not fail."""
        report = self._connected().health_report()
        status = report.get("status")
        if status in BROKEN_STATES:
            raise ModelStartError(f"Cog server {self.base_url} is {status}: {report.get('setup')}")
        return self

    def stop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def predict(self, inputs: Mapping[str, Any], *, task_id: int) -> Prediction:
        prepared = prepare_inputs(self._metadata, inputs, task_id=task_id)
        cog_inputs = materialise_files(self._metadata, prepared, self._fetch)
        return run_prediction(self._connected(), self._metadata, prepared, cog_inputs, self.timeout)

    def _connected(self) -> CogClient:
        if self._client is None:
            self._client = CogClient(self.base_url)
        return self._client
