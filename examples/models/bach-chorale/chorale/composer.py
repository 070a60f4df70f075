"""Compose a chorale: chords by a second-order Markov chain with learned cadences, then the
outer voices from their learned tables, then the inner voices by rule.

Every draw comes from one `random.Random(seed)` in a fixed order, with integer weights, so a
seed gives the same score everywhere.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from chorale.lines import START, Key, Voice, compose_outer
from chorale.plan import Kind, Slot, plan
from chorale.sampling import choose, mix
from chorale.score import Score
from chorale.tables import ChoraleModel, Chord, ModeTables
from chorale.voicing import inner_voices

RANGE_MARGIN = 2  # semitones


def compose(
    model: ChoraleModel, mode: str, tonic: int | None, bars: int, rng: random.Random
) -> Score:
    """A chorale of `bars` bars in `mode`; the tonic is drawn from Bach's keys when None."""
    tables = model.modes[mode]
    if tonic is None:
        tonic = choose(rng, tables.tonics)
    slots = plan(bars)
    labels = _progression(model, tables, slots, rng)
    chords = [model.chords[label] for label in labels]
    key = Key(tonic, tables.scale)
    soprano, bass = compose_outer(
        Voice(tables.soprano, _widened(tables, "soprano")),
        Voice(tables.bass, _widened(tables, "bass")),
        slots,
        chords,
        key,
        rng,
    )
    alto, tenor = inner_voices(
        slots,
        chords,
        soprano.sounding,
        bass.sounding,
        tonic,
        tables.ranges["alto"],
        tables.ranges["tenor"],
    )
    voices = {"soprano": soprano.notes, "alto": alto, "tenor": tenor, "bass": bass.notes}
    return Score(tonic, mode, bars, voices, tuple(labels))


def _widened(tables: ModeTables, voice: str) -> tuple[int, int]:
    """The voice's usual range (5th to 95th percentile) and a whole tone either side.

    The pitch weights multiply several counts, which can outvote the range count and drag a
    line out of its register; a hard bound keeps each voice where Bach kept it.
    """
    low, high = tables.ranges[voice]
    return low - RANGE_MARGIN, high + RANGE_MARGIN


def _progression(
    model: ChoraleModel, tables: ModeTables, slots: Sequence[Slot], rng: random.Random
) -> list[str]:
    labels: list[str] = []
    index = 0
    while index < len(slots):
        slot = slots[index]
        if slot.kind is Kind.HOLD:
            labels.append(labels[-1])
        elif index + 1 < len(slots) and slots[index + 1].kind is Kind.CADENCE:
            # The approach chord and the cadence chord are drawn as a pair.
            cadences = _final(model, tables.final_cadences) if slot.final else tables.cadences
            before, cadence = _cadence(tables, cadences, labels, rng)
            labels.extend((before, cadence))
            index += 1
        else:
            labels.append(choose(rng, _next_chord(tables, labels)))
        index += 1
    return labels


def _final(model: ChoraleModel, cadences: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The final cadences that end on a major or minor triad on the tonic.

    A few chorales end elsewhere (on V, or on the relative major of a modal "minor" tune that
    music21's key analysis reads as minor); the piece asked for ends in its own key.
    """
    ending = {
        before: {last: n for last, n in endings.items() if _tonic_triad(model.chords[last])}
        for before, endings in cadences.items()
    }
    return {before: endings for before, endings in ending.items() if endings}


def _tonic_triad(chord: Chord) -> bool:
    return chord.root == 0 and chord.quality in ("maj", "min")


def _next_chord(tables: ModeTables, labels: Sequence[str]) -> dict[str, int]:
    previous1 = labels[-1] if labels else START
    previous2 = labels[-2] if len(labels) >= 2 else START
    backoff = tables.chords_1.get(previous1) or tables.chords_1[START]
    return mix(tables.chords_2.get(f"{previous2} {previous1}"), backoff)


def _cadence(
    tables: ModeTables,
    cadences: dict[str, dict[str, int]],
    labels: Sequence[str],
    rng: random.Random,
) -> tuple[str, str]:
    approach = _next_chord(tables, labels)
    pairs = {
        f"{before}|{cadence}": count * approach.get(before, 0)
        for before, endings in cadences.items()
        for cadence, count in endings.items()
    }
    if not any(pairs.values()):
        # The chain cannot reach any learned cadence from here: take a cadence as learned.
        pairs = {
            f"{before}|{cadence}": count
            for before, endings in cadences.items()
            for cadence, count in endings.items()
        }
    before, cadence = choose(rng, pairs).split("|")
    return before, cadence
