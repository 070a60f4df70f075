"""Chord names shared by training and generation: a set of pitch classes -> a Roman numeral.

Training labels every beat of a chorale with the chord its four voices sound; generation
reads the same labels back from the model file. Pitch classes are counted from the tonic
(0 = tonic), so one table serves every key. The labeller is deliberately simple (nine chord
templates, root chosen among the sounding notes) and integer-only: the same notes always
give the same label.
"""

from __future__ import annotations

from collections.abc import Iterable

# Templates as intervals above the root, in the order ties are broken (triads first).
TEMPLATES: dict[str, tuple[int, ...]] = {
    "maj": (0, 4, 7),
    "min": (0, 3, 7),
    "dim": (0, 3, 6),
    "aug": (0, 4, 8),
    "dom7": (0, 4, 7, 10),
    "min7": (0, 3, 7, 10),
    "maj7": (0, 4, 7, 11),
    "hdim7": (0, 3, 6, 10),
    "dim7": (0, 3, 6, 9),
}
_MINOR_LIKE = {"min", "dim", "min7", "hdim7", "dim7"}
_SUFFIX = {
    "maj": "",
    "min": "",
    "dim": "o",
    "aug": "+",
    "dom7": "7",
    "min7": "7",
    "maj7": "maj7",
    "hdim7": "ø7",
    "dim7": "o7",
}
_NUMERALS = ("I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII")
ROLES = ("root", "third", "fifth", "seventh", "other")


def chord_label(pcs: Iterable[int], bass_pc: int) -> tuple[str, int, str]:
    """(label, root, quality) of the chord best explaining `pcs` (pitch classes from the tonic).

    Cost of reading the notes as template T on root r: 2 per note T does not explain, 1 per
    note of T missing. Ties go to a root in the bass, then to the earlier template.
    """
    notes = sorted({pc % 12 for pc in pcs})
    if not notes:
        raise ValueError("a chord needs at least one pitch class")
    best: tuple[int, int, int, int, str] | None = None
    for root in notes:
        for order, (quality, intervals) in enumerate(TEMPLATES.items()):
            members = {(root + step) % 12 for step in intervals}
            extra = sum(1 for pc in notes if pc not in members)
            missing = sum(1 for pc in members if pc not in notes)
            key = (2 * extra + missing, 0 if root == bass_pc % 12 else 1, order, root, quality)
            if best is None or key < best:
                best = key
    assert best is not None
    root, quality = best[3], best[4]
    return name_of(root, quality), root, quality


def name_of(root: int, quality: str) -> str:
    numeral = _NUMERALS[root % 12]
    if quality in _MINOR_LIKE:
        numeral = numeral.lower()
    return numeral + _SUFFIX[quality]


def chord_pcs(root: int, quality: str) -> list[int]:
    return [(root + step) % 12 for step in TEMPLATES[quality]]


def role_of(pc: int, root: int, quality: str) -> str:
    """What a pitch class is in a chord: root, third, fifth, seventh or other (a non-chord tone)."""
    step = (pc - root) % 12
    intervals = TEMPLATES[quality]
    if step not in intervals:
        return "other"
    return ROLES[intervals.index(step)]
