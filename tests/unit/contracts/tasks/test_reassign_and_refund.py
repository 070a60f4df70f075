"""When nobody revealed: one reassignment to fresh agents, then a full refund. And the refund of
a mismatch that no committee can judge (fewer than three verifiers staked)."""

from __future__ import annotations

from eternal.chain import TxResult
from eternal.chain.bindings.task_manager import (
    TaskAccepted,
    TaskAssigned,
    TaskDisputed,
    TaskMissed,
    TaskRefunded,
    TaskState,
)
from tests.support.network import HONEST, WRONG, Network
from tests.unit.contracts.tasks.helpers import FEE, block_time, commit, of_type, reverts


def _let_commit_window_lapse(network: Network, task_id: int) -> TxResult:
    """Nobody commits: after the commit deadline anyone resolves the task."""
    network.pass_commit_window()
    return network.protocol.tasks.finalize(network.users[1], task_id)


def test_nobody_revealing_reassigns_the_task_to_fresh_agents(network: Network) -> None:
    model = network.register_model(redundancy=3)
    network.stake_agents(model, 6)
    task_id = network.submit(model)
    first = network.task(task_id).agent_ids

    result = _let_commit_window_lapse(network, task_id)

    events = network.protocol.tasks.events(result)
    assert [e.agent_id for e in of_type(events, TaskMissed)] == list(first)
    (assigned,) = of_type(events, TaskAssigned)
    assert (assigned.task_id, assigned.attempt) == (task_id, 1)
    assert len(assigned.agent_ids) == 3
    assert not set(assigned.agent_ids) & set(first)
    deadline = block_time(network, result) + network.params.tasks.commit_window
    assert assigned.commit_deadline == deadline
    task = network.task(task_id)
    assert (task.state, task.attempt, task.escrow) == (TaskState.COMMITTING, 1, FEE)
    assert (task.agent_ids, task.deadline, task.commit_count) == (assigned.agent_ids, deadline, 0)
    assert of_type(events, TaskRefunded) == []


def test_a_reassigned_task_can_be_accepted(network: Network) -> None:
    model = network.register_model(redundancy=3)
    network.stake_agents(model, 6)
    task_id = network.submit(model)
    _let_commit_window_lapse(network, task_id)

    results = network.reveal_all(task_id, commit(network, task_id))

    (accepted,) = of_type(network.protocol.tasks.events(results[-1]), TaskAccepted)
    assert accepted.winner_id == network.task(task_id).agent_ids[0]
    assert network.task(task_id).state == TaskState.ACCEPTED


def test_committed_but_unrevealed_task_is_reassigned_after_the_reveal_window(
    network: Network,
) -> None:
    model = network.register_model(redundancy=3)
    network.stake_agents(model, 6)
    task_id = network.submit(model)
    commit(network, task_id)
    network.pass_reveal_window()

    result = network.protocol.tasks.finalize(network.users[1], task_id)

    events = network.protocol.tasks.events(result)
    assert len(of_type(events, TaskMissed)) == 3
    (assigned,) = of_type(events, TaskAssigned)
    assert assigned.attempt == 1
    assert network.task(task_id).state == TaskState.COMMITTING


def test_second_failure_refunds_the_user_in_full(network: Network) -> None:
    token, tasks, user = network.protocol.token, network.protocol.tasks, network.users[0]
    model = network.register_model(redundancy=3)
    network.stake_agents(model, 6)
    before = token.balance_of(user.address)
    task_id = network.submit(model)
    _let_commit_window_lapse(network, task_id)
    second = network.task(task_id).agent_ids

    result = _let_commit_window_lapse(network, task_id)

    events = tasks.events(result)
    assert [e.agent_id for e in of_type(events, TaskMissed)] == list(second)
    assert of_type(events, TaskAssigned) == []
    (refunded,) = of_type(events, TaskRefunded)
    assert (refunded.task_id, refunded.user, refunded.amount) == (task_id, user.address, FEE)
    assert token.balance_of(user.address) == before
    task = network.task(task_id)
    assert (task.state, task.escrow) == (TaskState.REFUNDED, 0)
    assert network.protocol.agents.pool_size(model) == 0
    assert network.supply_is_conserved()


def test_reassign_with_no_agent_left_refunds_at_once(network: Network, model: int) -> None:
    token, tasks, user = network.protocol.token, network.protocol.tasks, network.users[0]
    before = token.balance_of(user.address)
    task_id = network.submit(model)

    result = _let_commit_window_lapse(network, task_id)

    events = tasks.events(result)
    assert len(of_type(events, TaskMissed)) == 3
    assert of_type(events, TaskAssigned) == []
    (refunded,) = of_type(events, TaskRefunded)
    assert (refunded.user, refunded.amount) == (user.address, FEE)
    assert token.balance_of(user.address) == before
    assert network.task(task_id).state == TaskState.REFUNDED
    assert network.supply_is_conserved()


def test_reassign_takes_whoever_is_left_when_fewer_than_k(network: Network) -> None:
    model = network.register_model(redundancy=3)
    staked = network.stake_agents(model, 4)
    task_id = network.submit(model)
    first = set(network.task(task_id).agent_ids)
    (spare,) = [a for a in staked if network.protocol.agents.id_of(a.address) not in first]

    result = _let_commit_window_lapse(network, task_id)

    (assigned,) = of_type(network.protocol.tasks.events(result), TaskAssigned)
    assert assigned.agent_ids == (network.protocol.agents.id_of(spare.address),)
    assert network.task(task_id).k == 1


def test_a_refunded_task_cannot_be_paid_out(network: Network, model: int) -> None:
    task_id = network.submit(model)
    _let_commit_window_lapse(network, task_id)
    with reverts("TaskManagerWrongState", taskId=task_id, state=TaskState.REFUNDED):
        network.protocol.tasks.finalize(network.users[1], task_id)


# ------------------------------------------------------------------------------ no committee


def test_mismatch_without_a_committee_refunds_the_user(network: Network, model: int) -> None:
    token, tasks, user = network.protocol.token, network.protocol.tasks, network.users[0]
    before = token.balance_of(user.address)
    task_id = network.submit(model)

    results = network.reveal_all(task_id, commit(network, task_id, digests=[HONEST, HONEST, WRONG]))

    events = tasks.events(results[-1])
    (refunded,) = of_type(events, TaskRefunded)
    assert (refunded.task_id, refunded.user, refunded.amount) == (task_id, user.address, FEE)
    assert of_type(events, TaskDisputed) == []
    assert of_type(events, TaskAccepted) == []
    assert token.balance_of(user.address) == before
    task = network.task(task_id)
    assert (task.state, task.escrow, task.mismatch) == (TaskState.REFUNDED, 0, True)
    assert network.protocol.disputes.dispute_count() == 0
    assert network.supply_is_conserved()


def test_mismatch_refund_penalizes_nobody_who_revealed(network: Network, model: int) -> None:
    agents = network.protocol.agents
    task_id = network.submit(model)
    assigned = network.assigned(task_id)
    stakes = [agents.agent_info(a.address).stake for a in assigned]

    results = network.reveal_all(task_id, commit(network, task_id, digests=[WRONG, HONEST, HONEST]))

    assert of_type(network.protocol.tasks.events(results[-1]), TaskMissed) == []
    assert [agents.agent_info(a.address).stake for a in assigned] == stakes
    assert agents.pool_size(model) == 3


def test_mismatch_with_two_verifiers_staked_is_refunded_too(network: Network, model: int) -> None:
    network.stake_verifiers(2)
    task_id = network.submit(model)

    network.reveal_all(task_id, commit(network, task_id, digests=[HONEST, WRONG, HONEST]))

    assert network.task(task_id).state == TaskState.REFUNDED
    assert network.supply_is_conserved()


def test_a_reassigned_task_shows_no_seal_of_the_previous_agents(network: Network) -> None:
    # `commitment(taskId, index)` is agent index `index`'s seal: after a reassignment the new
    # agent at that index has not committed anything yet.
    tasks = network.protocol.tasks
    model = network.register_model(redundancy=3)
    network.stake_agents(model, 6)
    task_id = network.submit(model)
    commit(network, task_id)
    network.pass_reveal_window()
    tasks.finalize(network.users[1], task_id)
    assert network.task(task_id).attempt == 1

    assert [tasks.commitment(task_id, index) for index in range(3)] == [bytes(32)] * 3
