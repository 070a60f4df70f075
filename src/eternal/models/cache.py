"""Packages a node runs, fetched by digest from a blob store and unpacked once on local disk.

`root/<cid>/` holds the package whose archive has that CID. An extraction appears there whole
or not at all: the archive is unpacked into a temporary directory beside it, validated, checked
to be canonical (packing it again gives the very same bytes) and only then renamed into place.
Because packing is deterministic, an existing extraction is re-checked the same way before
reuse, and replaced if anything in it changed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from eternal.models.archive import pack, unpack
from eternal.models.errors import ArchiveError, PackageError
from eternal.models.package import ModelPackage
from eternal.storage.cid import cid_from_digest, cid_of, sha256
from eternal.storage.errors import StorageError
from eternal.storage.store import BlobStore

_PARTIAL_PREFIX = ".partial-"


class PackageCache:
    def __init__(self, store: BlobStore, root: Path) -> None:
        self.store = store
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def fetch(self, package_digest: bytes) -> ModelPackage:
        """The package with this digest, from the cache or else from the store (verified)."""
        cid = cid_from_digest(package_digest)
        target = self.root / cid
        if target.is_dir():
            cached = _intact(target, package_digest)
            if cached is not None:
                return cached
            _discard(target, self.root)
        archive = self.store.get(cid)
        return self._install(archive, cid, target)

    def publish(self, package: ModelPackage) -> tuple[str, bytes]:
        """Pack and store `package`; returns its CID and the archive."""
        archive = pack(package)
        cid = self.store.put(archive)
        if cid != cid_of(archive):
            raise StorageError(f"{self.store.name} stored the package archive as {cid}")
        return cid, archive

    def _install(self, archive: bytes, cid: str, target: Path) -> ModelPackage:
        digest = sha256(archive)
        staging = Path(tempfile.mkdtemp(dir=self.root, prefix=_PARTIAL_PREFIX))
        try:
            package = _unpack_canonical(archive, cid, staging)
            try:
                os.rename(staging, target)
            except OSError as exc:
                # Another process may have installed it meanwhile: use theirs, checked.
                existing = _intact(target, digest) if target.is_dir() else None
                if existing is None:
                    raise PackageError(f"cannot install package {cid} at {target}: {exc}") from exc
                return existing
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # gone already after a rename
        installed = replace(package, path=target)
        _remember_digest(installed, digest)
        return installed


def _unpack_canonical(archive: bytes, cid: str, staging: Path) -> ModelPackage:
    try:
        unpack(archive, staging)
        package = ModelPackage.load(staging)
    except PackageError as exc:
        raise type(exc)(f"package {cid}: {exc}") from exc
    if pack(package) != archive:
        raise ArchiveError(
            f"package {cid}: the archive is not in canonical form (packing its files again "
            "gives other bytes), so its digest does not identify its content"
        )
    return package


def _intact(target: Path, digest: bytes) -> ModelPackage | None:
    try:
        package = ModelPackage.load(target)
    except PackageError:
        return None
    if package.digest != digest:
        return None
    return package


def _discard(target: Path, root: Path) -> None:
    # Move it aside first so that the CID's directory never holds a half-deleted package.
    doomed = Path(tempfile.mkdtemp(dir=root, prefix=_PARTIAL_PREFIX)) / "old"
    with contextlib.suppress(FileNotFoundError):
        os.rename(target, doomed)
    shutil.rmtree(doomed.parent, ignore_errors=True)


def _remember_digest(package: ModelPackage, digest: bytes) -> None:
    # `digest` is a cached property; it was just verified, so spare re-reading the weights.
    vars(package)["digest"] = digest
