"""Local nonce tracking, so one account can have several transactions in flight."""

from __future__ import annotations

import threading
from collections.abc import Callable


class NonceTracker:
    """Hands out consecutive nonces per address, starting from the node's pending count.

    `fetch(address)` asks the node; it is called the first time an address is seen and on
    `resync`. Thread-safe: two threads never get the same nonce.
    """

    def __init__(self, fetch: Callable[[str], int]) -> None:
        self._fetch = fetch
        self._next: dict[str, int] = {}
        self._lock = threading.Lock()

    def reserve(self, address: str) -> int:
        """The nonce for the next transaction from `address` (counted as used)."""
        with self._lock:
            nonce = self._next[address] if address in self._next else self._fetch(address)
            self._next[address] = nonce + 1
            return nonce

    def resync(self, address: str) -> int:
        """Forget the local count and take the node's; returns the next nonce."""
        with self._lock:
            nonce = self._fetch(address)
            self._next[address] = nonce
            return nonce

    def forget(self, address: str) -> None:
        """Drop the local count of `address`: the next `reserve` asks the node."""
        with self._lock:
            self._next.pop(address, None)

    def forget_all(self) -> None:
        """Drop every local count, e.g. after the chain was reverted to a snapshot."""
        with self._lock:
            self._next.clear()
