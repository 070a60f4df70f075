"""What the composer writes: four voices of notes on a sixteenth-note grid, and the chords."""

from __future__ import annotations

from dataclasses import dataclass

VOICES = ("soprano", "alto", "tenor", "bass")
TICKS_PER_BEAT = 4  # sixteenths
BEATS_PER_BAR = 4  # 4/4, the metre of the chorales the model learned from


@dataclass(frozen=True)
class Note:
    start: int  # sixteenths from the beginning
    length: int  # sixteenths
    pitch: int  # MIDI note number


@dataclass(frozen=True)
class Score:
    tonic: int  # pitch class, 0 = C
    mode: str  # "major" | "minor"
    bars: int
    voices: dict[str, tuple[Note, ...]]  # soprano, alto, tenor, bass
    chords: tuple[str, ...]  # one Roman numeral per beat

    @property
    def ticks(self) -> int:
        return self.bars * BEATS_PER_BAR * TICKS_PER_BEAT

    @property
    def key_name(self) -> str:
        return f"{PITCH_NAMES[self.tonic]} {self.mode}"


# Key names as Bach's chorales spell them (flats for the flat keys of the corpus).
PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
