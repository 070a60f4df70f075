"""Retry policy for RPC faults: bounded attempts with exponential backoff.

Only transport faults (connection refused, timeouts, overloaded node) and anvil's pruned-state
race (`rpc._lost_a_pruning_race`) are retried; a revert or any other JSON-RPC error answer is a
real answer and is never retried.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` tries in total, waiting `initial_delay * multiplier**n` (capped) between them."""

    attempts: int = 5
    initial_delay: float = 0.1
    multiplier: float = 2.0
    max_delay: float = 2.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("RetryPolicy.attempts must be at least 1")
        if self.initial_delay < 0 or self.multiplier < 1 or self.max_delay < 0:
            raise ValueError("RetryPolicy delays must be non-negative and non-shrinking")

    def delays(self) -> Iterator[float]:
        """The waits between attempts: `attempts - 1` of them."""
        delay = self.initial_delay
        for _ in range(self.attempts - 1):
            yield min(delay, self.max_delay)
            delay *= self.multiplier


NO_RETRY = RetryPolicy(attempts=1)
