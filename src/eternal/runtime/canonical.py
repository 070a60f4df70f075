"""Canonical outputs: the exact bytes an agent hashes, commits to and stores (PROTOCOL.md).

    text -> the string's UTF-8 bytes (Cog's iterator outputs, a list of chunks, are joined)
    file -> the file's bytes (Cog sends a data URI "data:<mime>;base64,..."; an external Cog
            server started with --upload-url sends an http(s) URL instead, fetched here)
    json -> canonical JSON: keys sorted, no spaces, UTF-8 (not \\u-escaped), and every file
            inside (a data URI string) replaced by "ipfs://<cid>" of its bytes

Numbers in canonical JSON: integers in decimal; floats as Python's `repr` (the shortest
decimal that reads back as the same double: 0.1 -> 0.1, 1e-07 -> 1e-07, 2.0 -> 2.0), which is
what `json.dumps` writes. NaN and +-Infinity have no JSON form and are refused.

Only data URIs count as files inside JSON: an http(s) URL there is plain text, so a local and a
remote agent hash the same bytes (run external Cog containers without --upload-url, Cog's
default, when a JSON output carries files).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes

from eternal.models.metadata import ModelMetadata, OutputKind
from eternal.runtime.errors import InvalidOutput
from eternal.storage.cid import cid_of, uri_of

FetchUrl = Callable[[str], bytes]  # an http(s) URL -> the bytes it serves

_DATA_PREFIX = "data:"
_URL_PREFIXES = ("http://", "https://")


@dataclass(frozen=True)
class CanonicalOutput:
    """One output in canonical form.

    `data` is what is hashed and stored; `digest` its SHA-256. `files` holds the blobs that
    `data` names by ipfs:// URI (JSON outputs only), so the node stores them too. `value` is
    the decoded output: the text (str), the file (bytes), or the JSON structure with its files
    replaced by their URIs.
    """

    data: bytes
    digest: bytes
    value: Any
    files: Mapping[str, bytes] = field(default_factory=dict)


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8. Raises ValueError on NaN/Infinity or an unencodable value."""
    try:
        text = json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except TypeError as exc:
        raise ValueError(str(exc)) from exc
    # UnicodeEncodeError (a lone surrogate) is a ValueError too.
    return text.encode("utf-8")


def canonicalise(
    metadata: ModelMetadata, raw_output: Any, *, fetch_url: FetchUrl | None = None
) -> CanonicalOutput:
    """Canonical form of a Cog output (as decoded from Cog's JSON) for the model's output kind.

    `fetch_url` downloads an http(s) URL; it is used only when the whole output is a file.
    """
    kind = metadata.output.kind
    if kind is OutputKind.TEXT:
        text = _text(raw_output)
        return _output(text.encode("utf-8"), text)
    if kind is OutputKind.FILE:
        if not isinstance(raw_output, str):
            raise InvalidOutput(f"expected a file, got {_describe(raw_output)}")
        blob = _file_bytes(raw_output, fetch_url)
        return _output(blob, blob)
    return _json(raw_output)


def decode_data_uri(uri: str) -> bytes:
    """The bytes of a data URI (base64 or percent-encoded); InvalidOutput if it is not one."""
    if not uri.startswith(_DATA_PREFIX):
        raise InvalidOutput(f"not a data URI: {_clip(uri)}")
    header, comma, payload = uri[len(_DATA_PREFIX) :].partition(",")
    if not comma:
        raise InvalidOutput(f"data URI without a comma: {_clip(uri)}")
    if header.endswith(";base64"):
        try:
            return base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidOutput(f"data URI with invalid base64: {_clip(uri)}") from exc
    return unquote_to_bytes(payload)


def _output(data: bytes, value: Any, files: Mapping[str, bytes] | None = None) -> CanonicalOutput:
    return CanonicalOutput(
        data=data, digest=hashlib.sha256(data).digest(), value=value, files=files or {}
    )


def _text(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    # A model that yields text chunks (Cog's ConcatenateIterator) arrives as a list of strings.
    if isinstance(raw, list) and all(isinstance(chunk, str) for chunk in raw):
        return "".join(raw)
    raise InvalidOutput(f"expected text, got {_describe(raw)}")


def _file_bytes(raw: str, fetch_url: FetchUrl | None) -> bytes:
    if raw.startswith(_DATA_PREFIX):
        return decode_data_uri(raw)
    if raw.startswith(_URL_PREFIXES):
        if fetch_url is None:
            raise InvalidOutput(f"file output is a URL and no downloader was given: {_clip(raw)}")
        return fetch_url(raw)
    raise InvalidOutput(f"expected a file (a data URI or an http(s) URL), got {_clip(raw)!r}")


def _json(raw: Any) -> CanonicalOutput:
    files: dict[str, bytes] = {}
    value = _replace_files(raw, files)
    try:
        data = canonical_json(value)
    except ValueError as exc:
        raise InvalidOutput(f"output has no canonical JSON form: {exc}") from exc
    return _output(data, value, files)


def _replace_files(node: Any, files: dict[str, bytes]) -> Any:
    if isinstance(node, str):
        if not node.startswith(_DATA_PREFIX):
            return node
        blob = decode_data_uri(node)
        cid = cid_of(blob)
        files[cid] = blob
        return uri_of(cid)
    if isinstance(node, dict):
        if not all(isinstance(key, str) for key in node):
            raise InvalidOutput("a JSON object in the output has a key that is not a string")
        return {key: _replace_files(item, files) for key, item in node.items()}
    if isinstance(node, list | tuple):
        return [_replace_files(item, files) for item in node]
    if isinstance(node, float) and not math.isfinite(node):
        raise InvalidOutput(f"output holds {node!r}, which JSON cannot represent")
    if node is None or isinstance(node, bool | int | float):
        return node
    raise InvalidOutput(f"output holds {_describe(node)}, which is not JSON")


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"the string {_clip(value)!r}"
    return f"a {type(value).__name__} ({_clip(repr(value))})"


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
