"""The vote's two phases: commits until everyone committed or the commit deadline passed, then
reveals until everyone who committed revealed or the reveal deadline passed."""

from __future__ import annotations

from eternal.chain.bindings.dispute_manager import DisputeState
from eternal.chain.seals import VOTE_REJECT
from tests.support.disputes import (
    Setup,
    accepted_task,
    by_position,
    challenge,
    commit_votes,
    everyone,
    pass_vote_commit_window,
    resolve,
    reveal_votes,
)
from tests.support.network import Network


def _challenged(network: Network, setup: Setup) -> int:
    task_id = accepted_task(network, setup.model_id)
    dispute_id, _ = challenge(network, network.verifiers[0], task_id, 0)
    return dispute_id


def test_last_commit_opens_the_reveal_phase_at_once(network: Network, tolerant: Setup) -> None:
    dispute_id = _challenged(network, tolerant)
    disputes = network.protocol.disputes
    commit_deadline = disputes.dispute(dispute_id).deadline

    commit_votes(network, dispute_id, everyone(network, dispute_id, VOTE_REJECT))

    view = disputes.dispute(dispute_id)
    assert view.state == DisputeState.REVEALING
    assert view.commits == view.committee_size
    now = network.chain.latest_timestamp()
    assert view.deadline == now + network.params.disputes.vote_reveal_window
    assert view.deadline < commit_deadline + network.params.disputes.vote_reveal_window


def test_commit_deadline_opens_the_reveal_phase_for_those_who_committed(
    network: Network, tolerant: Setup
) -> None:
    dispute_id = _challenged(network, tolerant)
    disputes = network.protocol.disputes
    commit_deadline = disputes.dispute(dispute_id).deadline
    ballots = commit_votes(
        network, dispute_id, by_position(network, dispute_id, [VOTE_REJECT] * 3 + [None] * 2)
    )
    assert disputes.dispute(dispute_id).state == DisputeState.COMMITTING

    pass_vote_commit_window(network)

    view = disputes.dispute(dispute_id)
    assert view.state == DisputeState.REVEALING
    assert view.deadline == commit_deadline + network.params.disputes.vote_reveal_window
    reveal_votes(network, dispute_id, ballots)
    # Every committed vote is revealed: no need to wait for the reveal deadline.
    resolve(network, dispute_id)
    view = disputes.dispute(dispute_id)
    assert (view.state, view.commits, view.reveals) == (DisputeState.RESOLVED, 3, 3)
