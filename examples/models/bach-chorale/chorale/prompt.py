"""Read what a prompt asks for: mode, key, tempo and instruments.

    "Compose a serene, ambient piece featuring piano and string instruments"
        -> major (the default), 66 bpm (serene), piano on the melody, strings below

Precedence: an explicit key ("in D minor") over the words "major"/"minor" over mood words
("sad" -> minor, "joyful" -> major); an explicit tempo ("at 72 bpm") over the first tempo word.
A prompt that asks for two modes, a tempo out of range or more than four instruments is
rejected with a message naming the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chorale.instruments import DEFAULT, MAX_INSTRUMENTS, Instrument, instruments_in

MIN_BPM, MAX_BPM = 30, 240
DEFAULT_BPM = 84  # a usual chorale pace
MAX_PROMPT = 500

_NOTE = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_ACCIDENTAL = {"#": 1, "♯": 1, "sharp": 1, "b": -1, "♭": -1, "flat": -1}
_KEY = re.compile(
    r"\b(?:in|key of)\s+([a-g])(?:\s*|-)(#|♯|♭|b(?=\s)|sharp|flat)?[\s-]*(major|minor)\b"
)
_BPM = re.compile(r"\b(\d{1,4})\s*(?:bpm|beats (?:per|a) minute)\b")
_MOOD = {
    "minor": "sad|melancholy|melancholic|sorrowful|mournful|somber|sombre|dark|tragic|"
    "gloomy|grieving|grief|lament|plaintive|wistful",
    "major": "happy|joyful|joyous|bright|cheerful|triumphant|festive|jubilant|uplifting|"
    "hopeful|glorious",
}
_TEMPO_WORDS = (
    (48, "very slow|grave|largo|lento"),
    (60, "slow|slowly|adagio|solemn|meditative"),
    (66, "serene|calm|peaceful|tranquil|ambient|gentle|dreamy|relaxing|relaxed"),
    (76, "andante|walking|flowing|moderately slow"),
    (92, "moderate|moderato|steady"),
    (108, "allegretto|brisk"),
    (120, "lively|allegro|upbeat|energetic|spirited"),
    (144, "fast|quick|vivace|presto"),
)


class PromptError(ValueError):
    """The prompt asks for something the model cannot do, or is empty or too long."""


@dataclass(frozen=True)
class Request:
    mode: str
    tonic: int | None  # None: the model picks a key Bach used in that mode
    bpm: int
    instruments: tuple[Instrument, ...]


def read_prompt(prompt: str) -> Request:
    text = " ".join(prompt.lower().split())
    if not text:
        raise PromptError("the prompt is empty: describe the piece (mood, tempo, instruments)")
    if len(text) > MAX_PROMPT:
        raise PromptError(f"the prompt has {len(text)} characters, at most {MAX_PROMPT}")
    mode, tonic = _mode_and_tonic(text)
    named = instruments_in(text)
    if len(named) > MAX_INSTRUMENTS:
        names = ", ".join(i.name for i in named)
        raise PromptError(f"at most {MAX_INSTRUMENTS} instruments (one per voice), got {names}")
    return Request(mode, tonic, _bpm(text), named or DEFAULT)


def _mode_and_tonic(text: str) -> tuple[str, int | None]:
    keys = {(m.group(1), m.group(2), m.group(3)) for m in _KEY.finditer(text)}
    if len(keys) > 1:
        raise PromptError(f"the prompt names {len(keys)} keys; ask for one")
    if keys:
        letter, accidental, mode = keys.pop()
        return mode, (_NOTE[letter] + _ACCIDENTAL.get(accidental or "", 0)) % 12
    modes = set(re.findall(r"\b(major|minor)\b", text))
    if not modes:
        modes = {mode for mode, words in _MOOD.items() if re.search(rf"\b(?:{words})\b", text)}
    if len(modes) > 1:
        raise PromptError("the prompt asks for both major and minor; ask for one mode")
    return (modes.pop() if modes else "major"), None


def _bpm(text: str) -> int:
    explicit = [int(m.group(1)) for m in _BPM.finditer(text)]
    if len(set(explicit)) > 1:
        raise PromptError(f"the prompt names several tempos: {sorted(set(explicit))} bpm")
    if explicit:
        if not MIN_BPM <= explicit[0] <= MAX_BPM:
            raise PromptError(f"tempo {explicit[0]} bpm is outside {MIN_BPM}-{MAX_BPM} bpm")
        return explicit[0]
    found = [
        (match.start(), -len(match.group(0)), bpm)
        for bpm, words in _TEMPO_WORDS
        for match in re.finditer(rf"\b(?:{words})\b", text)
    ]
    return min(found)[2] if found else DEFAULT_BPM
