"""The block reward: minted at payout, halved every `halvingInterval` task ids, capped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eternal.chain import TxResult
from eternal.chain.bindings.task_manager import TaskFinalized
from eternal.chain.embedded import EmbeddedChain
from eternal.chain.params import EAI, ProtocolParams
from tests.support.network import GENESIS_PER_ACCOUNT, Network
from tests.unit.contracts.tasks.helpers import (
    BLOCK_REWARD,
    WINNER_SHARE,
    accept,
    of_type,
    set_task_params,
)

ACCOUNTS = 24  # as the shared `network` fixture
HEADROOM = 15 * EAI  # what the capped network may still mint after genesis


def _one_agent_model(network: Network) -> int:
    """A model served by a single agent (k = 1), the cheapest way to run many tasks."""
    set_task_params(network, min_redundancy=1)
    model = network.register_model(redundancy=1)
    network.stake_agents(model, 1)
    return model


def _rewards(network: Network, result: TxResult) -> dict[int, int]:
    """Task id -> block reward of the payouts in `result`."""
    events = of_type(network.protocol.tasks.events(result), TaskFinalized)
    return {e.task_id: e.block_reward for e in events}


def test_reward_halves_every_halving_interval_task_ids(network: Network) -> None:
    model = _one_agent_model(network)
    set_task_params(network, halving_interval=2)
    task_ids = [accept(network, model) for _ in range(5)]
    network.pass_challenge_window()

    # Paid out in another order than submitted: the halving follows the task id.
    result = network.protocol.tasks.claim(network.agents[0], [5, 3, 1, 4, 2])

    assert task_ids == [1, 2, 3, 4, 5]
    assert _rewards(network, result) == {
        1: 10 * EAI,
        2: 10 * EAI,
        3: 5 * EAI,
        4: 5 * EAI,
        5: 5 * EAI // 2,
    }
    assert network.supply_is_conserved()


def test_reward_uses_the_parameters_in_force_at_payout(network: Network) -> None:
    tasks = network.protocol.tasks
    model = _one_agent_model(network)
    task_id = accept(network, model)
    network.pass_challenge_window()
    set_task_params(network, initial_block_reward=4 * EAI)

    result = tasks.finalize(network.users[1], task_id)

    assert _rewards(network, result) == {task_id: 4 * EAI}


def test_zero_initial_reward_mints_nothing(network: Network) -> None:
    token = network.protocol.token
    model = _one_agent_model(network)
    set_task_params(network, initial_block_reward=0)
    task_id = accept(network, model)
    network.pass_challenge_window()
    supply = token.total_supply()

    result = network.protocol.tasks.finalize(network.users[1], task_id)

    assert _rewards(network, result) == {task_id: 0}
    assert token.total_supply() == supply
    assert network.protocol.tasks.claimable(network.agents[0].address) == WINNER_SHARE
    assert network.supply_is_conserved()


# ------------------------------------------------------------------------------ the cap


@pytest.fixture(scope="module")
def _capped_base() -> Iterator[Network]:
    chain = EmbeddedChain(accounts=ACCOUNTS)
    cap = ACCOUNTS * GENESIS_PER_ACCOUNT + HEADROOM
    yield Network.create(chain, ProtocolParams.dev().with_changes(token_cap=cap))
    chain.close()


@pytest.fixture
def capped(_capped_base: Network) -> Iterator[Network]:
    """A network whose token cap leaves room for 15 EAI of block rewards."""
    snapshot = _capped_base.chain.snapshot()
    yield _capped_base
    _capped_base.chain.revert(snapshot)


def test_capped_network_starts_with_fifteen_eai_of_headroom(capped: Network) -> None:
    token = capped.protocol.token
    assert token.cap() - token.total_supply() == HEADROOM


def test_rewards_are_clipped_at_the_cap(capped: Network) -> None:
    token, tasks = capped.protocol.token, capped.protocol.tasks
    model = _one_agent_model(capped)
    task_ids = [accept(capped, model) for _ in range(3)]
    capped.pass_challenge_window()

    rewards = [_rewards(capped, tasks.finalize(capped.users[1], t))[t] for t in task_ids]

    assert rewards == [BLOCK_REWARD, HEADROOM - BLOCK_REWARD, 0]
    assert token.total_supply() == token.cap()
    # Past the cap, the fee is still split and paid.
    assert tasks.claimable(capped.agents[0].address) == 3 * WINNER_SHARE + HEADROOM
    assert capped.supply_is_conserved()


def test_a_batched_claim_shares_the_headroom_left_under_the_cap(capped: Network) -> None:
    token, tasks = capped.protocol.token, capped.protocol.tasks
    model = _one_agent_model(capped)
    task_ids = [accept(capped, model) for _ in range(3)]
    capped.pass_challenge_window()
    before = token.balance_of(capped.agents[0].address)

    result = tasks.claim(capped.agents[0], task_ids)

    assert _rewards(capped, result) == {1: BLOCK_REWARD, 2: HEADROOM - BLOCK_REWARD, 3: 0}
    assert token.total_supply() == token.cap()
    assert token.balance_of(capped.agents[0].address) == before + 3 * WINNER_SHARE + HEADROOM
    assert capped.supply_is_conserved()
