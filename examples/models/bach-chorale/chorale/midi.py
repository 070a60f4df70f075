"""Write the score as a standard MIDI file (type 1): a conductor track and one track per
instrument, each on its own channel with its General MIDI program.

Times are integer ticks (480 per quarter note), so the bytes depend on the score alone.
When one instrument plays two voices in unison, the shared pitch sounds once (two note-ons
of one pitch on one channel are ambiguous in MIDI).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import mido

from chorale.score import PITCH_NAMES, TICKS_PER_BEAT, Note, Score

TICKS_PER_QUARTER = 480
_SCALE = TICKS_PER_QUARTER // TICKS_PER_BEAT


@dataclass(frozen=True)
class Track:
    name: str
    program: int
    channel: int
    notes: tuple[tuple[Note, int], ...]  # (note, velocity)


def midi_bytes(score: Score, tracks: Sequence[Track], bpm: int) -> bytes:
    song = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_QUARTER)
    conductor = mido.MidiTrack()
    conductor.append(mido.MetaMessage("track_name", name="Chorale", time=0))
    conductor.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))
    key = PITCH_NAMES[score.tonic] + ("m" if score.mode == "minor" else "")
    conductor.append(mido.MetaMessage("key_signature", key=key, time=0))
    conductor.append(mido.MetaMessage("set_tempo", tempo=_microseconds_per_quarter(bpm), time=0))
    conductor.append(mido.MetaMessage("end_of_track", time=score.ticks * _SCALE))
    song.tracks.append(conductor)
    for track in tracks:
        song.tracks.append(_instrument_track(track))
    buffer = io.BytesIO()
    song.save(file=buffer)
    return buffer.getvalue()


def _microseconds_per_quarter(bpm: int) -> int:
    return (60_000_000 + bpm // 2) // bpm  # rounded, in integers


def _instrument_track(track: Track) -> mido.MidiTrack:
    events: list[tuple[int, int, int, int]] = []  # (tick, 0 = off / 1 = on, pitch, velocity)
    for note, velocity in track.notes:
        events.append((note.start * _SCALE, 1, note.pitch, velocity))
        events.append(((note.start + note.length) * _SCALE, 0, note.pitch, 0))
    events.sort()
    messages = mido.MidiTrack()
    messages.append(mido.MetaMessage("track_name", name=track.name, time=0))
    messages.append(
        mido.Message("program_change", channel=track.channel, program=track.program, time=0)
    )
    sounding: dict[int, int] = {}
    now = 0
    for tick, is_on, pitch, velocity in events:
        count = sounding.get(pitch, 0)
        sounding[pitch] = count + (1 if is_on else -1)
        if (is_on and count > 0) or (not is_on and count > 1):
            continue  # a unison with a note already sounding
        kind = "note_on" if is_on else "note_off"
        messages.append(
            mido.Message(
                kind, channel=track.channel, note=pitch, velocity=velocity, time=tick - now
            )
        )
        now = tick
    messages.append(mido.MetaMessage("end_of_track", time=0))
    return messages
