"""How the demo writes EAI amounts: exact, thousands grouped, no trailing zeros."""

from __future__ import annotations

from decimal import Decimal

WEI_PER_EAI = 10**18


def eai(wei: int) -> str:
    """`1500000000000000000` -> "1.5 EAI"; `-2 * 10**18` -> "-2 EAI"."""
    text = f"{Decimal(wei) / WEI_PER_EAI:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} EAI"


def signed_eai(wei: int) -> str:
    """An amount with its sign always written: "+1.5 EAI", "-2 EAI", "0 EAI"."""
    return ("+" if wei > 0 else "") + eai(wei)
