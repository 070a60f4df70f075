"""wallet: addresses checked, ether balances and transfers."""

from __future__ import annotations

import pytest

from eternal.chain.embedded import EmbeddedChain
from eternal.chain.wallet import (
    InvalidAddress,
    account_from_key,
    checksum_address,
    eth_balance,
    send_eth,
    sign_permit,
)
from tests.support.network import Network


def test_ether_moves_between_accounts(embedded_chain: EmbeddedChain) -> None:
    sender, receiver = embedded_chain.accounts[0], embedded_chain.accounts[1]
    before = eth_balance(embedded_chain, receiver.address)

    send_eth(embedded_chain, sender, receiver.address.lower(), 3 * 10**18)

    assert eth_balance(embedded_chain, receiver.address) == before + 3 * 10**18


def test_addresses_come_back_checksummed() -> None:
    address = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"

    assert checksum_address(address) == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


@pytest.mark.parametrize("text", ["0x12", "f39fd6e51aad88f6f4ce6ab8827279cfffb9226", "alice", ""])
def test_what_is_not_an_address_is_refused_by_name(text: str) -> None:
    with pytest.raises(InvalidAddress, match="is not an Ethereum address"):
        checksum_address(text)


def test_a_key_gives_its_account(embedded_chain: EmbeddedChain) -> None:
    dev = embedded_chain.accounts[0]

    assert account_from_key(dev.key).address == dev.address


def test_a_signed_permit_sets_the_allowance(network: Network) -> None:
    token = network.protocol.token
    owner, spender = network.users[0], network.users[1]
    deadline = network.chain.latest_timestamp() + 600

    permit = sign_permit(token, owner, spender.address, 42, deadline)
    token.permit(
        spender, owner.address, spender.address, 42, deadline, permit.v, permit.r, permit.s
    )

    assert token.allowance(owner.address, spender.address) == 42
