"""Content ids: a blob's SHA-256, written as a CIDv1 (raw codec, sha2-256 multihash).

    cid = "b" + base32lower(0x01 0x55 0x12 0x20 + sha256(blob)), without padding

For blobs up to 256 KiB this is the CID `ipfs add --raw-leaves --cid-version 1` prints; larger
blobs become multi-block DAGs in IPFS, so there the CID is an integrity id of the whole blob.
URIs in task inputs, outputs and metadata are `ipfs://<cid>`.
"""

from __future__ import annotations

import base64
import hashlib

from eternal.storage.errors import StorageError

_PREFIX = bytes([0x01, 0x55, 0x12, 0x20])  # CIDv1, raw, sha2-256, 32-byte digest
URI_SCHEME = "ipfs://"


class InvalidCid(StorageError):
    """A string is not a CIDv1 (raw, sha2-256) nor an ipfs:// URI holding one."""


def sha256(blob: bytes) -> bytes:
    return hashlib.sha256(blob).digest()


def cid_from_digest(digest: bytes) -> str:
    if len(digest) != 32:
        raise InvalidCid(f"a sha2-256 digest has 32 bytes, got {len(digest)}")
    return "b" + base64.b32encode(_PREFIX + digest).decode("ascii").lower().rstrip("=")


def cid_of(blob: bytes) -> str:
    return cid_from_digest(sha256(blob))


def digest_from_cid(cid: str) -> bytes:
    """The SHA-256 a CID (or an ipfs:// URI) names; InvalidCid for anything else."""
    text = cid.removeprefix(URI_SCHEME)
    if not text.startswith("b"):
        raise InvalidCid(f"{cid!r}: expected a base32 CIDv1 starting with 'b'")
    body = text[1:].upper()
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError as exc:
        raise InvalidCid(f"{cid!r}: not base32") from exc
    if len(raw) != len(_PREFIX) + 32 or not raw.startswith(_PREFIX):
        raise InvalidCid(f"{cid!r}: not a CIDv1 with raw codec and a sha2-256 multihash")
    return raw[len(_PREFIX) :]


def uri_of(cid: str) -> str:
    return URI_SCHEME + cid
