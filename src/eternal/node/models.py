"""The models a node runs: found on chain, fetched from the store, started once, kept warm.

A model id leads to its package digest (`ModelRegistry.packageDigest`) and its metadata URI
(`tokenURI`, an ipfs:// CID of the canonical metadata JSON). The package archive is fetched
from the store (verified), unpacked once into the package cache, given a Python environment
(the running one when it already satisfies the package's `python_packages`, else a virtualenv
cached by package digest) and served by its own Cog server. A model with an external Cog URL in
the configuration (a GPU host) is called there instead.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eternal.chain.protocol import Protocol
from eternal.models.cache import PackageCache
from eternal.models.metadata import ModelMetadata
from eternal.node.errors import TaskInputError
from eternal.node.state import NodeState
from eternal.runtime import ModelRunner, RemoteRunner, Runner, resolve_environment
from eternal.runtime.inputs import decode_task_input
from eternal.storage.store import BlobStore


@dataclass(frozen=True)
class Computation:
    """A model's canonical output for one task: the bytes whose SHA-256 is committed."""

    data: bytes
    digest: bytes
    files: Mapping[str, bytes] = field(default_factory=dict)
    seconds: float = 0.0

    def corrupted(self) -> Computation:
        """A wrong answer of the same kind (for simulated cheaters): numbers negated in JSON,
        otherwise the bytes reversed."""
        try:
            data = json.dumps(_negate(json.loads(self.data)), sort_keys=True, separators=(",", ":"))
            wrong = data.encode()
        except (UnicodeDecodeError, json.JSONDecodeError):
            wrong = self.data[::-1] + b"\n"
        return Computation(wrong, hashlib.sha256(wrong).digest(), self.files, self.seconds)


def _negate(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return -value if value else 1
    if isinstance(value, list):
        return [_negate(item) for item in value]
    if isinstance(value, dict):
        return {key: _negate(item) for key, item in value.items()}
    return value + "?" if isinstance(value, str) else value


class ModelHost:
    def __init__(
        self,
        protocol: Protocol,
        store: BlobStore,
        packages_dir: Path,
        environments_dir: Path,
        *,
        cog_urls: Mapping[int, str] | None = None,
        prediction_timeout: float = 120.0,
        startup_timeout: float = 300.0,
        log_dir: Path | None = None,
    ) -> None:
        self.protocol = protocol
        self.store = store
        self.cache = PackageCache(store, packages_dir)
        self.environments_dir = environments_dir
        self.cog_urls = dict(cog_urls or {})
        self.prediction_timeout = prediction_timeout
        self.startup_timeout = startup_timeout
        self.log_dir = log_dir
        self._metadata: dict[int, ModelMetadata] = {}
        self._runners: dict[int, Runner] = {}
        self._lock = threading.Lock()

    def metadata(self, model_id: int) -> ModelMetadata:
        if model_id not in self._metadata:
            uri = self.protocol.registry.token_uri(model_id)
            self._metadata[model_id] = ModelMetadata.from_json(self.store.get(uri))
        return self._metadata[model_id]

    def warm(self, model_id: int) -> Runner:
        """The model's runner, started on first use (one per model, shared by threads)."""
        with self._lock:
            if model_id not in self._runners:
                self._runners[model_id] = self._start(model_id)
            return self._runners[model_id]

    def _start(self, model_id: int) -> Runner:
        metadata = self.metadata(model_id)
        if model_id in self.cog_urls:
            remote = RemoteRunner(
                self.cog_urls[model_id],
                metadata,
                fetch=self.store.get,
                timeout=self.prediction_timeout,
            )
            return remote.start()
        package = self.cache.fetch(self.protocol.registry.package_digest(model_id))
        environment = resolve_environment(
            package.cog.python_packages, package.digest.hex(), self.environments_dir
        )
        runner = ModelRunner(
            package.path,
            metadata,
            environment=environment,
            fetch=self.store.get,
            timeout=self.prediction_timeout,
            start_timeout=self.startup_timeout,
            predictor=package.cog.predict,
            log_dir=self.log_dir,
        )
        return runner.start()

    def compute(self, model_id: int, task_id: int, raw_input: bytes) -> Computation:
        runner = self.warm(model_id)
        started = time.monotonic()
        prediction = runner.predict(decode_task_input(raw_input), task_id=task_id)
        canonical = prediction.canonical
        return Computation(
            canonical.data, canonical.digest, dict(canonical.files), time.monotonic() - started
        )

    def compute_task(self, task_id: int, state: NodeState) -> Computation:
        """The output of a task whose TaskSubmitted event the node has seen."""
        model_id, raw = self.task_input(task_id, state)
        return self.compute(model_id, task_id, raw)

    def task_input(self, task_id: int, state: NodeState) -> tuple[int, bytes]:
        known = state.task_input(task_id)
        if known is None:
            raise TaskInputError(f"task {task_id}: its submission was never seen by this node")
        model_id, raw, uri, digest = known
        if uri:
            raw = self.store.get(uri)
            if hashlib.sha256(raw).digest() != digest:
                raise TaskInputError(f"task {task_id}: the input at {uri} is not the one paid for")
        return model_id, raw

    def close(self) -> None:
        with self._lock:
            for runner in self._runners.values():
                runner.stop()
            self._runners.clear()
