"""A live network per test: anvil, contracts, node processes; everything stopped after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eternal.chain import find_anvil
from tests.support.live_network import LiveNetwork

MODELS = Path(__file__).resolve().parents[2] / "fixtures" / "models"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveNetwork]:
    binary = find_anvil()
    if binary is None or not binary.is_file():
        pytest.skip("anvil binary not found: run `npm ci`")
    network = LiveNetwork.start(tmp_path)
    yield network
    network.stop()
