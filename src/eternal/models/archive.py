"""The package archive: a deterministic tar, so that the same files always give the same digest.

Canonical form, whoever packs and wherever:

- members are the package's files (`ModelPackage.files`) in sorted order, regular files only
  (directories are implied by the paths, so empty directories are not kept);
- every member has mtime 0, uid/gid 0, empty owner names, and mode 0o755 if the file is
  executable by its owner, else 0o644;
- POSIX pax format: plain ASCII names up to 100 bytes need no extended header, longer or
  non-ASCII names get the standard `path` record, which depends on the name alone;
- no compression. Weights barely compress, gzip would add a header to pin (mtime, OS byte),
  and an uncompressed tar cannot expand into more bytes than were downloaded.

`unpack` extracts only regular files and directories to paths inside the destination, and
refuses anything else (absolute paths, `..`, links, devices, duplicates).
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tarfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from eternal.models.errors import ArchiveError

if TYPE_CHECKING:
    from typing_extensions import Buffer

    from eternal.models.package import ModelPackage

_FORMAT = tarfile.PAX_FORMAT
_COPY_CHUNK = 1024 * 1024


def pack(package: ModelPackage) -> bytes:
    """The package's canonical archive; its SHA-256 is the package digest."""
    buffer = io.BytesIO()
    _write(package, buffer)
    return buffer.getvalue()


def archive_digest(package: ModelPackage) -> bytes:
    """SHA-256 of `pack(package)`, computed while streaming: the archive is never in memory."""
    sink = _HashingSink()
    _write(package, sink)
    return sink.hasher.digest()


def _write(package: ModelPackage, out: io.BufferedIOBase) -> None:
    with tarfile.open(fileobj=out, mode="w", format=_FORMAT) as tar:
        for name in sorted(package.files):
            with (package.path / name).open("rb") as handle:
                info = _member(name, os.fstat(handle.fileno()))
                tar.addfile(info, handle)


class _HashingSink(io.BufferedIOBase):
    """A write-only file that hashes what tarfile writes instead of storing it."""

    def __init__(self) -> None:
        super().__init__()
        self.hasher = hashlib.sha256()
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Buffer, /) -> int:
        view = memoryview(data)
        self.hasher.update(view)
        self.position += view.nbytes
        return view.nbytes

    def tell(self) -> int:
        return self.position


def _member(name: str, status: os.stat_result) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.REGTYPE
    info.size = status.st_size
    info.mode = 0o755 if status.st_mode & stat.S_IXUSR else 0o644
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def unpack(archive: bytes, dest: Path) -> None:
    """Extract `archive` into `dest` (created if missing, and which must be empty)."""
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
            members = tar.getmembers()
            names = _checked_names(members)
            dest.mkdir(parents=True, exist_ok=True)
            if any(dest.iterdir()):
                raise ArchiveError(f"cannot unpack into {dest}: it is not empty")
            for member, name in zip(members, names, strict=True):
                _extract(tar, member, dest / name)
    except tarfile.TarError as exc:
        raise ArchiveError(f"not a valid (uncompressed) package archive: {exc}") from exc
    except OSError as exc:
        raise ArchiveError(f"cannot unpack into {dest}: {exc}") from exc


def _checked_names(members: list[tarfile.TarInfo]) -> list[PurePosixPath]:
    names: list[PurePosixPath] = []
    seen: set[PurePosixPath] = set()
    for member in members:
        if not (member.isreg() or member.isdir()):
            kind = "link" if member.issym() or member.islnk() else "special file"
            raise ArchiveError(f"archive member {member.name!r} is a {kind}: refused")
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in member.name:
            raise ArchiveError(f"archive member {member.name!r} would land outside the package")
        if path in seen and not member.isdir():
            raise ArchiveError(f"archive member {member.name!r} appears twice")
        seen.add(path)
        names.append(path)
    return names


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    if member.isdir():
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(member)
    if source is None:  # only for non-regular members, refused above
        raise ArchiveError(f"archive member {member.name!r} has no data")
    with source, target.open("xb") as out:
        while chunk := source.read(_COPY_CHUNK):
            out.write(chunk)
    target.chmod(0o755 if member.mode & stat.S_IXUSR else 0o644)
