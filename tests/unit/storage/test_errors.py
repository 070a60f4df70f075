import pickle

import pytest

from eternal.errors import EternalError
from eternal.storage import (
    BlobCorrupted,
    BlobNotFound,
    BlobTooLarge,
    InvalidCid,
    StorageError,
    StorageReadOnly,
    StorageUnavailable,
    cid_of,
    sha256,
)

CID = cid_of(b"x")


@pytest.mark.parametrize(
    "error",
    [
        BlobNotFound(CID, store="local store /tmp/b", detail="gone"),
        BlobCorrupted(CID, sha256(b"y"), store="gateway http://g", size=1),
        BlobTooLarge(CID, store="gateway http://g", limit=10),
        StorageReadOnly("gateway http://g"),
        StorageUnavailable("gateway http://g: down", store="gateway http://g", attempts=3),
        InvalidCid("'Qm...': expected a base32 CIDv1"),
    ],
)
def test_storage_errors_are_eternal_errors_that_survive_pickling(error: StorageError) -> None:
    assert isinstance(error, StorageError)
    assert isinstance(error, EternalError)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)


def test_corrupted_blob_message_names_the_cid_the_store_and_the_digest() -> None:
    error = BlobCorrupted(CID, sha256(b"y"), store="gateway http://g", size=1)
    assert CID in str(error)
    assert "gateway http://g" in str(error)
    assert sha256(b"y").hex() in str(error)
