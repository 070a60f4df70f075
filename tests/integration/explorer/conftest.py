"""The explorer served by uvicorn on a free port, over a played story, and a headless Chromium.

The server runs in a thread of the test process and reads the in-process chain; the tests move
that chain too, so both hold one lock around every use of it (eth-tester is not thread-safe).
Browser tests are skipped, saying why, when Debian's chromium or Playwright is missing.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from eternal.explorer import create_app
from eternal.storage.local import LocalStore
from tests.support.explorer_scenario import Scenario, played
from tests.support.network import Network

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's own browser download fails here: drive Debian's chromium instead.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REFRESH_SECONDS = 0.5


@dataclass(frozen=True)
class Served:
    url: str
    scenario: Scenario
    chain_lock: threading.Lock


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """`app` served by uvicorn on 127.0.0.1 and a free port, in a thread; yields its URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def served(
    _embedded_network_base: Network, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    lock = threading.Lock()
    store = LocalStore(tmp_path_factory.mktemp("blobs"))
    app = create_app(
        _embedded_network_base.protocol, store, refresh_seconds=REFRESH_SECONDS, chain_lock=lock
    )
    with (
        played(_embedded_network_base, store, app.state.explorer.refresh) as scenario,
        serving(app) as url,
    ):
        yield Served(url, scenario, lock)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip(
            f"no browser: Debian's chromium is not at {CHROMIUM} (apt-get install chromium)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="Playwright for Python is not installed (pip install playwright)",
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
