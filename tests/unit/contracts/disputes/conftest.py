"""Fixtures for the dispute tests: a staked EXACT or TOLERANT model, and the books checked after
every test (every EAI unit accounted for; the dispute manager holds exactly what it owes)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eternal.chain.bindings.model_registry import VerificationMode
from tests.support.disputes import Setup, disputes_balance, disputes_owe, staked_model
from tests.support.network import Network


@pytest.fixture(autouse=True)
def books_balance_after_the_test(network: Network) -> Iterator[None]:
    yield
    assert network.supply_is_conserved(), "EAI created or lost"
    assert disputes_balance(network) == disputes_owe(network), (
        "the dispute manager holds more or less than it owes"
    )


@pytest.fixture
def exact(network: Network) -> Setup:
    """An EXACT model (k = 3) with three staked agents, and eight staked verifiers."""
    return staked_model(network, mode=VerificationMode.EXACT)


@pytest.fixture
def tolerant(network: Network) -> Setup:
    """A TOLERANT model (k = 3) with three staked agents, and eight staked verifiers."""
    return staked_model(network, mode=VerificationMode.TOLERANT)
