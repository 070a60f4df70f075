"""A store backed by an IPFS (kubo) node, through its HTTP RPC API (`/api/v0/...`).

- `put`: `POST /api/v0/add?cid-version=1&raw-leaves=true&pin=true&chunker=size-262144`
  (multipart field `file`). A blob of at most 256 KiB is one raw block, so the CID kubo prints
  must equal ours, and `put` checks that it does. A larger blob becomes a UnixFS DAG whose root
  CID differs from ours: our CID stays the blob's integrity id (its SHA-256), and kubo's root is
  kept as the *locator* to read it back (in memory, and in `locator_dir` when given). Other
  nodes can fetch such a blob through IPFS only if that locator is published with it.
- `get`: `POST /api/v0/cat?arg=<locator or cid>&offline=true`, verified against our CID.
  `offline` keeps kubo to its own blockstore, so a missing blob is an immediate answer
  (`BlobNotFound`) instead of a network search that ends in a timeout; reading from the wider
  network is what `GatewayStore` (kubo's own gateway included) is for.
- `has`: `POST /api/v0/block/stat?arg=...&offline=true`.

The chunker is passed explicitly so that a node configured with another default
(`Import.UnixFSChunker`) still stores small blobs as single raw blocks.

Tested against a local HTTP server that answers like kubo's documented RPC API
(`tests/unit/storage/kubo_api.py`), not against a real kubo daemon, which cannot be installed
on the development machines.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import TracebackType

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eternal.storage.cid import cid_of
from eternal.storage.errors import BlobNotFound, StorageError
from eternal.storage.store import canonical_cid, verified
from eternal.storage.transfer import Answer, TransferPolicy, exchange, new_client

# kubo's default chunk size: a blob up to this size is stored as a single raw block.
SINGLE_BLOCK_LIMIT = 256 * 1024
_ADD_PARAMS = {
    "cid-version": "1",
    "raw-leaves": "true",
    "pin": "true",
    "hash": "sha2-256",
    "chunker": f"size-{SINGLE_BLOCK_LIMIT}",
}
# kubo answers every failed command with 500 and a JSON message: that is an answer, not a
# fault. Only a proxy in front of it failing is worth a retry.
_RETRY_STATUSES = frozenset({502, 503, 504})


class _AddAnswer(BaseModel):
    """One line of `/api/v0/add`'s answer: `{"Name", "Hash", "Size"}` (and `Bytes` when
    progress is on)."""

    model_config = ConfigDict(extra="ignore")
    name: str = Field(default="", alias="Name")
    hash: str = Field(alias="Hash", min_length=1)


class _ErrorAnswer(BaseModel):
    """kubo's error body: `{"Message": "...", "Code": 0, "Type": "error"}`."""

    model_config = ConfigDict(extra="ignore")
    message: str = Field(alias="Message")


class KuboStore:
    """Stores blobs in a kubo node (pinned) and reads them back, verified."""

    def __init__(
        self,
        api_url: str,
        *,
        locator_dir: Path | None = None,
        policy: TransferPolicy | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.policy = policy or TransferPolicy()
        self._locator_dir = locator_dir
        self._locators: dict[str, str] = {}
        self._client = new_client(self.policy)
        if locator_dir is not None:
            locator_dir.mkdir(parents=True, exist_ok=True)

    @property
    def name(self) -> str:
        return f"kubo {self.api_url}"

    def put(self, blob: bytes) -> str:
        cid = cid_of(blob)
        request = self._client.build_request(
            "POST",
            f"{self.api_url}/api/v0/add",
            params=_ADD_PARAMS,
            files={"file": (cid, blob, "application/octet-stream")},
        )
        request.read()  # a body in memory can be sent again on retry
        answer = self._call(request, cid)
        added = _parse_add(answer.body, store=self.name)
        if len(blob) <= SINGLE_BLOCK_LIMIT:
            if added.hash != cid:
                raise StorageError(
                    f"{self.name}: added a {len(blob)}-byte blob as {added.hash}, expected the "
                    f"raw block {cid}: does this node ignore cid-version/raw-leaves?"
                )
        else:
            self._remember(cid, added.hash)
        return cid

    def get(self, cid: str) -> bytes:
        cid, digest = canonical_cid(cid)
        request = self._client.build_request(
            "POST",
            f"{self.api_url}/api/v0/cat",
            params={"arg": self.locator(cid), "offline": "true"},
        )
        answer = self._call(request, cid, missing_is_answer=True)
        if answer.status != 200:
            raise BlobNotFound(cid, store=self.name, detail=_error_message(answer))
        return verified(cid, digest, answer.body, store=self.name)

    def has(self, cid: str) -> bool:
        cid, _ = canonical_cid(cid)
        request = self._client.build_request(
            "POST",
            f"{self.api_url}/api/v0/block/stat",
            params={"arg": self.locator(cid), "offline": "true"},
        )
        return self._call(request, cid, missing_is_answer=True).status == 200

    def locator(self, cid: str) -> str:
        """The CID kubo knows the blob by: ours for a single block, the DAG root otherwise."""
        cid, _ = canonical_cid(cid)
        if cid in self._locators:
            return self._locators[cid]
        if self._locator_dir is not None:
            path = self._locator_dir / cid
            if path.is_file():
                locator = path.read_text(encoding="ascii").strip()
                self._locators[cid] = locator
                return locator
        return cid

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> KuboStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, request: httpx.Request, cid: str, *, missing_is_answer: bool = False) -> Answer:
        answer = exchange(
            self._client,
            request,
            self.policy,
            store=self.name,
            cid=cid,
            retry_statuses=_RETRY_STATUSES,
        )
        if answer.status == 200 or (missing_is_answer and answer.status == 500):
            return answer
        raise StorageError(
            f"{self.name}: {request.url.path} answered HTTP {answer.status}: "
            f"{_error_message(answer)}"
        )

    def _remember(self, cid: str, locator: str) -> None:
        self._locators[cid] = locator
        if self._locator_dir is None:
            return
        fd, temp = tempfile.mkstemp(dir=self._locator_dir, prefix=".partial-")
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(locator + "\n")
        os.replace(temp, self._locator_dir / cid)


def _parse_add(body: bytes, *, store: str) -> _AddAnswer:
    # One JSON object per line (one per file added); we add one file, so the last line is it.
    lines = [line for line in body.splitlines() if line.strip()]
    if not lines:
        raise StorageError(f"{store}: /api/v0/add answered with an empty body")
    try:
        return _AddAnswer.model_validate_json(lines[-1])
    except ValidationError as exc:
        raise StorageError(f"{store}: unexpected /api/v0/add answer {lines[-1]!r}") from exc


def _error_message(answer: Answer) -> str:
    try:
        return _ErrorAnswer.model_validate_json(answer.body).message
    except ValidationError:
        text = answer.body.decode("utf-8", errors="replace").strip()
        return text or f"HTTP {answer.status}"
