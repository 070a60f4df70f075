"""Revealing: opening one's own seal, within the reveal phase, once; and who becomes the winner."""

from __future__ import annotations

from eternal.chain.bindings.task_manager import (
    TaskAccepted,
    TaskMissed,
    TaskRevealed,
    TaskState,
)
from eternal.chain.seals import digest_prefix, new_salt
from tests.support.network import HONEST, WRONG, Network
from tests.unit.contracts.tasks.helpers import block_time, commit, of_type, reverts


def test_reveal_publishes_the_output_and_stores_the_digest_prefix(
    network: Network, model: int
) -> None:
    task_id = network.submit(model)
    commitments = commit(network, task_id)
    tasks, c = network.protocol.tasks, commitments[1]

    result = network.reveal(task_id, c, uri="ipfs://bafkreioutput")

    (revealed,) = of_type(tasks.events(result), TaskRevealed)
    agent_id = network.task(task_id).agent_ids[1]
    assert (revealed.task_id, revealed.agent_id) == (task_id, agent_id)
    assert (revealed.digest, revealed.salt, revealed.output_uri) == (
        HONEST,
        c.salt,
        "ipfs://bafkreioutput",
    )
    assert tasks.commitment(task_id, 1) == digest_prefix(HONEST)
    task = network.task(task_id)
    assert (task.state, task.revealed_mask) == (TaskState.REVEALING, 0b010)


def test_reveal_before_reveals_open_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    c, _ = commit(network, task_id, 0, 1)
    commit_deadline = network.task(task_id).deadline
    with reverts("TaskManagerRevealNotOpen", taskId=task_id, opensAt=commit_deadline + 1):
        network.reveal(task_id, c)


def test_reveal_with_another_salt_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    c = commit(network, task_id)[0]
    with reverts("TaskManagerSealMismatch", taskId=task_id, agent=c.agent.address):
        network.protocol.tasks.reveal(c.agent, task_id, 0, c.digest, new_salt(), "ipfs://x")


def test_reveal_with_another_digest_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    c = commit(network, task_id)[0]
    with reverts("TaskManagerSealMismatch", taskId=task_id, agent=c.agent.address):
        network.protocol.tasks.reveal(c.agent, task_id, 0, WRONG, c.salt, "ipfs://x")


def test_copying_another_agents_seal_cannot_be_revealed(network: Network, model: int) -> None:
    # Agent 1 copies agent 0's seal, then replays agent 0's published digest and salt: the
    # seal binds agent 0's address, so it does not open for agent 1.
    tasks = network.protocol.tasks
    task_id = network.submit(model)
    (honest,) = commit(network, task_id, 0)
    copier = network.assigned(task_id)[1]
    tasks.commit(copier, task_id, 1, tasks.commitment(task_id, 0))
    commit(network, task_id, 2)
    network.reveal(task_id, honest)

    with reverts("TaskManagerSealMismatch", taskId=task_id, agent=copier.address):
        tasks.reveal(copier, task_id, 1, honest.digest, honest.salt, "ipfs://copied")


def test_revealing_at_another_agents_index_is_rejected(network: Network, model: int) -> None:
    # Agent 1 presents agent 0's digest and salt at agent 0's index: still agent 0's seal.
    tasks = network.protocol.tasks
    task_id = network.submit(model)
    commitments = commit(network, task_id)
    intruder = commitments[1].agent
    with reverts("TaskManagerSealMismatch", taskId=task_id, agent=intruder.address):
        tasks.reveal(intruder, task_id, 0, commitments[0].digest, commitments[0].salt, "x")
    assert network.task(task_id).revealed_mask == 0


def test_reveal_without_commit_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    commit(network, task_id, 0, 1)
    network.pass_commit_window()
    late = network.assigned(task_id)[2]
    with reverts("TaskManagerNotCommitted", taskId=task_id, agent=late.address):
        network.protocol.tasks.reveal(late, task_id, 2, HONEST, new_salt(), "ipfs://x")


def test_reveal_twice_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    c = commit(network, task_id)[0]
    network.reveal(task_id, c)
    with reverts("TaskManagerAlreadyRevealed", taskId=task_id, agent=c.agent.address):
        network.reveal(task_id, c)


def test_reveal_after_deadline_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    c = commit(network, task_id)[0]
    reveal_deadline = network.task(task_id).deadline
    network.pass_reveal_window()
    with reverts("TaskManagerRevealClosed", taskId=task_id, deadline=reveal_deadline):
        network.reveal(task_id, c)


def test_reveal_after_partial_commits_closes_a_reveal_window_after_the_commit_deadline(
    network: Network, model: int
) -> None:
    task_id = network.submit(model)
    (c,) = commit(network, task_id, 0)
    commit_deadline = network.task(task_id).deadline
    network.pass_commit_window()
    network.pass_reveal_window()
    reveal_deadline = commit_deadline + network.params.tasks.reveal_window
    with reverts("TaskManagerRevealClosed", taskId=task_id, deadline=reveal_deadline):
        network.reveal(task_id, c)


def test_reveal_to_an_accepted_task_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    commitments = commit(network, task_id)
    network.reveal_all(task_id, commitments)
    with reverts("TaskManagerWrongState", taskId=task_id, state=TaskState.ACCEPTED):
        network.reveal(task_id, commitments[0])


def test_reveal_to_an_unknown_task_is_rejected(network: Network, model: int) -> None:
    with reverts("TaskManagerUnknownTask", taskId=5):
        network.protocol.tasks.reveal(network.agents[0], 5, 0, HONEST, new_salt(), "ipfs://x")


def test_partial_commits_reveal_after_the_commit_deadline_and_resolve(
    network: Network, model: int
) -> None:
    task_id = network.submit(model)
    ids = network.task(task_id).agent_ids
    committed = commit(network, task_id, 0, 1)
    network.pass_commit_window()

    network.reveal(task_id, committed[0])
    assert network.task(task_id).state == TaskState.REVEALING
    last = network.reveal(task_id, committed[1])

    events = network.protocol.tasks.events(last)
    assert [e.agent_id for e in of_type(events, TaskMissed)] == [ids[2]]
    (accepted,) = of_type(events, TaskAccepted)
    assert accepted.winner_id == ids[0]
    assert network.task(task_id).state == TaskState.ACCEPTED


def test_first_committer_wins_even_when_it_reveals_last(network: Network, model: int) -> None:
    task_id = network.submit(model)
    ids, assigned = network.task(task_id).agent_ids, network.assigned(task_id)
    # Index 1 commits first, then 2, then 0; reveals come in the opposite order.
    commitments = {c.index: c for c in commit(network, task_id, 1, 2, 0)}
    network.reveal(task_id, commitments[0])
    network.reveal(task_id, commitments[2])
    last = network.reveal(task_id, commitments[1])

    (accepted,) = of_type(network.protocol.tasks.events(last), TaskAccepted)
    assert (accepted.task_id, accepted.winner_id) == (task_id, ids[1])
    assert accepted.digest == digest_prefix(HONEST)
    assert accepted.challenge_deadline == (
        block_time(network, last) + network.params.tasks.challenge_window
    )
    assert network.task(task_id).winner_index == 1
    assert assigned[1].address == network.agent_by_id(accepted.winner_id).address


def test_earliest_committer_that_revealed_wins_when_the_first_does_not_reveal(
    network: Network, model: int
) -> None:
    task_id = network.submit(model)
    ids = network.task(task_id).agent_ids
    commitments = {c.index: c for c in commit(network, task_id, 0, 2, 1)}
    network.reveal(task_id, commitments[1])
    network.reveal(task_id, commitments[2])
    network.pass_reveal_window()

    result = network.protocol.tasks.finalize(network.users[1], task_id)

    (accepted,) = of_type(network.protocol.tasks.events(result), TaskAccepted)
    assert accepted.winner_id == ids[2]
    assert network.task(task_id).winner_index == 2
