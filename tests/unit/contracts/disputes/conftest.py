"""Fixtures for the dispute tests.

`exact` and `tolerant`: an EXACT model (agents 0-2) and a TOLERANT one (agents 3-5), k = 3, with
the eight verifiers staked. They are staked once per test module on the session's network and
kept by snapshot, so a module either uses them in every test or in none (a module that builds its
own pools, like test_small_pools.py, must not request them).

After every test the books are checked: every EAI unit accounted for, and the dispute manager
holding exactly what it owes plus the bonds of the disputes still open.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from eternal.chain.bindings.model_registry import VerificationMode
from tests.support.disputes import (
    Setup,
    disputes_balance,
    disputes_owe,
    open_bonds,
    staked_model,
)
from tests.support.network import Network


@pytest.fixture(autouse=True)
def books_balance_after_the_test(network: Network) -> Iterator[None]:
    yield
    assert network.supply_is_conserved(), "EAI created or lost"
    assert disputes_balance(network) == disputes_owe(network) + open_bonds(network), (
        "the dispute manager holds more or less than it owes"
    )


@pytest.fixture(scope="module")
def _staked_models(_embedded_network_base: Network) -> Iterator[tuple[Setup, Setup]]:
    # Module scope: set up before the `network` fixture snapshots the chain for each test.
    net = _embedded_network_base
    before = net.chain.snapshot()
    exact = staked_model(net, mode=VerificationMode.EXACT)
    tolerant = staked_model(net, mode=VerificationMode.TOLERANT, verifiers=0, first_agent=3)
    yield exact, replace(tolerant, verifiers=exact.verifiers)
    net.chain.revert(before)


@pytest.fixture
def exact(_staked_models: tuple[Setup, Setup], network: Network) -> Setup:
    """An EXACT model (k = 3) with three staked agents, and eight staked verifiers."""
    return _staked_models[0]


@pytest.fixture
def tolerant(_staked_models: tuple[Setup, Setup], network: Network) -> Setup:
    """A TOLERANT model (k = 3) with three staked agents, and eight staked verifiers."""
    return _staked_models[1]
