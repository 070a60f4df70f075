"""An open dispute holds the stakes of its committee and of the agents whose outputs it judges:
they may start unbonding, but cannot withdraw before the verdict."""

from __future__ import annotations

import pytest

from eternal.chain.bindings import events_of
from eternal.chain.bindings.agent_staking import AgentWithdrawn
from eternal.chain.bindings.verifier_registry import VerifierWithdrawn
from eternal.chain.params import EAI
from eternal.chain.seals import VOTE_REJECT
from eternal.errors import ContractError
from tests.support.disputes import (
    Setup,
    accepted_task,
    challenge,
    committee,
    everyone,
    fraud_slash,
    opened,
    resolve,
    task_with_outputs,
    vote_all,
)
from tests.support.network import HONEST, WRONG, Network

AGENT_STAKE = 100 * EAI


def test_dispute_locks_committee_and_revealed_agents_until_resolution(
    network: Network, exact: Setup
) -> None:
    _, commits, last_reveal = task_with_outputs(network, exact.model_id, [HONEST, HONEST, WRONG])
    dispute_id = opened(last_reveal).dispute_id
    members = committee(network, dispute_id)
    agents, verifiers = network.protocol.agents, network.protocol.verifiers

    assert [agents.agent_info(c.agent.address).locks for c in commits] == [1, 1, 1]
    assert [verifiers.verifier_info(m.address).locks for m in members] == [1] * len(members)
    member_addresses = {m.address for m in members}
    outsiders = [v for v in exact.verifiers if v.address not in member_addresses]
    assert [verifiers.verifier_info(v.address).locks for v in outsiders] == [0] * len(outsiders)

    vote_all(network, dispute_id, everyone(network, dispute_id, HONEST))
    resolve(network, dispute_id)

    assert [agents.agent_info(c.agent.address).locks for c in commits] == [0, 0, 0]
    assert [verifiers.verifier_info(m.address).locks for m in members] == [0] * len(members)


def test_committee_member_cannot_withdraw_before_the_verdict(
    network: Network, tolerant: Setup
) -> None:
    task_id = accepted_task(network, tolerant.model_id)
    dispute_id, _ = challenge(network, network.verifiers[0], task_id, 0)
    vote_all(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))
    member = committee(network, dispute_id)[0]
    registry = network.protocol.verifiers
    registry.unstake(member)
    network.advance(network.params.verifiers.unbonding_period + 1)

    with pytest.raises(ContractError) as failure:
        registry.withdraw(member)
    assert failure.value.name == "VerifierRegistryLockedByDispute"
    assert dict(failure.value.args) == {"verifier": member.address, "locks": 1}

    resolve(network, dispute_id)
    (withdrawn,) = events_of(registry.withdraw(member), VerifierWithdrawn)
    assert withdrawn.amount == network.params.verifiers.min_stake  # voted: nothing taken


def test_accused_agent_cannot_withdraw_before_the_verdict(
    network: Network, tolerant: Setup
) -> None:
    task_id = accepted_task(network, tolerant.model_id)
    accused = network.assigned(task_id)[0]
    dispute_id, _ = challenge(network, network.verifiers[0], task_id, 0)
    vote_all(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))
    staking = network.protocol.agents
    staking.unstake(accused)
    network.advance(network.params.agents.unbonding_period + 1)

    with pytest.raises(ContractError) as failure:
        staking.withdraw(accused)
    assert failure.value.name == "AgentStakingLockedByDispute"
    assert dict(failure.value.args) == {"agent": accused.address, "locks": 1}

    resolve(network, dispute_id)
    (withdrawn,) = events_of(staking.withdraw(accused), AgentWithdrawn)
    assert withdrawn.amount == AGENT_STAKE - fraud_slash(network, AGENT_STAKE)


def test_honest_agent_in_an_automatic_dispute_withdraws_its_whole_stake_after_it(
    network: Network, exact: Setup
) -> None:
    _, commits, last_reveal = task_with_outputs(network, exact.model_id, [HONEST, HONEST, WRONG])
    dispute_id = opened(last_reveal).dispute_id
    honest = commits[1].agent
    staking = network.protocol.agents
    staking.unstake(honest)
    vote_all(network, dispute_id, everyone(network, dispute_id, HONEST))
    network.advance(network.params.agents.unbonding_period + 1)

    with pytest.raises(ContractError) as failure:
        staking.withdraw(honest)
    assert failure.value.name == "AgentStakingLockedByDispute"

    resolve(network, dispute_id)
    (withdrawn,) = events_of(staking.withdraw(honest), AgentWithdrawn)
    assert withdrawn.amount == AGENT_STAKE
