"""How pages write amounts, addresses, times and sizes."""

from __future__ import annotations

import pytest

from eternal.explorer.formatting import MISSING, eai, short, size, utc


@pytest.mark.parametrize(
    ("wei", "text"),
    [
        (0, "0 EAI"),
        (10**18, "1 EAI"),
        (1_500_000_000_000_000_000, "1.5 EAI"),
        (1_234_567 * 10**18, "1,234,567 EAI"),
        (123_456_789_000_000, "0.0001 EAI"),
        (1, "< 0.0001 EAI"),
        (None, MISSING),
    ],
)
def test_amounts_are_written_in_eai(wei: int | None, text: str) -> None:
    assert eai(wei) == text


def test_addresses_and_digests_keep_their_ends() -> None:
    address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

    assert short(address) == "0x709979…dc79C8"
    assert short(bytes(range(32))) == "0x000102…1d1e1f"
    assert short("0x1234") == "0x1234"


def test_times_are_utc_and_sizes_human() -> None:
    assert utc(0) == "1970-01-01 00:00:00"
    assert utc(None) == MISSING
    assert [size(n) for n in (812, 14_540, 3_250_586)] == ["812 B", "14.2 KiB", "3.1 MiB"]
