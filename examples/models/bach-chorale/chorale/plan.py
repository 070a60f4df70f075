"""The shape of a chorale: two-bar phrases, each ending on a cadence held for two beats.

A phrase of n bars has 4n beats: 4n - 2 beats of motion, a cadence beat (struck) and a held
beat. An odd number of bars ends with a one-bar phrase. The last phrase's cadence is the final
one (drawn from how Bach ends chorales rather than how he ends inner phrases).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from chorale.score import BEATS_PER_BAR


class Kind(Enum):
    MOVE = "move"
    CADENCE = "cadence"
    HOLD = "hold"


@dataclass(frozen=True)
class Slot:
    kind: Kind
    phrase_start: bool
    final: bool  # belongs to the last phrase


PHRASE_BARS = 2


def phrase_bars(bars: int) -> list[int]:
    if bars < 1:
        raise ValueError(f"a chorale needs at least one bar, got {bars}")
    return [PHRASE_BARS] * (bars // PHRASE_BARS) + [1] * (bars % PHRASE_BARS)


def plan(bars: int) -> list[Slot]:
    phrases = phrase_bars(bars)
    slots: list[Slot] = []
    for number, length in enumerate(phrases):
        final = number == len(phrases) - 1
        beats = length * BEATS_PER_BAR
        for beat in range(beats):
            if beat < beats - 2:
                kind = Kind.MOVE
            elif beat == beats - 2:
                kind = Kind.CADENCE
            else:
                kind = Kind.HOLD
            slots.append(Slot(kind, phrase_start=beat == 0, final=final))
    return slots
