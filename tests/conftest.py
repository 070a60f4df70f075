"""Shared fixtures: chains to test against and the Probe test contract.

`embedded_chain`: a fresh in-process chain per test (~40 ms). `anvil_chain`: a connection to
one anvil process per test session, reverted to a snapshot after each test; skipped when the
anvil binary is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from eternal.chain import AnvilProcess, Artifact, ChainBackend, RpcChain, find_anvil, read_artifact
from eternal.chain.contracts import contract_at, deploy
from eternal.chain.embedded import EmbeddedChain

FIXTURES = Path(__file__).parent / "fixtures"
PROBE_INITIAL_VALUE = 5


@pytest.fixture(scope="session")
def probe_artifact() -> Artifact:
    return read_artifact(FIXTURES / "artifacts" / "Probe.json")


@pytest.fixture
def embedded_chain() -> Iterator[EmbeddedChain]:
    with EmbeddedChain() as chain:
        yield chain


@pytest.fixture(scope="session")
def anvil_process() -> Iterator[AnvilProcess]:
    binary = find_anvil()
    if binary is None or not binary.is_file():
        pytest.skip(
            "anvil binary not found: run `npm ci` (node_modules/@foundry-rs/anvil) "
            "or set ETERNAL_ANVIL"
        )
    with AnvilProcess(binary=binary) as process:
        yield process


@pytest.fixture
def anvil_chain(anvil_process: AnvilProcess) -> Iterator[RpcChain]:
    keys = [account.key for account in anvil_process.dev_accounts()]
    with RpcChain(anvil_process.url, keys) as chain:
        snapshot = chain.snapshot()
        yield chain
        chain.revert(snapshot)


@pytest.fixture
def deploy_probe(probe_artifact: Artifact) -> Callable[[ChainBackend], Any]:
    """Deploys Probe(PROBE_INITIAL_VALUE) from accounts[0]; returns the web3 contract."""

    def _deploy(chain: ChainBackend) -> Any:
        address, _ = deploy(chain, chain.accounts[0], probe_artifact, PROBE_INITIAL_VALUE)
        return contract_at(chain, probe_artifact, address)

    return _deploy
