from collections.abc import Iterator
from pathlib import Path

import pytest

from eternal.storage import (
    BlobCorrupted,
    BlobNotFound,
    GatewayStore,
    LayeredStore,
    LocalStore,
    StorageUnavailable,
    TransferPolicy,
    cid_of,
)
from tests.unit.storage.http_servers import StaticGateway, closed_port_url

FAST = TransferPolicy(timeout=2.0, attempts=2, backoff=0.01)
PACKAGE = b"a model package" * 100


@pytest.fixture
def mirror(tmp_path: Path) -> StaticGateway:
    return StaticGateway(tmp_path / "mirror")


@pytest.fixture
def gateway(mirror: StaticGateway) -> Iterator[GatewayStore]:
    with mirror.running() as url, GatewayStore(url, policy=FAST) as store:
        yield store


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "local")


def test_put_goes_to_the_primary_store(local: LocalStore, gateway: GatewayStore) -> None:
    layered = LayeredStore(local, [gateway])
    cid = layered.put(PACKAGE)
    assert local.has(cid)
    assert not gateway.has(cid)


def test_a_blob_fetched_from_a_fallback_is_cached_in_the_primary(
    local: LocalStore, gateway: GatewayStore, mirror: StaticGateway
) -> None:
    cid = mirror.publish(PACKAGE)
    layered = LayeredStore(local, [gateway])
    assert not local.has(cid)
    assert layered.get(cid) == PACKAGE
    assert local.get(cid) == PACKAGE
    # The next read no longer needs the gateway.
    (mirror.root / "ipfs" / cid).unlink()
    assert layered.get(cid) == PACKAGE


def test_fallbacks_are_tried_in_order(
    local: LocalStore, gateway: GatewayStore, mirror: StaticGateway, tmp_path: Path
) -> None:
    cid = mirror.publish(PACKAGE)
    empty = LocalStore(tmp_path / "empty")
    assert LayeredStore(local, [empty, gateway]).get(cid) == PACKAGE


def test_a_tampered_primary_copy_is_replaced_by_a_verified_one(
    local: LocalStore, gateway: GatewayStore, mirror: StaticGateway
) -> None:
    cid = mirror.publish(PACKAGE)
    local.put(PACKAGE)
    (local.root / cid).write_bytes(b"tampered")
    layered = LayeredStore(local, [gateway])
    assert layered.get(cid) == PACKAGE
    assert local.get(cid) == PACKAGE


def test_a_blob_nobody_has_is_not_found(local: LocalStore, gateway: GatewayStore) -> None:
    with pytest.raises(BlobNotFound) as caught:
        LayeredStore(local, [gateway]).get(cid_of(b"nowhere"))
    assert "local store" in str(caught.value)
    assert "gateway" in str(caught.value)


def test_a_blob_only_served_tampered_is_corrupted(
    local: LocalStore, gateway: GatewayStore, mirror: StaticGateway
) -> None:
    cid = mirror.publish(PACKAGE, served=b"forged")
    with pytest.raises(BlobCorrupted):
        LayeredStore(local, [gateway]).get(cid)
    assert not local.has(cid)


def test_an_unreachable_fallback_makes_the_blob_unavailable_not_missing(
    local: LocalStore,
) -> None:
    with GatewayStore(closed_port_url(), policy=FAST) as down, pytest.raises(StorageUnavailable):
        LayeredStore(local, [down]).get(cid_of(PACKAGE))


def test_has_looks_in_every_store(
    local: LocalStore, gateway: GatewayStore, mirror: StaticGateway
) -> None:
    layered = LayeredStore(local, [gateway])
    assert layered.has(mirror.publish(PACKAGE))
    assert layered.has(local.put(b"local only"))
    assert not layered.has(cid_of(b"nowhere"))
