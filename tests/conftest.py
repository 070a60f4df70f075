"""Shared fixtures: chains to test against, deployed networks, and the Probe test contract.

`embedded_chain`: a fresh in-process chain per test (~40 ms). `anvil_chain`: a connection to
one anvil process per test session, reverted to a snapshot after each test; skipped when the
anvil binary is missing. `network` / `anvil_network`: the protocol deployed once per session on
either chain (tests/support/network.py), reverted to that state after each test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Shared test helpers assert too: rewrite them (before they are imported) so that pytest shows
# the values that differ.
pytest.register_assert_rewrite(
    "tests.support",
    "tests.unit.contracts.tasks.helpers",
    "tests.unit.contracts.staking.helpers",
)

from eternal.chain import AnvilProcess, Artifact, ChainBackend, RpcChain, find_anvil, read_artifact
from eternal.chain.contracts import contract_at, deploy
from eternal.chain.embedded import EmbeddedChain
from tests.support.network import Network

FIXTURES = Path(__file__).parent / "fixtures"
PROBE_INITIAL_VALUE = 5
NETWORK_ACCOUNTS = 24  # funded dev accounts: governance, creator, users, agents, verifiers


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
    with AnvilProcess(binary=binary, accounts=NETWORK_ACCOUNTS) as process:
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


# ---------------------------------------------------------------------- protocol networks


@pytest.fixture(scope="session")
def _embedded_network_base() -> Iterator[Network]:
    chain = EmbeddedChain(accounts=NETWORK_ACCOUNTS)
    yield Network.create(chain)
    chain.close()


@pytest.fixture
def network(_embedded_network_base: Network) -> Iterator[Network]:
    """A deployed protocol on the in-process chain, as it was after setup (reverted after)."""
    chain = _embedded_network_base.chain
    snapshot = chain.snapshot()
    yield _embedded_network_base
    chain.revert(snapshot)


@pytest.fixture(scope="session")
def _anvil_network_base(anvil_process: AnvilProcess) -> Iterator[Network]:
    keys = [account.key for account in anvil_process.dev_accounts()]
    chain = RpcChain(anvil_process.url, keys)
    snapshot = chain.snapshot()
    yield Network.create(chain)
    chain.revert(snapshot)
    chain.close()


@pytest.fixture
def anvil_network(_anvil_network_base: Network) -> Iterator[Network]:
    """The same network on a real JSON-RPC node (anvil), reverted after each test."""
    chain = _anvil_network_base.chain
    snapshot = chain.snapshot()
    yield _anvil_network_base
    chain.revert(snapshot)
