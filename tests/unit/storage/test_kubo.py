"""KuboStore against a local server speaking kubo's documented RPC API (not a real kubo)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from eternal.storage import (
    BlobCorrupted,
    BlobNotFound,
    BlobStore,
    KuboStore,
    StorageError,
    StorageUnavailable,
    TransferPolicy,
    cid_of,
)
from tests.unit.storage.http_servers import closed_port_url
from tests.unit.storage.kubo_api import CHUNK, KuboState, kubo_api

FAST = TransferPolicy(timeout=2.0, attempts=2, backoff=0.01)
SMALL = b"a small output"
LARGE = bytes(range(256)) * (CHUNK // 256) + b"one byte over a chunk"


@pytest.fixture
def node() -> Iterator[tuple[str, KuboState]]:
    with kubo_api() as running:
        yield running


@pytest.fixture
def kubo(node: tuple[str, KuboState]) -> Iterator[KuboStore]:
    with KuboStore(node[0], policy=FAST) as store:
        yield store


def test_kubo_store_is_a_blob_store(kubo: KuboStore) -> None:
    assert isinstance(kubo, BlobStore)


def test_put_adds_a_pinned_raw_cidv1_block(kubo: KuboStore, node: tuple[str, KuboState]) -> None:
    _, state = node
    assert kubo.put(SMALL) == cid_of(SMALL)
    path, query = state.calls[-1]
    assert path == "/api/v0/add"
    assert query["cid-version"] == ["1"]
    assert query["raw-leaves"] == ["true"]
    assert query["pin"] == ["true"]
    assert query["chunker"] == [f"size-{CHUNK}"]
    assert state.blocks[cid_of(SMALL)] == SMALL


def test_get_reads_back_through_cat(kubo: KuboStore, node: tuple[str, KuboState]) -> None:
    cid = kubo.put(SMALL)
    assert kubo.get(cid) == SMALL
    path, query = node[1].calls[-1]
    assert (path, query["arg"], query["offline"]) == ("/api/v0/cat", [cid], ["true"])


def test_a_blob_of_exactly_one_chunk_is_still_a_single_block(kubo: KuboStore) -> None:
    blob = b"\x07" * CHUNK
    assert kubo.put(blob) == cid_of(blob)
    assert kubo.locator(cid_of(blob)) == cid_of(blob)


def test_a_large_blob_keeps_kubos_dag_root_as_its_locator(
    kubo: KuboStore, node: tuple[str, KuboState]
) -> None:
    cid = kubo.put(LARGE)
    assert cid == cid_of(LARGE)
    locator = kubo.locator(cid)
    assert locator != cid
    assert locator in node[1].blocks
    assert kubo.get(cid) == LARGE
    assert kubo.has(cid)


def test_locators_survive_in_the_locator_directory(
    node: tuple[str, KuboState], tmp_path: Path
) -> None:
    url, _ = node
    with KuboStore(url, locator_dir=tmp_path, policy=FAST) as writer:
        cid = writer.put(LARGE)
    with KuboStore(url, locator_dir=tmp_path, policy=FAST) as reader:
        assert reader.get(cid) == LARGE
    with KuboStore(url, policy=FAST) as forgetful, pytest.raises(BlobNotFound):
        forgetful.get(cid)


def test_missing_blob_is_not_found_with_kubos_message(kubo: KuboStore) -> None:
    with pytest.raises(BlobNotFound, match="could not find") as caught:
        kubo.get(cid_of(b"never added"))
    assert caught.value.cid == cid_of(b"never added")
    assert not kubo.has(cid_of(b"never added"))


def test_has_finds_an_added_blob(kubo: KuboStore) -> None:
    assert kubo.has(kubo.put(SMALL))


def test_tampered_block_is_refused(kubo: KuboStore, node: tuple[str, KuboState]) -> None:
    cid = kubo.put(SMALL)
    node[1].blocks[cid] = b"a forged output"
    with pytest.raises(BlobCorrupted):
        kubo.get(cid)


def test_a_node_that_prints_another_cid_for_a_small_blob_is_refused(
    kubo: KuboStore, node: tuple[str, KuboState]
) -> None:
    node[1].forced_hash = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
    with pytest.raises(StorageError, match="expected the raw block"):
        kubo.put(SMALL)


def test_an_api_that_is_not_kubo_is_an_error(node: tuple[str, KuboState]) -> None:
    with (
        KuboStore(node[0] + "/not-the-api", policy=FAST) as store,
        pytest.raises(StorageError, match="HTTP 404"),
    ):
        store.put(SMALL)


def test_node_down_is_unavailable_after_the_retries() -> None:
    with (
        KuboStore(closed_port_url(), policy=FAST) as store,
        pytest.raises(StorageUnavailable) as caught,
    ):
        store.put(SMALL)
    assert caught.value.attempts == FAST.attempts
