"""Reading a revealed output back: fetch it by its URI, check it, decode it.

An agent stores the canonical bytes of its output (`eternal.runtime.canonical`) and reveals
their SHA-256 on chain with the URI. The store checks the bytes against the URI's CID; here
they are also checked against the revealed digest (the URI is the agent's word, the digest is
what it committed to) and, once a task is accepted, against the 128-bit prefix the chain
accepted. Files inside a JSON output are `ipfs://<cid>` strings: each is fetched (and so
verified) too.
"""

from __future__ import annotations

import json
from typing import Any

from eternal.chain.seals import digest_prefix
from eternal.models.metadata import ModelMetadata, OutputKind
from eternal.sdk.errors import OutputRejected
from eternal.sdk.results import TaskOutput
from eternal.storage.cid import URI_SCHEME, InvalidCid, digest_from_cid, sha256
from eternal.storage.errors import BlobCorrupted
from eternal.storage.store import BlobStore


def fetch_output(store: BlobStore, metadata: ModelMetadata, uri: str, digest: bytes) -> TaskOutput:
    """The output at `uri`, refused (OutputRejected) unless its bytes hash to `digest`."""
    data = _get(store, uri, what="output")
    if sha256(data) != digest:
        raise OutputRejected(
            f"the output at {uri} has sha256 {sha256(data).hex()}, not the revealed digest "
            f"{digest.hex()}"
        )
    kind = metadata.output.kind
    files: dict[str, bytes] = {}
    value: Any
    if kind is OutputKind.TEXT:
        try:
            value = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise OutputRejected(f"the text output at {uri} is not UTF-8") from exc
    elif kind is OutputKind.FILE:
        value = data
    else:
        try:
            value = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise OutputRejected(f"the JSON output at {uri} is not JSON: {exc}") from exc
        for file_uri in sorted(_file_uris(value)):
            files[file_uri] = _get(store, file_uri, what="file in the output")
    return TaskOutput(
        kind=kind,
        value=value,
        data=data,
        digest=digest,
        uri=uri,
        media_type=metadata.output.media_type,
        files=files,
    )


def check_accepted(output: TaskOutput, accepted_digest: bytes) -> None:
    """OutputRejected unless `output` is the one the chain accepted (its first 128 bits)."""
    if digest_prefix(output.digest) != digest_prefix(accepted_digest):
        raise OutputRejected(
            f"the output at {output.uri} (sha256 {output.digest.hex()}) is not the accepted "
            f"one (digest prefix {accepted_digest[:16].hex()})"
        )


def _get(store: BlobStore, uri: str, *, what: str) -> bytes:
    try:
        return store.get(uri)
    except BlobCorrupted as exc:
        raise OutputRejected(f"the {what} at {uri} was tampered with: {exc}") from exc
    except InvalidCid as exc:
        raise OutputRejected(f"the {what} URI {uri!r} is not an ipfs:// content id") from exc


def _file_uris(node: Any) -> set[str]:
    if isinstance(node, str):
        return {node} if node.startswith(URI_SCHEME) and _is_cid_uri(node) else set()
    if isinstance(node, dict):
        return set().union(*(_file_uris(item) for item in node.values()))
    if isinstance(node, list):
        return set().union(*(_file_uris(item) for item in node))
    return set()


def _is_cid_uri(text: str) -> bool:
    try:
        digest_from_cid(text)
    except InvalidCid:
        return False
    return True
