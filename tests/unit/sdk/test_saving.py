"""Outputs saved as files: named from a stem, typed by media type or first bytes, the files of
a JSON output beside it by key, never outside its folder."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eternal.models.metadata import OutputKind
from eternal.sdk.saving import (
    OutputNotSaved,
    extension,
    file_references,
    save_files,
    save_output,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
MIDI = b"MThd\x00\x00\x00\x06"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "
CHORALE = {"midi": "ipfs://midi", "audio": {"wav": "ipfs://wav"}, "key": "D minor"}
CHORALE_FILES = {"ipfs://midi": MIDI, "ipfs://wav": WAV}


def test_text_is_saved_as_a_txt_file(tmp_path: Path) -> None:
    saved = save_output(tmp_path / "task-4-gpt", OutputKind.TEXT, "a dragon é")
    assert saved.main == tmp_path / "task-4-gpt.txt" and saved.files == ()
    assert saved.main.read_bytes() == "a dragon é".encode()


def test_a_file_output_takes_its_media_types_extension(tmp_path: Path) -> None:
    saved = save_output(tmp_path / "task-4-cvae", OutputKind.FILE, PNG, media_type="image/png")
    assert saved.main.name == "task-4-cvae.png" and saved.main.read_bytes() == PNG


def test_a_file_output_without_a_media_type_is_typed_by_its_first_bytes(tmp_path: Path) -> None:
    saved = save_output(tmp_path / "task-2", OutputKind.FILE, WAV)
    assert saved.main == tmp_path / "task-2.wav"


def test_files_a_json_output_refers_to_are_saved_beside_it_by_key(tmp_path: Path) -> None:
    saved = save_output(tmp_path / "task-1-bach", OutputKind.JSON, CHORALE, CHORALE_FILES)
    assert saved.main == tmp_path / "task-1-bach.json"
    assert json.loads(saved.main.read_text()) == CHORALE
    assert saved.files == (
        tmp_path / "task-1-bach-audio-wav.wav",
        tmp_path / "task-1-bach-midi.mid",
    )
    assert (tmp_path / "task-1-bach-midi.mid").read_bytes() == MIDI


def test_an_output_given_its_own_path_keeps_the_stem_for_its_files(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    saved = save_output(tmp_path / "x", OutputKind.JSON, CHORALE, CHORALE_FILES, path=path)
    assert saved.main == path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-audio-wav.wav", "x-midi.mid", "x.json"]


def test_save_files_writes_only_the_referenced_files(tmp_path: Path) -> None:
    written = save_files(tmp_path / "task-3", CHORALE, CHORALE_FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["task-3-audio-wav.wav", "task-3-midi.mid"]
    assert set(written) == set(tmp_path.iterdir())


def test_the_folder_is_created_when_missing(tmp_path: Path) -> None:
    saved = save_output(tmp_path / "outputs" / "task-1", OutputKind.TEXT, "hi")
    assert saved.main.read_text() == "hi"


def test_keys_cannot_lead_a_file_out_of_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    value = {"../../evil": "ipfs://a", "a/b": "ipfs://b", "a_b": "ipfs://c"}
    files = {"ipfs://a": PNG, "ipfs://b": MIDI, "ipfs://c": MIDI + b"\x01"}
    written = save_files(folder / "task-1", value, files)
    assert sorted(p.name for p in written) == [
        "task-1-.._.._evil.png",
        "task-1-a_b-2.mid",
        "task-1-a_b.mid",
    ]
    assert sorted(tmp_path.rglob("*")) == [folder, *sorted(written)]


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text(min_size=0, max_size=80), st.sampled_from(["ipfs://a", "x"])))
def test_every_reference_is_saved_in_the_stem_s_folder(value: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        written = save_files(Path(folder) / "task-9", value, {"ipfs://a": PNG})
        assert len(set(written)) == list(value.values()).count("ipfs://a")
        assert all(p.parent == Path(folder) and p.read_bytes() == PNG for p in written)


def test_file_references_walk_lists_and_ignore_other_strings() -> None:
    value = {"charts": ["ipfs://a", "not a file"], "n": 3}
    assert file_references(value, {"ipfs://a": PNG}) == [("charts-0", "ipfs://a")]
    assert file_references("ipfs://a", {"ipfs://a": PNG}) == [("file", "ipfs://a")]


def test_unknown_bytes_without_a_media_type_are_bin() -> None:
    assert extension(b"plain", None) == ".bin"
    assert extension(WAV, None) == ".wav"
    assert extension(WAV, "application/x-unknown-kind") == ".wav"


def test_an_unwritable_path_is_an_eternal_error(tmp_path: Path) -> None:
    with pytest.raises(OutputNotSaved, match=f"cannot write {tmp_path}"):
        save_output(tmp_path / "x", OutputKind.TEXT, "hi", path=tmp_path)
