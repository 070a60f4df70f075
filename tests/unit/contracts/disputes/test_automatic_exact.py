"""Automatic disputes: an EXACT task whose revealed digests differ goes to a committee by itself,
with no challenger and no bond. The committee's supermajority digest decides who cheated and who
wins the task; without one, the user is refunded."""

from __future__ import annotations

from eternal.chain.bindings import events_of
from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.dispute_manager import (
    DisputeCredited,
    DisputeOpened,
    DisputeResolved,
    FraudConvicted,
    NonVoterPenalized,
    Verdict,
    VoteRevealed,
)
from eternal.chain.bindings.task_manager import TaskFinalized, TaskState
from eternal.chain.params import EAI
from eternal.chain.seals import digest_prefix
from tests.support.disputes import (
    Setup,
    agent_id,
    agent_stake,
    balance,
    by_position,
    commit_in_order,
    committee,
    everyone,
    expected_split,
    fraud_slash,
    opened,
    task_with_outputs,
    treasury_balance,
    verifier_stake,
    vote_and_resolve,
    winner_reward,
)
from tests.support.network import HONEST, WRONG, Network, digest_of

ZERO_ADDRESS = "0x" + "00" * 20
AGENT_STAKE = 100 * EAI


def test_mismatch_opens_a_dispute_without_challenger_or_bond(
    network: Network, exact: Setup
) -> None:
    task_id, _, last_reveal = task_with_outputs(network, exact.model_id, [HONEST, HONEST, WRONG])

    event = opened(last_reveal)
    assert (event.dispute_id, event.task_id, event.challenger, event.bond) == (
        1,
        task_id,
        ZERO_ADDRESS,
        0,
    )
    assert event.accused_index == 0  # the candidate winner: the first committer
    view = network.protocol.disputes.dispute(event.dispute_id)
    assert view.automatic
    assert view.committee_size == network.params.disputes.committee_size == len(event.committee)
    assert network.task(task_id).state == TaskState.DISPUTED


def test_committee_convicts_the_odd_agent_and_pays_the_first_honest_committer(
    network: Network, exact: Setup
) -> None:
    fee = network.protocol.registry.terms(exact.model_id).fee
    task_id, commits, last_reveal = task_with_outputs(
        network, exact.model_id, [HONEST, HONEST, WRONG]
    )
    dispute_id = opened(last_reveal).dispute_id
    first, second, cheat = (c.agent for c in commits)
    members = committee(network, dispute_id)
    member_stakes = [verifier_stake(network, m) for m in members]
    pool_before = network.protocol.agents.pool_size(exact.model_id)
    treasury_before = treasury_balance(network)

    result = vote_and_resolve(network, dispute_id, everyone(network, dispute_id, HONEST))

    slashed = fraud_slash(network, AGENT_STAKE)
    (resolved,) = events_of(result, DisputeResolved)
    # The accused (the candidate winner) was right: for the rules, that is an Innocent verdict.
    assert resolved.verdict == Verdict.INNOCENT
    assert resolved.majority_vote == digest_prefix(HONEST)
    assert resolved.slashed == slashed
    (convicted,) = events_of(result, FraudConvicted)
    assert (convicted.agent_id, convicted.slashed) == (agent_id(network, cheat), slashed)

    agents = network.protocol.agents
    assert agents.agent_info(cheat.address).stake == AGENT_STAKE - slashed
    assert agents.agent_info(cheat.address).status == AgentStatus.DEACTIVATED
    assert agents.pool_size(exact.model_id) == pool_before - 1
    for honest in (first, second):
        assert agents.agent_info(honest.address).stake == AGENT_STAKE
        assert agents.agent_info(honest.address).status == AgentStatus.ACTIVE

    (finalized,) = events_of(result, TaskFinalized)
    assert (finalized.winner_id, finalized.reward_to) == (agent_id(network, first), ZERO_ADDRESS)
    assert network.protocol.tasks.claimable(first.address) == winner_reward(network, task_id, fee)
    assert network.protocol.tasks.claimable(second.address) == 0
    assert network.protocol.tasks.claimable(cheat.address) == 0
    assert network.task(task_id).state == TaskState.FINALIZED

    split = expected_split(
        network, slashed=slashed, bond=0, innocent=True, has_challenger=False, voters=5
    )
    credited = {e.account: e.amount for e in events_of(result, DisputeCredited)}
    assert credited == {m.address: split.per_voter for m in members}  # nothing to a challenger
    assert treasury_balance(network) - treasury_before == split.treasury
    assert [verifier_stake(network, m) for m in members] == member_stakes
    assert network.protocol.disputes.dispute(dispute_id).verdict == Verdict.INNOCENT


def test_wrong_first_committer_is_convicted_and_the_first_honest_committer_wins(
    network: Network, exact: Setup
) -> None:
    fee = network.protocol.registry.terms(exact.model_id).fee
    task_id = network.submit(exact.model_id)
    # Index 0 commits the wrong digest first; index 2 commits before index 1.
    commits = commit_in_order(network, task_id, [WRONG, HONEST, HONEST], order=[0, 2, 1])
    last_reveal = network.reveal_all(task_id, commits)[-1]
    event = opened(last_reveal)
    assert event.accused_index == 0

    result = vote_and_resolve(
        network, event.dispute_id, everyone(network, event.dispute_id, HONEST)
    )

    cheat, later, earlier = (c.agent for c in commits)
    (resolved,) = events_of(result, DisputeResolved)
    assert resolved.verdict == Verdict.GUILTY
    assert resolved.majority_vote == digest_prefix(HONEST)
    (convicted,) = events_of(result, FraudConvicted)
    assert convicted.agent_id == agent_id(network, cheat)
    assert agent_stake(network, cheat) == AGENT_STAKE - fraud_slash(network, AGENT_STAKE)
    assert agent_stake(network, earlier) == agent_stake(network, later) == AGENT_STAKE
    (finalized,) = events_of(result, TaskFinalized)
    assert finalized.winner_id == agent_id(network, earlier)
    assert network.protocol.tasks.claimable(earlier.address) == winner_reward(network, task_id, fee)
    assert network.protocol.tasks.claimable(later.address) == 0
    assert network.protocol.tasks.claimable(cheat.address) == 0


def test_votes_are_counted_on_the_first_128_bits_of_the_digest(
    network: Network, exact: Setup
) -> None:
    _, commits, last_reveal = task_with_outputs(network, exact.model_id, [HONEST, HONEST, WRONG])
    dispute_id = opened(last_reveal).dispute_id
    members = committee(network, dispute_id)
    # Every member's vote has the honest digest's first half and its own second half.
    votes = [HONEST[:16] + bytes([i + 1]) * 16 for i in range(len(members))]

    result = vote_and_resolve(network, dispute_id, by_position(network, dispute_id, votes))

    revealed = network.protocol.disputes.logs(0, "latest", VoteRevealed)
    assert {e.vote for e in revealed} == {digest_prefix(HONEST)}
    (resolved,) = events_of(result, DisputeResolved)
    assert resolved.majority_vote == digest_prefix(HONEST)
    (convicted,) = events_of(result, FraudConvicted)
    assert convicted.agent_id == agent_id(network, commits[2].agent)


def test_majority_for_a_digest_nobody_revealed_convicts_every_agent_and_refunds(
    network: Network, exact: Setup
) -> None:
    user = network.users[0]
    before = balance(network, user.address)
    task_id, commits, last_reveal = task_with_outputs(
        network, exact.model_id, [HONEST, HONEST, WRONG]
    )
    dispute_id = opened(last_reveal).dispute_id
    third = digest_of(b"what the committee computed")

    result = vote_and_resolve(network, dispute_id, everyone(network, dispute_id, third))

    convicted = {e.agent_id for e in events_of(result, FraudConvicted)}
    assert convicted == {agent_id(network, c.agent) for c in commits}
    (resolved,) = events_of(result, DisputeResolved)
    assert resolved.slashed == 3 * fraud_slash(network, AGENT_STAKE)
    assert events_of(result, TaskFinalized) == ()
    assert network.task(task_id).state == TaskState.REFUNDED
    assert balance(network, user.address) == before


def test_split_committee_refunds_the_task_and_slashes_nobody(
    network: Network, exact: Setup
) -> None:
    user = network.users[0]
    before = balance(network, user.address)
    task_id, commits, last_reveal = task_with_outputs(
        network, exact.model_id, [HONEST, HONEST, WRONG]
    )
    dispute_id = opened(last_reveal).dispute_id
    treasury_before = treasury_balance(network)

    votes = [HONEST, HONEST, HONEST, WRONG, WRONG]  # 3 of 5: not more than two thirds
    result = vote_and_resolve(network, dispute_id, by_position(network, dispute_id, votes))

    (resolved,) = events_of(result, DisputeResolved)
    assert (resolved.verdict, resolved.majority_vote, resolved.slashed) == (
        Verdict.INCONCLUSIVE,
        bytes(32),
        0,
    )
    assert events_of(result, FraudConvicted) == ()
    assert events_of(result, DisputeCredited) == ()
    assert events_of(result, NonVoterPenalized) == ()
    assert network.task(task_id).state == TaskState.REFUNDED
    assert balance(network, user.address) == before
    assert treasury_balance(network) == treasury_before
    for c in commits:
        assert agent_stake(network, c.agent) == AGENT_STAKE


def test_tolerant_outputs_that_differ_are_accepted_without_dispute(
    network: Network, tolerant: Setup
) -> None:
    task_id, _, last_reveal = task_with_outputs(network, tolerant.model_id, [HONEST, HONEST, WRONG])

    assert events_of(last_reveal, DisputeOpened) == ()
    assert network.task(task_id).state == TaskState.ACCEPTED
