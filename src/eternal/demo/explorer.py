"""The web explorer as one more process of a local network (`eternal explorer`), so its pages
follow the network live while the demo runs, or for as long as a devnet runs."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from eternal.demo.errors import DemoError, DemoTimeout
from eternal.demo.processes import ManagedProcess, free_port, python_env


@dataclass
class ExplorerProcess:
    process: ManagedProcess
    url: str


def start_explorer(
    root: Path, config: Path, *, port: int | None, tied: bool, timeout: float
) -> ExplorerProcess:
    """Serve the explorer of the network in `root` (reading it as `config` says); returns once
    its first page answers."""
    port = port or free_port()
    argv = [sys.executable, "-m", "eternal", "explorer", "--port", str(port)]
    argv += ["--config", str(config)]
    process = ManagedProcess(
        "explorer", argv, root / "explorer.log", env=python_env(root), tied=tied
    ).start()
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.running:
            raise DemoError(f"the explorer exited: {process.log_tail()}")
        if answers(url):
            return ExplorerProcess(process, url)
        time.sleep(0.2)
    process.stop()
    raise DemoTimeout("the explorer to answer", timeout, process.log_tail())


def answers(url: str) -> bool:
    """Whether a web page answers at `url` (with anything but a server error)."""
    try:
        return httpx.get(url, timeout=2.0).status_code < 500
    except httpx.HTTPError:
        return False
