"""The inner voices (alto, tenor), voiced by rule between the learned outer voices.

On every beat that is not a held cadence beat, alto and tenor take the pair of chord tones,
inside their learned ranges and between soprano and bass, with the lowest cost:

    movement in semitones + 6 per chord tone nobody sounds + 3 for a doubled third
        + 8 per parallel fifth or octave with any other voice + 2 per voice wider than an
        octave from its neighbour + 4 per unison with a neighbouring voice

Costs are integers and ties go to the lower (alto, tenor), so the voicing is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence

from chorale.plan import Kind, Slot
from chorale.score import TICKS_PER_BEAT, Note
from chorale.tables import Chord

_PERFECT = (0, 7)


def inner_voices(
    slots: Sequence[Slot],
    chords: Sequence[Chord],
    soprano: Sequence[int],
    bass: Sequence[int],
    tonic: int,
    alto_range: tuple[int, int],
    tenor_range: tuple[int, int],
) -> tuple[tuple[Note, ...], tuple[Note, ...]]:
    alto: list[int] = []
    tenor: list[int] = []
    for beat, (slot, chord) in enumerate(zip(slots, chords, strict=True)):
        if slot.kind is Kind.HOLD:
            alto.append(alto[-1])
            tenor.append(tenor[-1])
            continue
        previous = (
            (alto[-1], tenor[-1], soprano[beat - 1], bass[beat - 1])
            if beat
            else ((alto_range[0] + alto_range[1]) // 2, (tenor_range[0] + tenor_range[1]) // 2)
        )
        pick = _best_pair(
            chord, soprano[beat], bass[beat], tonic, alto_range, tenor_range, previous
        )
        alto.append(pick[0])
        tenor.append(pick[1])
    end = len(slots) * TICKS_PER_BEAT
    return _tied(alto, end), _tied(tenor, end)


def _best_pair(
    chord: Chord,
    soprano: int,
    bass: int,
    tonic: int,
    alto_range: tuple[int, int],
    tenor_range: tuple[int, int],
    previous: tuple[int, ...],
) -> tuple[int, int]:
    pcs = set(chord.pcs)
    altos = [p for p in range(alto_range[0], alto_range[1] + 1) if (p - tonic) % 12 in pcs]
    tenors = [p for p in range(tenor_range[0], tenor_range[1] + 1) if (p - tonic) % 12 in pcs]
    best: tuple[int, int, int] | None = None
    for a in altos:
        for t in tenors:
            if not bass <= t <= a <= soprano:
                continue
            cost = _cost(a, t, soprano, bass, chord, tonic, previous)
            if best is None or (cost, a, t) < best:
                best = (cost, a, t)
    if best is None:
        # No chord tones fit between the outer voices: keep the previous notes if any.
        if len(previous) == 4:
            return previous[0], previous[1]
        return (soprano + bass) // 2 + 2, (soprano + bass) // 2 - 2
    return best[1], best[2]


def _cost(
    alto: int,
    tenor: int,
    soprano: int,
    bass: int,
    chord: Chord,
    tonic: int,
    previous: tuple[int, ...],
) -> int:
    sounding = (soprano, alto, tenor, bass)
    classes = [(p - tonic) % 12 for p in sounding]
    cost = abs(alto - previous[0]) + abs(tenor - previous[1])
    cost += 6 * sum(1 for pc in chord.pcs if pc not in classes)
    third = chord.pcs[1]
    if classes.count(third) > 1:
        cost += 3
    cost += 2 * sum(1 for upper, lower in ((soprano, alto), (alto, tenor)) if upper - lower > 12)
    cost += 4 * sum(
        1 for upper, lower in ((soprano, alto), (alto, tenor), (tenor, bass)) if upper == lower
    )
    if len(previous) == 4:
        before = (previous[2], previous[0], previous[1], previous[3])
        for i in range(4):
            for j in range(i + 1, 4):
                now, then = (sounding[i] - sounding[j]) % 12, (before[i] - before[j]) % 12
                moved = sounding[i] != before[i] and sounding[j] != before[j]
                if moved and now == then and now in _PERFECT:
                    cost += 8
    return cost


def _tied(pitches: Sequence[int], end: int) -> tuple[Note, ...]:
    """One note per beat, repeated pitches tied into one longer note."""
    notes: list[Note] = []
    for beat, pitch in enumerate(pitches):
        start = beat * TICKS_PER_BEAT
        if notes and notes[-1].pitch == pitch:
            last = notes[-1]
            notes[-1] = Note(last.start, last.length + TICKS_PER_BEAT, pitch)
        else:
            notes.append(Note(start, TICKS_PER_BEAT, pitch))
    assert not notes or notes[-1].start + notes[-1].length == end
    return tuple(notes)
