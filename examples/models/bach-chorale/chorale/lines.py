"""The outer voices, soprano and bass: rhythm figures, struck pitches, then passing notes.

A figure says where notes start inside a beat, in sixteenths ("0", "0,2", "H", "H,2"; "H"
holds the note struck before). Figures follow the voice's learned figure transitions; the
cadence beat is struck and held. A struck pitch is drawn with weight

    count(interval from the previous beat) * count(its role in the chord)
        * count(that absolute pitch) * count(that pitch class in the mode)

a product of the voice's learned counts (a naive-Bayes mix of melody, harmony and range).
Soprano and bass are drawn as a pair (the product of their weights), which lets the pair
avoid parallel fifths and octaves. Notes after the first
inside a beat walk along the mode's scale towards the next beat's pitch (passing and
neighbour notes).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from chorale.harmony import role_of
from chorale.plan import Kind, Slot
from chorale.sampling import choose
from chorale.score import TICKS_PER_BEAT, Note
from chorale.tables import Chord, VoiceTables

HOLD = "H"
START = "^"
_PERFECT = (0, 7)  # interval classes that must not move in parallel


@dataclass(frozen=True)
class Line:
    figures: tuple[str, ...]
    sounding: tuple[int, ...]  # pitch sounding at each beat's start
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Key:
    tonic: int
    scale: tuple[int, ...]  # pitch classes from the tonic

    def under(self, chord: Chord) -> Key:
        """The scale with the chord's notes in place of the degrees they spell: a minor key's
        leading tone under V, a raised fourth under V/V. Chord tones stack in thirds, so
        the k-th one sits 2k degrees above the root's degree."""
        scale = list(self.scale)
        root_degree = _DEGREE_OF_ROOT[chord.root]
        for k, pc in enumerate(chord.pcs):
            scale[(root_degree + 2 * k) % len(scale)] = pc
        return Key(self.tonic, tuple(scale))


# Scale degree (0-6) of a chord root, as its Roman numeral spells it (bIII is degree 2).
_DEGREE_OF_ROOT = (0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6)


@dataclass(frozen=True)
class Voice:
    """What an outer voice has learned, and where it may go (lowest, highest MIDI pitch)."""

    tables: VoiceTables
    bounds: tuple[int, int]

    def pitches(self) -> dict[int, int]:
        low, high = self.bounds
        return {p: n for p, n in self.tables.range.items() if low <= p <= high}


def compose_outer(
    soprano: Voice,
    bass: Voice,
    slots: Sequence[Slot],
    chords: Sequence[Chord],
    key: Key,
    rng: random.Random,
) -> tuple[Line, Line]:
    """Soprano and bass, drawn together beat by beat so that the pair can avoid parallel
    fifths and octaves and keep the bass under the soprano."""
    figures = (_figures(soprano.tables, slots, rng), _figures(bass.tables, slots, rng))
    ranges = (soprano.pitches(), bass.pitches())
    upper: list[int] = []
    lower: list[int] = []
    for beat, (slot, chord) in enumerate(zip(slots, chords, strict=True)):
        options = []
        for voice, line, figure, pitches in zip(
            (soprano, bass), (upper, lower), figures, ranges, strict=True
        ):
            if figure[beat].startswith(HOLD):
                options.append({line[-1]: 1})
            else:
                previous = line[-1] if line else None
                options.append(_pitch_weights(voice.tables, pitches, slot, chord, key, previous))
        before = (upper[-1], lower[-1]) if upper else None
        pair = _choose_pair(options[0], options[1], before, rng)
        upper.append(pair[0])
        lower.append(pair[1])
    end = len(slots) * TICKS_PER_BEAT
    keys = [key.under(chord) for chord in chords]
    lines = tuple(
        Line(tuple(fig), tuple(sounding), _notes(fig, sounding, keys, end))
        for fig, sounding in zip(figures, (upper, lower), strict=True)
    )
    return lines[0], lines[1]


def _choose_pair(
    upper: dict[int, int],
    lower: dict[int, int],
    before: tuple[int, int] | None,
    rng: random.Random,
) -> tuple[int, int]:
    pairs = {
        s * 128 + b: ws * wb
        for s, ws in upper.items()
        for b, wb in lower.items()
        if ws and wb and _fits_under(s, b, before)
    }
    if not any(pairs.values()):
        # Only parallels or crossings are left (a held note can force them): allow them.
        pairs = {s * 128 + b: ws * wb for s, ws in upper.items() for b, wb in lower.items()}
    code = choose(rng, pairs)
    return code // 128, code % 128


def _figures(tables: VoiceTables, slots: Sequence[Slot], rng: random.Random) -> list[str]:
    figures: list[str] = []
    for slot in slots:
        if slot.kind is Kind.CADENCE:
            figures.append("0")
        elif slot.kind is Kind.HOLD:
            figures.append(HOLD)
        else:
            context = START if slot.phrase_start or not figures else figures[-1]
            options = tables.figures.get(context) or tables.figures[START]
            # Only a single note can be held over: the held pitch is then known before the
            # passing notes of the previous beat are (they depend on the next pitch).
            may_hold = not slot.phrase_start and bool(figures) and "," not in figures[-1]
            allowed = {f: w for f, w in options.items() if may_hold or not f.startswith(HOLD)}
            figures.append(choose(rng, allowed or {"0": 1}))
    return figures


def _pitch_weights(
    tables: VoiceTables,
    pitches: dict[int, int],
    slot: Slot,
    chord: Chord,
    key: Key,
    previous: int | None,
) -> dict[int, int]:
    if slot.kind is Kind.CADENCE:
        roles = tables.final_roles if slot.final else tables.cadence_roles
    else:
        roles = tables.roles
    role = {p: role_of((p - key.tonic) % 12, chord.root, chord.quality) for p in pitches}
    # A role's count is shared among the pitches that play it (many pitches are "other",
    # few are the root): weight = count(role) / n(role), kept integer by a common multiple.
    members = Counter(role.values())
    common = math.lcm(*members.values())
    weights: dict[int, int] = {}
    for pitch, seen in pitches.items():
        pc = (pitch - key.tonic) % 12
        degree = tables.degrees.get(pc, 0) + (1 if pc in chord.pcs else 0)
        melodic = 1 if previous is None else tables.intervals.get(pitch - previous, 0)
        harmonic = roles.get(role[pitch], 0) * common // members[role[pitch]]
        weights[pitch] = melodic * harmonic * seen * degree
    if not any(weights.values()):
        # Nothing fits every table (a rare chord in an odd register): keep the chord tones.
        weights = {p: n for p, n in pitches.items() if (p - key.tonic) % 12 in chord.pcs}
    return weights


def _fits_under(upper: int, lower: int, before: tuple[int, int] | None) -> bool:
    """A bass at least a fourth under the soprano, with no parallel fifth or octave."""
    if lower > upper - 5:
        return False
    if before is None:
        return True
    both_move = upper != before[0] and lower != before[1]
    now, then = (upper - lower) % 12, (before[0] - before[1]) % 12
    return not (both_move and now == then and now in _PERFECT)


def _notes(
    figures: Sequence[str], sounding: Sequence[int], keys: Sequence[Key], end: int
) -> tuple[Note, ...]:
    onsets: list[tuple[int, int]] = []
    for beat, figure in enumerate(figures):
        parts = figure.split(",")
        offsets = [int(p) for p in parts if p != HOLD]
        base = beat * TICKS_PER_BEAT
        if parts[0] != HOLD:
            onsets.append((base + offsets.pop(0), sounding[beat]))
        target = sounding[beat + 1] if beat + 1 < len(sounding) else sounding[beat]
        walk = _walk(sounding[beat], target, len(offsets), keys[beat])
        onsets.extend((base + offset, pitch) for offset, pitch in zip(offsets, walk, strict=True))
    notes = []
    for index, (start, pitch) in enumerate(onsets):
        stop = onsets[index + 1][0] if index + 1 < len(onsets) else end
        notes.append(Note(start, stop - start, pitch))
    return tuple(notes)


def _walk(start: int, target: int, count: int, key: Key) -> list[int]:
    """`count` notes from `start` towards `target`: passing notes, or neighbours when close."""
    pitches, current = [], start
    for _ in range(count):
        distance = _scale_distance(current, target, key)
        if abs(distance) >= 2:
            current = _step(current, 1 if distance > 0 else -1, key)
        elif distance == 0:
            current = _step(current, 1, key)  # upper neighbour
        else:
            current = _step(current, -distance, key)  # step away, come back by a third
        pitches.append(current)
    return pitches


def _in_scale(pitch: int, key: Key) -> bool:
    return (pitch - key.tonic) % 12 in key.scale


def _step(pitch: int, direction: int, key: Key) -> int:
    pitch += direction
    while not _in_scale(pitch, key):
        pitch += direction
    return pitch


def _scale_distance(start: int, target: int, key: Key) -> int:
    """Signed number of scale steps from start to target (chromatic notes count as steps)."""
    low, high = sorted((start, target))
    steps = sum(1 for p in range(low + 1, high + 1) if _in_scale(p, key) or p == high)
    return steps if target >= start else -steps
