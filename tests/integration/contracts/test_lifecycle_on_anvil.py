"""The task lifecycle on a real JSON-RPC node (anvil): a paid-out task, a task nobody serves
(missed, reassigned, refunded), and a revert decoded into its custom error."""

from __future__ import annotations

import pytest

from eternal.chain.bindings.agent_staking import AgentStatus
from eternal.chain.bindings.task_manager import (
    RewardClaimed,
    TaskAssigned,
    TaskFinalized,
    TaskMissed,
    TaskRefunded,
    TaskState,
)
from eternal.chain.params import EAI
from eternal.chain.seals import new_salt, task_seal
from eternal.errors import ContractError
from tests.support.network import HONEST, Network

pytestmark = pytest.mark.anvil

FEE = 10 * EAI


def test_task_is_accepted_paid_out_and_claimed(anvil_network: Network) -> None:
    net = anvil_network
    tasks, token = net.protocol.tasks, net.protocol.token
    model = net.register_model(fee=FEE)
    net.stake_agents(model, 3)
    task_id = net.submit(model)
    net.run_to_acceptance(task_id)
    assert net.task(task_id).state == TaskState.ACCEPTED
    net.pass_challenge_window()

    result = tasks.finalize(net.users[1], task_id)

    (finalized,) = [e for e in tasks.events(result) if isinstance(e, TaskFinalized)]
    assert (
        finalized.creator_share,
        finalized.winner_share,
        finalized.verifier_share,
        finalized.treasury_share,
        finalized.block_reward,
    ) == (2 * EAI, 5 * EAI, 2 * EAI, 1 * EAI, 10 * EAI)
    winner = net.agent_by_id(finalized.winner_id)
    before = token.balance_of(winner.address)
    claimed = tasks.claim(winner, [])
    (reward,) = [e for e in tasks.events(claimed) if isinstance(e, RewardClaimed)]
    assert reward.amount == 15 * EAI
    assert token.balance_of(winner.address) == before + 15 * EAI
    assert net.supply_is_conserved()


def test_task_nobody_serves_is_reassigned_once_then_refunded(anvil_network: Network) -> None:
    net = anvil_network
    tasks, token, user = net.protocol.tasks, net.protocol.token, net.users[0]
    model = net.register_model(fee=FEE, redundancy=3)
    net.stake_agents(model, 6, 200 * EAI)
    before = token.balance_of(user.address)
    task_id = net.submit(model, user=user)
    first = net.task(task_id).agent_ids

    net.pass_commit_window()
    reassigned = tasks.events(tasks.finalize(net.users[1], task_id))
    assert [e.agent_id for e in reassigned if isinstance(e, TaskMissed)] == list(first)
    (assigned,) = [e for e in reassigned if isinstance(e, TaskAssigned)]
    assert assigned.attempt == 1 and not set(assigned.agent_ids) & set(first)

    net.pass_commit_window()
    refunded = tasks.events(tasks.finalize(net.users[1], task_id))
    (refund,) = [e for e in refunded if isinstance(e, TaskRefunded)]
    assert (refund.user, refund.amount) == (user.address, FEE)
    assert token.balance_of(user.address) == before
    assert net.task(task_id).state == TaskState.REFUNDED
    missed = net.agent_by_id(first[0])
    info = net.protocol.agents.agent_info(missed.address)
    assert (info.status, info.stake) == (AgentStatus.PENALIZED, 198 * EAI)
    assert net.supply_is_conserved()


def test_commit_after_deadline_reverts_with_the_decoded_error(anvil_network: Network) -> None:
    net = anvil_network
    model = net.register_model(fee=FEE)
    net.stake_agents(model, 3)
    task_id = net.submit(model)
    deadline = net.task(task_id).deadline
    agent = net.assigned(task_id)[0]
    net.pass_commit_window()

    with pytest.raises(ContractError) as info:
        net.protocol.tasks.commit(
            agent, task_id, 0, task_seal(task_id, agent.address, HONEST, new_salt())
        )

    assert info.value.name == "TaskManagerCommitClosed"
    assert dict(info.value.args) == {"taskId": task_id, "deadline": deadline}
