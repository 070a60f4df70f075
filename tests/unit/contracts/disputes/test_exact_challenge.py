"""Challenges on an EXACT model: the only outputs a verifier can challenge are unanimous ones (any
mismatch opens an automatic dispute), so a challenge is the answer to k agents colluding."""

from __future__ import annotations

from eternal.chain.bindings import events_of
from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.dispute_manager import DisputeResolved, FraudConvicted, Verdict
from eternal.chain.bindings.task_manager import TaskFinalized, TaskState
from eternal.chain.params import EAI
from eternal.chain.seals import digest_prefix
from tests.support.disputes import (
    Setup,
    accepted_task,
    agent_id,
    agent_stake,
    challenge,
    challenge_winner,
    committee,
    everyone,
    expected_split,
    fraud_slash,
    treasury_balance,
    vote_and_resolve,
    winner_reward,
)
from tests.support.network import HONEST, WRONG, Network

AGENT_STAKE = 100 * EAI


def test_colluding_agents_are_all_convicted_and_the_challenger_takes_the_winner_reward(
    network: Network, exact: Setup
) -> None:
    fee = network.protocol.registry.terms(exact.model_id).fee
    task_id = accepted_task(network, exact.model_id, [WRONG, WRONG, WRONG])
    agents = network.assigned(task_id)
    challenger = network.verifiers[0]
    dispute_id, _ = challenge(network, challenger, task_id, network.task(task_id).winner_index)
    members = committee(network, dispute_id)
    treasury_before = treasury_balance(network)

    result = vote_and_resolve(network, dispute_id, everyone(network, dispute_id, HONEST))

    slashed = 3 * fraud_slash(network, AGENT_STAKE)
    (resolved,) = events_of(result, DisputeResolved)
    assert (resolved.verdict, resolved.majority_vote, resolved.slashed) == (
        Verdict.GUILTY,
        digest_prefix(HONEST),
        slashed,
    )
    convicted = {e.agent_id: e.slashed for e in events_of(result, FraudConvicted)}
    assert convicted == {agent_id(network, a): fraud_slash(network, AGENT_STAKE) for a in agents}
    for agent in agents:
        info = network.protocol.agents.agent_info(agent.address)
        assert info.status == AgentStatus.DEACTIVATED
    assert network.protocol.agents.pool_size(exact.model_id) == 0

    split = expected_split(
        network,
        slashed=slashed,
        bond=network.params.disputes.challenge_bond,
        innocent=False,
        has_challenger=True,
        voters=5,
    )
    disputes = network.protocol.disputes
    assert disputes.claimable(challenger.address) == split.challenger
    for member in members:
        assert disputes.claimable(member.address) == split.per_voter
    assert treasury_balance(network) - treasury_before == split.treasury

    (finalized,) = events_of(result, TaskFinalized)
    assert finalized.reward_to == challenger.address
    assert network.protocol.tasks.claimable(challenger.address) == winner_reward(
        network, task_id, fee
    )
    for agent in agents:
        assert network.protocol.tasks.claimable(agent.address) == 0


def test_confirmed_output_forfeits_part_of_the_bond_and_pays_the_winner(
    network: Network, exact: Setup
) -> None:
    fee, task_id, _, winner, challenger, dispute_id = challenge_winner(network, exact.model_id)
    treasury_before = treasury_balance(network)

    result = vote_and_resolve(network, dispute_id, everyone(network, dispute_id, HONEST))

    (resolved,) = events_of(result, DisputeResolved)
    assert (resolved.verdict, resolved.majority_vote, resolved.slashed) == (
        Verdict.INNOCENT,
        digest_prefix(HONEST),
        0,
    )
    for agent in network.assigned(task_id):
        assert agent_stake(network, agent) == AGENT_STAKE
    split = expected_split(
        network,
        slashed=0,
        bond=network.params.disputes.challenge_bond,
        innocent=True,
        has_challenger=True,
        voters=5,
    )
    assert network.protocol.disputes.claimable(challenger.address) == split.challenger
    assert treasury_balance(network) - treasury_before == split.treasury
    assert network.protocol.tasks.claimable(winner.address) == winner_reward(network, task_id, fee)
    assert network.task(task_id).state == TaskState.FINALIZED
