"""Committees: min(committeeSize, pooled verifiers other than the challenger) distinct members,
never the challenger, and at least three; with fewer, a challenge is refused and an automatic
dispute gives way to a refund. Committees of three also show the two-thirds boundary and how the
voting reward is divided. Each test stakes its own pool: no `exact` or `tolerant` fixture here."""

from __future__ import annotations

import pytest

from eternal.chain.bindings import events_of
from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.dispute_manager import (
    DisputeOpened,
    DisputeResolved,
    FraudConvicted,
    Verdict,
)
from eternal.chain.bindings.model_registry import VerificationMode
from eternal.chain.bindings.task_manager import TaskRefunded, TaskState
from eternal.chain.params import EAI
from eternal.chain.seals import VOTE_ACCEPT, VOTE_REJECT
from eternal.errors import ContractError
from tests.support.disputes import (
    Setup,
    accepted_task,
    balance,
    by_position,
    challenge,
    committee,
    expected_split,
    fraud_slash,
    opened,
    resolve,
    staked_model,
    task_with_outputs,
    treasury_balance,
    verifier_id,
    vote_all,
)
from tests.support.network import HONEST, WRONG, Network

AGENT_STAKE = 100 * EAI


def _challenged(network: Network, setup: Setup) -> tuple[int, int]:
    """A TOLERANT task accepted and challenged by verifiers[0]: (task, dispute)."""
    task_id = accepted_task(network, setup.model_id)
    dispute_id, _ = challenge(network, network.verifiers[0], task_id, 0)
    return task_id, dispute_id


@pytest.mark.parametrize("verifiers", [0, 2])
def test_too_few_verifiers_refund_the_task_and_slash_nobody(
    network: Network, verifiers: int
) -> None:
    setup = staked_model(network, verifiers=verifiers)
    user = network.users[0]
    before = balance(network, user.address)

    task_id, commits, last_reveal = task_with_outputs(
        network, setup.model_id, [HONEST, HONEST, WRONG]
    )

    fee = network.protocol.registry.terms(setup.model_id).fee
    assert events_of(last_reveal, DisputeOpened) == ()
    (refunded,) = events_of(last_reveal, TaskRefunded)
    assert (refunded.task_id, refunded.user, refunded.amount) == (task_id, user.address, fee)
    assert balance(network, user.address) == before
    assert network.task(task_id).state == TaskState.REFUNDED
    assert network.protocol.disputes.dispute_count() == 0
    for c in commits:
        info = network.protocol.agents.agent_info(c.agent.address)
        assert (info.stake, info.status, info.locks) == (AGENT_STAKE, AgentStatus.ACTIVE, 0)


def test_exactly_two_thirds_is_not_enough(network: Network) -> None:
    # Four verifiers: the challenger's committee is the other three.
    setup = staked_model(network, mode=VerificationMode.TOLERANT, verifiers=4)
    _, dispute_id = _challenged(network, setup)
    assert network.protocol.disputes.dispute(dispute_id).committee_size == 3

    votes = [VOTE_REJECT, VOTE_REJECT, VOTE_ACCEPT]  # 2 * 3 = 6 is not more than 2 * 3 = 6
    vote_all(network, dispute_id, by_position(network, dispute_id, votes))
    result = resolve(network, dispute_id)

    (resolved,) = events_of(result, DisputeResolved)
    assert resolved.verdict == Verdict.INCONCLUSIVE
    assert events_of(result, FraudConvicted) == ()


def test_unanimous_committee_of_three_shares_the_reward_with_the_remainder_to_the_treasury(
    network: Network,
) -> None:
    setup = staked_model(network, mode=VerificationMode.TOLERANT, verifiers=4)
    _, dispute_id = _challenged(network, setup)
    members = committee(network, dispute_id)
    treasury_before = treasury_balance(network)

    vote_all(network, dispute_id, by_position(network, dispute_id, [VOTE_REJECT] * 3))
    result = resolve(network, dispute_id)

    slashed = fraud_slash(network, AGENT_STAKE)
    split = expected_split(
        network,
        slashed=slashed,
        bond=network.params.disputes.challenge_bond,
        innocent=False,
        has_challenger=True,
        voters=3,
    )
    assert slashed * 2_000 // 10_000 % 3 != 0  # the voter pot does not divide evenly
    (resolved,) = events_of(result, DisputeResolved)
    assert resolved.verdict == Verdict.GUILTY
    for member in members:
        assert network.protocol.disputes.claimable(member.address) == split.per_voter
    assert treasury_balance(network) - treasury_before == split.treasury


def test_committee_is_everyone_else_when_the_pool_has_one_spare(network: Network) -> None:
    size = network.params.disputes.committee_size
    setup = staked_model(network, mode=VerificationMode.TOLERANT, verifiers=size + 1)
    challenger = setup.verifiers[2]
    task_id = accepted_task(network, setup.model_id)

    dispute_id, _ = challenge(network, challenger, task_id, 0)

    members = network.protocol.disputes.dispute(dispute_id).committee
    others = {verifier_id(network, v) for v in setup.verifiers if v.address != challenger.address}
    assert sorted(members) == sorted(others)


def test_challenge_committee_shrinks_to_the_pool_without_the_challenger(network: Network) -> None:
    setup = staked_model(network, mode=VerificationMode.TOLERANT, verifiers=4)
    challenger = setup.verifiers[0]
    task_id = accepted_task(network, setup.model_id)

    dispute_id, result = challenge(network, challenger, task_id, 0)

    view = network.protocol.disputes.dispute(dispute_id)
    assert view.committee_size == 3 == len(opened(result).committee)
    assert set(view.committee) == {verifier_id(network, v) for v in setup.verifiers[1:]}


def test_automatic_committee_shrinks_to_the_whole_pool(network: Network) -> None:
    setup = staked_model(network, verifiers=4)

    _, _, last_reveal = task_with_outputs(network, setup.model_id, [HONEST, HONEST, WRONG])

    event = opened(last_reveal)
    assert set(event.committee) == {verifier_id(network, v) for v in setup.verifiers}
    assert network.protocol.disputes.dispute(event.dispute_id).committee_size == 4


def test_challenge_with_fewer_than_three_others_is_refused(network: Network) -> None:
    setup = staked_model(network, mode=VerificationMode.TOLERANT, verifiers=3)
    task_id = accepted_task(network, setup.model_id)

    with pytest.raises(ContractError) as failure:
        network.protocol.disputes.challenge(setup.verifiers[0], task_id, 0)

    assert failure.value.name == "DisputeManagerCommitteeTooSmall"
    assert dict(failure.value.args) == {"available": 2, "minimum": 3}


def test_committee_never_contains_the_challenger(network: Network) -> None:
    # k = 2 keeps each task cheap; five challengers, each on its own task.
    setup = staked_model(network, mode=VerificationMode.TOLERANT, agents=2, redundancy=2)
    pooled = {verifier_id(network, v) for v in setup.verifiers}
    size = network.params.disputes.committee_size
    for challenger in setup.verifiers[:5]:
        task_id = accepted_task(network, setup.model_id)
        dispute_id, _ = challenge(network, challenger, task_id, 0)

        members = network.protocol.disputes.dispute(dispute_id).committee
        assert verifier_id(network, challenger) not in members
        assert len(set(members)) == len(members) == size
        assert set(members) <= pooled


def test_committee_draw_excludes_the_challenger_whatever_the_seed(network: Network) -> None:
    setup = staked_model(network, verifiers=8)
    registry = network.protocol.verifiers
    for seed in range(24):
        challenger = setup.verifiers[seed % 8]
        drawn = registry.draw_committee(5, seed, challenger.address)
        assert verifier_id(network, challenger) not in drawn
        assert len(set(drawn)) == 5
