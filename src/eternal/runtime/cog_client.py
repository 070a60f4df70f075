"""CogClient: Cog's HTTP prediction API, for a local server or a Cog container anywhere.

    GET  /health-check  -> {"status": "STARTING" | "READY" | "BUSY" | "SETUP_FAILED" |
                            "UNHEALTHY" | "DEFUNCT", "setup": {"logs": ...}, ...}
    POST /predictions {"input": {...}}
                        -> 200 {"status": "succeeded", "output": ...}
                           200 {"status": "failed", "error": "...", "logs": "..."}
                           409 "At capacity": every prediction slot is busy
                           422 the input breaks the server's schema (servers from `cog build`)

The one module of the runtime that imports httpx: its exceptions become ModelServerDown (no
connection, or the server died mid-request) and PredictionTimeout here.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import httpx

from eternal.runtime.errors import (
    InvalidInput,
    ModelServerDown,
    PredictionFailed,
    PredictionTimeout,
)

READY = "READY"
BUSY = "BUSY"
STARTING = "STARTING"
SETUP_FAILED = "SETUP_FAILED"
# A server in one of these states will not serve again: a worker died, or setup failed.
BROKEN_STATES = frozenset({SETUP_FAILED, "UNHEALTHY", "DEFUNCT"})

_HEALTH_TIMEOUT = 5.0
_CONNECT_TIMEOUT = 5.0
_BUSY_FIRST_WAIT = 0.02  # seconds before the first retry after a 409; doubled up to the cap
_BUSY_MAX_WAIT = 0.5


class CogClient:
    """Talks to one Cog server. Thread-safe (httpx.Client is): several predictions may overlap."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url)

    def health(self) -> str:
        """The server's status (READY, BUSY, ...); ModelServerDown if it does not answer."""
        return str(self.health_report().get("status", "UNKNOWN"))

    def health_report(self) -> dict[str, Any]:
        """Cog's whole /health-check answer (its `setup.logs` say why a setup failed)."""
        try:
            response = self._http.get("/health-check", timeout=_HEALTH_TIMEOUT)
            report = response.json()
        except httpx.HTTPError as exc:
            raise ModelServerDown(f"Cog server {self.base_url} does not answer: {exc!r}") from exc
        except ValueError as exc:
            raise ModelServerDown(f"{self.base_url}/health-check did not answer JSON") from exc
        if not isinstance(report, dict):
            raise ModelServerDown(f"{self.base_url}/health-check answered {report!r}")
        return report

    def predict(self, inputs: Mapping[str, Any], timeout: float) -> Any:
        """Run one prediction and return its raw output (decoded JSON).

        While the server answers 409 (busy), waits with backoff and retries until `timeout`
        seconds have passed since the call; a server that reports itself broken meanwhile
        raises ModelServerDown at once.
        """
        deadline = time.monotonic() + timeout
        wait = _BUSY_FIRST_WAIT
        payload = {"input": dict(inputs)}
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PredictionTimeout(
                    f"Cog server {self.base_url} stayed busy for {timeout:g}s", started=False
                )
            response = self._post(payload, remaining, timeout)
            if response.status_code != 409:
                return _prediction_output(response)
            status = self.health()
            if status in BROKEN_STATES:
                raise ModelServerDown(f"Cog server {self.base_url} is {status}")
            time.sleep(min(wait, max(0.0, deadline - time.monotonic())))
            wait = min(wait * 2, _BUSY_MAX_WAIT)

    def download(self, url: str) -> bytes:
        """The bytes behind a file URL in an output (servers started with --upload-url)."""
        try:
            response = self._http.get(url, timeout=60.0, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise ModelServerDown(f"cannot download the output file {url}: {exc!r}") from exc
        return response.content

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _post(self, payload: dict[str, Any], remaining: float, timeout: float) -> httpx.Response:
        limits = httpx.Timeout(remaining, connect=min(_CONNECT_TIMEOUT, remaining))
        try:
            return self._http.post("/predictions", json=payload, timeout=limits)
        except httpx.ConnectTimeout as exc:
            raise ModelServerDown(f"cannot connect to Cog server {self.base_url}") from exc
        except httpx.TimeoutException as exc:
            raise PredictionTimeout(
                f"prediction on {self.base_url} did not finish within {timeout:g}s", started=True
            ) from exc
        except httpx.TransportError as exc:
            # Refused, reset, or closed without an answer: the server is gone or dying.
            raise ModelServerDown(f"Cog server {self.base_url} failed: {exc!r}") from exc


def _prediction_output(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code == 422:
        detail = body.get("detail") if isinstance(body, dict) else response.text
        raise InvalidInput(None, f"the model's server refused the input: {detail}")
    if response.status_code != 200 or not isinstance(body, dict):
        raise PredictionFailed(f"Cog answered HTTP {response.status_code}: {response.text[:500]}")
    status = body.get("status")
    if status == "succeeded":
        return body.get("output")
    error = body.get("error") or f"status {status!r}"
    raise PredictionFailed(str(error), logs=str(body.get("logs") or ""))
