"""Content-addressed storage: blobs named by their SHA-256 (a CIDv1), verified on every read.

Backends share the `BlobStore` interface: `LocalStore` (a directory, the default),
`GatewayStore` (read-only, any HTTP(S)/IPFS gateway), `KuboStore` (an IPFS node's RPC API) and
`LayeredStore` (a primary store with fallbacks, caching what it fetches).
"""

from eternal.storage.cid import (
    InvalidCid,
    cid_from_digest,
    cid_of,
    digest_from_cid,
    sha256,
    uri_of,
)
from eternal.storage.errors import (
    BlobCorrupted,
    BlobNotFound,
    BlobTooLarge,
    StorageError,
    StorageReadOnly,
    StorageUnavailable,
)
from eternal.storage.gateway import GatewayStore
from eternal.storage.kubo import KuboStore
from eternal.storage.layered import LayeredStore
from eternal.storage.local import LocalStore
from eternal.storage.store import BlobStore
from eternal.storage.transfer import TransferPolicy

__all__ = [
    "BlobCorrupted",
    "BlobNotFound",
    "BlobStore",
    "BlobTooLarge",
    "GatewayStore",
    "InvalidCid",
    "KuboStore",
    "LayeredStore",
    "LocalStore",
    "StorageError",
    "StorageReadOnly",
    "StorageUnavailable",
    "TransferPolicy",
    "cid_from_digest",
    "cid_of",
    "digest_from_cid",
    "sha256",
    "uri_of",
]
