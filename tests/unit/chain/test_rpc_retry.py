"""RPC faults are retried a bounded number of times, then surface as RpcError."""

import http.server
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from eternal.chain import RetryPolicy, RpcChain, dev_accounts
from eternal.errors import RpcError


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when we leave: nothing listens


def test_retry_policy_backs_off_exponentially_up_to_a_cap() -> None:
    policy = RetryPolicy(attempts=6, initial_delay=0.1, multiplier=2, max_delay=0.5)
    assert list(policy.delays()) == [0.1, 0.2, 0.4, 0.5, 0.5]
    assert list(RetryPolicy(attempts=1).delays()) == []


@pytest.mark.parametrize("bad", [{"attempts": 0}, {"initial_delay": -1}, {"multiplier": 0.5}])
def test_retry_policy_rejects_nonsense(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**bad)  # type: ignore[arg-type]


def test_unreachable_node_raises_rpc_error_after_bounded_retries() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    keys = [dev_accounts(1)[0].key]
    policy = RetryPolicy(attempts=3, initial_delay=0.05, multiplier=2)
    with RpcChain(url, keys, retry=policy, timeout=1.0) as chain:
        started = time.monotonic()
        with pytest.raises(RpcError) as raised:
            chain.block_number()
        elapsed = time.monotonic() - started

    assert raised.value.attempts == 3
    assert raised.value.method == "eth_blockNumber"
    assert 0.15 <= elapsed < 2.0  # waited 0.05 + 0.1 between the three tries, no more
    assert raised.value.__cause__ is not None  # the requests error, chained


def test_dev_controls_on_an_unreachable_node_raise_rpc_error() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    with RpcChain(url, [], retry=RetryPolicy(attempts=1)) as chain, pytest.raises(RpcError):
        chain.snapshot()


class _ScriptedNode:
    """A loopback HTTP server answering JSON-RPC posts from a script of (status, body) pairs."""

    def __init__(self, script: list[tuple[int, dict[str, object]]]) -> None:
        self.script = script
        self.hits = 0
        node = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                status, body = node.script[min(node.hits, len(node.script) - 1)]
                node.hits += 1
                payload = json.dumps({"jsonrpc": "2.0", "id": 0, **body}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted_node() -> Iterator[Callable[[list[tuple[int, dict[str, object]]]], _ScriptedNode]]:
    nodes: list[_ScriptedNode] = []

    def start(script: list[tuple[int, dict[str, object]]]) -> _ScriptedNode:
        nodes.append(_ScriptedNode(script))
        return nodes[-1]

    yield start
    for node in nodes:
        node.close()


FAST = RetryPolicy(attempts=4, initial_delay=0.01)


def test_overloaded_node_is_retried_until_it_answers(scripted_node: Any) -> None:
    node = scripted_node(
        [(503, {"error": "busy"}), (503, {"error": "busy"}), (200, {"result": "0x10"})]
    )
    with RpcChain(node.url, [], retry=FAST) as chain:
        assert chain.block_number() == 16
    assert node.hits == 3


def test_json_rpc_errors_are_answers_and_not_retried(scripted_node: Any) -> None:
    revert = {"error": {"code": 3, "message": "execution reverted", "data": "0x"}}
    node = scripted_node([(200, revert)])
    with RpcChain(node.url, [], retry=FAST) as chain, pytest.raises(RpcError):
        chain.request("eth_call", [{"to": "0x" + "11" * 20}, "latest"])
    assert node.hits == 1


def test_client_errors_are_not_retried(scripted_node: Any) -> None:
    node = scripted_node([(400, {"error": "bad request"})])
    with RpcChain(node.url, [], retry=FAST) as chain, pytest.raises(RpcError) as raised:
        chain.block_number()
    assert (node.hits, raised.value.attempts) == (1, 1)


def test_anvil_pruned_state_race_is_asked_again(scripted_node: Any) -> None:
    pruned = {
        "error": {
            "code": -32602,
            "message": "BlockOutOfRangeError: block height is 51 but requested was 50",
        }
    }
    node = scripted_node([(200, pruned), (200, {"result": "0x20"})])
    with RpcChain(node.url, [], retry=FAST) as chain:
        assert chain.block_number() == 32
    assert node.hits == 2
