"""Cog predictor: a Bach-style chorale from a prompt, as MIDI and a WAV rendering.

The prompt steers mode ("minor", "sad", "in D major"), tempo ("serene", "lively", "at 72
bpm") and instruments ("piano and string instruments"); `bars` sets the length and `seed` the
draw. The same inputs give the same bytes (MIDI and WAV) on every machine: see chorale/synth.py.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path as FsPath
from typing import Any

from chorale.arrangement import arrange
from chorale.composer import compose
from chorale.instruments import voices_for
from chorale.midi import midi_bytes
from chorale.prompt import PromptError, read_prompt
from chorale.synth import SAMPLE_RATE, Part, Synthesizer
from chorale.tables import ChoraleModel
from cog import BasePredictor, Input, Path

MODEL_FILE = FsPath(__file__).resolve().parent / "model" / "chorale-markov.json"
MIN_BARS, MAX_BARS, DEFAULT_BARS = 1, 32, 8
MAX_SEED = 2**31 - 1


class Predictor(BasePredictor):  # type: ignore[misc]  # cog ships no type hints
    def setup(self) -> None:
        self.model = ChoraleModel.load(MODEL_FILE)
        self.synth = Synthesizer()

    def predict(
        self,
        prompt: str = Input(description="What to compose: mood, mode, tempo, instruments"),
        bars: int = Input(description="Length in 4/4 bars", default=DEFAULT_BARS, ge=1, le=32),
        seed: int = Input(description="Seed of the draw", default=0, ge=0, le=MAX_SEED),
    ) -> dict[str, Any]:
        # Without `cog build` the server enforces no bounds and sends None for missing inputs.
        bars = DEFAULT_BARS if bars is None else bars
        seed = 0 if seed is None else seed
        _check_int("bars", bars, MIN_BARS, MAX_BARS)
        _check_int("seed", seed, 0, MAX_SEED)
        if not isinstance(prompt, str):
            raise PromptError("prompt must be text")
        request = read_prompt(prompt)
        rng = random.Random(seed)
        score = compose(self.model, request.mode, request.tonic, bars, rng)
        tracks = arrange(score, request.instruments)
        parts = [
            Part(instrument.timbre, track.notes)
            for instrument, track in zip(request.instruments, tracks, strict=True)
        ]
        wav = self.synth.render(parts, score.ticks, request.bpm)
        out = FsPath(tempfile.mkdtemp(prefix="chorale-"))
        (out / "chorale.mid").write_bytes(midi_bytes(score, tracks, request.bpm))
        (out / "chorale.wav").write_bytes(wav)
        frames = (len(wav) - 44) // 2  # 16-bit mono after the 44-byte header
        return {
            "midi": Path(out / "chorale.mid"),
            "wav": Path(out / "chorale.wav"),
            "key": score.key_name,
            "mode": score.mode,
            "tempo_bpm": request.bpm,
            "time_signature": "4/4",
            "bars": bars,
            "seed": seed,
            "duration_seconds": round(frames / SAMPLE_RATE, 3),
            "sample_rate": SAMPLE_RATE,
            "instruments": [
                {"name": instrument.name, "program": instrument.program, "voices": list(voices)}
                for instrument, voices in zip(
                    request.instruments, voices_for(len(request.instruments)), strict=True
                )
            ],
            "chords": list(score.chords),
            "notes": sum(len(notes) for notes in score.voices.values()),
        }


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PromptError(f"{name} must be an integer from {low} to {high}, got {value!r}")
