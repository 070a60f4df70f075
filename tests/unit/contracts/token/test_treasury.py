"""Treasury: collects what the protocol keeps; only governance spends it."""

from __future__ import annotations

from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import described, reverts


def _fund(network: Network, amount: int) -> None:
    network.protocol.token.transfer(network.users[2], network.protocol.treasury.address, amount)


def test_governance_pays_from_the_treasury(network: Network) -> None:
    p = network.protocol
    _fund(network, 50 * EAI)
    recipient = network.creator
    treasury = p.token.balance_of(p.treasury.address)
    wallet = p.token.balance_of(recipient.address)

    result = p.treasury.pay(network.gov, recipient.address, 20 * EAI, "grant: docs translation")

    assert described(p.treasury.events(result)) == [
        (
            "TreasuryPaid",
            {"to": recipient.address, "amount": 20 * EAI, "reason": "grant: docs translation"},
        )
    ]
    assert p.token.balance_of(p.treasury.address) == treasury - 20 * EAI
    assert p.token.balance_of(recipient.address) == wallet + 20 * EAI
    assert p.treasury.token() == p.token.address
    assert network.supply_is_conserved()


def test_pay_by_anyone_but_governance_is_refused(network: Network) -> None:
    p = network.protocol
    _fund(network, 50 * EAI)
    for intruder in (network.creator, network.users[0], network.agents[0]):
        with reverts("OwnableUnauthorizedAccount", account=intruder.address):
            p.treasury.pay(intruder, intruder.address, EAI, "self-dealing")
    assert p.token.balance_of(p.treasury.address) == 50 * EAI


def test_pay_more_than_the_treasury_holds_is_refused(network: Network) -> None:
    p = network.protocol
    _fund(network, 5 * EAI)
    with reverts(
        "ERC20InsufficientBalance", sender=p.treasury.address, balance=5 * EAI, needed=6 * EAI
    ):
        p.treasury.pay(network.gov, network.creator.address, 6 * EAI, "too much")
    assert p.token.balance_of(p.treasury.address) == 5 * EAI


def test_treasury_receives_forfeited_stakes_and_can_pay_them_out(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    (agent,) = network.stake_agents(model, 1)
    p.agents.expel(network.gov, agent.address, "ipfs://evidence")
    assert p.token.balance_of(p.treasury.address) == 100 * EAI

    p.treasury.pay(network.gov, network.users[0].address, 100 * EAI, "reporter bounty")

    assert p.token.balance_of(p.treasury.address) == 0
    assert network.supply_is_conserved()
