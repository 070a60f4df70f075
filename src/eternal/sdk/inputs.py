"""Turning what a user gives into a task input: files stored, values typed, all validated.

A file input may be given as a `pathlib.Path` or `bytes` (stored, then passed as
`ipfs://<cid>`) or as an `ipfs://` URI already. The result is checked with the runtime's own
`validate_inputs`, the check every agent runs, so a prompt no agent would accept never costs a
fee. What is sent is what the user gave (files replaced by URIs): agents apply the defaults and
the task seed themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eternal.models.metadata import InputSpec, InputType, ModelMetadata
from eternal.runtime.errors import InvalidInput
from eternal.runtime.inputs import encode_task_input, validate_inputs
from eternal.storage.cid import URI_SCHEME, uri_of
from eternal.storage.store import BlobStore

PROMPT_INPUT = "prompt"
_TRUE = frozenset({"true", "yes", "1", "on"})
_FALSE = frozenset({"false", "no", "0", "off"})


def build_task_input(metadata: ModelMetadata, inputs: Mapping[str, Any], store: BlobStore) -> bytes:
    """The canonical JSON input of a task; files are stored first. InvalidInput if not valid."""
    given: dict[str, Any] = {}
    for name, value in inputs.items():
        spec = metadata.inputs.get(name)
        if isinstance(value, Path | bytes | bytearray):
            if spec is None or spec.type is not InputType.FILE:
                raise InvalidInput(name, "only file inputs take a path or bytes")
            given[name] = _store_file(name, value, store)
        else:
            given[name] = value
    validate_inputs(metadata, given)
    return encode_task_input(given)


def text_input_name(metadata: ModelMetadata) -> str:
    """Where a prompt's free text goes: `prompt` if the model has that string input, else its
    first required string input (by name), else its first string input."""
    strings = sorted(
        name for name, spec in metadata.inputs.items() if spec.type is InputType.STRING
    )
    if PROMPT_INPUT in strings:
        return PROMPT_INPUT
    required = [name for name in strings if metadata.inputs[name].required]
    if required:
        return required[0]
    if strings:
        return strings[0]
    raise InvalidInput(None, f"model {metadata.name!r} takes no text input")


def parse_input_text(metadata: ModelMetadata, name: str, text: str) -> Any:
    """A value typed on a command line (`--input times=3`), converted to the input's type."""
    spec = metadata.inputs.get(name)
    if spec is None:
        accepted = ", ".join(sorted(metadata.inputs)) or "none"
        raise InvalidInput(name, f"the model takes no such input (it takes: {accepted})")
    return _parse(name, spec, text)


def _parse(name: str, spec: InputSpec, text: str) -> Any:
    kind = spec.type
    try:
        if kind is InputType.INTEGER:
            return int(text)
        if kind is InputType.NUMBER:
            return float(text)
    except ValueError as exc:
        raise InvalidInput(
            name, f"{text!r} is not {'an integer' if kind is InputType.INTEGER else 'a number'}"
        ) from exc
    if kind is InputType.BOOLEAN:
        lowered = text.strip().lower()
        if lowered in _TRUE | _FALSE:
            return lowered in _TRUE
        raise InvalidInput(name, f"{text!r} is not true or false")
    if kind is InputType.FILE and not text.startswith(URI_SCHEME):
        raise InvalidInput(
            name, f"a file input takes a path (--file {name}=PATH) or an ipfs:// URI"
        )
    return text


def _store_file(name: str, value: Path | bytes | bytearray, store: BlobStore) -> str:
    if isinstance(value, Path):
        try:
            blob = value.expanduser().read_bytes()
        except OSError as exc:
            raise InvalidInput(name, f"cannot read {value}: {exc.strerror}") from exc
    else:
        blob = bytes(value)
    return uri_of(store.put(blob))
