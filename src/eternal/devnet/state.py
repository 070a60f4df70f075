"""What a running devnet is made of, saved as `<dir>/devnet.json` so later commands find it.

Each process is recorded with its pid and start time (`ProcessRecord`): `status` tells a live
process from a pid the system has since given to another one, and `down` stops exactly it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from eternal.demo.errors import DemoError
from eternal.demo.processes import ProcessRecord

STATE_FILE = "devnet.json"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProcessEntry(_Entry):
    pid: int
    started: int  # start time in clock ticks since boot (/proc/PID/stat)
    log: Path

    @property
    def record(self) -> ProcessRecord:
        return ProcessRecord(self.pid, self.started)


class ChainEntry(ProcessEntry):
    kind: str
    url: str


class ExplorerEntry(ProcessEntry):
    url: str


class NodeEntry(ProcessEntry):
    label: str
    role: str
    address: str
    behaviour: str
    model: str | None
    model_id: int | None
    metrics_port: int
    home: Path

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_port}/metrics"


class ModelEntry(_Entry):
    name: str
    model_id: int
    mode: str


class DevnetState(_Entry):
    directory: Path
    chain: ChainEntry
    deployment: Path
    models: tuple[ModelEntry, ...]
    nodes: tuple[NodeEntry, ...]
    explorer: ExplorerEntry | None
    clients: dict[str, Path]  # role (user, creator) -> its config.toml
    password_file: Path

    def processes(self) -> list[ProcessEntry]:
        """Every recorded process, the chain last (nodes talk to it until they stop)."""
        explorer = [self.explorer] if self.explorer is not None else []
        return [*self.nodes, *explorer, self.chain]

    def save(self) -> None:
        (self.directory / STATE_FILE).write_text(self.model_dump_json(indent=2) + "\n")

    @classmethod
    def load(cls, directory: Path) -> DevnetState | None:
        """The devnet recorded in `directory`, or None if there is none."""
        path = directory / STATE_FILE
        if not path.is_file():
            return None
        try:
            return cls.model_validate_json(path.read_text())
        except (ValidationError, OSError) as exc:
            raise DemoError(f"{path} does not describe a devnet: {exc}") from exc
