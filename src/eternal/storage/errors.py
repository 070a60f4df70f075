"""Storage's branch of the exception tree (drawn in `eternal.errors`).

Every read is checked against the digest its CID names, so a store can fail in four ways the
caller must tell apart: the blob is not there, it is there but wrong, the store cannot be
written, or the store cannot be reached right now.
"""

from __future__ import annotations

from eternal.errors import EternalError


class StorageError(EternalError):
    """Something went wrong while storing or fetching a content-addressed blob."""


class BlobNotFound(StorageError):
    """The store does not hold the blob a CID names."""

    def __init__(self, cid: str, *, store: str, detail: str = "") -> None:
        self.cid = cid
        self.store = store
        self.detail = detail
        suffix = f" ({detail})" if detail else ""
        super().__init__(f"{store}: no blob {cid}{suffix}")


class BlobCorrupted(StorageError):
    """The bytes a store returned do not hash to the digest their CID names.

    Covers tampered and truncated blobs alike: `got` is the SHA-256 of what arrived.
    """

    def __init__(self, cid: str, got: bytes, *, store: str, size: int) -> None:
        self.cid = cid
        self.got = got
        self.store = store
        self.size = size
        super().__init__(
            f"{store}: blob {cid} is corrupted: {size} bytes arrived with sha256 {got.hex()}, "
            "which is not the digest the cid names"
        )


class BlobTooLarge(StorageError):
    """A remote store sent more bytes than the reader accepts for one blob."""

    def __init__(self, cid: str, *, store: str, limit: int) -> None:
        self.cid = cid
        self.store = store
        self.limit = limit
        super().__init__(f"{store}: blob {cid} is larger than the {limit}-byte limit")


class StorageReadOnly(StorageError):
    """The store only reads (an HTTP gateway): `put` is refused."""

    def __init__(self, store: str) -> None:
        self.store = store
        super().__init__(f"{store} is read-only: cannot store blobs there")


class StorageUnavailable(StorageError):
    """The store could not be reached or kept failing, after the bounded retries."""

    def __init__(self, message: str, *, store: str, attempts: int = 1) -> None:
        self.store = store
        self.attempts = attempts
        super().__init__(message)
