"""AgentStaking.drawAgents: k distinct pooled agents, uniformly at random."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

from eternal.chain.params import EAI
from tests.support.network import Network
from tests.unit.contracts.staking.helpers import reverts, unpack_ids

SEEDS = range(300)
# Chi-square bounds far above the 99.9% quantiles (24.3 for 7 degrees of freedom, 93.2 for 55):
# the seeds are fixed, so the test is deterministic; the bounds only have to catch real bias.
CHI2_BOUND_7 = 30.0
CHI2_BOUND_55 = 100.0


def _draw(network: Network, model: int, k: int, seed: int) -> list[int]:
    packed, count = network.protocol.agents.draw_agents(model, k, seed)
    return unpack_ids(packed, count)


def _chi2(counts: Sequence[int], expected: float) -> float:
    return sum((count - expected) ** 2 / expected for count in counts)


def test_draw_returns_k_distinct_pooled_ids(network: Network) -> None:
    model = network.register_model()
    network.stake_agents(model, 8)
    pooled = set(range(1, 9))
    for seed in range(10):
        for k in (1, 3, 6):
            ids = _draw(network, model, k, seed)
            assert len(ids) == k
            assert len(set(ids)) == k
            assert set(ids) <= pooled


def test_draw_takes_every_member_when_k_reaches_the_pool_size(network: Network) -> None:
    model = network.register_model()
    network.stake_agents(model, 4)
    for k in (4, 5, 10):
        for seed in (0, 1, 2**256 - 1):
            ids = _draw(network, model, k, seed)
            assert sorted(ids) == [1, 2, 3, 4]


def test_draw_from_an_empty_pool_returns_nobody(network: Network) -> None:
    model = network.register_model()
    assert network.protocol.agents.draw_agents(model, 3, 7) == (0, 0)


def test_draw_only_sees_the_model_s_own_pool(network: Network) -> None:
    first = network.register_model()
    second = network.register_model()
    network.stake_agents(first, 3)
    network.stake_agents(second, 2, start=3)
    assert sorted(_draw(network, first, 10, 5)) == [1, 2, 3]
    assert sorted(_draw(network, second, 10, 5)) == [4, 5]


def test_draw_skips_agents_that_left_the_pool(network: Network) -> None:
    p = network.protocol
    model = network.register_model()
    agents = network.stake_agents(model, 5)
    p.agents.unstake(agents[0])
    p.agents.expel(network.gov, agents[3].address, "ipfs://evidence")
    for seed in range(5):
        assert sorted(_draw(network, model, 10, seed)) == [2, 3, 5]
        assert set(_draw(network, model, 2, seed)) <= {2, 3, 5}


def test_draw_of_more_than_max_draw_is_refused(network: Network) -> None:
    model = network.register_model()
    network.stake_agents(model, 1)
    with reverts("ParameterOutOfBounds", name="k", value=11, min=0, max=10):
        network.protocol.agents.draw_agents(model, 11, 0)


def test_draw_is_uniform_over_members_positions_and_subsets(network: Network) -> None:
    model = network.register_model()
    network.stake_agents(model, 8, amount=100 * EAI)
    members = range(1, 9)
    draws = [_draw(network, model, 3, seed) for seed in SEEDS]

    included = Counter(agent for draw in draws for agent in draw)
    assert _chi2([included[m] for m in members], len(draws) * 3 / 8) < CHI2_BOUND_7
    for position in range(3):
        at = Counter(draw[position] for draw in draws)
        assert _chi2([at[m] for m in members], len(draws) / 8) < CHI2_BOUND_7
    subsets = Counter(frozenset(draw) for draw in draws)
    every_subset = [frozenset(s) for s in itertools.combinations(members, 3)]
    assert _chi2([subsets[s] for s in every_subset], len(draws) / 56) < CHI2_BOUND_55
