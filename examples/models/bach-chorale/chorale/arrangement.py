"""Give the four voices to the instruments the prompt named, with a velocity per voice."""

from __future__ import annotations

from collections.abc import Sequence

from chorale.instruments import Instrument, voices_for
from chorale.midi import Track
from chorale.score import Score

# The melody sings out, the bass carries, the inner voices stay under both.
VELOCITY = {"soprano": 96, "alto": 70, "tenor": 70, "bass": 82}
_DRUM_CHANNEL = 9  # General MIDI reserves it for percussion


def arrange(score: Score, instruments: Sequence[Instrument]) -> list[Track]:
    tracks = []
    channels = [c for c in range(16) if c != _DRUM_CHANNEL]
    for number, (instrument, voices) in enumerate(
        zip(instruments, voices_for(len(instruments)), strict=True)
    ):
        notes = tuple((note, VELOCITY[voice]) for voice in voices for note in score.voices[voice])
        name = f"{instrument.name} ({', '.join(voices)})"
        tracks.append(Track(name, instrument.program, channels[number], notes))
    return tracks
