import os
from pathlib import Path

import pytest

from eternal.storage import (
    BlobCorrupted,
    BlobNotFound,
    BlobStore,
    InvalidCid,
    LocalStore,
    cid_of,
    sha256,
    uri_of,
)

HELLO_CID = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"


def test_put_returns_the_raw_cid_and_get_returns_the_bytes(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    assert store.put(b"hello world") == HELLO_CID
    assert store.get(HELLO_CID) == b"hello world"
    assert (tmp_path / HELLO_CID).read_bytes() == b"hello world"


def test_local_store_is_a_blob_store(tmp_path: Path) -> None:
    assert isinstance(LocalStore(tmp_path), BlobStore)


def test_get_accepts_an_ipfs_uri(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    cid = store.put(b"by uri")
    assert store.get(uri_of(cid)) == b"by uri"


def test_put_is_idempotent_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    first = store.put(b"twice")
    second = store.put(b"twice")
    assert first == second
    assert os.listdir(tmp_path) == [first]


def test_missing_blob_is_not_found(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    with pytest.raises(BlobNotFound) as caught:
        store.get(cid_of(b"never stored"))
    assert caught.value.cid == cid_of(b"never stored")
    assert str(tmp_path) in str(caught.value)


def test_tampered_blob_is_refused(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    cid = store.put(b"the honest output")
    (tmp_path / cid).write_bytes(b"the forged output")
    with pytest.raises(BlobCorrupted) as caught:
        store.get(cid)
    assert caught.value.got == sha256(b"the forged output")
    assert caught.value.cid == cid


def test_truncated_blob_is_refused(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    blob = bytes(range(256)) * 64
    cid = store.put(blob)
    (tmp_path / cid).write_bytes(blob[:1000])
    with pytest.raises(BlobCorrupted) as caught:
        store.get(cid)
    assert caught.value.size == 1000


def test_put_repairs_a_tampered_file(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    cid = store.put(b"original")
    (tmp_path / cid).write_bytes(b"tampered")
    assert store.put(b"original") == cid
    assert store.get(cid) == b"original"


def test_has_says_whether_the_blob_is_stored(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    cid = store.put(b"present")
    assert store.has(cid)
    assert store.has(uri_of(cid))
    assert not store.has(cid_of(b"absent"))


def test_a_string_that_is_not_a_cid_is_refused(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    with pytest.raises(InvalidCid):
        store.get("../../etc/passwd")
    with pytest.raises(InvalidCid):
        store.has("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG")


def test_empty_blob_round_trips(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    assert store.get(store.put(b"")) == b""
