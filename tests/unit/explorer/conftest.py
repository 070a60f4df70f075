"""The explorer of one played story (tests/support/explorer_scenario.py), shared by a module.

The explorer exists before the story starts and refreshes after each part of it, as it would
while following a live network: each refresh reads a few new blocks.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from eternal.explorer import create_app
from eternal.explorer.views import Explorer
from eternal.storage.local import LocalStore
from tests.support.explorer_scenario import Scenario, played
from tests.support.network import Network


@pytest.fixture(scope="module")
def story(
    _embedded_network_base: Network, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Scenario, TestClient]]:
    store = LocalStore(tmp_path_factory.mktemp("blobs"))
    app = create_app(_embedded_network_base.protocol, store, refresh_seconds=2)
    with played(_embedded_network_base, store, app.state.explorer.refresh) as scenario:
        yield scenario, TestClient(app)


@pytest.fixture
def scenario(story: tuple[Scenario, TestClient]) -> Scenario:
    return story[0]


@pytest.fixture
def client(story: tuple[Scenario, TestClient]) -> TestClient:
    return story[1]


@pytest.fixture
def explorer(client: TestClient) -> Explorer:
    explorer: Explorer = client.app.state.explorer  # type: ignore[attr-defined]
    return explorer
