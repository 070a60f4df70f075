"""A local HTTP server that answers JSON-RPC like a remote, non-dev node (say, mainnet geth).

It knows `eth_chainId`, `web3_clientVersion` and `eth_blockNumber`; anything else is a JSON-RPC
error. Enough for a client to tell which chain it reached before it does anything there.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@contextmanager
def remote_node(chain_id: int = 1, client_version: str = "Geth/v1.14.12-stable") -> Iterator[str]:
    """The URL of a node answering as chain `chain_id` run by `client_version`."""
    answers: dict[str, Any] = {
        "eth_chainId": hex(chain_id),
        "web3_clientVersion": client_version,
        "eth_blockNumber": hex(21_000_000),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            method = request["method"]
            reply: dict[str, Any] = {"jsonrpc": "2.0", "id": request["id"]}
            if method in answers:
                reply["result"] = answers[method]
            else:
                reply["error"] = {"code": -32601, "message": f"the method {method} does not exist"}
            body = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
