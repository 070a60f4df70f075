"""Committing sealed outputs: who may commit, when, once, and in which order."""

from __future__ import annotations

from eternal.chain.bindings.task_manager import TaskCommitted, TaskState
from eternal.chain.seals import new_salt, task_seal
from tests.support.network import HONEST, Network
from tests.unit.contracts.tasks.helpers import block_time, commit, of_type, reverts


def _seal(task_id: int, agent_address: str) -> bytes:
    return task_seal(task_id, agent_address, HONEST, new_salt())


def test_commit_stores_the_first_128_bits_of_the_seal(network: Network, model: int) -> None:
    task_id = network.submit(model)
    agent = network.assigned(task_id)[1]
    seal = _seal(task_id, agent.address)

    network.protocol.tasks.commit(agent, task_id, 1, seal)

    assert network.protocol.tasks.commitment(task_id, 1) == seal[:16] + bytes(16)
    assert network.protocol.tasks.commitment(task_id, 0) == bytes(32)
    task = network.task(task_id)
    assert (task.commit_count, task.committed_mask) == (1, 0b010)


def test_commit_order_is_recorded(network: Network, model: int) -> None:
    task_id = network.submit(model)
    ids, assigned = network.task(task_id).agent_ids, network.assigned(task_id)
    tasks = network.protocol.tasks

    results = [
        tasks.commit(assigned[i], task_id, i, _seal(task_id, assigned[i].address))
        for i in (2, 0, 1)
    ]

    assert network.task(task_id).commit_order == (2, 0, 1)
    committed = [of_type(tasks.events(result), TaskCommitted)[0] for result in results]
    assert [(e.task_id, e.agent_id, e.order) for e in committed] == [
        (task_id, ids[2], 0),
        (task_id, ids[0], 1),
        (task_id, ids[1], 2),
    ]


def test_reveal_phase_opens_when_all_agents_committed(network: Network, model: int) -> None:
    task_id = network.submit(model)
    commit(network, task_id, 0, 1)
    assert network.task(task_id).state == TaskState.COMMITTING

    agent = network.assigned(task_id)[2]
    result = network.protocol.tasks.commit(agent, task_id, 2, _seal(task_id, agent.address))

    task = network.task(task_id)
    assert task.state == TaskState.REVEALING
    assert task.deadline == block_time(network, result) + network.params.tasks.reveal_window


def test_commit_with_another_agents_index_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    agent = network.assigned(task_id)[0]
    with reverts("TaskManagerWrongIndex", taskId=task_id, index=1, agent=agent.address):
        network.protocol.tasks.commit(agent, task_id, 1, _seal(task_id, agent.address))


def test_commit_with_an_index_beyond_k_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    agent = network.assigned(task_id)[0]
    with reverts("TaskManagerWrongIndex", taskId=task_id, index=3, agent=agent.address):
        network.protocol.tasks.commit(agent, task_id, 3, _seal(task_id, agent.address))


def test_commit_by_a_pooled_agent_not_assigned_is_rejected(network: Network, model: int) -> None:
    spare = network.stake_agents(model, 1, start=3)[0]
    network.protocol.agents.unstake(spare)  # out of the pool, so the draw cannot pick it
    task_id = network.submit(model)
    with reverts("TaskManagerNotAssigned", taskId=task_id, agent=spare.address):
        network.protocol.tasks.commit(spare, task_id, 0, _seal(task_id, spare.address))


def test_commit_by_an_address_that_never_staked_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    stranger = network.users[1]
    with reverts("TaskManagerNotAssigned", taskId=task_id, agent=stranger.address):
        network.protocol.tasks.commit(stranger, task_id, 0, _seal(task_id, stranger.address))


def test_commit_twice_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    (first,) = commit(network, task_id, 0)
    with reverts("TaskManagerAlreadyCommitted", taskId=task_id, agent=first.agent.address):
        network.protocol.tasks.commit(first.agent, task_id, 0, _seal(task_id, first.agent.address))
    assert network.task(task_id).commit_order == (0,)


def test_commit_after_deadline_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    deadline = network.task(task_id).deadline
    network.pass_commit_window()
    agent = network.assigned(task_id)[0]
    with reverts("TaskManagerCommitClosed", taskId=task_id, deadline=deadline):
        network.protocol.tasks.commit(agent, task_id, 0, _seal(task_id, agent.address))


def test_commit_once_reveals_opened_is_rejected(network: Network, model: int) -> None:
    # All three committed: the task is Revealing, so even a fresh seal is refused on state.
    task_id = network.submit(model)
    commitments = commit(network, task_id)
    agent = commitments[0].agent
    with reverts("TaskManagerWrongState", taskId=task_id, state=TaskState.REVEALING):
        network.protocol.tasks.commit(agent, task_id, 0, _seal(task_id, agent.address))


def test_commit_to_an_accepted_task_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    network.reveal_all(task_id, commit(network, task_id))
    agent = network.assigned(task_id)[0]
    with reverts("TaskManagerWrongState", taskId=task_id, state=TaskState.ACCEPTED):
        network.protocol.tasks.commit(agent, task_id, 0, _seal(task_id, agent.address))


def test_commit_to_an_unknown_task_is_rejected(network: Network, model: int) -> None:
    agent = network.agents[0]
    with reverts("TaskManagerUnknownTask", taskId=7):
        network.protocol.tasks.commit(agent, 7, 0, _seal(7, agent.address))
