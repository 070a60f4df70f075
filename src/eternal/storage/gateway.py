"""A read-only store over HTTP(S): any IPFS gateway, or any server laid out as `/ipfs/<cid>`.

`GET <base_url>/ipfs/<cid>` fetches the blob; the gateway is not trusted, every answer is
hashed and compared with the CID. For raw CIDs of blobs up to 256 KiB an IPFS gateway serves
exactly the blob's bytes; a larger blob is reachable through a public gateway only under the
DAG root that kubo printed when it was added (see `eternal.storage.kubo`), while a plain HTTP
server holding files named by our CIDs serves any size.
"""

from __future__ import annotations

from types import TracebackType

import httpx

from eternal.storage.errors import BlobNotFound, StorageError, StorageReadOnly
from eternal.storage.store import canonical_cid, verified
from eternal.storage.transfer import TransferPolicy, exchange, new_client

# Worth another try: rate limiting and server-side faults; every other answer is final.
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class GatewayStore:
    """Reads blobs from an HTTP(S) gateway; `put` raises `StorageReadOnly`."""

    def __init__(self, base_url: str, *, policy: TransferPolicy | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.policy = policy or TransferPolicy()
        self._client = new_client(self.policy)

    @property
    def name(self) -> str:
        return f"gateway {self.base_url}"

    def put(self, blob: bytes) -> str:
        raise StorageReadOnly(self.name)

    def get(self, cid: str) -> bytes:
        cid, digest = canonical_cid(cid)
        answer = exchange(
            self._client,
            self._client.build_request("GET", self._url(cid)),
            self.policy,
            store=self.name,
            cid=cid,
            retry_statuses=_RETRY_STATUSES,
        )
        if answer.status == 404:
            raise BlobNotFound(cid, store=self.name)
        if answer.status != 200:
            raise StorageError(f"{self.name}: GET {self._url(cid)} answered HTTP {answer.status}")
        return verified(cid, digest, answer.body, store=self.name)

    def has(self, cid: str) -> bool:
        cid, _ = canonical_cid(cid)
        answer = exchange(
            self._client,
            self._client.build_request("HEAD", self._url(cid)),
            self.policy,
            store=self.name,
            cid=cid,
            retry_statuses=_RETRY_STATUSES,
        )
        if answer.status in (200, 404):
            return answer.status == 200
        raise StorageError(f"{self.name}: HEAD {self._url(cid)} answered HTTP {answer.status}")

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> GatewayStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _url(self, cid: str) -> httpx.URL:
        return httpx.URL(f"{self.base_url}/ipfs/{cid}")
