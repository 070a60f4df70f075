"""Real HTTP servers for the storage tests, each on 127.0.0.1 in a background thread.

`serve(handler)` runs any `http.server` handler; `StaticGateway` serves files from a directory
laid out as `<root>/ipfs/<cid>`, which is all an HTTP gateway is to `GatewayStore`.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from eternal.storage import cid_of


class QuietFileHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(handler: Any) -> Iterator[str]:
    """Serve `handler` (a BaseHTTPRequestHandler factory) and yield the server's base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class StaticGateway:
    """A directory of files under `ipfs/`, named by CID, served by Python's file server."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "ipfs").mkdir(parents=True, exist_ok=True)

    def publish(self, blob: bytes, *, served: bytes | None = None) -> str:
        """Place `blob` under its CID; `served` replaces the bytes on disk (to tamper)."""
        cid = cid_of(blob)
        (self.root / "ipfs" / cid).write_bytes(blob if served is None else served)
        return cid

    @contextmanager
    def running(self) -> Iterator[str]:
        with serve(partial(QuietFileHandler, directory=str(self.root))) as url:
            yield url


def closed_port_url() -> str:
    """A URL where nothing listens: a port taken from the OS and released at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class FlakyHandler(BaseHTTPRequestHandler):
    """Answers 503 to the first `failures` GETs, then serves `blob`; counts every request."""

    failures = 0
    blob = b""
    seen = 0
    lock = threading.Lock()

    def do_GET(self) -> None:
        with self.lock:
            type(self).seen += 1
            failing = type(self).seen <= self.failures
        if failing:
            self.send_error(503, "try later")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.blob)))
        self.end_headers()
        self.wfile.write(self.blob)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def flaky_handler(blob: bytes, failures: int) -> type[FlakyHandler]:
    return type("Flaky", (FlakyHandler,), {"blob": blob, "failures": failures, "seen": 0})


class SlowHandler(BaseHTTPRequestHandler):
    """Waits `delay` seconds before answering anything: a gateway that hangs."""

    delay = 1.0

    def do_GET(self) -> None:
        time.sleep(self.delay)
        self.send_error(504, "too slow")

    def log_message(self, format: str, *args: Any) -> None:
        pass
