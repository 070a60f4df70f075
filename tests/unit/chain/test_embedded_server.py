"""The in-process chain served over HTTP: other processes reach it as any JSON-RPC node."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import httpx
import pytest

from eternal.chain.accounts import dev_accounts
from eternal.chain.bindings.eai_token import Transfer
from eternal.chain.connect import is_local_chain
from eternal.chain.embedded import EmbeddedChain
from eternal.chain.embedded_server import EmbeddedRpc, make_server
from eternal.chain.params import EAI, ProtocolParams
from eternal.chain.protocol import Protocol
from eternal.chain.rpc import RpcChain
from eternal.errors import ContractError


@pytest.fixture
def served() -> Iterator[str]:
    server = make_server(EmbeddedRpc(EmbeddedChain(accounts=4)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_client_deploys_calls_and_decodes_reverts_over_http(served: str) -> None:
    accounts = dev_accounts(4)
    with RpcChain(served, [a.key for a in accounts]) as chain:
        assert is_local_chain(chain)
        genesis = {a.address: 10 * EAI for a in accounts}
        protocol = Protocol.deploy(chain, accounts[0], ProtocolParams.dev(), genesis)
        assert protocol.token.total_supply() == 40 * EAI
        minted = protocol.token.logs(0, "latest", Transfer)
        assert {e.to for e in minted} == set(genesis)
        with pytest.raises(ContractError) as caught:
            protocol.agents.stake(accounts[1], 9, EAI)
        assert caught.value.name == "ModelRegistryUnknownModel"


def test_time_moves_forward_by_evm_increase_time(served: str) -> None:
    with RpcChain(served, []) as chain:
        before = chain.latest_timestamp()
        chain.increase_time(3_600)
        assert chain.latest_timestamp() >= before + 3_600


def test_answers_are_json_rpc_shaped_and_unknown_methods_are_errors(served: str) -> None:
    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []},
        {"jsonrpc": "2.0", "id": 2, "method": "eth_noSuchMethod", "params": []},
        {"id": 3},
    ]
    answers = httpx.post(served, content=json.dumps(batch)).json()
    assert answers[0] == {"jsonrpc": "2.0", "id": 1, "result": "0x0"}
    assert answers[1]["id"] == 2 and "error" in answers[1]
    assert answers[2]["error"]["code"] == -32600
