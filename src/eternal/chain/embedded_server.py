"""The in-process chain (`EmbeddedChain`) served over HTTP JSON-RPC, for other processes.

Where anvil is not installed, `eternal demo` and `eternal devnet` run their chain as

    python -m eternal.chain.embedded_server --port 8545 --accounts 30

and every node reaches it as an `RpcChain`, like any node. Requests are answered one at a time
under a lock (py-evm is not thread-safe), through the same provider and formatting middleware
web3 uses in process, so answers have JSON-RPC's shape (camelCase fields, hex quantities).
The dev methods anvil offers and eth-tester lacks map onto `EmbeddedChain`'s own controls:
`evm_increaseTime` moves time forward (mining a block that carries it); `evm_mine`,
`evm_snapshot` and `evm_revert` are eth-tester's. It listens on 127.0.0.1 only.

`eth_getLogs` is answered from a cache of each block's logs: eth-tester rebuilds the receipts of
every block in a range on each request, which grows with the chain until requests time out,
while a mined block's logs never change (until `evm_revert`, which empties the cache).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from web3.middleware import combine_middleware
from web3.types import RPCEndpoint, RPCResponse

from eternal.chain.embedded import EmbeddedChain

HOST = "127.0.0.1"
_INVALID_REQUEST = -32600
_METHOD_NOT_FOUND = -32601
_INTERNAL_ERROR = -32603


class EmbeddedRpc:
    """Answers JSON-RPC request objects from an `EmbeddedChain`, one at a time."""

    def __init__(self, chain: EmbeddedChain) -> None:
        self.chain = chain
        provider = chain.w3.provider
        # The provider's own middleware turns eth-tester's Python values into RPC fields.
        self._request: Callable[[RPCEndpoint, Any], RPCResponse] = combine_middleware(
            middleware=tuple(getattr(provider, "_middleware", ())),
            w3=chain.w3,
            provider_request_fn=provider.make_request,
        )
        self._lock = threading.Lock()
        self._block_logs: dict[int, list[dict[str, Any]]] = {}

    def answer(self, request: Any) -> dict[str, Any]:
        """The response object to one request object (never raises)."""
        if not isinstance(request, dict) or not isinstance(request.get("method"), str):
            return _error(None, _INVALID_REQUEST, "not a JSON-RPC request object")
        request_id = request.get("id")
        method = request["method"]
        params = request.get("params", [])
        try:
            with self._lock:
                response = self._dispatch(method, params)
        except Exception as exc:  # an answer, never a dropped connection
            return _error(request_id, _INTERNAL_ERROR, f"{method} failed: {exc}")
        answer: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
        if "error" in response:
            answer["error"] = _jsonable(response["error"], hex_ints=False)
        else:
            answer["result"] = _jsonable(response.get("result"))
        return answer

    def _dispatch(self, method: str, params: Any) -> Mapping[str, Any]:
        if method == "evm_increaseTime":
            self.chain.increase_time(int(str(params[0]), 0) if params else 0)
            return {"result": hex(self.chain.latest_timestamp())}
        if method == "evm_revert":
            self.chain.revert(int(str(params[0]), 0))
            self._block_logs.clear()
            return {"result": True}
        if method == "eth_getLogs" and params and "blockHash" not in params[0]:
            return {"result": self._logs(params[0])}
        return cast(Mapping[str, Any], self._request(RPCEndpoint(method), params))

    def _logs(self, query: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The logs matching a filter object, block by block from the cache."""
        latest = self.chain.block_number()
        start = _block_number(query.get("fromBlock", "latest"), latest)
        end = min(_block_number(query.get("toBlock", "latest"), latest), latest)
        address = query.get("address")
        addresses = {a.lower() for a in ([address] if isinstance(address, str) else address or [])}
        topics = list(query.get("topics") or [])
        return [
            log
            for number in range(start, end + 1)
            for log in self._logs_of(number)
            if (not addresses or log["address"].lower() in addresses)
            and _topics_match(log["topics"], topics)
        ]

    def _logs_of(self, number: int) -> list[dict[str, Any]]:
        cached = self._block_logs.get(number)
        if cached is None:
            block = hex(number)
            response = self._request(
                RPCEndpoint("eth_getLogs"), [{"fromBlock": block, "toBlock": block}]
            )
            cached = self._block_logs[number] = _jsonable(response["result"])
        return cached


def _block_number(tag: Any, latest: int) -> int:
    if tag in ("latest", "pending", "safe", "finalized", None):
        return latest
    if tag == "earliest":
        return 0
    return int(str(tag), 0)


def _topics_match(logged: Sequence[str], wanted: Sequence[Any]) -> bool:
    """JSON-RPC topic filters: per position None (any), a topic, or a list of alternatives."""
    if len(wanted) > len(logged):
        return False
    for topic, choice in zip(logged, wanted, strict=False):
        if choice is None:
            continue
        options = choice if isinstance(choice, list) else [choice]
        if topic.lower() not in {option.lower() for option in options}:
            return False
    return True


def _error(request_id: Any, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}


def _jsonable(value: Any, *, hex_ints: bool = True) -> Any:
    """`value` as JSON: bytes as 0x-hex data, integers as hex quantities (as nodes send them)."""
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        return hex(value) if hex_ints else value
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item, hex_ints=hex_ints) for key, item in value.items()}
    if isinstance(value, Sequence):
        return [_jsonable(item, hex_ints=hex_ints) for item in value]
    raise TypeError(f"cannot send a {type(value).__name__} as JSON")


def make_server(rpc: EmbeddedRpc, port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server answering POSTed JSON-RPC (single or batch) on 127.0.0.1:`port`."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            try:
                payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            except (ValueError, json.JSONDecodeError):
                reply: Any = _error(None, _INVALID_REQUEST, "the body is not JSON")
            else:
                if isinstance(payload, list):
                    reply = [rpc.answer(item) for item in payload]
                else:
                    reply = rpc.answer(payload)
            body = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # one line per request would drown the log

    server = ThreadingHTTPServer((HOST, port), Handler)
    server.daemon_threads = True
    return server


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve an in-process chain over JSON-RPC.")
    parser.add_argument("--port", type=int, default=8545)
    parser.add_argument("--accounts", type=int, default=10, help="funded dev accounts")
    args = parser.parse_args(argv)
    server = make_server(EmbeddedRpc(EmbeddedChain(accounts=args.accounts)), args.port)
    # SIGTERM ends it like Ctrl-C: through serve_forever's loop, from another thread.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"embedded chain on http://{HOST}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
