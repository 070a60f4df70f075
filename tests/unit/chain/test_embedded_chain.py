"""Transactions, reverts, events and dev controls on the in-process chain."""

from typing import Any

import pytest

from eternal.chain import TxRequest, call, decode_events, dev_accounts, send, submit
from eternal.chain.embedded import EmbeddedChain
from eternal.errors import ContractError, Panic, RevertedWithReason, TransactionFailed


@pytest.fixture
def probe(embedded_chain: EmbeddedChain, deploy_probe: Any) -> Any:
    return deploy_probe(embedded_chain)


def test_dev_accounts_match_anvil_and_are_funded(embedded_chain: EmbeddedChain) -> None:
    assert embedded_chain.accounts[0].address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    assert [a.address for a in embedded_chain.accounts] == [a.address for a in dev_accounts(10)]
    assert embedded_chain.w3.eth.get_balance(embedded_chain.accounts[9].address) >= 10**24


def test_block_gas_limit_fits_big_deployments(embedded_chain: EmbeddedChain) -> None:
    assert embedded_chain.w3.eth.get_block("latest")["gasLimit"] == 60_000_000


def test_deploy_and_state_change_emit_a_decoded_event(
    embedded_chain: EmbeddedChain, probe: Any
) -> None:
    owner = embedded_chain.accounts[0]
    assert call(embedded_chain, probe.functions.value()) == 5

    result = send(embedded_chain, owner, probe.functions.set(7, 42))

    assert call(embedded_chain, probe.functions.value()) == 42
    assert result.gas_used > 21_000
    assert result.block_number == embedded_chain.block_number()
    (event,) = decode_events(probe, result)
    assert event.name == "ProbeSet"
    assert list(event.args.items()) == [("task", 7), ("agent", owner.address), ("value", 42)]
    assert decode_events(probe, result, "Other") == ()


def test_custom_error_is_raised_at_estimation_with_names_and_values(
    embedded_chain: EmbeddedChain, probe: Any
) -> None:
    stranger = embedded_chain.accounts[1]
    block = embedded_chain.block_number()

    with pytest.raises(ContractError) as raised:
        send(embedded_chain, stranger, probe.functions.set(7, 1))

    error = raised.value
    assert type(error) is ContractError
    assert (error.contract, error.name) == ("Probe", "ProbeNotAllowed")
    assert error.args == {"task": 7, "agent": stranger.address}
    assert str(error) == f"ProbeNotAllowed(task=7, agent={stranger.address})"
    assert error.tx_hash is None  # nothing was sent
    assert embedded_chain.block_number() == block
    assert embedded_chain.w3.eth.get_transaction_count(stranger.address) == 0


def test_revert_string_is_raised_as_reverted_with_reason(
    embedded_chain: EmbeddedChain, probe: Any
) -> None:
    with pytest.raises(RevertedWithReason) as raised:
        send(embedded_chain, embedded_chain.accounts[0], probe.functions.setNonZero(0))
    assert raised.value.reason == "Probe: zero value"


def test_division_by_zero_is_raised_as_panic_0x12(
    embedded_chain: EmbeddedChain, probe: Any
) -> None:
    with pytest.raises(Panic) as raised:
        send(embedded_chain, embedded_chain.accounts[0], probe.functions.divide(0))
    assert (raised.value.code, raised.value.meaning) == (0x12, "division or modulo by zero")


def test_view_call_revert_is_decoded(embedded_chain: EmbeddedChain, probe: Any) -> None:
    agent = embedded_chain.accounts[3].address
    with pytest.raises(ContractError) as raised:
        call(embedded_chain, probe.functions.checkAllowed(9, agent))
    assert raised.value.args == {"task": 9, "agent": agent}


def test_error_with_bytes_string_and_array_is_decoded(
    embedded_chain: EmbeddedChain, probe: Any
) -> None:
    with pytest.raises(ContractError) as raised:
        call(embedded_chain, probe.functions.reject(b"\xab" * 32, "bad", [1, 65535]))
    assert raised.value.args == {"key": b"\xab" * 32, "note": "bad", "codes": [1, 65535]}
    assert str(raised.value) == f"ProbeBadInput(key=0x{'ab' * 32}, note='bad', codes=[1, 65535])"


def test_mined_failure_is_replayed_to_decode_its_error(
    embedded_chain: EmbeddedChain, probe: Any
) -> None:
    stranger = embedded_chain.accounts[1]
    # An explicit gas limit skips estimation, so the reverting transaction is mined.
    with pytest.raises(ContractError) as raised:
        send(embedded_chain, stranger, probe.functions.set(3, 1), gas=100_000)
    assert raised.value.name == "ProbeNotAllowed"
    assert raised.value.tx_hash is not None
    receipt = embedded_chain.w3.eth.get_transaction_receipt(raised.value.tx_hash)  # type: ignore[arg-type]
    assert receipt["status"] == 0


def test_out_of_gas_failure_is_a_plain_transaction_failed(
    embedded_chain: EmbeddedChain, probe: Any
) -> None:
    with pytest.raises(TransactionFailed) as raised:
        send(embedded_chain, embedded_chain.accounts[0], probe.functions.set(1, 2), gas=22_000)
    assert type(raised.value) is TransactionFailed
    assert raised.value.tx_hash is not None


def test_cancun_opcodes_run(embedded_chain: EmbeddedChain, probe: Any) -> None:
    # stamp() uses TSTORE/TLOAD and MCOPY; solc emits PUSH0 everywhere for cancun.
    send(embedded_chain, embedded_chain.accounts[0], probe.functions.stamp(b"payload" * 40))
    assert call(embedded_chain, probe.functions.stamps()) == 1


def test_pipelined_transactions_get_consecutive_nonces(
    embedded_chain: EmbeddedChain, probe: Any
) -> None:
    owner = embedded_chain.accounts[0]
    pending = [submit(embedded_chain, owner, probe.functions.set(i, i)) for i in range(1, 6)]
    results = [tx.wait() for tx in pending]
    nonces = [embedded_chain.w3.eth.get_transaction(r.tx_hash)["nonce"] for r in results]  # type: ignore[arg-type]
    assert nonces == list(range(nonces[0], nonces[0] + 5))
    assert call(embedded_chain, probe.functions.value()) == 5


def test_nonce_resyncs_after_a_transaction_sent_behind_our_back(
    embedded_chain: EmbeddedChain, probe: Any
) -> None:
    owner = embedded_chain.accounts[0]
    send(embedded_chain, owner, probe.functions.set(1, 1))  # tracker now counts locally
    w3 = embedded_chain.w3
    signed = owner.sign_transaction(
        {
            "to": owner.address,
            "value": 1,
            "gas": 21_000,
            "maxFeePerGas": 10**10,
            "maxPriorityFeePerGas": 10**9,
            "nonce": w3.eth.get_transaction_count(owner.address),
            "chainId": w3.eth.chain_id,
        }
    )
    w3.eth.send_raw_transaction(signed.raw_transaction)

    send(embedded_chain, owner, probe.functions.set(2, 2))

    assert call(embedded_chain, probe.functions.value()) == 2


def test_plain_value_transfer(embedded_chain: EmbeddedChain) -> None:
    sender, receiver = embedded_chain.accounts[0], embedded_chain.accounts[5]
    before = embedded_chain.w3.eth.get_balance(receiver.address)
    send(embedded_chain, sender, TxRequest(to=receiver.address, value=123))
    assert embedded_chain.w3.eth.get_balance(receiver.address) == before + 123


def test_increase_time_moves_block_timestamp_forward(
    embedded_chain: EmbeddedChain, probe: Any
) -> None:
    before = embedded_chain.latest_timestamp()
    block = embedded_chain.block_number()

    embedded_chain.increase_time(3_600)

    assert embedded_chain.latest_timestamp() >= before + 3_600
    assert embedded_chain.block_number() == block + 1
    send(embedded_chain, embedded_chain.accounts[0], probe.functions.set(1, 1))
    assert call(embedded_chain, probe.functions.timestamp()) >= before + 3_600


def test_increase_time_rejects_going_back(embedded_chain: EmbeddedChain) -> None:
    with pytest.raises(ValueError):
        embedded_chain.increase_time(-1)


def test_mine_adds_blocks(embedded_chain: EmbeddedChain) -> None:
    block = embedded_chain.block_number()
    embedded_chain.mine(3)
    assert embedded_chain.block_number() == block + 3


def test_revert_to_snapshot_undoes_state_and_local_nonces(
    embedded_chain: EmbeddedChain, probe: Any
) -> None:
    owner = embedded_chain.accounts[0]
    snapshot = embedded_chain.snapshot()
    send(embedded_chain, owner, probe.functions.set(1, 99))
    send(embedded_chain, owner, probe.functions.set(1, 100))

    embedded_chain.revert(snapshot)

    assert call(embedded_chain, probe.functions.value()) == 5
    send(embedded_chain, owner, probe.functions.set(1, 7))  # nonce taken from the chain again
    assert call(embedded_chain, probe.functions.value()) == 7


def test_new_chains_are_independent() -> None:
    with EmbeddedChain(accounts=2) as first, EmbeddedChain(accounts=2) as second:
        send(first, first.accounts[0], TxRequest(to=first.accounts[1].address, value=1))
        assert first.block_number() == second.block_number() + 1
