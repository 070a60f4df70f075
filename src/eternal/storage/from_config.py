"""The store a configuration describes, for the CLI, the SDK and the nodes.

    local blobs dir  <- every write, and the first place every read looks
    kubo API         <- every write too, when `storage.kubo_api` is set (so others can fetch it)
    gateways         <- read-only fallbacks, in the configured order

Reads that come from kubo or a gateway are verified and then kept in the local directory.
"""

from __future__ import annotations

from eternal.config import Config
from eternal.storage.gateway import GatewayStore
from eternal.storage.kubo import KuboStore
from eternal.storage.layered import LayeredStore
from eternal.storage.local import LocalStore
from eternal.storage.store import BlobStore

# Kubo's DAG roots for blobs over 256 KiB, under the data dir (see eternal.storage.kubo).
KUBO_LOCATORS_DIR = "kubo-locators"


class PublishingStore:
    """Writes to a local store and to a publishing store (kubo); reads only the local one."""

    def __init__(self, local: BlobStore, publisher: BlobStore) -> None:
        self.local = local
        self.publisher = publisher

    @property
    def name(self) -> str:
        return f"{self.local.name} (published to {self.publisher.name})"

    def put(self, blob: bytes) -> str:
        cid = self.local.put(blob)
        self.publisher.put(blob)
        return cid

    def get(self, cid: str) -> bytes:
        return self.local.get(cid)

    def has(self, cid: str) -> bool:
        return self.local.has(cid)


def open_store(config: Config) -> BlobStore:
    """LocalStore(config.blobs_dir), with kubo and the gateways behind it when configured."""
    local = LocalStore(config.blobs_dir)
    gateways: list[BlobStore] = [GatewayStore(url) for url in config.storage.gateways]
    if config.storage.kubo_api is None:
        return LayeredStore(local, gateways) if gateways else local
    kubo = KuboStore(config.storage.kubo_api, locator_dir=config.home / KUBO_LOCATORS_DIR)
    return LayeredStore(PublishingStore(local, kubo), [kubo, *gateways])
