"""Read Bach's chorales from music21's corpus into beats: what every voice does on each beat.

A beat is one quarter note of a 4/4 chorale. For each voice it records the note sounding at
the beat's start and the beat's rhythm figure (onsets inside the beat, in sixteenths from its
start; "H" first when the note was struck earlier and is held). Pitches stay absolute (MIDI);
the key (tonic pitch class, mode) comes from music21's key analysis of the whole chorale.
Chorales that are not SATB, not in 4/4 throughout, or have notes off the sixteenth grid are
skipped: the generator only writes that kind of music.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from music21 import corpus, expressions, meter, note, stream

VOICES = ("soprano", "alto", "tenor", "bass")
TICKS_PER_BEAT = 4  # sixteenths


@dataclass(frozen=True)
class VoiceBeat:
    pitch: int  # MIDI number sounding at the beat's start
    figure: str  # e.g. "0", "0,2", "H", "H,2"
    struck: bool  # a note starts exactly on the beat


@dataclass(frozen=True)
class Beat:
    voices: tuple[VoiceBeat, ...]  # soprano, alto, tenor, bass
    fermata: bool  # the soprano note struck on this beat has a fermata: a phrase ends


@dataclass(frozen=True)
class Chorale:
    source: str
    tonic: int  # pitch class
    mode: str  # "major" | "minor"
    beats: tuple[Beat | None, ...]  # None where a voice rests


@dataclass(frozen=True)
class _Note:
    onset: int
    length: int
    pitch: int
    fermata: bool


def chorale_sources() -> list[str]:
    """The 371 chorales of the Riemenschneider edition, in music21's order."""
    return [str(name) for name in corpus.chorales.Iterator(returnType="filename")]


def read_chorales(sources: list[str]) -> Iterator[Chorale | str]:
    """Each source as a Chorale, or as a string saying why it was skipped."""
    for source in sources:
        score = corpus.parse(source)
        yield _chorale(source, score)


def _chorale(source: str, score: stream.Score) -> Chorale | str:
    parts = {str(part.partName).lower(): part for part in score.parts}
    if any(voice not in parts for voice in VOICES):
        if len(score.parts) != len(VOICES):
            return f"{source}: not SATB ({sorted(parts)})"
        # Some files leave the parts unnamed; four parts are SATB from the top down.
        parts = dict(zip(VOICES, score.parts, strict=True))
    signatures = {ts.ratioString for ts in score.recurse().getElementsByClass(meter.TimeSignature)}
    if signatures != {"4/4"}:
        return f"{source}: time signatures {sorted(signatures)}"
    voices: list[list[_Note]] = []
    for voice in VOICES:
        notes = _notes(parts[voice])
        if notes is None:
            return f"{source}: {voice} leaves the sixteenth grid"
        voices.append(notes)
    analysed = score.analyze("key")
    total_beats = -(-max(n.onset + n.length for n in voices[0]) // TICKS_PER_BEAT)
    beats = tuple(_beat(voices, index) for index in range(total_beats))
    return Chorale(source, analysed.tonic.pitchClass, str(analysed.mode), beats)


def _notes(part: stream.Part) -> list[_Note] | None:
    found = []
    for element in part.stripTies().flatten().notes:
        if not isinstance(element, note.Note):
            return None
        onset, length = element.offset * TICKS_PER_BEAT, element.quarterLength * TICKS_PER_BEAT
        if onset != int(onset) or length != int(length):
            return None
        fermata = any(isinstance(e, expressions.Fermata) for e in element.expressions)
        found.append(_Note(int(onset), int(length), element.pitch.midi, fermata))
    return found


def _beat(voices: list[list[_Note]], index: int) -> Beat | None:
    start, end = index * TICKS_PER_BEAT, (index + 1) * TICKS_PER_BEAT
    states = []
    fermata = False
    for number, notes in enumerate(voices):
        sounding = next((n for n in notes if n.onset <= start < n.onset + n.length), None)
        if sounding is None:
            return None
        onsets = [n.onset - start for n in notes if start <= n.onset < end]
        struck = sounding.onset == start
        figure = ",".join(str(t) for t in onsets) if struck else ",".join(["H", *map(str, onsets)])
        states.append(VoiceBeat(sounding.pitch, figure, struck))
        if number == 0 and struck and sounding.fermata:
            fermata = True
    return Beat(tuple(states), fermata)
