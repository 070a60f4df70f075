"""Every refused dispute move, with the exact error and values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from eternal.chain.bindings.dispute_manager import DisputeState
from eternal.chain.bindings.task_manager import TaskState
from eternal.chain.seals import VOTE_ACCEPT, VOTE_REJECT, new_salt, vote_seal
from eternal.errors import ContractError
from tests.support.disputes import (
    Setup,
    accepted_task,
    challenge,
    commit_votes,
    committee,
    everyone,
    opened,
    pass_vote_commit_window,
    pass_vote_reveal_window,
    resolve,
    reveal_votes,
    task_with_outputs,
    vote_all,
)
from tests.support.network import HONEST, WRONG, Network


def refused(move: Callable[[], Any]) -> ContractError:
    with pytest.raises(ContractError) as failure:
        move()
    return failure.value


@pytest.fixture
def challenged(network: Network, tolerant: Setup) -> tuple[int, int]:
    """A TOLERANT task, accepted and challenged by verifiers[0]: (task, dispute)."""
    task_id = accepted_task(network, tolerant.model_id)
    dispute_id, _ = challenge(network, network.verifiers[0], task_id, 0)
    return task_id, dispute_id


# ---------------------------------------------------------------------- challenge


def test_challenge_by_a_non_verifier_is_refused(network: Network, tolerant: Setup) -> None:
    task_id = accepted_task(network, tolerant.model_id)
    user = network.users[0]

    error = refused(lambda: network.protocol.disputes.challenge(user, task_id, 0))

    assert (error.name, dict(error.args)) == ("DisputeManagerNotVerifier", {"caller": user.address})


def test_challenge_by_an_unbonding_verifier_is_refused(network: Network, tolerant: Setup) -> None:
    task_id = accepted_task(network, tolerant.model_id)
    leaving = network.verifiers[0]
    network.protocol.verifiers.unstake(leaving)

    error = refused(lambda: network.protocol.disputes.challenge(leaving, task_id, 0))

    assert (error.name, dict(error.args)) == (
        "DisputeManagerNotVerifier",
        {"caller": leaving.address},
    )


def test_challenge_after_the_challenge_window_is_refused(network: Network, tolerant: Setup) -> None:
    task_id = accepted_task(network, tolerant.model_id)
    deadline = network.task(task_id).deadline
    network.pass_challenge_window()

    error = refused(lambda: network.protocol.disputes.challenge(network.verifiers[0], task_id, 0))

    assert (error.name, dict(error.args)) == (
        "TaskManagerChallengeClosed",
        {"taskId": task_id, "deadline": deadline},
    )


@pytest.mark.parametrize("index", [2, 5])
def test_challenge_of_an_unrevealed_index_is_refused(
    network: Network, tolerant: Setup, index: int
) -> None:
    task_id = network.submit(tolerant.model_id)
    commits = network.commit_all(task_id)
    network.reveal_all(task_id, commits[:2])  # index 2 never reveals
    network.pass_reveal_window()
    network.protocol.tasks.finalize(network.users[0], task_id)
    assert network.task(task_id).state == TaskState.ACCEPTED

    error = refused(
        lambda: network.protocol.disputes.challenge(network.verifiers[0], task_id, index)
    )

    assert (error.name, dict(error.args)) == (
        "TaskManagerNotRevealed",
        {"taskId": task_id, "index": index},
    )


def test_challenge_of_an_unknown_task_is_refused(network: Network, tolerant: Setup) -> None:
    error = refused(lambda: network.protocol.disputes.challenge(network.verifiers[0], 99, 0))

    assert (error.name, dict(error.args)) == ("TaskManagerUnknownTask", {"taskId": 99})


def test_challenge_of_a_task_still_committing_is_refused(network: Network, tolerant: Setup) -> None:
    task_id = network.submit(tolerant.model_id)

    error = refused(lambda: network.protocol.disputes.challenge(network.verifiers[0], task_id, 0))

    assert (error.name, dict(error.args)) == (
        "TaskManagerWrongState",
        {"taskId": task_id, "state": TaskState.COMMITTING},
    )


def test_challenge_of_a_finalized_task_is_refused(network: Network, tolerant: Setup) -> None:
    task_id = accepted_task(network, tolerant.model_id)
    network.pass_challenge_window()
    network.protocol.tasks.finalize(network.users[0], task_id)

    error = refused(lambda: network.protocol.disputes.challenge(network.verifiers[0], task_id, 0))

    assert (error.name, dict(error.args)) == (
        "TaskManagerWrongState",
        {"taskId": task_id, "state": TaskState.FINALIZED},
    )


def test_second_challenge_of_a_disputed_task_is_refused(
    network: Network, challenged: tuple[int, int]
) -> None:
    task_id, _ = challenged

    error = refused(lambda: network.protocol.disputes.challenge(network.verifiers[1], task_id, 1))

    assert (error.name, dict(error.args)) == (
        "TaskManagerWrongState",
        {"taskId": task_id, "state": TaskState.DISPUTED},
    )


def test_challenge_of_an_automatic_dispute_task_is_refused(network: Network, exact: Setup) -> None:
    task_id, _, _ = task_with_outputs(network, exact.model_id, [HONEST, HONEST, WRONG])

    error = refused(lambda: network.protocol.disputes.challenge(network.verifiers[0], task_id, 2))

    assert (error.name, dict(error.args)) == (
        "TaskManagerWrongState",
        {"taskId": task_id, "state": TaskState.DISPUTED},
    )


def test_open_automatic_is_only_for_the_task_manager(network: Network, exact: Setup) -> None:
    task_id = accepted_task(network, exact.model_id)
    caller = network.verifiers[0]

    error = refused(lambda: network.protocol.disputes.open_automatic(caller, task_id, 0))

    assert (error.name, dict(error.args)) == (
        "DisputeManagerUnauthorized",
        {"caller": caller.address},
    )


# ---------------------------------------------------------------------- votes


def test_vote_by_a_non_member_is_refused(network: Network, challenged: tuple[int, int]) -> None:
    _, dispute_id = challenged
    challenger = network.verifiers[0]  # never on its own committee
    seal = vote_seal(dispute_id, challenger.address, VOTE_ACCEPT, new_salt())

    error = refused(lambda: network.protocol.disputes.commit_vote(challenger, dispute_id, seal))

    assert (error.name, dict(error.args)) == (
        "DisputeManagerNotMember",
        {"disputeId": dispute_id, "caller": challenger.address},
    )


def test_vote_by_a_stranger_is_refused(network: Network, challenged: tuple[int, int]) -> None:
    _, dispute_id = challenged
    stranger = network.users[1]

    error = refused(lambda: network.protocol.disputes.commit_vote(stranger, dispute_id, bytes(32)))

    assert (error.name, dict(error.args)) == (
        "DisputeManagerNotMember",
        {"disputeId": dispute_id, "caller": stranger.address},
    )


def test_vote_on_an_unknown_dispute_is_refused(
    network: Network, challenged: tuple[int, int]
) -> None:
    member = network.verifiers[1]

    error = refused(lambda: network.protocol.disputes.commit_vote(member, 99, bytes(32)))

    assert (error.name, dict(error.args)) == ("DisputeManagerUnknownDispute", {"disputeId": 99})


def test_second_commit_is_refused(network: Network, challenged: tuple[int, int]) -> None:
    _, dispute_id = challenged
    member = committee(network, dispute_id)[0]
    commit_votes(network, dispute_id, {member.address: VOTE_REJECT})
    seal = vote_seal(dispute_id, member.address, VOTE_ACCEPT, new_salt())

    error = refused(lambda: network.protocol.disputes.commit_vote(member, dispute_id, seal))

    assert (error.name, dict(error.args)) == (
        "DisputeManagerAlreadyCommitted",
        {"disputeId": dispute_id, "member": member.address},
    )


def test_commit_once_everyone_committed_is_refused(
    network: Network, challenged: tuple[int, int]
) -> None:
    _, dispute_id = challenged
    commit_votes(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))
    member = committee(network, dispute_id)[0]

    error = refused(lambda: network.protocol.disputes.commit_vote(member, dispute_id, bytes(32)))

    assert (error.name, dict(error.args)) == (
        "DisputeManagerWrongState",
        {"disputeId": dispute_id, "state": DisputeState.REVEALING},
    )


def test_commit_after_the_commit_deadline_is_refused(
    network: Network, challenged: tuple[int, int]
) -> None:
    _, dispute_id = challenged
    deadline = network.protocol.disputes.dispute(dispute_id).deadline
    member = committee(network, dispute_id)[0]
    pass_vote_commit_window(network)

    error = refused(lambda: network.protocol.disputes.commit_vote(member, dispute_id, bytes(32)))

    assert (error.name, dict(error.args)) == (
        "DisputeManagerPhaseClosed",
        {"disputeId": dispute_id, "deadline": deadline},
    )


def test_reveal_before_the_reveal_phase_is_refused(
    network: Network, challenged: tuple[int, int]
) -> None:
    _, dispute_id = challenged
    commit_deadline = network.protocol.disputes.dispute(dispute_id).deadline
    member = committee(network, dispute_id)[0]
    (ballot,) = commit_votes(network, dispute_id, {member.address: VOTE_REJECT})

    error = refused(
        lambda: network.protocol.disputes.reveal_vote(member, dispute_id, ballot.vote, ballot.salt)
    )

    assert (error.name, dict(error.args)) == (
        "DisputeManagerNotDue",
        {"disputeId": dispute_id, "readyAt": commit_deadline + 1},
    )


def test_reveal_with_a_wrong_salt_is_refused(network: Network, challenged: tuple[int, int]) -> None:
    _, dispute_id = challenged
    ballots = commit_votes(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))
    member = ballots[0].member

    error = refused(
        lambda: network.protocol.disputes.reveal_vote(member, dispute_id, VOTE_REJECT, new_salt())
    )

    assert (error.name, dict(error.args)) == (
        "DisputeManagerSealMismatch",
        {"disputeId": dispute_id, "member": member.address},
    )


def test_reveal_of_another_vote_than_committed_is_refused(
    network: Network, challenged: tuple[int, int]
) -> None:
    _, dispute_id = challenged
    ballots = commit_votes(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))
    b = ballots[0]

    error = refused(
        lambda: network.protocol.disputes.reveal_vote(b.member, dispute_id, VOTE_ACCEPT, b.salt)
    )

    assert error.name == "DisputeManagerSealMismatch"


@pytest.mark.parametrize("vote", [bytes(32), (3).to_bytes(32, "big"), HONEST])
def test_tolerant_vote_other_than_accept_or_reject_is_refused(
    network: Network, challenged: tuple[int, int], vote: bytes
) -> None:
    _, dispute_id = challenged
    ballots = commit_votes(network, dispute_id, everyone(network, dispute_id, vote))
    b = ballots[0]

    error = refused(
        lambda: network.protocol.disputes.reveal_vote(b.member, dispute_id, b.vote, b.salt)
    )

    assert (error.name, dict(error.args)) == ("DisputeManagerInvalidVote", {"vote": vote})


def test_zero_exact_vote_is_refused(network: Network, exact: Setup) -> None:
    _, _, last_reveal = task_with_outputs(network, exact.model_id, [HONEST, HONEST, WRONG])
    dispute_id = opened(last_reveal).dispute_id
    ballots = commit_votes(network, dispute_id, everyone(network, dispute_id, bytes(32)))
    b = ballots[0]

    error = refused(
        lambda: network.protocol.disputes.reveal_vote(b.member, dispute_id, b.vote, b.salt)
    )

    assert (error.name, dict(error.args)) == ("DisputeManagerInvalidVote", {"vote": bytes(32)})


def test_exact_vote_without_its_first_128_bits_is_refused(network: Network, exact: Setup) -> None:
    # The chain compares digests on their first 128 bits: a vote whose first half is zero is the
    # zero digest there, which no output can have.
    _, _, last_reveal = task_with_outputs(network, exact.model_id, [HONEST, HONEST, WRONG])
    dispute_id = opened(last_reveal).dispute_id
    vote = bytes(16) + HONEST[16:]
    ballots = commit_votes(network, dispute_id, everyone(network, dispute_id, vote))
    b = ballots[0]

    error = refused(
        lambda: network.protocol.disputes.reveal_vote(b.member, dispute_id, b.vote, b.salt)
    )

    assert (error.name, dict(error.args)) == ("DisputeManagerInvalidVote", {"vote": vote})


def test_reveal_without_a_commit_is_refused(network: Network, challenged: tuple[int, int]) -> None:
    _, dispute_id = challenged
    members = committee(network, dispute_id)
    commit_votes(network, dispute_id, {m.address: VOTE_REJECT for m in members[:4]})
    pass_vote_commit_window(network)
    silent = members[4]

    error = refused(
        lambda: network.protocol.disputes.reveal_vote(silent, dispute_id, VOTE_REJECT, new_salt())
    )

    assert (error.name, dict(error.args)) == (
        "DisputeManagerNothingToReveal",
        {"disputeId": dispute_id, "member": silent.address},
    )


def test_second_reveal_is_refused(network: Network, challenged: tuple[int, int]) -> None:
    _, dispute_id = challenged
    ballots = commit_votes(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))
    b = ballots[0]
    reveal_votes(network, dispute_id, [b])

    error = refused(
        lambda: network.protocol.disputes.reveal_vote(b.member, dispute_id, b.vote, b.salt)
    )

    assert (error.name, dict(error.args)) == (
        "DisputeManagerNothingToReveal",
        {"disputeId": dispute_id, "member": b.member.address},
    )


def test_reveal_after_the_reveal_deadline_is_refused(
    network: Network, challenged: tuple[int, int]
) -> None:
    _, dispute_id = challenged
    ballots = commit_votes(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))
    reveal_deadline = network.protocol.disputes.dispute(dispute_id).deadline
    pass_vote_reveal_window(network)
    b = ballots[0]

    error = refused(
        lambda: network.protocol.disputes.reveal_vote(b.member, dispute_id, b.vote, b.salt)
    )

    assert (error.name, dict(error.args)) == (
        "DisputeManagerPhaseClosed",
        {"disputeId": dispute_id, "deadline": reveal_deadline},
    )


# ---------------------------------------------------------------------- resolve and claim


def test_resolve_while_committing_is_refused(network: Network, challenged: tuple[int, int]) -> None:
    _, dispute_id = challenged
    commit_deadline = network.protocol.disputes.dispute(dispute_id).deadline

    error = refused(lambda: resolve(network, dispute_id))

    assert (error.name, dict(error.args)) == (
        "DisputeManagerNotDue",
        {"disputeId": dispute_id, "readyAt": commit_deadline + 1},
    )


def test_resolve_before_every_committed_vote_is_revealed_is_refused(
    network: Network, challenged: tuple[int, int]
) -> None:
    _, dispute_id = challenged
    ballots = commit_votes(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))
    reveal_votes(network, dispute_id, ballots[:4])
    reveal_deadline = network.protocol.disputes.dispute(dispute_id).deadline

    error = refused(lambda: resolve(network, dispute_id))

    assert (error.name, dict(error.args)) == (
        "DisputeManagerNotDue",
        {"disputeId": dispute_id, "readyAt": reveal_deadline + 1},
    )


def test_second_resolve_is_refused(network: Network, challenged: tuple[int, int]) -> None:
    _, dispute_id = challenged
    vote_all(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))
    resolve(network, dispute_id)

    error = refused(lambda: resolve(network, dispute_id))

    assert (error.name, dict(error.args)) == (
        "DisputeManagerWrongState",
        {"disputeId": dispute_id, "state": DisputeState.RESOLVED},
    )


def test_claim_with_nothing_owed_is_refused(network: Network) -> None:
    verifier = network.verifiers[0]

    error = refused(lambda: network.protocol.disputes.claim(verifier))

    assert (error.name, dict(error.args)) == (
        "DisputeManagerNothingToClaim",
        {"account": verifier.address},
    )
