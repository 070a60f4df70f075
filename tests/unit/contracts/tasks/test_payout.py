"""Acceptance and payout of one task: the split of the fee, the block reward, paying out once."""

from __future__ import annotations

from eternal.chain.bindings import events_of
from eternal.chain.bindings.eai_token import Transfer
from eternal.chain.bindings.task_manager import TaskFinalized, TaskState
from tests.support.network import Network
from tests.unit.contracts.tasks.helpers import (
    BLOCK_REWARD,
    CREATOR_SHARE,
    FEE,
    TREASURY_SHARE,
    VERIFIER_SHARE,
    WINNER_SHARE,
    ZERO_ADDRESS,
    accept,
    commit,
    of_type,
    reverts,
)


def test_accepted_task_keeps_its_escrow_until_payout(network: Network, model: int) -> None:
    task_id = accept(network, model)

    task = network.task(task_id)
    assert (task.state, task.escrow, task.revealed_mask) == (TaskState.ACCEPTED, FEE, 0b111)
    assert network.protocol.tasks.claimable(network.assigned(task_id)[0].address) == 0
    assert network.protocol.tasks.model_income(model) == 0


def test_finalize_before_the_challenge_window_closes_is_not_due(
    network: Network, model: int
) -> None:
    task_id = accept(network, model)
    challenge_deadline = network.task(task_id).deadline
    with reverts("TaskManagerNotDue", taskId=task_id, readyAt=challenge_deadline + 1):
        network.protocol.tasks.finalize(network.users[1], task_id)


def test_finalize_splits_the_fee_by_the_default_shares(network: Network, model: int) -> None:
    tasks = network.protocol.tasks
    task_id = accept(network, model)
    winner = network.assigned(task_id)[0]
    winner_id = network.task(task_id).agent_ids[0]
    network.pass_challenge_window()

    result = tasks.finalize(network.users[1], task_id)

    (finalized,) = of_type(tasks.events(result), TaskFinalized)
    assert (finalized.task_id, finalized.winner_id, finalized.reward_to) == (
        task_id,
        winner_id,
        ZERO_ADDRESS,
    )
    assert (
        finalized.creator_share,
        finalized.winner_share,
        finalized.verifier_share,
        finalized.treasury_share,
        finalized.block_reward,
    ) == (CREATOR_SHARE, WINNER_SHARE, VERIFIER_SHARE, TREASURY_SHARE, BLOCK_REWARD)
    assert tasks.claimable(winner.address) == WINNER_SHARE + BLOCK_REWARD
    assert tasks.model_income(model) == CREATOR_SHARE
    assert tasks.accrued() == (TREASURY_SHARE, VERIFIER_SHARE)
    task = network.task(task_id)
    assert (task.state, task.escrow) == (TaskState.FINALIZED, 0)
    assert network.supply_is_conserved()


def test_finalize_mints_the_block_reward_to_the_task_manager(network: Network, model: int) -> None:
    token, tasks = network.protocol.token, network.protocol.tasks
    task_id = accept(network, model)
    network.pass_challenge_window()
    supply, held = token.total_supply(), token.balance_of(tasks.address)

    result = tasks.finalize(network.users[1], task_id)

    (minted,) = events_of(result, Transfer, address=token.address)
    assert (minted.from_, minted.to, minted.value) == (ZERO_ADDRESS, tasks.address, BLOCK_REWARD)
    assert token.total_supply() == supply + BLOCK_REWARD
    # The fee stays until each share is claimed, swept or released; the reward joins it.
    assert token.balance_of(tasks.address) == held + BLOCK_REWARD
    assert network.supply_is_conserved()


def test_agents_that_agreed_but_were_not_first_get_nothing(network: Network, model: int) -> None:
    tasks, agents = network.protocol.tasks, network.protocol.agents
    task_id = accept(network, model)
    assigned = network.assigned(task_id)
    stakes = [agents.agent_info(a.address).stake for a in assigned]
    network.pass_challenge_window()

    tasks.finalize(network.users[1], task_id)

    assert [tasks.claimable(a.address) for a in assigned[1:]] == [0, 0]
    assert [agents.agent_info(a.address).stake for a in assigned] == stakes


def test_shares_add_up_to_the_fee_when_it_does_not_divide_evenly(network: Network) -> None:
    fee = 9_999  # wei: 20% = 1999.8, 50% = 4999.5
    model = network.register_model(fee=fee)
    network.stake_agents(model, 3)
    task_id = accept(network, model)
    network.pass_challenge_window()

    result = network.protocol.tasks.finalize(network.users[1], task_id)

    (finalized,) = of_type(network.protocol.tasks.events(result), TaskFinalized)
    assert (
        finalized.creator_share,
        finalized.winner_share,
        finalized.verifier_share,
        finalized.treasury_share,
    ) == (1_999, 4_999, 1_999, 1_002)
    assert network.supply_is_conserved()


def test_finalize_twice_is_rejected(network: Network, model: int) -> None:
    tasks = network.protocol.tasks
    task_id = accept(network, model)
    network.pass_challenge_window()
    tasks.finalize(network.users[1], task_id)
    supply = network.protocol.token.total_supply()

    with reverts("TaskManagerWrongState", taskId=task_id, state=TaskState.FINALIZED):
        tasks.finalize(network.users[1], task_id)
    with reverts("TaskManagerWrongState", taskId=task_id, state=TaskState.FINALIZED):
        tasks.claim(network.assigned(task_id)[0], [task_id])
    assert network.protocol.token.total_supply() == supply


def test_finalize_of_an_unknown_task_is_rejected(network: Network, model: int) -> None:
    with reverts("TaskManagerUnknownTask", taskId=3):
        network.protocol.tasks.finalize(network.users[1], 3)


def test_finalize_of_a_revealing_task_before_its_reveal_deadline_is_not_due(
    network: Network, model: int
) -> None:
    task_id = network.submit(model)
    commitments = commit(network, task_id)
    network.reveal(task_id, commitments[0])
    reveal_deadline = network.task(task_id).deadline
    with reverts("TaskManagerNotDue", taskId=task_id, readyAt=reveal_deadline + 1):
        network.protocol.tasks.finalize(network.users[1], task_id)
