"""RpcChain: any JSON-RPC node over HTTP, with transport faults retried by a RetryPolicy.

Dev controls use the methods anvil, hardhat and ganache share (`evm_increaseTime`, `evm_mine`,
`evm_snapshot`, `evm_revert`); on a node without them those calls raise RpcError.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import requests
from web3 import HTTPProvider, Web3
from web3.exceptions import Web3RPCError
from web3.types import RPCEndpoint, RPCResponse

from eternal.chain.accounts import accounts_from_keys
from eternal.chain.backend import DEFAULT_PRIORITY_FEE_WEI, ChainBackend
from eternal.chain.retry import RetryPolicy
from eternal.chain.revert_decoding import ErrorRegistry
from eternal.errors import ChainError, RpcError

DEFAULT_TIMEOUT = 10.0  # seconds per HTTP request
_RETRYABLE_STATUS = frozenset({429, 502, 503, 504})


class RetryingHTTPProvider(HTTPProvider):
    """HTTPProvider that retries connection faults, timeouts, overload answers and anvil's
    pruned-state race.

    Every method is retried, eth_sendRawTransaction included: resending the same signed bytes
    cannot send twice. Once the policy's attempts are spent, raises RpcError.
    """

    def __init__(
        self, url: str, *, retry: RetryPolicy, timeout: float, session: requests.Session
    ) -> None:
        # web3's own retry covers only some methods and raises requests' exceptions: off.
        super().__init__(
            url,
            request_kwargs={"timeout": timeout},
            session=session,
            exception_retry_configuration=None,
        )
        self.retry = retry

    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        delays = self.retry.delays()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = super().make_request(method, params)
            except (requests.ConnectionError, requests.Timeout, requests.HTTPError) as exc:
                delay = next(delays, None) if _is_transient(exc) else None
                if delay is None:
                    raise RpcError(
                        f"{method} to {self.endpoint_uri} failed after {attempt} attempt(s): {exc}",
                        method=method,
                        attempts=attempt,
                    ) from exc
                time.sleep(delay)
                continue
            if _lost_a_pruning_race(response) and (delay := next(delays, None)) is not None:
                time.sleep(delay)
                continue
            return response


def _lost_a_pruning_race(response: RPCResponse) -> bool:
    """anvil --prune-history keeps only the newest state: a call it pinned to the head just as
    another transaction mined the next block fails with BlockOutOfRangeError. Asked again, it
    reads the new head, so this one JSON-RPC error is transient."""
    error = response.get("error")
    return isinstance(error, dict) and "BlockOutOfRangeError" in str(error.get("message", ""))


def _is_transient(exc: requests.RequestException) -> bool:
    if isinstance(exc, requests.HTTPError):
        return exc.response is not None and exc.response.status_code in _RETRYABLE_STATUS
    return True


class RpcChain(ChainBackend):
    """A JSON-RPC node at `url`, with transactions signed by `private_keys`."""

    def __init__(
        self,
        url: str,
        private_keys: Sequence[str | bytes],
        *,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        errors: ErrorRegistry | None = None,
        priority_fee_wei: int = DEFAULT_PRIORITY_FEE_WEI,
    ) -> None:
        self.url = url
        self._session = requests.Session()
        provider = RetryingHTTPProvider(
            url, retry=retry or RetryPolicy(), timeout=timeout, session=self._session
        )
        super().__init__(
            Web3(provider),
            accounts_from_keys(private_keys),
            errors=errors,
            priority_fee_wei=priority_fee_wei,
        )

    def increase_time(self, seconds: int) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        self.request("evm_increaseTime", [seconds])
        self.request("evm_mine", [])

    def mine(self, blocks: int = 1) -> None:
        for _ in range(blocks):
            self.request("evm_mine", [])

    def snapshot(self) -> int:
        return int(self.request("evm_snapshot", []), 16)

    def _revert(self, snapshot_id: int) -> None:
        if not self.request("evm_revert", [hex(snapshot_id)]):
            raise ChainError(f"the node has no snapshot {snapshot_id} (each id works once)")

    def close(self) -> None:
        self._session.close()

    def request(self, method: str, params: list[Any]) -> Any:
        """A raw JSON-RPC request (for node-specific methods); errors become RpcError."""
        try:
            return self.w3.manager.request_blocking(RPCEndpoint(method), params)
        except Web3RPCError as exc:
            raise RpcError(f"{method} failed: {exc.message}", method=method) from exc
