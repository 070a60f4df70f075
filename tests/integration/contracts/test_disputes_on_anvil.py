"""Disputes end to end on a real node (anvil): an automatic EXACT dispute and a TOLERANT challenge
found guilty, with the same moves as the unit tests."""

from __future__ import annotations

import pytest

from eternal.chain.bindings import events_of
from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.dispute_manager import DisputeResolved, FraudConvicted, Verdict
from eternal.chain.bindings.model_registry import VerificationMode
from eternal.chain.bindings.task_manager import TaskFinalized, TaskState
from eternal.chain.params import EAI
from eternal.chain.seals import VOTE_REJECT, digest_prefix
from tests.support.disputes import (
    accepted_task,
    agent_id,
    challenge,
    disputes_balance,
    disputes_owe,
    everyone,
    expected_split,
    fraud_slash,
    opened,
    staked_model,
    task_with_outputs,
    vote_and_resolve,
    winner_reward,
)
from tests.support.network import HONEST, WRONG, Network

pytestmark = pytest.mark.anvil

AGENT_STAKE = 100 * EAI


def test_automatic_exact_dispute_convicts_the_odd_agent(anvil_network: Network) -> None:
    net = anvil_network
    setup = staked_model(net, mode=VerificationMode.EXACT)
    fee = net.protocol.registry.terms(setup.model_id).fee
    task_id, commits, last_reveal = task_with_outputs(net, setup.model_id, [HONEST, HONEST, WRONG])
    dispute_id = opened(last_reveal).dispute_id

    result = vote_and_resolve(net, dispute_id, everyone(net, dispute_id, HONEST))

    (resolved,) = events_of(result, DisputeResolved)
    assert resolved.majority_vote == digest_prefix(HONEST)
    (convicted,) = events_of(result, FraudConvicted)
    cheat = commits[2].agent
    assert (convicted.agent_id, convicted.slashed) == (
        agent_id(net, cheat),
        fraud_slash(net, AGENT_STAKE),
    )
    assert net.protocol.agents.agent_info(cheat.address).status == AgentStatus.DEACTIVATED
    assert net.protocol.tasks.claimable(commits[0].agent.address) == winner_reward(
        net, task_id, fee
    )
    assert net.task(task_id).state == TaskState.FINALIZED
    assert disputes_balance(net) == disputes_owe(net)
    assert net.supply_is_conserved()


def test_tolerant_challenge_found_guilty_pays_the_challenger(anvil_network: Network) -> None:
    net = anvil_network
    setup = staked_model(net, mode=VerificationMode.TOLERANT)
    fee = net.protocol.registry.terms(setup.model_id).fee
    task_id = accepted_task(net, setup.model_id)
    challenger = net.verifiers[0]
    dispute_id, _ = challenge(net, challenger, task_id, net.task(task_id).winner_index)

    result = vote_and_resolve(net, dispute_id, everyone(net, dispute_id, VOTE_REJECT))

    slashed = fraud_slash(net, AGENT_STAKE)
    (resolved,) = events_of(result, DisputeResolved)
    assert (resolved.verdict, resolved.slashed) == (Verdict.GUILTY, slashed)
    (finalized,) = events_of(result, TaskFinalized)
    assert finalized.reward_to == challenger.address
    split = expected_split(
        net,
        slashed=slashed,
        bond=net.params.disputes.challenge_bond,
        innocent=False,
        has_challenger=True,
        voters=5,
    )
    assert net.protocol.disputes.claimable(challenger.address) == split.challenger
    assert net.protocol.tasks.claimable(challenger.address) == winner_reward(net, task_id, fee)
    net.protocol.disputes.claim(challenger)
    assert disputes_balance(net) == disputes_owe(net)
    assert net.supply_is_conserved()
