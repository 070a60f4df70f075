"""Render a score to 16-bit mono WAV with integer arithmetic only.

Bit-identical output on every machine is the point: agents on different processors must hash
the same WAV. Float sine and pow can differ in the last bit between libm builds and SIMD
paths, so nothing here touches floats at render time:

- one sine table (4096 steps), computed once with `decimal` (software arithmetic, the same
  everywhere) and rounded to integers;
- each timbre is a wavetable summing a few harmonics of that sine with integer weights;
- each MIDI pitch has an integer phase increment (a 32-bit phase accumulator, as in a DDS),
  from 440 * 2 ** ((p - 69) / 12) computed in `decimal`;
- envelopes are piecewise linear in integers; voices are summed in int64 and the mix is
  scaled to a fixed peak by integer division.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import numpy as np
import numpy.typing as npt

from chorale.score import TICKS_PER_BEAT, Note

SAMPLE_RATE = 22050
TAIL_SECONDS = 1  # silence-ish after the last note, for the release to ring out
TABLE_BITS = 12
TABLE_SIZE = 1 << TABLE_BITS
PHASE_BITS = 32
ENVELOPE_ONE = 1 << 12
PEAK = 29000  # of 32767: a little headroom

Samples = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Timbre:
    harmonics: tuple[int, ...]  # weight of harmonic 1, 2, 3, ... (per mille)
    attack_ms: int
    decay_ms: int
    sustain: int  # per mille of the peak, after the decay
    release_ms: int


TIMBRES = {
    "piano": Timbre((1000, 450, 250, 120, 60, 30), 4, 900, 0, 120),
    "pluck": Timbre((1000, 600, 400, 250, 150, 100, 60), 3, 600, 0, 80),
    "mallet": Timbre((1000, 0, 0, 250, 0, 0, 0, 0, 80), 2, 1200, 0, 200),
    "organ": Timbre((1000, 700, 0, 500, 0, 250, 0, 150), 12, 30, 900, 60),
    "string": Timbre((1000, 500, 333, 250, 200, 167, 143, 125), 70, 120, 850, 140),
    "choir": Timbre((1000, 400, 200, 80, 40), 110, 150, 800, 180),
    "brass": Timbre((1000, 800, 600, 450, 300, 200, 120, 80), 35, 90, 800, 90),
    "reed": Timbre((1000, 0, 333, 0, 200, 0, 143, 0, 111), 25, 80, 850, 70),
    "flute": Timbre((1000, 120, 40), 45, 100, 850, 90),
}

_PI = Decimal("3.14159265358979323846264338327950288")


def _sine_table(scale: int) -> list[int]:
    """round(scale * sin(2 pi k / TABLE_SIZE)) for every k, in decimal arithmetic."""
    quarter = TABLE_SIZE // 4
    values = []
    with localcontext() as ctx:
        ctx.prec = 34
        for k in range(quarter + 1):
            x = 2 * _PI * k / TABLE_SIZE
            term, total, n = x, x, 1
            while abs(term) > Decimal("1e-30"):
                term = -term * x * x / ((2 * n) * (2 * n + 1))
                total += term
                n += 1
            values.append(int((total * scale).to_integral_value(ROUND_HALF_EVEN)))
    rising = values + values[quarter - 1 : 0 : -1]  # 0 .. pi
    return rising + [-v for v in rising]


def _phase_increments() -> list[int]:
    """Phase step per sample for MIDI pitches 0-127: f * 2**32 / SAMPLE_RATE."""
    steps = []
    with localcontext() as ctx:
        ctx.prec = 34
        for pitch in range(128):
            freq = 440 * Decimal(2) ** (Decimal(pitch - 69) / 12)
            step = freq * (1 << PHASE_BITS) / SAMPLE_RATE
            steps.append(int(step.to_integral_value(ROUND_HALF_EVEN)))
    return steps


@dataclass(frozen=True)
class Part:
    """Notes played with one timbre, each note with its MIDI velocity."""

    timbre: str
    notes: tuple[tuple[Note, int], ...]


class Synthesizer:
    def __init__(self) -> None:
        sine = np.array(_sine_table(1 << 20), dtype=np.int64)
        index = np.arange(TABLE_SIZE, dtype=np.int64)
        self._tables: dict[str, Samples] = {}
        for name, timbre in TIMBRES.items():
            wave_sum = np.zeros(TABLE_SIZE, dtype=np.int64)
            for harmonic, weight in enumerate(timbre.harmonics, start=1):
                wave_sum += weight * sine[(index * harmonic) % TABLE_SIZE]
            self._tables[name] = wave_sum * 32767 // int(np.abs(wave_sum).max())
        self._steps = _phase_increments()

    def render(self, parts: Sequence[Part], ticks: int, bpm: int) -> bytes:
        """The WAV file: the score's length at `bpm`, plus TAIL_SECONDS."""
        length = self.sample_of(ticks, bpm) + TAIL_SECONDS * SAMPLE_RATE
        mix = np.zeros(length, dtype=np.int64)
        for part in parts:
            for note, velocity in part.notes:
                start = self.sample_of(note.start, bpm)
                held = self.sample_of(note.start + note.length, bpm) - start
                sound = self._note(part.timbre, note.pitch, held, velocity)
                stop = min(length, start + len(sound))
                mix[start:stop] += sound[: stop - start]
        peak = int(np.abs(mix).max())
        if peak:
            mix = mix * PEAK // peak
        return _wav_bytes(mix.astype("<i2"))

    @staticmethod
    def sample_of(tick: int, bpm: int) -> int:
        """Sample index of a sixteenth-note tick (exact integer arithmetic)."""
        return tick * SAMPLE_RATE * 60 // (bpm * TICKS_PER_BEAT)

    def _note(self, timbre_name: str, pitch: int, held: int, velocity: int) -> Samples:
        timbre = TIMBRES[timbre_name]
        release = timbre.release_ms * SAMPLE_RATE // 1000
        t = np.arange(held + release, dtype=np.int64)
        phase = (t * self._steps[pitch]) >> (PHASE_BITS - TABLE_BITS)
        wave_samples: Samples = self._tables[timbre_name][phase & (TABLE_SIZE - 1)]
        envelope = _envelope(timbre, t, held, release)
        sound: Samples = wave_samples * envelope * velocity // (ENVELOPE_ONE * 127)
        return sound


def _envelope(timbre: Timbre, t: Samples, held: int, release: int) -> Samples:
    attack = max(1, timbre.attack_ms * SAMPLE_RATE // 1000)
    decay = max(1, timbre.decay_ms * SAMPLE_RATE // 1000)
    sustain = timbre.sustain * ENVELOPE_ONE // 1000

    def level(x: Samples) -> Samples:
        rising = x * ENVELOPE_ONE // attack
        falling = ENVELOPE_ONE - (ENVELOPE_ONE - sustain) * (x - attack) // decay
        return np.where(x < attack, rising, np.where(x < attack + decay, falling, sustain))

    at_release = int(level(np.array([held], dtype=np.int64))[0])
    fading = at_release * (held + release - t) // max(1, release)
    return np.where(t < held, level(t), fading)


def _wav_bytes(samples: npt.NDArray[np.int16]) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()
