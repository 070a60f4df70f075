"""Outputs fetched, checked against the revealed digest, and sorted by what a browser shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eternal.explorer.outputs import TEXT_LIMIT, Display, media_type_of, show_output
from eternal.models.metadata import OutputKind
from eternal.runtime.canonical import canonical_json
from eternal.storage.cid import cid_of, sha256, uri_of
from eternal.storage.local import LocalStore
from tests.support.explorer_scenario import png_gradient, wav_tone

SAFE_TYPES = {
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "audio/wav",
    "audio/ogg",
    "audio/flac",
    "audio/mpeg",
    "application/json",
    "text/plain; charset=utf-8",
    "application/octet-stream",
}


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "blobs")


def stored(store: LocalStore, blob: bytes) -> tuple[str, bytes]:
    return uri_of(store.put(blob)), sha256(blob)


@given(st.binary(max_size=64))
def test_any_bytes_get_a_media_type_that_cannot_run_in_a_page(blob: bytes) -> None:
    assert media_type_of(blob) in SAFE_TYPES


@given(st.binary(max_size=64))
def test_png_and_wav_are_recognised_by_their_magic_numbers(tail: bytes) -> None:
    assert media_type_of(png_gradient(2, 2) + tail) == "image/png"
    assert media_type_of(b"RIFF\x00\x00\x00\x00WAVE" + tail) == "audio/wav"
    assert media_type_of(b"RIFF\x00\x00\x00\x00WEBP" + tail) == "image/webp"
    # "WAVE" at offset 8 counts only inside a RIFF container.
    assert media_type_of(b"NOTRIFF\x00WAVE" + b"text") != "audio/wav"


def test_text_output_is_shown_as_text(store: LocalStore) -> None:
    uri, digest = stored(store, b"Once upon a time")

    shown = show_output(store, uri, digest, OutputKind.TEXT)

    assert (shown.display, shown.text, shown.problem) == (Display.TEXT, "Once upon a time", None)


def test_file_output_is_shown_by_its_media_type(store: LocalStore) -> None:
    for blob, display in ((png_gradient(3, 3), Display.IMAGE), (wav_tone(0.01), Display.AUDIO)):
        uri, digest = stored(store, blob)

        shown = show_output(store, uri, digest, OutputKind.FILE)

        assert shown.display is display
        assert shown.blob is not None and shown.blob.cid == cid_of(blob)
        assert shown.blob.size == len(blob)


def test_json_output_names_its_files_by_path(store: LocalStore) -> None:
    chart, sound = png_gradient(5, 5), wav_tone(0.01)
    value = {"chart": uri_of(store.put(chart)), "takes": [1, uri_of(store.put(sound))]}
    uri, digest = stored(store, canonical_json(value))

    shown = show_output(store, uri, digest, OutputKind.JSON)

    assert shown.display is Display.JSON
    assert shown.text is not None and '"takes": [\n    1,' in shown.text
    assert [(f.path, f.blob and f.blob.display) for f in shown.files] == [
        ("chart", Display.IMAGE),
        ("takes[1]", Display.AUDIO),
    ]


def test_a_missing_file_inside_json_is_named_not_fatal(store: LocalStore) -> None:
    lost = uri_of(cid_of(b"never stored"))
    uri, digest = stored(store, canonical_json({"plot": lost}))

    shown = show_output(store, uri, digest, OutputKind.JSON)

    assert shown.problem is None
    (file,) = shown.files
    assert file.blob is None and file.problem is not None and "is not in" in file.problem


def test_output_that_is_not_the_revealed_one_is_refused(store: LocalStore) -> None:
    uri, _ = stored(store, b"what the agent stored")

    shown = show_output(store, uri, sha256(b"what the agent committed to"), OutputKind.TEXT)

    assert shown.text is None and shown.blob is None
    assert shown.problem is not None and "not to the revealed digest" in shown.problem


def test_tampered_output_is_refused(store: LocalStore) -> None:
    uri, digest = stored(store, b"honest words")
    (store.root / cid_of(b"honest words")).write_bytes(b"forged words")

    shown = show_output(store, uri, digest, OutputKind.TEXT)

    assert shown.text is None
    assert shown.problem is not None and "tampered" in shown.problem


def test_missing_output_says_where_it_was_looked_for(store: LocalStore) -> None:
    shown = show_output(store, uri_of(cid_of(b"elsewhere")), sha256(b"elsewhere"))

    assert shown.problem is not None and store.name in shown.problem


def test_kind_is_guessed_from_the_bytes_without_metadata(store: LocalStore) -> None:
    cases = (
        (b'{"a": 1}', Display.JSON),
        (b"words", Display.TEXT),
        (png_gradient(2, 2), Display.IMAGE),
    )
    for blob, display in cases:
        uri, digest = stored(store, blob)

        assert show_output(store, uri, digest).display is display


def test_long_text_is_cut_short_with_a_link_to_the_whole(store: LocalStore) -> None:
    uri, digest = stored(store, b"x" * (TEXT_LIMIT + 10))

    shown = show_output(store, uri, digest, OutputKind.TEXT)

    assert shown.truncated and shown.text is not None and len(shown.text) == TEXT_LIMIT
