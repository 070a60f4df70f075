"""Outputs saved as files: named by task and model, typed by media type or first bytes."""

from __future__ import annotations

import json
from pathlib import Path

from eternal.demo.outputs import extension, file_references, save_output
from eternal.models.metadata import OutputKind
from eternal.sdk.results import Finality, Result, Status

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
MIDI = b"MThd\x00\x00\x00\x06"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "


def _result(
    output: object, files: dict[str, bytes] | None = None, media: str | None = None
) -> Result:
    return Result(
        task_id=4,
        model_id=1,
        status=Status.FINALIZED,
        finality=Finality(Status.FINALIZED),
        output=output,
        output_digest=b"",
        output_uri="ipfs://x",
        winner=None,
        files=files or {},
        fee=0,
        refunded=0,
        tx_hashes=(),
        gas_used=0,
        media_type=media,
    )


def test_text_is_saved_as_a_txt_file(tmp_path: Path) -> None:
    saved = save_output(tmp_path, 4, "gpt", OutputKind.TEXT, _result("a dragon"))
    assert saved.main == tmp_path / "task-4-gpt.txt"
    assert saved.main.read_text() == "a dragon"


def test_a_file_output_takes_its_media_types_extension(tmp_path: Path) -> None:
    saved = save_output(tmp_path, 4, "cvae", OutputKind.FILE, _result(PNG, media="image/png"))
    assert saved.main.name == "task-4-cvae.png" and saved.main.read_bytes() == PNG


def test_files_a_json_output_refers_to_are_saved_beside_it_by_key(tmp_path: Path) -> None:
    files = {"ipfs://midi": MIDI, "ipfs://wav": WAV}
    output = {"midi": "ipfs://midi", "audio": {"wav": "ipfs://wav"}, "key": "D minor"}
    saved = save_output(tmp_path, 1, "bach", OutputKind.JSON, _result(output, files))
    assert json.loads(saved.main.read_text()) == output
    assert sorted(p.name for p in saved.files) == [
        "task-1-bach-audio-wav.wav",
        "task-1-bach-midi.mid",
    ]
    assert (tmp_path / "task-1-bach-midi.mid").read_bytes() == MIDI


def test_file_references_walk_lists_and_ignore_other_strings() -> None:
    value = {"charts": ["ipfs://a", "not a file"], "n": 3}
    assert file_references(value, {"ipfs://a": PNG}) == {("charts-0", "ipfs://a")}


def test_unknown_bytes_without_a_media_type_are_bin() -> None:
    assert extension(b"plain", None) == ".bin"
    assert extension(WAV, None) == ".wav"
