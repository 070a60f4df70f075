"""HTTP transfers for the remote stores: timeouts, bounded retries with backoff, a size limit.

The one module of `eternal.storage` that handles httpx's exceptions: transport faults become
`StorageUnavailable` once the retries are spent, an oversized body becomes `BlobTooLarge`.
What the status codes mean is left to each store (a kubo 500 is an answer, a gateway 500 is a
fault), which passes the statuses worth retrying.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass

import httpx

from eternal.storage.errors import BlobTooLarge, StorageUnavailable

# Bodies of error answers are read for their message only.
_ERROR_BODY_LIMIT = 64 * 1024


@dataclass(frozen=True)
class TransferPolicy:
    """How long to wait, how often to retry, and how many bytes one blob may have.

    `attempts` tries in total, sleeping `backoff * 2**n` seconds (capped at `max_backoff`)
    between them. `timeout` bounds each network operation (connect, each read), not the
    whole transfer, so a large blob arriving steadily is never cut off.
    """

    timeout: float = 30.0
    attempts: int = 3
    backoff: float = 0.25
    max_backoff: float = 4.0
    max_blob_bytes: int = 2 * 1024**3

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("TransferPolicy.attempts must be at least 1")
        if self.timeout <= 0 or self.backoff < 0 or self.max_backoff < 0:
            raise ValueError("TransferPolicy times must be positive (backoff may be zero)")
        if self.max_blob_bytes < 0:
            raise ValueError("TransferPolicy.max_blob_bytes must not be negative")

    def delay(self, retry: int) -> float:
        return min(self.backoff * 2.0**retry, self.max_backoff)


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer: status and body (the whole body for 2xx, a prefix otherwise)."""

    status: int
    body: bytes


def new_client(policy: TransferPolicy) -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(policy.timeout), follow_redirects=True)


def exchange(
    client: httpx.Client,
    request: httpx.Request,
    policy: TransferPolicy,
    *,
    store: str,
    cid: str,
    retry_statuses: Collection[int],
) -> Answer:
    """Send `request` until it gets an answer that is not worth retrying, and read it whole.

    The body of a 2xx answer may be at most `policy.max_blob_bytes` (`BlobTooLarge`).
    """
    failure = ""
    for attempt in range(policy.attempts):
        if attempt:
            time.sleep(policy.delay(attempt - 1))
        try:
            answer = _send_once(client, request, policy, store=store, cid=cid)
        except httpx.UnsupportedProtocol as exc:
            raise StorageUnavailable(f"{store}: {exc}", store=store) from exc
        except httpx.TransportError as exc:
            failure = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            if attempt + 1 == policy.attempts:
                raise StorageUnavailable(
                    f"{store}: {request.method} {request.url} failed after "
                    f"{policy.attempts} attempts: {failure}",
                    store=store,
                    attempts=policy.attempts,
                ) from exc
            continue
        if answer.status not in retry_statuses:
            return answer
        failure = f"HTTP {answer.status}"
    raise StorageUnavailable(
        f"{store}: {request.method} {request.url} failed after {policy.attempts} attempts: "
        f"{failure}",
        store=store,
        attempts=policy.attempts,
    )


def _send_once(
    client: httpx.Client, request: httpx.Request, policy: TransferPolicy, *, store: str, cid: str
) -> Answer:
    response = client.send(request, stream=True)
    try:
        ok = response.is_success
        limit = policy.max_blob_bytes if ok else _ERROR_BODY_LIMIT
        declared = response.headers.get("content-length", "")
        if ok and declared.isdigit() and int(declared) > limit:
            raise BlobTooLarge(cid, store=store, limit=limit)
        chunks: list[bytes] = []
        received = 0
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > limit:
                if ok:
                    raise BlobTooLarge(cid, store=store, limit=limit)
                break
            chunks.append(chunk)
        return Answer(status=response.status_code, body=b"".join(chunks))
    finally:
        response.close()
