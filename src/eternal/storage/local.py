"""The default store: one file per blob in a local directory, named by its CID.

Writes are atomic and durable (temporary file, fsync, `os.replace`, fsync of the directory):
an agent stores its output before committing to it on chain, so after a crash a blob is either
whole on disk or absent, never half written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from eternal.storage.cid import cid_of
from eternal.storage.errors import BlobNotFound, StorageUnavailable
from eternal.storage.store import canonical_cid, verified

# Temporary files start with a dot so that they can never be mistaken for a blob (CIDs start
# with "b").
_TEMP_PREFIX = ".partial-"


class LocalStore:
    """Blobs at `root/<cid>`; `get` re-hashes the file, so a tampered file is refused."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageUnavailable(
                f"local store {root}: cannot create the directory: {exc}", store=self.name
            ) from exc

    @property
    def name(self) -> str:
        return f"local store {self.root}"

    def put(self, blob: bytes) -> str:
        cid = cid_of(blob)
        path = self.root / cid
        # Idempotent, and self-repairing: a file already there is kept only if it is intact.
        if self._holds_intact(path, blob):
            return cid
        try:
            self._write_atomically(path, blob)
        except OSError as exc:
            raise StorageUnavailable(
                f"{self.name}: cannot write {cid}: {exc}", store=self.name
            ) from exc
        return cid

    def get(self, cid: str) -> bytes:
        cid, digest = canonical_cid(cid)
        try:
            blob = (self.root / cid).read_bytes()
        except FileNotFoundError as exc:
            raise BlobNotFound(cid, store=self.name) from exc
        except OSError as exc:
            raise StorageUnavailable(
                f"{self.name}: cannot read {cid}: {exc}", store=self.name
            ) from exc
        return verified(cid, digest, blob, store=self.name)

    def has(self, cid: str) -> bool:
        cid, _ = canonical_cid(cid)
        return (self.root / cid).is_file()

    @staticmethod
    def _holds_intact(path: Path, blob: bytes) -> bool:
        try:
            return path.stat().st_size == len(blob) and path.read_bytes() == blob
        except OSError:
            return False

    def _write_atomically(self, path: Path, blob: bytes) -> None:
        fd, temp_name = tempfile.mkstemp(dir=self.root, prefix=_TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp_name, 0o644)
            os.replace(temp_name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise
        _fsync_directory(self.root)


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; some filesystems refuse to open a directory: then the
    # rename is as durable as that filesystem allows.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
