"""How pages write amounts, addresses, digests, times and sizes: the templates' Jinja filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

WEI_PER_EAI = 10**18
MISSING = "\N{EN DASH}"  # what a page shows for a value that does not exist (yet)


def eai(wei: int | None) -> str:
    """`1500000000000000000` -> "1.5 EAI"; thousands grouped, at most 4 decimals shown."""
    if wei is None:
        return MISSING
    amount = (Decimal(wei) / WEI_PER_EAI).quantize(Decimal("0.0001"))
    text = f"{amount:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("0", "-0") and wei != 0:
        text = "< 0.0001"
    return f"{text} EAI"


def short(value: str | bytes, keep: int = 6) -> str:
    """An address or a digest cut to its ends: "0x70997970…dc79C8"."""
    text = value if isinstance(value, str) else "0x" + value.hex()
    return text if len(text) <= 2 * keep + 3 else f"{text[: keep + 2]}…{text[-keep:]}"


def hexed(value: bytes) -> str:
    return "0x" + value.hex()


def utc(timestamp: int | None) -> str:
    """A chain timestamp as "2026-11-29 12:03:10" (chain time is UTC)."""
    if timestamp is None:
        return MISSING
    return f"{datetime.fromtimestamp(timestamp, tz=UTC):%Y-%m-%d %H:%M:%S}"


def size(count: int) -> str:
    """Bytes as "812 B", "14.2 KiB", "3.1 MiB"."""
    if count < 1024:
        return f"{count} B"
    if count < 1024**2:
        return f"{count / 1024:.1f} KiB"
    return f"{count / 1024**2:.1f} MiB"


FILTERS: dict[str, Callable[..., Any]] = {
    "eai": eai,
    "short": short,
    "hexed": hexed,
    "utc": utc,
    "size": size,
}
