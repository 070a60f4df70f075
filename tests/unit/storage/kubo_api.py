"""A local HTTP server that answers like kubo's RPC API, for `KuboStore`'s tests.

It implements the three calls `KuboStore` makes, with the request and answer formats of kubo's
RPC reference (docs.ipfs.tech/reference/kubo/rpc, kubo v0.26+):

- `POST /api/v0/add` with a multipart `file` part -> 200, one JSON line
  `{"Name": ..., "Hash": ..., "Size": ...}`;
- `POST /api/v0/cat?arg=<cid>` -> 200 with the bytes, or 500
  `{"Message": ..., "Code": 0, "Type": "error"}`;
- `POST /api/v0/block/stat?arg=<cid>` -> 200 `{"Key": ..., "Size": ...}`, or the same 500;
- any other method -> 405, any other path -> 404.

What it does not do: build UnixFS DAGs. A blob larger than one 256 KiB chunk gets a dag-pb
CIDv1 derived from its bytes (not the root kubo would compute), which is enough to test that
`KuboStore` keeps kubo's hash as the locator of such a blob. It is not a real kubo daemon.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from eternal.storage import cid_of
from tests.unit.storage.http_servers import serve

CHUNK = 256 * 1024
_DAG_PB_PREFIX = bytes([0x01, 0x70, 0x12, 0x20])  # CIDv1, dag-pb, sha2-256


def _fake_dag_root(blob: bytes) -> str:
    digest = hashlib.sha256(b"fake unixfs root\x00" + blob).digest()
    return "b" + base64.b32encode(_DAG_PB_PREFIX + digest).decode().lower().rstrip("=")


@dataclass
class KuboState:
    """What the fake node holds, and what it was asked; tests may tamper with `blocks`."""

    blocks: dict[str, bytes] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    # When set, `add` prints this hash instead of the right one (a misconfigured node).
    forced_hash: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(state: KuboState) -> type[BaseHTTPRequestHandler]:
    class KuboApiHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._reply_json(
                405, {"Message": "405 - Method Not Allowed", "Code": 0, "Type": "error"}
            )

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            with state.lock:
                state.calls.append((url.path, query))
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if url.path == "/api/v0/add":
                self._add(body)
            elif url.path == "/api/v0/cat":
                self._cat(query)
            elif url.path == "/api/v0/block/stat":
                self._stat(query)
            else:
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"404 page not found")

        def _add(self, body: bytes) -> None:
            files = _multipart_files(self.headers.get("Content-Type", ""), body)
            if len(files) != 1:
                message = "file argument 'path' is required"
                self._reply_json(400, {"Message": message, "Code": 1, "Type": "error"})
                return
            name, blob = files[0]
            cid = cid_of(blob) if len(blob) <= CHUNK else _fake_dag_root(blob)
            if state.forced_hash is not None:
                cid = state.forced_hash
            with state.lock:
                state.blocks[cid] = blob
            line = json.dumps({"Name": name, "Hash": cid, "Size": str(len(blob))}) + "\n"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Chunked-Output", "1")
            self.send_header("Trailer", "X-Stream-Error")
            self.send_header("Content-Length", str(len(line)))
            self.end_headers()
            self.wfile.write(line.encode())

        def _cat(self, query: dict[str, list[str]]) -> None:
            blob = self._block(query)
            if blob is None:
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("X-Stream-Output", "1")
            self.send_header("Content-Length", str(len(blob)))
            self.end_headers()
            self.wfile.write(blob)

        def _stat(self, query: dict[str, list[str]]) -> None:
            blob = self._block(query)
            if blob is not None:
                self._reply_json(200, {"Key": query["arg"][0], "Size": len(blob)})

        def _block(self, query: dict[str, list[str]]) -> bytes | None:
            arg = query.get("arg", [""])[0]
            with state.lock:
                blob = state.blocks.get(arg)
            if blob is None:
                message = f"block was not found locally (offline): ipld: could not find {arg}"
                self._reply_json(500, {"Message": message, "Code": 0, "Type": "error"})
            return blob

        def _reply_json(self, status: int, payload: dict[str, Any]) -> None:
            raw = (json.dumps(payload) + "\n").encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return KuboApiHandler


def _multipart_files(content_type: str, body: bytes) -> list[tuple[str, bytes]]:
    """The (filename, bytes) of every part named "file" in a multipart/form-data body."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        return []
    delimiter = b"--" + match.group(1).encode()
    files = []
    # Parts sit between delimiters; each is CRLF, headers, CRLF CRLF, data, CRLF.
    for part in body.split(delimiter)[1:-1]:
        head, _, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = head.decode("latin-1")
        if re.search(r'name="file"', headers):
            filename = re.search(r'filename="([^"]*)"', headers)
            files.append((filename.group(1) if filename else "", data.removesuffix(b"\r\n")))
    return files


@contextmanager
def kubo_api() -> Iterator[tuple[str, KuboState]]:
    """Run the fake node; yields its API URL and its state."""
    state = KuboState()
    with serve(_handler(state)) as url:
        yield url, state
