"""The same client behaviour against a real node: anvil over JSON-RPC."""

from typing import Any

import pytest

from eternal.chain import RpcChain, call, decode_events, send, submit
from eternal.errors import ContractError, Panic, RevertedWithReason, TransactionFailed

pytestmark = pytest.mark.anvil


@pytest.fixture
def probe(anvil_chain: RpcChain, deploy_probe: Any) -> Any:
    return deploy_probe(anvil_chain)


def test_deploy_set_and_event(anvil_chain: RpcChain, probe: Any) -> None:
    owner = anvil_chain.accounts[0]
    result = send(anvil_chain, owner, probe.functions.set(7, 42))
    assert call(anvil_chain, probe.functions.value()) == 42
    (event,) = decode_events(probe, result)
    assert (event.name, dict(event.args)) == (
        "ProbeSet",
        {"task": 7, "agent": owner.address, "value": 42},
    )


def test_custom_error_with_names_and_values(anvil_chain: RpcChain, probe: Any) -> None:
    stranger = anvil_chain.accounts[1]
    with pytest.raises(ContractError) as raised:
        send(anvil_chain, stranger, probe.functions.set(7, 1))
    assert type(raised.value) is ContractError
    assert (raised.value.contract, raised.value.name) == ("Probe", "ProbeNotAllowed")
    assert raised.value.args == {"task": 7, "agent": stranger.address}


def test_revert_string(anvil_chain: RpcChain, probe: Any) -> None:
    with pytest.raises(RevertedWithReason) as raised:
        send(anvil_chain, anvil_chain.accounts[0], probe.functions.setNonZero(0))
    assert raised.value.reason == "Probe: zero value"


def test_panic_division_by_zero(anvil_chain: RpcChain, probe: Any) -> None:
    with pytest.raises(Panic) as raised:
        send(anvil_chain, anvil_chain.accounts[0], probe.functions.divide(0))
    assert (raised.value.code, raised.value.meaning) == (0x12, "division or modulo by zero")


def test_mined_failure_is_replayed_despite_pruned_history(
    anvil_chain: RpcChain, probe: Any
) -> None:
    with pytest.raises(ContractError) as raised:
        send(anvil_chain, anvil_chain.accounts[1], probe.functions.set(3, 1), gas=100_000)
    assert raised.value.name == "ProbeNotAllowed"
    assert raised.value.tx_hash is not None


def test_out_of_gas_is_a_plain_transaction_failed(anvil_chain: RpcChain, probe: Any) -> None:
    with pytest.raises(TransactionFailed) as raised:
        send(anvil_chain, anvil_chain.accounts[0], probe.functions.set(1, 2), gas=22_000)
    assert type(raised.value) is TransactionFailed


def test_cancun_opcodes_and_pipelining(anvil_chain: RpcChain, probe: Any) -> None:
    owner = anvil_chain.accounts[0]
    pending = [submit(anvil_chain, owner, probe.functions.stamp(b"x" * i)) for i in range(5)]
    for tx in pending:
        tx.wait()
    assert call(anvil_chain, probe.functions.stamps()) == 5


def test_increase_time_moves_block_timestamp_forward(anvil_chain: RpcChain, probe: Any) -> None:
    before = anvil_chain.latest_timestamp()
    block = anvil_chain.block_number()
    anvil_chain.increase_time(86_400)
    assert anvil_chain.latest_timestamp() >= before + 86_400
    assert anvil_chain.block_number() == block + 1
    assert call(anvil_chain, probe.functions.timestamp()) >= before + 86_400


def test_snapshot_revert_restores_state_and_nonces(anvil_chain: RpcChain, probe: Any) -> None:
    owner = anvil_chain.accounts[0]
    snapshot = anvil_chain.snapshot()
    send(anvil_chain, owner, probe.functions.set(1, 99))
    anvil_chain.revert(snapshot)
    assert call(anvil_chain, probe.functions.value()) == 5
    send(anvil_chain, owner, probe.functions.set(1, 7))
    assert call(anvil_chain, probe.functions.value()) == 7
