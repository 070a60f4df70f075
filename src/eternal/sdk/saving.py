"""Saving a prompt's output as files a person can open (the CLI and the demo name them alike).

Every name starts from a stem (a path without extension, say `outputs/task-1-bach`):

    text   <stem>.txt            the text, UTF-8
    file   <stem>.<ext>          from the media type, else from the first bytes (.png, .wav, ...)
    json   <stem>.json           the structure indented, its files kept as ipfs:// URIs,
           <stem>-<key>.<ext>    and each file it refers to beside it, named by its key path
                                 in the JSON (`midi`, `audio-wav`, `charts-0`), typed by its
                                 first bytes

A caller may name the output itself (`path`, e.g. the CLI's `-o`); the files beside it keep
the `<stem>-<key>` form. JSON is written for reading, not as the canonical bytes that were
hashed (`TaskOutput.data` holds those).
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eternal.models.metadata import OutputKind
from eternal.sdk.errors import OutputNotSaved

# First bytes of the file types the example models write.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"MThd", ".mid"),
    (b"RIFF", ".wav"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF8", ".gif"),
    (b"%PDF", ".pdf"),
)
# Keys come from a model's output: anything but these characters could leave the folder
# ("../", "/") or trip the file system; a long key path would pass its name limit.
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_KEY_LIMIT = 64


@dataclass(frozen=True)
class SavedOutput:
    main: Path  # the output itself
    files: tuple[Path, ...]  # the files a JSON output refers to, by key path


def save_output(
    stem: Path,
    kind: OutputKind,
    value: Any,
    files: Mapping[str, bytes] | None = None,
    media_type: str | None = None,
    *,
    path: Path | None = None,
) -> SavedOutput:
    """Write an output (`value` decoded as its `kind` says) to `path`, else to `stem` plus its
    extension; for a JSON output, also each of `files` it refers to (`save_files`)."""
    if kind is OutputKind.TEXT:
        data, suffix = str(value).encode("utf-8"), ".txt"
    elif kind is OutputKind.FILE:
        data = bytes(value)
        suffix = extension(data, media_type)
    else:
        text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        data, suffix = text.encode("utf-8"), ".json"
    main = path if path is not None else _beside(stem, suffix)
    _write(main, data)
    saved = save_files(stem, value, files or {}) if kind is OutputKind.JSON else ()
    return SavedOutput(main, saved)


def save_files(stem: Path, value: Any, files: Mapping[str, bytes]) -> tuple[Path, ...]:
    """Write each of `files` the JSON `value` refers to as `<stem>-<key><ext>`; their paths."""
    written: list[Path] = []
    for key, uri in file_references(value, files):
        data = files[uri]
        suffix = extension(data, None)
        path = _beside(stem, f"-{key[:_KEY_LIMIT]}{suffix}")
        # Two keys can read alike once cleaned ("a/b", "a_b"): neither file may hide the other.
        number = 1
        while path in written:
            number += 1
            path = _beside(stem, f"-{key[:_KEY_LIMIT]}-{number}{suffix}")
        _write(path, data)
        written.append(path)
    return tuple(written)


def extension(data: bytes, media_type: str | None) -> str:
    """A file extension for `data`: from its media type if known, else from its first bytes."""
    if media_type:
        guessed = mimetypes.guess_extension(media_type)
        if guessed:
            return guessed
    for magic, suffix in _MAGIC:
        if data.startswith(magic):
            return suffix
    return ".bin"


def file_references(value: Any, files: Mapping[str, bytes]) -> list[tuple[str, str]]:
    """(key path, uri) for every string in the JSON `value` that is one of `files`' URIs, sorted.

    The key path joins the keys and list indexes leading to the string with "-", cleaned to
    be part of a file name; a bare reference (the whole value) is "file".
    """
    return sorted(_walk(value, files, ""))


def _walk(value: Any, files: Mapping[str, bytes], path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str) and value in files:
        yield (path or "file"), value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            part = _UNSAFE.sub("_", str(key)) or "_"
            yield from _walk(item, files, f"{path}-{part}" if path else part)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, files, f"{path}-{index}" if path else str(index))


def _beside(stem: Path, ending: str) -> Path:
    return stem.parent / (stem.name + ending)


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise OutputNotSaved(f"cannot write {path}: {exc.strerror or exc}") from exc
