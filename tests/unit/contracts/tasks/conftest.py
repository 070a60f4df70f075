"""Fixtures of the task-lifecycle tests: a model with its agents on the shared `network`."""

from __future__ import annotations

import pytest

from eternal.chain.params import EAI
from tests.support.network import Network


@pytest.fixture
def model(network: Network) -> int:
    """An EXACT model (fee 10 EAI, redundancy 3, min stake 100 EAI) with three agents staked at
    200 EAI each, so that a miss (1%) leaves them enough stake to rejoin."""
    model_id = network.register_model()
    network.stake_agents(model_id, 3, 200 * EAI)
    return model_id
