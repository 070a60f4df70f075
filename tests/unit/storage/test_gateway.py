import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from eternal.storage import (
    BlobCorrupted,
    BlobNotFound,
    BlobStore,
    BlobTooLarge,
    GatewayStore,
    StorageReadOnly,
    StorageUnavailable,
    TransferPolicy,
    cid_of,
    sha256,
    uri_of,
)
from tests.unit.storage.http_servers import (
    SlowHandler,
    StaticGateway,
    closed_port_url,
    flaky_handler,
    serve,
)

FAST = TransferPolicy(timeout=2.0, attempts=3, backoff=0.01)
BLOB = b"weights and biases" * 1000


@pytest.fixture
def files(tmp_path: Path) -> StaticGateway:
    return StaticGateway(tmp_path)


@pytest.fixture
def gateway(files: StaticGateway) -> Iterator[GatewayStore]:
    with files.running() as url, GatewayStore(url, policy=FAST) as store:
        yield store


def test_gateway_serves_a_verified_blob(files: StaticGateway, gateway: GatewayStore) -> None:
    cid = files.publish(BLOB)
    assert gateway.get(cid) == BLOB
    assert gateway.get(uri_of(cid)) == BLOB


def test_gateway_store_is_a_blob_store(gateway: GatewayStore) -> None:
    assert isinstance(gateway, BlobStore)


def test_missing_blob_is_not_found(gateway: GatewayStore) -> None:
    with pytest.raises(BlobNotFound) as caught:
        gateway.get(cid_of(b"nobody published this"))
    assert gateway.base_url in str(caught.value)


def test_tampered_blob_is_refused(files: StaticGateway, gateway: GatewayStore) -> None:
    forged = BLOB.replace(b"biases", b"BIASES")
    cid = files.publish(BLOB, served=forged)
    with pytest.raises(BlobCorrupted) as caught:
        gateway.get(cid)
    assert caught.value.got == sha256(forged)


def test_truncated_blob_is_refused(files: StaticGateway, gateway: GatewayStore) -> None:
    cid = files.publish(BLOB, served=BLOB[: len(BLOB) // 2])
    with pytest.raises(BlobCorrupted) as caught:
        gateway.get(cid)
    assert caught.value.size == len(BLOB) // 2


def test_blob_above_the_size_limit_is_refused(files: StaticGateway) -> None:
    cid = files.publish(BLOB)
    policy = TransferPolicy(timeout=2.0, max_blob_bytes=len(BLOB) - 1)
    with files.running() as url, GatewayStore(url, policy=policy) as store:
        with pytest.raises(BlobTooLarge):
            store.get(cid)
        assert store.get(files.publish(b"small")) == b"small"


def test_server_down_is_unavailable_after_the_retries() -> None:
    with (
        GatewayStore(closed_port_url(), policy=FAST) as store,
        pytest.raises(StorageUnavailable) as caught,
    ):
        store.get(cid_of(BLOB))
    assert caught.value.attempts == 3
    assert "ConnectError" in str(caught.value)


def test_server_errors_are_retried_until_the_blob_arrives() -> None:
    handler = flaky_handler(BLOB, failures=2)
    with serve(handler) as url, GatewayStore(url, policy=FAST) as store:
        assert store.get(cid_of(BLOB)) == BLOB
    assert handler.seen == 3


def test_persistent_server_errors_make_the_gateway_unavailable() -> None:
    handler = flaky_handler(BLOB, failures=10)
    with (
        serve(handler) as url,
        GatewayStore(url, policy=FAST) as store,
        pytest.raises(StorageUnavailable, match="HTTP 503"),
    ):
        store.get(cid_of(BLOB))
    assert handler.seen == FAST.attempts


def test_a_hanging_gateway_times_out() -> None:
    policy = TransferPolicy(timeout=0.2, attempts=2, backoff=0.0)
    started = time.monotonic()
    with (
        serve(SlowHandler) as url,
        GatewayStore(url, policy=policy) as store,
        pytest.raises(StorageUnavailable, match="ReadTimeout"),
    ):
        store.get(cid_of(BLOB))
    assert time.monotonic() - started < SlowHandler.delay * 2


def test_put_is_refused_because_a_gateway_is_read_only(gateway: GatewayStore) -> None:
    with pytest.raises(StorageReadOnly):
        gateway.put(BLOB)


def test_has_asks_the_gateway_without_downloading(
    files: StaticGateway, gateway: GatewayStore
) -> None:
    assert gateway.has(files.publish(BLOB))
    assert not gateway.has(cid_of(b"absent"))
