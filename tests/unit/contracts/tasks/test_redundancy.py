"""Dynamic redundancy: a window of `redundancyWindow` paid-out tasks without fraud lowers k by
one, never below `minRedundancy`. (Raising k on frauds is covered with the disputes.)"""

from __future__ import annotations

from eternal.chain.bindings.task_manager import RedundancyAdjusted
from tests.support.network import Network
from tests.unit.contracts.tasks.helpers import accept, of_type, set_task_params

WINDOW = 10  # the lowest redundancyWindow the bounds allow


def _clean_tasks(network: Network, model: int, count: int) -> list[int]:
    """`count` accepted tasks, all won by agents[0], past their challenge window."""
    task_ids = [accept(network, model, winner=network.agents[0]) for _ in range(count)]
    network.pass_challenge_window()
    return task_ids


def test_a_clean_window_lowers_k_by_one(network: Network) -> None:
    tasks = network.protocol.tasks
    set_task_params(network, min_redundancy=1, redundancy_window=WINDOW)
    model = network.register_model(redundancy=2)
    network.stake_agents(model, 2)
    *first, last = _clean_tasks(network, model, WINDOW)

    not_full = tasks.claim(network.agents[0], first)
    assert of_type(tasks.events(not_full), RedundancyAdjusted) == []
    assert tasks.redundancy_of(model) == 2

    closing = tasks.finalize(network.users[1], last)

    (adjusted,) = of_type(tasks.events(closing), RedundancyAdjusted)
    assert (adjusted.model_id, adjusted.offset, adjusted.frauds_in_window) == (model, -1, 0)
    assert tasks.redundancy_of(model) == 1
    assert network.task(network.submit(model)).k == 1


def test_a_clean_window_at_the_floor_keeps_k(network: Network) -> None:
    tasks = network.protocol.tasks
    set_task_params(network, min_redundancy=1, redundancy_window=WINDOW)
    model = network.register_model(redundancy=1)
    network.stake_agents(model, 1)
    task_ids = _clean_tasks(network, model, WINDOW)

    result = tasks.claim(network.agents[0], task_ids)

    (adjusted,) = of_type(tasks.events(result), RedundancyAdjusted)
    assert (adjusted.model_id, adjusted.offset, adjusted.frauds_in_window) == (model, 0, 0)
    assert tasks.redundancy_of(model) == 1


def test_k_declared_below_the_floor_is_raised_to_min_redundancy(network: Network) -> None:
    model = network.register_model(redundancy=1)
    network.stake_agents(model, 3)

    assert network.protocol.tasks.redundancy_of(model) == network.params.tasks.min_redundancy == 2
    assert network.task(network.submit(model)).k == 2


def test_raising_min_redundancy_raises_k_of_the_next_prompts(network: Network) -> None:
    model = network.register_model(redundancy=2)
    network.stake_agents(model, 5)
    set_task_params(network, min_redundancy=4)

    assert network.protocol.tasks.redundancy_of(model) == 4
    assert network.task(network.submit(model)).k == 4
