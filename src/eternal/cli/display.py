"""How the CLI writes amounts, times, digests and key/value tables, the same way everywhere."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from rich.table import Table

from eternal.cli.errors import CliError

WEI_PER_UNIT = 10**18  # EAI and ether both have 18 decimals


def format_units(wei: int, symbol: str) -> str:
    """`1500000000000000000` -> "1.5 EAI"; whole amounts without decimals, thousands grouped."""
    amount = Decimal(wei) / WEI_PER_UNIT
    text = f"{amount:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} {symbol}"


def eai(wei: int) -> str:
    return format_units(wei, "EAI")


def eth(wei: int) -> str:
    return format_units(wei, "ETH")


def parse_units(text: str, symbol: str) -> int:
    """A decimal amount of an 18-decimal unit ("2.5") in wei; CliError for anything else."""
    try:
        amount = Decimal(text.strip())
    except InvalidOperation as exc:
        raise CliError(f"{text!r} is not an amount of {symbol} (a decimal number)") from exc
    wei = amount * WEI_PER_UNIT
    if not amount.is_finite() or amount < 0 or wei != wei.to_integral_value():
        raise CliError(
            f"{text!r} is not a non-negative amount of {symbol} with at most 18 decimals"
        )
    return int(wei)


def short_hex(value: bytes | str, keep: int = 10) -> str:
    text = value if isinstance(value, str) else "0x" + value.hex()
    return text if len(text) <= 2 * keep + 1 else f"{text[:keep]}…{text[-keep + 2 :]}"


def key_values(rows: list[tuple[str, str]]) -> Table:
    """Two aligned columns, labels dim; values wrap rather than being cut (hashes stay whole)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def number(value: float) -> str:
    """2.0 -> "2", 0.25 -> "0.25", 2147483647.0 -> "2147483647"."""
    return str(int(value)) if float(value).is_integer() else repr(value)


def utc_time(timestamp: int | None) -> str:
    """A chain timestamp as "2026-11-29 12:03:10 UTC" (chain time is UTC everywhere)."""
    if timestamp is None:
        return "?"
    return f"{datetime.fromtimestamp(timestamp, tz=UTC):%Y-%m-%d %H:%M:%S} UTC"
