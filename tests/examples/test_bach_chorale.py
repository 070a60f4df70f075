"""The bach-chorale example model, run through Cog's HTTP server as nodes run it.

What it must do: read mode, tempo and instruments from the prompt, write a MIDI file that has
them, stay in the asked mode's scale, render a WAV of the score's length, give the same bytes
in another process, and refuse inputs it cannot honour with a message naming them.
"""

from __future__ import annotations

import io
import wave
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pretty_midi
import pytest

from eternal.models.metadata import ModelMetadata, OutputKind, VerificationMode
from tests.examples.conftest import EXAMPLES, CogServer

NAME = "bach-chorale"
TONICS = {"C": 0, "C#": 1, "D": 2, "Eb": 3, "E": 4, "F": 5, "F#": 6, "G": 7, "Ab": 8, "A": 9}
TONICS |= {"Bb": 10, "B": 11}
MAJOR = {0, 2, 4, 5, 7, 9, 11}
MINOR = {0, 2, 3, 5, 7, 8, 10, 9, 11}  # natural minor with the raised sixth and seventh

Model = Callable[[str], CogServer]


@pytest.fixture
def chorale(example_model: Model) -> Callable[..., dict[str, Any]]:
    server = example_model(NAME)

    def run(**inputs: Any) -> dict[str, Any]:
        output = server.predict(**inputs)
        assert isinstance(output, dict)
        return output

    return run


def _midi(output: dict[str, Any]) -> pretty_midi.PrettyMIDI:
    return pretty_midi.PrettyMIDI(io.BytesIO(output["midi"]))


def _pitch_classes(output: dict[str, Any]) -> Counter[int]:
    tonic = TONICS[output["key"].split()[0]]
    notes = [n for inst in _midi(output).instruments for n in inst.notes]
    return Counter((n.pitch - tonic) % 12 for n in notes)


def test_metadata_validates_and_names_the_model_file() -> None:
    metadata = ModelMetadata.read(EXAMPLES / NAME)
    assert metadata.output.kind is OutputKind.JSON
    assert metadata.verification.mode is VerificationMode.EXACT
    assert metadata.takes_seed
    for weight in metadata.weights:
        assert (EXAMPLES / NAME / weight).is_file()


def test_serene_piano_and_strings_gives_midi_at_a_serene_tempo_with_both_programs(
    chorale: Callable[..., dict[str, Any]],
) -> None:
    prompt = "Compose a serene, ambient piece featuring piano and string instruments"
    output = chorale(prompt=prompt, bars=4, seed=1)
    midi = _midi(output)
    _, tempos = midi.get_tempo_changes()
    assert list(np.round(tempos, 2)) == [66.0] == [output["tempo_bpm"]]
    assert [i.program for i in midi.instruments] == [0, 48]  # piano on the melody, strings
    assert not any(i.is_drum for i in midi.instruments)
    assert [i["voices"] for i in output["instruments"]] == [
        ["soprano"],
        ["alto", "tenor", "bass"],
    ]
    assert midi.get_end_time() == pytest.approx(4 * 4 * 60 / 66, abs=1e-3)


@pytest.mark.parametrize(
    ("prompt", "bpm", "programs"),
    [
        ("a chorale for string quartet at 72 bpm", 72, [40, 40, 41, 42]),
        ("lively music for trumpet and organ", 120, [56, 19]),
        ("a slow hymn for flute, clarinet and cello", 60, [73, 71, 42]),
        ("a chorale", 84, [19]),  # no instrument named: church organ, the usual pace
    ],
)
def test_prompt_sets_tempo_and_instruments(
    chorale: Callable[..., dict[str, Any]], prompt: str, bpm: int, programs: list[int]
) -> None:
    midi = _midi(chorale(prompt=prompt, bars=2, seed=3))
    _, tempos = midi.get_tempo_changes()
    assert list(np.round(tempos, 2)) == [bpm]
    assert [i.program for i in midi.instruments] == programs


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_minor_prompt_stays_in_minor(chorale: Callable[..., dict[str, Any]], seed: int) -> None:
    output = chorale(prompt="a sad, mournful chorale", bars=8, seed=seed)
    assert output["mode"] == "minor" and output["key"].endswith(" minor")
    classes = _pitch_classes(output)
    in_scale = sum(n for pc, n in classes.items() if pc in MINOR)
    assert in_scale / sum(classes.values()) >= 0.9
    assert classes[3] > classes[4]  # the minor third outnumbers the major third


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_major_prompt_stays_in_major(chorale: Callable[..., dict[str, Any]], seed: int) -> None:
    output = chorale(prompt="a joyful chorale in A major", bars=8, seed=seed)
    assert output["key"] == "A major"
    classes = _pitch_classes(output)
    in_scale = sum(n for pc, n in classes.items() if pc in MAJOR)
    assert in_scale / sum(classes.values()) >= 0.9
    assert classes[4] > classes[3]


def test_wav_decodes_with_the_duration_of_the_score(
    chorale: Callable[..., dict[str, Any]],
) -> None:
    output = chorale(prompt="a chorale for choir at 90 bpm", bars=3, seed=5)
    with wave.open(io.BytesIO(output["wav"])) as audio:
        assert (audio.getnchannels(), audio.getsampwidth()) == (1, 2)
        rate, frames = audio.getframerate(), audio.getnframes()
        samples = np.frombuffer(audio.readframes(frames), dtype="<i2")
    seconds = 3 * 4 * 60 / 90 + 1  # the score, then one second for the release to ring
    assert frames == pytest.approx(seconds * rate, abs=1)
    assert output["duration_seconds"] == pytest.approx(seconds, abs=1e-3)
    assert np.sqrt(np.mean(samples.astype(np.float64) ** 2)) > 1000  # audible, not silence


def test_seeds_give_different_chorales(chorale: Callable[..., dict[str, Any]]) -> None:
    first = chorale(prompt="a chorale", bars=4, seed=1)
    second = chorale(prompt="a chorale", bars=4, seed=2)
    assert first["midi"] != second["midi"]
    assert first["wav"] != second["wav"]


def test_a_second_process_gives_the_same_bytes(chorale: Callable[..., dict[str, Any]]) -> None:
    inputs = {"prompt": "a slow chorale in D minor for piano and strings", "bars": 4, "seed": 11}
    first = chorale(**inputs)
    other = CogServer(EXAMPLES / NAME)
    try:
        second = other.predict(**inputs)
    finally:
        other.stop()
    assert second == first
    assert first["key"] == "D minor"


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"prompt": "   "}, "prompt is empty"),
        ({"prompt": "a chorale", "bars": 0}, "bars must be an integer from 1 to 32"),
        ({"prompt": "a chorale", "bars": 33}, "bars must be an integer from 1 to 32"),
        ({"prompt": "a chorale", "seed": -1}, "seed must be an integer"),
        ({"prompt": "a chorale at 500 bpm"}, "500 bpm is outside 30-240"),
        ({"prompt": "happy and sad, in major and minor"}, "both major and minor"),
        ({"prompt": "for piano, harp, flute, oboe and cello"}, "at most 4 instruments"),
    ],
)
def test_bad_inputs_are_rejected_with_a_reason(
    example_model: Model, inputs: dict[str, Any], message: str
) -> None:
    with pytest.raises(RuntimeError, match=message):
        example_model(NAME).predict(**inputs)
