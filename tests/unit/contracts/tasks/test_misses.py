"""Missed deadlines: an assigned agent that did not commit, or committed and did not reveal, is
slashed a little and leaves the pool for `penaltyDuration`; honest revealers are untouched."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from eth_account.signers.local import LocalAccount

from eternal.chain import TxResult
from eternal.chain.bindings.agent_staking import AgentPenalized, AgentStatus
from eternal.chain.bindings.task_manager import TaskAccepted, TaskMissed, TaskState
from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.tasks.helpers import block_time, commit, of_type, reverts

STAKE = 200 * EAI  # what the `model` fixture stakes
MISS_SLASH = STAKE * 100 // 10_000  # missSlashBps 100


@dataclass
class Missed:
    """Task `task_id` resolved by `result`: index 0 revealed, index 1 committed and did not
    reveal, index 2 did not commit."""

    task_id: int
    result: TxResult
    honest: LocalAccount
    silent: LocalAccount
    absent: LocalAccount
    ids: tuple[int, ...]
    treasury_before: int


@pytest.fixture
def missed(network: Network, model: int) -> Missed:
    task_id = network.submit(model)
    honest, silent, absent = network.assigned(task_id)
    revealed, _ = commit(network, task_id, 0, 1)
    network.pass_commit_window()
    network.reveal(task_id, revealed)
    network.pass_reveal_window()
    treasury = network.protocol.treasury.address
    treasury_before = network.protocol.token.balance_of(treasury)
    result = network.protocol.tasks.finalize(network.users[1], task_id)
    return Missed(
        task_id=task_id,
        result=result,
        honest=honest,
        silent=silent,
        absent=absent,
        ids=network.task(task_id).agent_ids,
        treasury_before=treasury_before,
    )


def test_missed_agents_are_reported_in_index_order(network: Network, missed: Missed) -> None:
    events = of_type(network.protocol.tasks.events(missed.result), TaskMissed)
    assert [(e.task_id, e.agent_id) for e in events] == [
        (missed.task_id, missed.ids[1]),
        (missed.task_id, missed.ids[2]),
    ]


def test_agent_that_committed_but_did_not_reveal_is_penalized(
    network: Network, missed: Missed
) -> None:
    agents = network.protocol.agents
    info = agents.agent_info(missed.silent.address)
    until = block_time(network, missed.result) + network.params.agents.penalty_duration
    assert (info.stake, info.status, info.until) == (
        STAKE - MISS_SLASH,
        AgentStatus.PENALIZED,
        until,
    )
    (penalized,) = [
        e for e in of_type(agents.events(missed.result), AgentPenalized) if e.id == missed.ids[1]
    ]
    assert (penalized.agent, penalized.slashed, penalized.until) == (
        missed.silent.address,
        MISS_SLASH,
        until,
    )


def test_agent_that_did_not_commit_is_penalized(network: Network, missed: Missed) -> None:
    agents = network.protocol.agents
    info = agents.agent_info(missed.absent.address)
    assert (info.stake, info.status) == (STAKE - MISS_SLASH, AgentStatus.PENALIZED)
    (penalized,) = [
        e for e in of_type(agents.events(missed.result), AgentPenalized) if e.id == missed.ids[2]
    ]
    assert (penalized.agent, penalized.slashed) == (missed.absent.address, MISS_SLASH)


def test_miss_slashes_go_to_the_treasury(network: Network, missed: Missed) -> None:
    treasury = network.protocol.treasury.address
    assert network.protocol.token.balance_of(treasury) == missed.treasury_before + 2 * MISS_SLASH
    assert network.supply_is_conserved()


def test_penalized_agents_leave_the_pool(network: Network, model: int, missed: Missed) -> None:
    assert network.protocol.agents.pool_size(model) == 1
    # The only agent left in the pool gets every new task.
    task = network.task(network.submit(model))
    assert task.agent_ids == (missed.ids[0],)


def test_honest_revealer_is_not_penalized_and_wins(network: Network, missed: Missed) -> None:
    info = network.protocol.agents.agent_info(missed.honest.address)
    assert (info.stake, info.status) == (STAKE, AgentStatus.ACTIVE)
    penalized = of_type(network.protocol.agents.events(missed.result), AgentPenalized)
    assert missed.ids[0] not in {e.id for e in penalized}
    (accepted,) = of_type(network.protocol.tasks.events(missed.result), TaskAccepted)
    assert accepted.winner_id == missed.ids[0]
    assert network.task(missed.task_id).state == TaskState.ACCEPTED


def test_rejoin_before_the_penalty_ends_is_rejected(network: Network, missed: Missed) -> None:
    until = network.protocol.agents.agent_info(missed.absent.address).until
    with reverts("AgentStakingStillPenalized", agent=missed.absent.address, until=until):
        network.protocol.agents.rejoin(missed.absent)


def test_rejoin_after_the_penalty_returns_to_the_pool(
    network: Network, model: int, missed: Missed
) -> None:
    agents = network.protocol.agents
    network.advance(network.params.agents.penalty_duration)

    agents.rejoin(missed.absent)
    agents.rejoin(missed.silent)

    assert agents.agent_info(missed.absent.address).status == AgentStatus.ACTIVE
    assert agents.pool_size(model) == 3
    task = network.task(network.submit(model))
    assert set(task.agent_ids) == set(missed.ids)


def test_rejoin_needs_the_stake_to_still_meet_the_minimum(network: Network) -> None:
    model = network.register_model(min_stake=100 * EAI)
    (agent,) = network.stake_agents(model, 1, 100 * EAI)
    network.submit(model)
    network.pass_commit_window()
    network.protocol.tasks.finalize(network.users[1], 1)
    network.advance(network.params.agents.penalty_duration)

    with reverts("AgentStakingStakeTooLow", stake=99 * EAI, required=100 * EAI):
        network.protocol.agents.rejoin(agent)
    network.protocol.agents.stake(agent, model, 1 * EAI)  # a top-up while penalized
    network.protocol.agents.rejoin(agent)
    assert network.protocol.agents.pool_size(model) == 1


def test_finalize_of_a_task_without_commits_before_its_deadline_is_not_due(
    network: Network, model: int
) -> None:
    task_id = network.submit(model)
    commit_deadline = network.task(task_id).deadline
    with reverts("TaskManagerNotDue", taskId=task_id, readyAt=commit_deadline + 1):
        network.protocol.tasks.finalize(network.users[1], task_id)


def test_finalize_of_a_partly_committed_task_tells_when_it_is_really_due(
    network: Network, model: int
) -> None:
    # Some agents committed: the task waits for the reveal window after the commit deadline, so
    # `readyAt` should be when finalize can succeed, not when reveals open.
    task_id = network.submit(model)
    commit(network, task_id, 0)
    commit_deadline = network.task(task_id).deadline
    ready_at = commit_deadline + network.params.tasks.reveal_window + 1
    with reverts("TaskManagerNotDue", taskId=task_id, readyAt=ready_at):
        network.protocol.tasks.finalize(network.users[1], task_id)


def test_finalize_after_the_commit_deadline_waits_for_the_committers_reveals(
    network: Network, model: int
) -> None:
    task_id = network.submit(model)
    commit(network, task_id, 0)
    commit_deadline = network.task(task_id).deadline
    network.pass_commit_window()
    ready_at = commit_deadline + network.params.tasks.reveal_window + 1
    with reverts("TaskManagerNotDue", taskId=task_id, readyAt=ready_at):
        network.protocol.tasks.finalize(network.users[1], task_id)
