"""The one interface every storage backend implements, and the check every read goes through.

A blob is named by its CID, which is its SHA-256 (`eternal.storage.cid`). Backends differ in
where bytes live (a local directory, an HTTP gateway, a kubo node), never in what `get`
promises: the bytes returned hash to the digest the CID names, or the call raises.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from eternal.storage.cid import cid_from_digest, digest_from_cid, sha256
from eternal.storage.errors import BlobCorrupted


@runtime_checkable
class BlobStore(Protocol):
    """A content-addressed blob store.

    - `put(blob)` stores the bytes and returns their CID; putting the same bytes twice is fine.
    - `get(cid)` accepts a CID or an `ipfs://` URI and returns bytes verified against it:
      `BlobNotFound` when absent, `BlobCorrupted` when what the store holds does not match.
    - `has(cid)` says whether the store holds the CID, without fetching or verifying it.
    - `name` names the store in messages ("local store /var/eternal/blobs").
    """

    @property
    def name(self) -> str: ...

    def put(self, blob: bytes) -> str: ...

    def get(self, cid: str) -> bytes: ...

    def has(self, cid: str) -> bool: ...


def canonical_cid(cid_or_uri: str) -> tuple[str, bytes]:
    """The canonical CID string and its SHA-256 digest; `InvalidCid` for anything else."""
    digest = digest_from_cid(cid_or_uri)
    return cid_from_digest(digest), digest


def verified(cid: str, digest: bytes, blob: bytes, *, store: str) -> bytes:
    """`blob` itself when it hashes to `digest`; `BlobCorrupted` otherwise."""
    got = sha256(blob)
    if got != digest:
        raise BlobCorrupted(cid, got, store=store, size=len(blob))
    return blob
