"""A store in front of other stores: write locally, read locally first, fetch the rest.

A node's usual store is `LayeredStore(LocalStore(data_dir / "blobs"), [GatewayStore(...)])`:
what it publishes or computes is written to its own disk; what it needs from others (packages,
inputs) comes from the first fallback that has it, and is kept in the primary store so the
next read is local.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from eternal.storage.errors import (
    BlobCorrupted,
    BlobNotFound,
    StorageError,
    StorageReadOnly,
    StorageUnavailable,
)
from eternal.storage.store import BlobStore, canonical_cid


class LayeredStore:
    """`put` goes to `primary`; `get` tries `primary`, then each fallback in order."""

    def __init__(self, primary: BlobStore, fallbacks: Sequence[BlobStore] = ()) -> None:
        self.primary = primary
        self.fallbacks = tuple(fallbacks)

    @property
    def name(self) -> str:
        names = ", ".join(store.name for store in (self.primary, *self.fallbacks))
        return f"layered store [{names}]"

    def put(self, blob: bytes) -> str:
        return self.primary.put(blob)

    def get(self, cid: str) -> bytes:
        """The verified blob from the first store that has it, cached into `primary`.

        When no store could give it: `BlobNotFound` if every store said it has no such blob,
        `StorageUnavailable` if any store could not be reached (it may hold the blob),
        `BlobCorrupted` otherwise (someone holds it, but only wrong bytes).
        """
        cid, _ = canonical_cid(cid)
        failures: list[StorageError] = []
        try:
            return self.primary.get(cid)
        except StorageError as exc:
            failures.append(exc)
        for store in self.fallbacks:
            try:
                blob = store.get(cid)
            except StorageError as exc:
                failures.append(exc)
                continue
            self._cache(blob)
            return blob
        raise _combined(cid, failures, store=self.name) from failures[-1]

    def has(self, cid: str) -> bool:
        return any(store.has(cid) for store in (self.primary, *self.fallbacks))

    def _cache(self, blob: bytes) -> None:
        # A verified blob that cannot be cached is still the right answer: serve it anyway.
        with contextlib.suppress(StorageReadOnly, StorageUnavailable):
            self.primary.put(blob)


def _combined(cid: str, failures: list[StorageError], *, store: str) -> StorageError:
    detail = "; ".join(str(failure) for failure in failures)
    if all(isinstance(failure, BlobNotFound) for failure in failures):
        return BlobNotFound(cid, store=store, detail=detail)
    if any(not isinstance(failure, BlobNotFound | BlobCorrupted) for failure in failures):
        return StorageUnavailable(f"{store}: cannot get {cid}: {detail}", store=store)
    corrupted = next(failure for failure in failures if isinstance(failure, BlobCorrupted))
    return BlobCorrupted(cid, corrupted.got, store=store, size=corrupted.size)
