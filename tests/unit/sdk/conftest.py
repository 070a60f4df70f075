"""A client on the in-process network, with its own blob store, and a published echo model.

The echo model is registered (and its 3 agents staked) once per test module, on top of the
session's network; each test still starts from that state (the `network` fixture reverts).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eternal.chain.wallet import LocalAccount
from eternal.sdk.client import Client
from eternal.storage.local import LocalStore
from tests.support.network import Network
from tests.support.prompting import ECHO, publish


@pytest.fixture(scope="module")
def _echo_on_chain(
    _embedded_network_base: Network, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    chain = _embedded_network_base.chain
    before = chain.snapshot()
    yield publish(_embedded_network_base, LocalStore(tmp_path_factory.mktemp("blobs")), ECHO)
    chain.revert(before)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "blobs")


@pytest.fixture
def user(network: Network) -> LocalAccount:
    return network.users[0]


@pytest.fixture
def client(network: Network, store: LocalStore, user: LocalAccount) -> Client:
    return Client(protocol=network.protocol, account=user, store=store, poll_interval=0.0)


@pytest.fixture
def echo(_echo_on_chain: int, network: Network, store: LocalStore) -> int:
    """The echo model's id (3 agents staked, redundancy 3), its metadata in `store`."""
    store.put(ECHO.to_canonical_json())
    return _echo_on_chain
