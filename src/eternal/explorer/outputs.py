"""Outputs as the explorer shows them: fetched by their ipfs:// URI, checked, and sorted into
what a browser can display.

The store checks every blob against its CID; the output is also checked against the digest the
agent revealed on chain (the URI is only the agent's word). Files named inside a JSON output
(`ipfs://<cid>` strings, `eternal.runtime.canonical`) are fetched and checked the same way.

Media types come from the bytes themselves (magic numbers), never from a claim: the explorer
serves images, audio, JSON and plain text as such and everything else as a download, so a blob
can never be served as HTML or SVG and run a script in the explorer's origin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from eternal.models.metadata import OutputKind
from eternal.storage.cid import URI_SCHEME, InvalidCid, cid_from_digest, digest_from_cid, sha256
from eternal.storage.errors import BlobCorrupted, BlobNotFound, StorageError
from eternal.storage.store import BlobStore

# Longest text shown inline; the whole output stays one click away at /blobs/<cid>.
TEXT_LIMIT = 64 * 1024

_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (8, b"WEBP", "image/webp"),
    (8, b"WAVE", "audio/wav"),
    (0, b"OggS", "audio/ogg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"ID3", "audio/mpeg"),
)


class Display(StrEnum):
    """How a page shows a blob or an output."""

    TEXT = "text"
    JSON = "json"
    IMAGE = "image"
    AUDIO = "audio"
    DOWNLOAD = "download"


def media_type_of(blob: bytes) -> str:
    """The media type the bytes show (PNG, JPEG, GIF, WebP, WAV, Ogg, FLAC, MP3 by their magic
    numbers; then JSON; then UTF-8 text without NUL bytes); `application/octet-stream` for
    anything else."""
    for offset, magic, media_type in _SIGNATURES:
        if blob[offset : offset + len(magic)] == magic and (offset == 0 or blob[:4] == b"RIFF"):
            return media_type
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    if "\x00" in text:  # valid UTF-8, but no text holds NUL bytes
        return "application/octet-stream"
    try:
        json.loads(text)
    except ValueError:
        return "text/plain; charset=utf-8"
    return "application/json"


def display_of(media_type: str) -> Display:
    if media_type.startswith("image/"):
        return Display.IMAGE
    if media_type.startswith("audio/"):
        return Display.AUDIO
    if media_type == "application/json":
        return Display.JSON
    if media_type.startswith("text/plain"):
        return Display.TEXT
    return Display.DOWNLOAD


@dataclass(frozen=True)
class Blob:
    """A stored file a page embeds or links (served verified at /blobs/<cid>)."""

    cid: str
    media_type: str
    size: int

    @property
    def display(self) -> Display:
        return display_of(self.media_type)


@dataclass(frozen=True)
class NamedFile:
    """A file named inside a JSON output: where (`path`, like `chart` or `frames[2]`) and what."""

    path: str
    uri: str
    blob: Blob | None
    problem: str | None = None


@dataclass(frozen=True)
class ShownOutput:
    """An output ready for a page. `problem` says why it cannot be shown (missing, tampered);
    otherwise `display` picks the field to show: `text` (text, or JSON pretty-printed) or
    `blob` (a file output). `files` are the files a JSON output names."""

    uri: str
    display: Display
    blob: Blob | None = None
    text: str | None = None
    truncated: bool = False
    files: tuple[NamedFile, ...] = ()
    problem: str | None = None


def show_output(
    store: BlobStore, uri: str, digest: bytes, kind: OutputKind | None = None
) -> ShownOutput:
    """The output at `uri`, checked against `digest` and shown as `kind` says (guessed from the
    bytes when the model's metadata is unknown). Never raises for a bad output: the problem is
    in `problem`."""
    data, problem = _read(store, uri)
    if data is None:
        return ShownOutput(uri=uri, display=Display.DOWNLOAD, problem=problem)
    if sha256(data) != digest:
        return ShownOutput(
            uri=uri,
            display=Display.DOWNLOAD,
            problem=f"the stored bytes hash to {sha256(data).hex()}, not to the revealed digest "
            f"{digest.hex()}",
        )
    blob = Blob(cid_from_digest(digest), media_type_of(data), len(data))
    if kind is None:
        kind = _kind_from(blob.display)
    if kind is OutputKind.FILE:
        return ShownOutput(uri=uri, display=blob.display, blob=blob)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ShownOutput(uri=uri, display=Display.DOWNLOAD, blob=blob, problem="not UTF-8 text")
    if kind is OutputKind.JSON:
        try:
            value = json.loads(text)
        except ValueError as exc:
            return ShownOutput(uri=uri, display=Display.TEXT, blob=blob, problem=f"not JSON: {exc}")
        text = json.dumps(value, indent=2, ensure_ascii=False)
        files = tuple(_named_file(store, path, file_uri) for path, file_uri in _file_uris(value))
        return _with_text(uri, Display.JSON, blob, text, files)
    return _with_text(uri, Display.TEXT, blob, text, ())


def _with_text(
    uri: str, display: Display, blob: Blob, text: str, files: tuple[NamedFile, ...]
) -> ShownOutput:
    truncated = len(text) > TEXT_LIMIT
    return ShownOutput(
        uri=uri,
        display=display,
        blob=blob,
        text=text[:TEXT_LIMIT] if truncated else text,
        truncated=truncated,
        files=files,
    )


def _kind_from(display: Display) -> OutputKind:
    if display is Display.JSON:
        return OutputKind.JSON
    if display is Display.TEXT:
        return OutputKind.TEXT
    return OutputKind.FILE


def _read(store: BlobStore, uri: str) -> tuple[bytes | None, str | None]:
    """The blob at `uri` (checked by the store against its CID), or why it cannot be read."""
    try:
        return store.get(uri), None
    except InvalidCid:
        return None, f"{uri!r} is not an ipfs:// content id"
    except BlobNotFound:
        return None, f"{uri} is not in {store.name}"
    except BlobCorrupted as exc:
        return None, f"{uri} was tampered with: {exc}"
    except StorageError as exc:
        return None, f"{uri} cannot be read: {exc}"


def _named_file(store: BlobStore, path: str, uri: str) -> NamedFile:
    data, problem = _read(store, uri)
    if data is None:
        return NamedFile(path, uri, None, problem)
    cid = cid_from_digest(digest_from_cid(uri))
    return NamedFile(path, uri, Blob(cid, media_type_of(data), len(data)))


def _file_uris(node: Any, path: str = "") -> list[tuple[str, str]]:
    """(path, uri) of every ipfs://<cid> string in a JSON value, in document order."""
    if isinstance(node, str):
        return [(path or "output", node)] if _is_cid_uri(node) else []
    if isinstance(node, dict):
        return [
            found
            for key, item in node.items()
            for found in _file_uris(item, f"{path}.{key}" if path else key)
        ]
    if isinstance(node, list):
        return [found for i, item in enumerate(node) for found in _file_uris(item, f"{path}[{i}]")]
    return []


def _is_cid_uri(text: str) -> bool:
    if not text.startswith(URI_SCHEME):
        return False
    try:
        digest_from_cid(text)
    except InvalidCid:
        return False
    return True
