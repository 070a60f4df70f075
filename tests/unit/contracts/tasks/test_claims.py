"""Collecting what payouts credit: agents' rewards (`claim`, batched), the model owner's income,
the treasury share and the verifier fees."""

from __future__ import annotations

from eternal.chain.bindings import events_of
from eternal.chain.bindings.eai_token import Transfer
from eternal.chain.bindings.task_manager import (
    ModelIncomeClaimed,
    RewardClaimed,
    TaskFinalized,
    TaskState,
    TreasurySwept,
    VerifierFeesReleased,
)
from eternal.chain.bindings.verifier_registry import EpochFeesAdded
from tests.support.network import Network
from tests.unit.contracts.tasks.helpers import (
    BLOCK_REWARD,
    CREATOR_SHARE,
    TREASURY_SHARE,
    VERIFIER_SHARE,
    WINNER_SHARE,
    ZERO_ADDRESS,
    accept,
    of_type,
    reverts,
)

# ------------------------------------------------------------------------------ agents


def test_claim_pays_the_winner_its_share_and_block_reward(network: Network, model: int) -> None:
    tasks, token = network.protocol.tasks, network.protocol.token
    task_id = accept(network, model)
    winner = network.assigned(task_id)[0]
    network.pass_challenge_window()
    tasks.finalize(network.users[1], task_id)
    before = token.balance_of(winner.address)
    assert tasks.claimable(winner.address) == WINNER_SHARE + BLOCK_REWARD

    result = tasks.claim(winner, [])

    (claimed,) = of_type(tasks.events(result), RewardClaimed)
    assert (claimed.account, claimed.amount) == (winner.address, WINNER_SHARE + BLOCK_REWARD)
    assert token.balance_of(winner.address) == before + WINNER_SHARE + BLOCK_REWARD
    assert tasks.claimable(winner.address) == 0
    assert network.supply_is_conserved()


def test_claim_with_nothing_to_claim_is_rejected(network: Network, model: int) -> None:
    loser = network.agents[0]
    with reverts("TaskManagerNothingToClaim", account=loser.address):
        network.protocol.tasks.claim(loser, [])


def test_claim_pays_out_a_batch_of_tasks_and_mints_their_rewards_once(
    network: Network, model: int
) -> None:
    tasks, token = network.protocol.tasks, network.protocol.token
    winner = network.agents[0]
    task_ids = [accept(network, model, winner=winner) for _ in range(3)]
    network.pass_challenge_window()
    before, supply = token.balance_of(winner.address), token.total_supply()

    result = tasks.claim(winner, task_ids)

    finalized = of_type(tasks.events(result), TaskFinalized)
    assert [e.task_id for e in finalized] == task_ids
    assert {e.winner_id for e in finalized} == {network.protocol.agents.id_of(winner.address)}
    mints = [e for e in events_of(result, Transfer) if e.from_ == ZERO_ADDRESS]
    assert [(e.to, e.value) for e in mints] == [(tasks.address, 3 * BLOCK_REWARD)]
    assert token.total_supply() == supply + 3 * BLOCK_REWARD
    paid = 3 * (WINNER_SHARE + BLOCK_REWARD)
    assert token.balance_of(winner.address) == before + paid
    assert [network.task(t).state for t in task_ids] == [TaskState.FINALIZED] * 3
    assert tasks.model_income(model) == 3 * CREATOR_SHARE
    assert tasks.accrued() == (3 * TREASURY_SHARE, 3 * VERIFIER_SHARE)
    assert network.supply_is_conserved()


def test_claim_of_an_unknown_task_is_rejected(network: Network, model: int) -> None:
    with reverts("TaskManagerUnknownTask", taskId=42):
        network.protocol.tasks.claim(network.agents[0], [42])


def test_claim_of_a_task_still_committing_is_rejected(network: Network, model: int) -> None:
    task_id = network.submit(model)
    with reverts("TaskManagerWrongState", taskId=task_id, state=TaskState.COMMITTING):
        network.protocol.tasks.claim(network.agents[0], [task_id])


def test_claim_before_the_challenge_window_closes_is_not_due(network: Network, model: int) -> None:
    task_id = accept(network, model)
    ready_at = network.task(task_id).deadline + 1
    with reverts("TaskManagerNotDue", taskId=task_id, readyAt=ready_at):
        network.protocol.tasks.claim(network.assigned(task_id)[0], [task_id])


def test_one_bad_id_reverts_the_whole_claim(network: Network, model: int) -> None:
    tasks = network.protocol.tasks
    winner = network.agents[0]
    due = accept(network, model, winner=winner)
    network.pass_challenge_window()
    not_due = accept(network, model, winner=winner)
    supply = network.protocol.token.total_supply()

    with reverts("TaskManagerNotDue", taskId=not_due, readyAt=network.task(not_due).deadline + 1):
        tasks.claim(winner, [due, not_due])

    assert network.task(due).state == TaskState.ACCEPTED
    assert tasks.claimable(winner.address) == 0
    assert network.protocol.token.total_supply() == supply


def test_a_task_listed_twice_in_one_claim_pays_once(network: Network, model: int) -> None:
    winner = network.agents[0]
    task_id = accept(network, model, winner=winner)
    network.pass_challenge_window()
    with reverts("TaskManagerWrongState", taskId=task_id, state=TaskState.FINALIZED):
        network.protocol.tasks.claim(winner, [task_id, task_id])
    assert network.task(task_id).state == TaskState.ACCEPTED


# ------------------------------------------------------------------------------ model owner


def test_model_income_goes_to_the_current_owner_of_the_model_nft(
    network: Network, model: int
) -> None:
    tasks, token, registry = (
        network.protocol.tasks,
        network.protocol.token,
        network.protocol.registry,
    )
    buyer = network.users[2]
    task_id = accept(network, model)
    network.pass_challenge_window()
    tasks.finalize(network.users[1], task_id)
    registry.transfer_from(network.creator, network.creator.address, buyer.address, model)
    creator_before, buyer_before = (
        token.balance_of(network.creator.address),
        token.balance_of(buyer.address),
    )

    result = tasks.claim_model_income(network.users[1], model)

    (claimed,) = of_type(tasks.events(result), ModelIncomeClaimed)
    assert (claimed.model_id, claimed.owner, claimed.amount) == (
        model,
        buyer.address,
        CREATOR_SHARE,
    )
    assert token.balance_of(buyer.address) == buyer_before + CREATOR_SHARE
    assert token.balance_of(network.creator.address) == creator_before
    assert tasks.model_income(model) == 0
    assert network.supply_is_conserved()


def test_model_income_claimed_twice_is_rejected(network: Network, model: int) -> None:
    tasks = network.protocol.tasks
    task_id = accept(network, model)
    network.pass_challenge_window()
    tasks.finalize(network.users[1], task_id)
    tasks.claim_model_income(network.creator, model)
    with reverts("TaskManagerNothingToClaim", account=network.creator.address):
        tasks.claim_model_income(network.creator, model)


# ------------------------------------------------------------------------------ treasury


def test_sweep_treasury_sends_the_treasury_share_to_the_treasury(
    network: Network, model: int
) -> None:
    tasks, token = network.protocol.tasks, network.protocol.token
    treasury = network.protocol.treasury.address
    task_id = accept(network, model)
    network.pass_challenge_window()
    tasks.finalize(network.users[1], task_id)
    before = token.balance_of(treasury)

    result = tasks.sweep_treasury(network.users[1])

    (swept,) = of_type(tasks.events(result), TreasurySwept)
    assert swept.amount == TREASURY_SHARE
    assert token.balance_of(treasury) == before + TREASURY_SHARE
    assert tasks.accrued() == (0, VERIFIER_SHARE)
    with reverts("TaskManagerNothingToClaim", account=treasury):
        tasks.sweep_treasury(network.users[1])
    assert network.supply_is_conserved()


# ------------------------------------------------------------------------------ verifiers


def test_collect_fees_moves_the_verifier_share_to_the_verifier_registry(
    network: Network, model: int
) -> None:
    tasks, token, verifiers = (
        network.protocol.tasks,
        network.protocol.token,
        network.protocol.verifiers,
    )
    task_id = accept(network, model)
    network.pass_challenge_window()
    tasks.finalize(network.users[1], task_id)
    before = token.balance_of(verifiers.address)

    result = verifiers.collect_fees(network.users[1])

    (released,) = of_type(tasks.events(result), VerifierFeesReleased)
    assert released.amount == VERIFIER_SHARE
    (added,) = of_type(verifiers.events(result), EpochFeesAdded)
    assert added.amount == VERIFIER_SHARE
    assert verifiers.epoch_pool(verifiers.current_epoch()).fees == VERIFIER_SHARE
    assert token.balance_of(verifiers.address) == before + VERIFIER_SHARE
    assert tasks.accrued() == (TREASURY_SHARE, 0)
    assert network.supply_is_conserved()


def test_a_verifier_heartbeat_also_collects_the_fees(network: Network, model: int) -> None:
    tasks, verifiers = network.protocol.tasks, network.protocol.verifiers
    (verifier,) = network.stake_verifiers(1)
    task_id = accept(network, model)
    network.pass_challenge_window()
    tasks.finalize(network.users[1], task_id)

    verifiers.heartbeat(verifier)

    assert tasks.accrued().verifier_fees == 0
    assert verifiers.epoch_pool(verifiers.current_epoch()).fees == VERIFIER_SHARE
    assert network.supply_is_conserved()


def test_only_the_verifier_registry_may_release_verifier_fees(network: Network, model: int) -> None:
    caller = network.users[1]
    with reverts("TaskManagerUnauthorized", caller=caller.address):
        network.protocol.tasks.release_verifier_fees(caller)
