"""Verdicts count against the committee's size m, not the votes cast: strictly more than 2m/3
members must agree. Members that do not reveal a vote pay nonVoterPenaltyBps of their stake;
members that vote are never penalized."""

from __future__ import annotations

from eternal.chain.bindings import events_of
from eternal.chain.bindings.dispute_manager import (
    DisputeCredited,
    DisputeResolved,
    FraudConvicted,
    NonVoterPenalized,
    Verdict,
)
from eternal.chain.params import EAI
from eternal.chain.seals import VOTE_REJECT
from tests.support.disputes import (
    Setup,
    accepted_task,
    by_position,
    challenge,
    commit_votes,
    committee,
    expected_split,
    fraud_slash,
    pass_vote_commit_window,
    pass_vote_reveal_window,
    resolve,
    reveal_votes,
    treasury_balance,
    verifier_id,
    verifier_stake,
    vote_all,
)
from tests.support.network import Network

AGENT_STAKE = 100 * EAI


def _challenged(network: Network, setup: Setup) -> tuple[int, int]:
    """A TOLERANT task accepted and challenged by verifiers[0]: (task, dispute)."""
    task_id = accepted_task(network, setup.model_id)
    dispute_id, _ = challenge(network, network.verifiers[0], task_id, 0)
    return task_id, dispute_id


def _penalty(network: Network) -> int:
    return (
        network.params.verifiers.min_stake * network.params.disputes.non_voter_penalty_bps // 10_000
    )


def test_three_of_five_rejecting_is_inconclusive_even_when_nobody_else_votes(
    network: Network, tolerant: Setup
) -> None:
    _, dispute_id = _challenged(network, tolerant)
    members = committee(network, dispute_id)
    stake = network.params.verifiers.min_stake
    treasury_before = treasury_balance(network)

    # 3 * 3 = 9 is not more than 2 * 5 = 10: three votes out of five members decide nothing.
    vote_all(network, dispute_id, by_position(network, dispute_id, [VOTE_REJECT] * 3 + [None] * 2))
    result = resolve(network, dispute_id)

    (resolved,) = events_of(result, DisputeResolved)
    assert (resolved.verdict, resolved.slashed) == (Verdict.INCONCLUSIVE, 0)
    assert events_of(result, FraudConvicted) == ()
    penalized = {e.verifier_id: e.penalty for e in events_of(result, NonVoterPenalized)}
    assert penalized == {verifier_id(network, m): _penalty(network) for m in members[3:]}
    for silent in members[3:]:
        assert verifier_stake(network, silent) == stake - _penalty(network)
    for voter in members[:3]:
        assert verifier_stake(network, voter) == stake
    credited = {e.account: e.amount for e in events_of(result, DisputeCredited)}
    assert credited == {network.verifiers[0].address: network.params.disputes.challenge_bond}
    assert treasury_balance(network) - treasury_before == 2 * _penalty(network)


def test_four_of_five_rejecting_is_guilty_and_the_silent_member_pays(
    network: Network, tolerant: Setup
) -> None:
    _, dispute_id = _challenged(network, tolerant)
    members = committee(network, dispute_id)
    stake = network.params.verifiers.min_stake
    treasury_before = treasury_balance(network)

    # Everyone commits; the last member never reveals, so resolution waits for the deadline.
    ballots = commit_votes(network, dispute_id, by_position(network, dispute_id, [VOTE_REJECT] * 5))
    reveal_votes(network, dispute_id, ballots[:4])
    pass_vote_reveal_window(network)
    result = resolve(network, dispute_id)

    slashed = fraud_slash(network, AGENT_STAKE)
    (resolved,) = events_of(result, DisputeResolved)
    assert (resolved.verdict, resolved.slashed) == (Verdict.GUILTY, slashed)
    (penalized,) = events_of(result, NonVoterPenalized)
    assert (penalized.verifier_id, penalized.penalty) == (
        verifier_id(network, members[4]),
        _penalty(network),
    )
    assert verifier_stake(network, members[4]) == stake - _penalty(network)
    split = expected_split(
        network,
        slashed=slashed,
        bond=network.params.disputes.challenge_bond,
        innocent=False,
        has_challenger=True,
        voters=4,
    )
    disputes = network.protocol.disputes
    for voter in members[:4]:
        assert verifier_stake(network, voter) == stake
        assert disputes.claimable(voter.address) == split.per_voter
    assert disputes.claimable(members[4].address) == 0
    assert treasury_balance(network) - treasury_before == split.treasury + _penalty(network)


def test_dispute_nobody_votes_on_is_inconclusive_and_penalizes_the_whole_committee(
    network: Network, tolerant: Setup
) -> None:
    _, dispute_id = _challenged(network, tolerant)
    members = committee(network, dispute_id)
    stake = network.params.verifiers.min_stake
    pass_vote_commit_window(network)

    result = resolve(network, dispute_id)

    (resolved,) = events_of(result, DisputeResolved)
    assert resolved.verdict == Verdict.INCONCLUSIVE
    penalized = {e.verifier_id for e in events_of(result, NonVoterPenalized)}
    assert penalized == {verifier_id(network, m) for m in members}
    for member in members:
        assert verifier_stake(network, member) == stake - _penalty(network)
    challenger = network.verifiers[0]
    assert verifier_stake(network, challenger) == stake
    bond = network.params.disputes.challenge_bond
    assert network.protocol.disputes.claimable(challenger.address) == bond


def test_committed_votes_that_are_not_revealed_count_for_nothing(
    network: Network, tolerant: Setup
) -> None:
    _, dispute_id = _challenged(network, tolerant)
    members = committee(network, dispute_id)

    ballots = commit_votes(network, dispute_id, by_position(network, dispute_id, [VOTE_REJECT] * 5))
    reveal_votes(network, dispute_id, ballots[:3])
    pass_vote_reveal_window(network)
    result = resolve(network, dispute_id)

    (resolved,) = events_of(result, DisputeResolved)
    assert resolved.verdict == Verdict.INCONCLUSIVE
    penalized = {e.verifier_id for e in events_of(result, NonVoterPenalized)}
    assert penalized == {verifier_id(network, m) for m in members[3:]}
