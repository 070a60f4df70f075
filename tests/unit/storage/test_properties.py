import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from eternal.storage import LocalStore, cid_from_digest, cid_of, digest_from_cid, sha256, uri_of


@given(st.binary(max_size=4096))
def test_cid_is_stable_and_names_the_sha256(blob: bytes) -> None:
    cid = cid_of(blob)
    assert cid == cid_of(bytes(blob))
    assert cid == cid_from_digest(sha256(blob))
    assert digest_from_cid(cid) == sha256(blob)
    assert digest_from_cid(uri_of(cid)) == sha256(blob)
    assert cid.startswith("bafkrei")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.binary(max_size=2048), max_size=5))
def test_every_put_blob_comes_back_under_its_cid(blobs: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as root:
        store = LocalStore(Path(root))
        cids = [store.put(blob) for blob in blobs]
        assert cids == [cid_of(blob) for blob in blobs]
        for cid, blob in zip(cids, blobs, strict=True):
            assert store.get(cid) == blob
        assert sorted(path.name for path in Path(root).iterdir()) == sorted(set(cids))
