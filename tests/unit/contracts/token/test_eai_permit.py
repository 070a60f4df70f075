"""EAIToken permits (EIP-2612): an allowance signed off chain, usable once, until its deadline."""

from __future__ import annotations

import pytest

from eternal.chain.params import EAI
from eternal.errors import ContractError
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import described, now, reverts, spare
from tests.unit.contracts.token.permits import DOMAIN_NAME, DOMAIN_VERSION, sign_permit


def test_eip712_domain_is_eternal_ai_version_one(network: Network) -> None:
    token = network.protocol.token
    domain = token.eip712_domain()
    assert (domain.name, domain.version) == (DOMAIN_NAME, DOMAIN_VERSION)
    assert (domain.chain_id, domain.verifying_contract) == (network.chain.chain_id, token.address)


def test_permit_sets_the_allowance_and_spends_the_nonce(network: Network) -> None:
    token = network.protocol.token
    owner, spender, relayer = spare(network), network.users[0], network.users[1]
    permit = sign_permit(token, owner, spender.address, 40 * EAI, now(network) + 600)

    result = token.permit(
        relayer,
        owner.address,
        spender.address,
        40 * EAI,
        permit.deadline,
        permit.v,
        permit.r,
        permit.s,
    )

    assert described(token.events(result)) == [
        ("Approval", {"owner": owner.address, "spender": spender.address, "value": 40 * EAI})
    ]
    assert token.allowance(owner.address, spender.address) == 40 * EAI
    assert token.nonces(owner.address) == 1
    wallet = token.balance_of(spender.address)
    token.transfer_from(spender, owner.address, spender.address, 40 * EAI)
    assert token.balance_of(spender.address) == wallet + 40 * EAI
    assert network.supply_is_conserved()


def test_permit_cannot_be_replayed(network: Network) -> None:
    token = network.protocol.token
    owner, spender = spare(network), network.users[0]
    permit = sign_permit(token, owner, spender.address, 40 * EAI, now(network) + 600)
    args = (owner.address, spender.address, 40 * EAI, permit.deadline, permit.v, permit.r, permit.s)
    token.permit(spender, *args)
    token.approve(owner, spender.address, 0)

    with pytest.raises(ContractError) as raised:
        token.permit(spender, *args)
    # The nonce moved on, so the signature recovers to some unrelated address.
    assert raised.value.name == "ERC2612InvalidSigner"
    assert raised.value.args["owner"] == owner.address
    assert raised.value.args["signer"] != owner.address
    assert token.allowance(owner.address, spender.address) == 0


def test_permit_signed_by_someone_else_is_refused(network: Network) -> None:
    token = network.protocol.token
    owner, spender, forger = spare(network), network.users[0], network.users[1]
    permit = sign_permit(token, owner, spender.address, EAI, now(network) + 600, signer=forger)
    with reverts("ERC2612InvalidSigner", signer=forger.address, owner=owner.address):
        token.permit(
            spender,
            owner.address,
            spender.address,
            EAI,
            permit.deadline,
            permit.v,
            permit.r,
            permit.s,
        )
    assert token.nonces(owner.address) == 0


def test_expired_permit_is_refused(network: Network) -> None:
    token = network.protocol.token
    owner, spender = spare(network), network.users[0]
    deadline = now(network) + 60
    permit = sign_permit(token, owner, spender.address, EAI, deadline)
    network.advance(120)
    with reverts("ERC2612ExpiredSignature", deadline=deadline):
        token.permit(
            spender, owner.address, spender.address, EAI, deadline, permit.v, permit.r, permit.s
        )
