"""A chain that stops answering gives a page that says so, not a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

from fastapi.testclient import TestClient

from eternal.chain.protocol import Protocol
from eternal.chain.retry import NO_RETRY
from eternal.chain.rpc import RpcChain
from eternal.explorer import create_app
from eternal.storage.local import LocalStore
from tests.support.network import Network


def test_an_unreachable_chain_gives_a_503_page(network: Network, tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with RpcChain(f"http://127.0.0.1:{port}", [], retry=NO_RETRY) as dead:
        protocol = Protocol.connect(dead, network.protocol.deployment)
        client = TestClient(create_app(protocol, LocalStore(tmp_path)))

        response = client.get("/")

    assert response.status_code == 503
    assert "The chain does not answer" in response.text
    assert str(port) in response.text
