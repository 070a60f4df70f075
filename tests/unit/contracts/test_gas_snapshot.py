"""The committed gas figures (bench/gas.json, from `make gas`) still hold, and meet the targets.

`make gas` measures on anvil; this re-measures the happy path and a dispute on the in-process
chain (same EVM costs) so that a change that makes a call dearer fails CI until the snapshot is
regenerated on purpose.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.gas import Bench, measure_dispute, measure_lifecycle
from eternal.chain.embedded import EmbeddedChain

SNAPSHOT = Path(__file__).parents[3] / "bench" / "gas.json"
TOLERANCE = 0.03
HAPPY_PATH_TARGET = 450_000
POOL_GROWTH_TARGET = 0.03


@pytest.fixture(scope="module")
def snapshot() -> dict[str, int]:
    figures: dict[str, int] = json.loads(SNAPSHOT.read_text())
    return figures


@pytest.fixture(scope="module")
def measured() -> dict[str, int]:
    bench = Bench.deploy(EmbeddedChain(accounts=20))
    return measure_lifecycle(bench, tasks=10) | measure_dispute(bench)


def test_snapshot_meets_the_happy_path_target(snapshot: dict[str, int]) -> None:
    assert snapshot["happy_path_total"] <= HAPPY_PATH_TARGET


def test_snapshot_submit_does_not_grow_with_the_pool(snapshot: dict[str, int]) -> None:
    small, large = snapshot["submit_pool_10"], snapshot["submit_pool_1000"]
    assert abs(large - small) <= POOL_GROWTH_TARGET * small


@pytest.mark.parametrize(
    "key", ["submit", "commit", "reveal", "finalize", "happy_path_total", "dispute_total"]
)
def test_measured_gas_matches_the_snapshot(
    key: str, snapshot: dict[str, int], measured: dict[str, int]
) -> None:
    assert measured[key] == pytest.approx(snapshot[key], rel=TOLERANCE), (
        f"{key}: measured {measured[key]}, snapshot {snapshot[key]}: run `make gas` and "
        "commit bench/gas.json if the change is intended"
    )


def test_measured_happy_path_meets_the_target(measured: dict[str, int]) -> None:
    assert measured["happy_path_total"] <= HAPPY_PATH_TARGET


def test_docs_quote_the_snapshot(snapshot: dict[str, int]) -> None:
    docs = (SNAPSHOT.parents[1] / "docs" / "gas.md").read_text()
    quoted = [key for key in snapshot if not key.endswith("_x100")]
    missing = [key for key in quoted if f"{snapshot[key]:,}" not in docs]
    assert not missing, f"docs/gas.md does not show {missing}: update it from bench/gas.json"
