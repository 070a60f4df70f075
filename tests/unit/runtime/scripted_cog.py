"""A real local HTTP server that answers like a Cog server, from a script.

Each answer Cog documents (and a few it should never give) can be produced on demand;
tests/integration/runtime runs the real Cog server.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Answer:
    status: int
    body: Any
    delay: float = 0.0


BUSY = Answer(409, {"error": "At capacity - all prediction slots busy", "status": "failed"})


class ScriptedCog(ThreadingHTTPServer):
    """POST /predictions answers from `predictions` (the last one repeats); GET /health-check
    reports `health`; GET of a path in `files` serves those bytes."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.predictions: list[Answer] = []
        self.health = "READY"
        self.setup_logs = ""
        self.files: dict[str, bytes] = {}
        self.posts: list[Any] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def next_prediction(self) -> Answer:
        return self.predictions.pop(0) if len(self.predictions) > 1 else self.predictions[0]


class _Handler(BaseHTTPRequestHandler):
    server: ScriptedCog

    def do_GET(self) -> None:
        if self.path in self.server.files:
            self._send(Answer(200, self.server.files[self.path]))
        elif self.path == "/health-check":
            report = {"status": self.server.health, "setup": {"logs": self.server.setup_logs}}
            self._send(Answer(200, report))
        else:
            self._send(Answer(404, {"detail": "Not Found"}))

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.posts.append(json.loads(self.rfile.read(length)))
        self._send(self.server.next_prediction())

    def _send(self, answer: Answer) -> None:
        time.sleep(answer.delay)
        body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def cog() -> Iterator[ScriptedCog]:
    server = ScriptedCog()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
