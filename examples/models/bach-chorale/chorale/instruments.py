"""Instruments a prompt can name: General MIDI programs, and the timbre the WAV uses for each.

Names are matched as whole words, longest phrase first ("english horn" before "horn",
"string instruments" before "strings"). "string quartet" stands for four instruments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Instrument:
    name: str
    program: int  # General MIDI program, 0-based (0 = Acoustic Grand Piano)
    timbre: str  # a key of synth.TIMBRES


_PIANO = Instrument("piano", 0, "piano")
_VIOLIN = Instrument("violin", 40, "string")
_VIOLA = Instrument("viola", 41, "string")
_CELLO = Instrument("cello", 42, "string")
_ORGAN = Instrument("church organ", 19, "organ")

DEFAULT = (_ORGAN,)  # what the chorales were written for, near enough
MAX_INSTRUMENTS = 4  # one per voice

# (regular expression, the instruments it names); plurals accepted where natural.
VOCABULARY: tuple[tuple[str, tuple[Instrument, ...]], ...] = (
    (r"string quartets?", (_VIOLIN, _VIOLIN, _VIOLA, _CELLO)),
    (r"electric pianos?", (Instrument("electric piano", 4, "piano"),)),
    (r"(?:grand )?pianos?|keyboards?", (_PIANO,)),
    (r"harpsichords?", (Instrument("harpsichord", 6, "pluck"),)),
    (r"glockenspiels?|celestas?", (Instrument("glockenspiel", 9, "mallet"),)),
    (r"vibraphones?", (Instrument("vibraphone", 11, "mallet"),)),
    (r"marimbas?", (Instrument("marimba", 12, "mallet"),)),
    (r"(?:church |pipe )?organs?", (_ORGAN,)),
    (r"accordions?", (Instrument("accordion", 21, "reed"),)),
    (r"guitars?", (Instrument("guitar", 24, "pluck"),)),
    (r"violins?|fiddles?", (_VIOLIN,)),
    (r"violas?", (_VIOLA,)),
    (r"(?:violon)?cellos?", (_CELLO,)),
    (r"double basse?s?|contrabasse?s?", (Instrument("contrabass", 43, "string"),)),
    (
        r"strings|string (?:instruments?|ensembles?|orchestras?|section)",
        (Instrument("strings", 48, "string"),),
    ),
    (r"harps?", (Instrument("harp", 46, "pluck"),)),
    (r"choirs?|chorus|voices", (Instrument("choir", 52, "choir"),)),
    (r"trumpets?", (Instrument("trumpet", 56, "brass"),)),
    (r"trombones?", (Instrument("trombone", 57, "brass"),)),
    (r"tubas?", (Instrument("tuba", 58, "brass"),)),
    (r"english horns?|cor anglais", (Instrument("english horn", 69, "reed"),)),
    (r"(?:french )?horns?", (Instrument("french horn", 60, "brass"),)),
    (r"brass(?: section| ensemble)?", (Instrument("brass section", 61, "brass"),)),
    (r"saxophones?|sax", (Instrument("saxophone", 65, "reed"),)),
    (r"oboes?", (Instrument("oboe", 68, "reed"),)),
    (r"bassoons?", (Instrument("bassoon", 70, "reed"),)),
    (r"clarinets?", (Instrument("clarinet", 71, "reed"),)),
    (r"piccolos?", (Instrument("piccolo", 72, "flute"),)),
    (r"flutes?", (Instrument("flute", 73, "flute"),)),
    (r"recorders?", (Instrument("recorder", 74, "flute"),)),
)

_PATTERNS = tuple((re.compile(rf"\b(?:{pattern})\b"), found) for pattern, found in VOCABULARY)


def instruments_in(text: str) -> tuple[Instrument, ...]:
    """The instruments named in `text` (lower case), in the order they are mentioned."""
    matches: list[tuple[int, int, tuple[Instrument, ...]]] = []
    for pattern, found in _PATTERNS:
        matches.extend((m.start(), m.end(), found) for m in pattern.finditer(text))
    # Longest match wins where two overlap ("english horn" over "horn").
    matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    named: list[Instrument] = []
    end = -1
    for start, stop, found in matches:
        if start < end:
            continue
        end = stop
        if len(found) > 1:
            named.extend(found)
        elif found[0] not in named:
            named.append(found[0])
    return tuple(named)


def voices_for(count: int) -> tuple[tuple[str, ...], ...]:
    """Which voices each of `count` instruments plays: the first named takes the melody."""
    layouts = {
        1: (("soprano", "alto", "tenor", "bass"),),
        2: (("soprano",), ("alto", "tenor", "bass")),
        3: (("soprano",), ("alto", "tenor"), ("bass",)),
        4: (("soprano",), ("alto",), ("tenor",), ("bass",)),
    }
    return layouts[count]
