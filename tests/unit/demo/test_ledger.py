"""Where the EAI is, read from a real (in-process) chain: holdings, the supply check, and the
punishments and disputes found in the contracts' events."""

from __future__ import annotations

import pytest
from eth_account import Account

from eternal.chain.params import EAI
from eternal.chain.seals import new_salt, vote_seal
from eternal.demo.cast import Actor, Role
from eternal.demo.ledger import check_supply, holdings
from eternal.demo.penalties import disputes, punishments
from tests.support.network import HONEST, WRONG, Network


def test_a_new_holder_is_found_from_the_transfer_events(network: Network) -> None:
    p = network.protocol
    before = check_supply(p)
    stranger = Account.create().address
    p.token.transfer(network.users[0], stranger, 3 * EAI)

    after = check_supply(p)

    assert before.ok and after.ok
    assert after.holders == before.holders + 1
    assert after.held == after.total_supply and after.block > before.block


def test_an_agents_holding_counts_its_stake_and_what_it_may_claim(network: Network) -> None:
    model = network.register_model(redundancy=2)
    agents = network.stake_agents(model, 2, 150 * EAI)
    task_id = network.submit(model)
    network.run_to_acceptance(task_id)
    network.pass_challenge_window()
    network.protocol.tasks.finalize(network.users[0], task_id)
    actors = [Actor(Role.AGENT, agent, f"agent {i}") for i, agent in enumerate(agents)]

    held = holdings(network.protocol, actors, [model])

    assert all(h.staked == 150 * EAI for h in held.values())
    assert sorted(h.owed > 0 for h in held.values()) == [False, True]  # the winner's reward
    assert held[agents[0].address].wallet == network.protocol.token.balance_of(agents[0].address)


@pytest.mark.slow  # a dispute with four committee votes on the in-process chain: ~5 s
def test_a_convicted_agent_is_a_fraud_slash_and_its_dispute_pays_the_committee(
    network: Network,
) -> None:
    model = network.register_model(redundancy=3)
    network.stake_agents(model, 3)
    network.stake_verifiers(4)
    task_id = network.submit(model)
    network.run_to_acceptance(task_id, [HONEST, HONEST, WRONG])  # an automatic dispute
    dispute_id = network.protocol.disputes.dispute_count()
    _vote_and_resolve(network, dispute_id, HONEST)
    cheat = network.assigned(task_id)[2].address
    block = network.chain.block_number()

    found = punishments(network.protocol, block)
    records = disputes(network.protocol, block)

    assert [(p.address, p.kind) for p in found] == [(cheat, "fraud slash")]
    (record,) = records
    assert record.automatic and record.challenger is None
    # The verdict is on the accused output; the majority digest convicts the cheat either way.
    assert record.verdict == ("guilty" if record.accused == cheat else "innocent")
    assert [c.address for c in record.convicted] == [cheat]
    slashed = record.convicted[0].amount
    assert sum(c.amount for c in record.credited) + record.treasury == slashed


def _vote_and_resolve(network: Network, dispute_id: int, vote: bytes) -> None:
    """Every committee member votes `vote` (commit, then reveal); then resolve."""
    disputes_ = network.protocol.disputes
    members = [network.verifier_by_id(v) for v in disputes_.dispute(dispute_id).committee]
    salts = {}
    for member in members:
        salts[member.address] = new_salt()
        seal = vote_seal(dispute_id, member.address, vote, salts[member.address])
        disputes_.commit_vote(member, dispute_id, seal)
    for member in members:
        disputes_.reveal_vote(member, dispute_id, vote, salts[member.address])
    if disputes_.dispute(dispute_id).state.name != "RESOLVED":
        disputes_.resolve(members[0], dispute_id)
