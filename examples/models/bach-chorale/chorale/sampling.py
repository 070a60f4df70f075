"""Seeded choices with integer weights, so a seed gives the same music on every machine.

Weights are Python integers (counts and products of counts): no float rounding can differ
between processors. Keys are visited in sorted order, so the draw does not depend on the order
a table was built in.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import TypeVar

K = TypeVar("K", str, int)


def choose(rng: random.Random, weights: Mapping[K, int]) -> K:
    """One key drawn with probability weight / total; a total of zero is a bug in the caller."""
    items = sorted((key, weight) for key, weight in weights.items() if weight > 0)
    total = sum(weight for _, weight in items)
    if total <= 0:
        raise ValueError("nothing to choose from: every weight is zero")
    ticket = rng.randrange(total)
    for key, weight in items:
        if ticket < weight:
            return key
        ticket -= weight
    raise AssertionError("unreachable: the ticket is below the total")


def mix(primary: Mapping[str, int] | None, backoff: Mapping[str, int]) -> dict[str, int]:
    """Equal-weight mixture of two count tables, kept in integers by cross-multiplying totals.

    The primary table (a longer context) may be missing or sparse; the backoff (a shorter one)
    keeps every continuation it saw possible.
    """
    if not primary:
        return dict(backoff)
    primary_total, backoff_total = sum(primary.values()), sum(backoff.values())
    keys = set(primary) | set(backoff)
    return {
        key: primary.get(key, 0) * backoff_total + backoff.get(key, 0) * primary_total
        for key in keys
    }
