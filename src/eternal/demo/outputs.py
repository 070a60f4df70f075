"""Saving each prompt's verified output as files a person can open.

text   task-<id>-<model>.txt
file   task-<id>-<model>.<ext>        (from the media type: .png for images)
json   task-<id>-<model>.json         the report, file references kept as ipfs:// URIs,
       task-<id>-<model>-<key>.<ext>  and each referenced file beside it, named by its
                                      key in the JSON and typed by its first bytes
                                      (.mid, .wav, .png, ...)
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eternal.models.metadata import OutputKind
from eternal.sdk.results import Result

# First bytes of the file types the example models write.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"MThd", ".mid"),
    (b"RIFF", ".wav"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF8", ".gif"),
    (b"%PDF", ".pdf"),
)


@dataclass(frozen=True)
class SavedOutput:
    main: Path  # the output itself
    files: tuple[Path, ...]  # files the output refers to (JSON outputs)


def save_output(
    directory: Path, task_id: int, model: str, kind: OutputKind, result: Result
) -> SavedOutput:
    """Write `result`'s output under `directory`; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"task-{task_id}-{model}"
    if kind is OutputKind.TEXT:
        main = directory / f"{stem}.txt"
        main.write_text(str(result.output), encoding="utf-8")
        return SavedOutput(main, ())
    if kind is OutputKind.FILE:
        data = bytes(result.output)
        main = directory / f"{stem}{extension(data, result.media_type)}"
        main.write_bytes(data)
        return SavedOutput(main, ())
    main = directory / f"{stem}.json"
    main.write_text(json.dumps(result.output, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    files = []
    for key, uri in sorted(file_references(result.output, result.files)):
        data = result.files[uri]
        path = directory / f"{stem}-{key}{extension(data, None)}"
        path.write_bytes(data)
        files.append(path)
    return SavedOutput(main, tuple(files))


def extension(data: bytes, media_type: str | None) -> str:
    """A file extension for `data`: from its media type if given, else from its first bytes."""
    if media_type:
        guessed = mimetypes.guess_extension(media_type)
        if guessed:
            return guessed
    for magic, suffix in _MAGIC:
        if data.startswith(magic):
            return suffix
    return ".bin"


def file_references(value: Any, files: Mapping[str, bytes]) -> set[tuple[str, str]]:
    """(key path, uri) for every string in the JSON `value` that is one of `files`' URIs."""
    return set(_walk(value, files, ""))


def _walk(value: Any, files: Mapping[str, bytes], path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str) and value in files:
        yield (path or "file"), value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _walk(item, files, f"{path}-{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, files, f"{path}-{index}" if path else str(index))
