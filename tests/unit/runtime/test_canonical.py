"""Canonical outputs: the bytes agents hash, exactly as PROTOCOL.md defines them."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eternal.models.metadata import ModelMetadata
from eternal.runtime.canonical import canonical_json, canonicalise, decode_data_uri
from eternal.runtime.errors import InvalidOutput
from eternal.storage.cid import cid_of, uri_of

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


def metadata(kind: str) -> ModelMetadata:
    return ModelMetadata.from_mapping(
        {"name": "m", "modality": "data", "inputs": {}, "output": {"kind": kind}}
    )


def data_uri(blob: bytes, mime: str = "application/octet-stream") -> str:
    # Exactly what Cog 0.23 sends for a cog.Path output.
    return f"data:{mime};base64,{base64.b64encode(blob).decode()}"


def test_text_is_its_utf8_bytes() -> None:
    out = canonicalise(metadata("text"), "héllo ✓")
    assert out.data == "héllo ✓".encode()
    assert out.digest == hashlib.sha256(out.data).digest()
    assert out.value == "héllo ✓" and out.files == {}


def test_streamed_text_chunks_are_joined() -> None:
    assert canonicalise(metadata("text"), ["he", "llo", ""]).data == b"hello"


@pytest.mark.parametrize("raw", [{"a": 1}, None, 3, ["a", 1], b"bytes"])
def test_text_model_returning_something_else_is_invalid(raw: Any) -> None:
    with pytest.raises(InvalidOutput, match="expected text"):
        canonicalise(metadata("text"), raw)


def test_file_is_its_bytes_decoded_from_the_data_uri() -> None:
    out = canonicalise(metadata("file"), data_uri(PNG, "image/png"))
    assert out.data == PNG and out.value == PNG
    assert out.digest == hashlib.sha256(PNG).digest()
    assert out.files == {}  # the file is the output itself


def test_file_from_a_url_is_downloaded() -> None:
    urls: list[str] = []

    def download(url: str) -> bytes:
        urls.append(url)
        return PNG

    out = canonicalise(metadata("file"), "https://cog.example/outputs/a.png", fetch_url=download)
    assert out.data == PNG and urls == ["https://cog.example/outputs/a.png"]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("just some text", "expected a file"),
        ({"file": "data:,x"}, "expected a file, got a dict"),
        ("data:image/png;base64,@@not base64@@", "invalid base64"),
        ("data:image/png;base64", "without a comma"),
        ("http://cog.example/a.png", "no downloader"),
    ],
)
def test_file_model_returning_something_else_is_invalid(raw: Any, problem: str) -> None:
    with pytest.raises(InvalidOutput, match=problem):
        canonicalise(metadata("file"), raw)


def test_percent_encoded_data_uri_is_decoded() -> None:
    assert decode_data_uri("data:text/plain,a%20b%2Cc") == b"a b,c"


def test_json_is_sorted_without_spaces_in_utf8() -> None:
    out = canonicalise(
        metadata("json"), {"b": [1, 2.5, None, True], "a": "ü", "c": {"y": 1, "x": 0}}
    )
    assert out.data == '{"a":"ü","b":[1,2.5,null,true],"c":{"x":0,"y":1}}'.encode()


def test_floats_are_written_as_their_shortest_repr() -> None:
    out = canonicalise(metadata("json"), [0.1, 1e-07, 2.0, -0.0, 1e22, 123456789.125])
    assert out.data == b"[0.1,1e-07,2.0,-0.0,1e+22,123456789.125]"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused(bad: float) -> None:
    with pytest.raises(InvalidOutput, match="JSON cannot represent"):
        canonicalise(metadata("json"), {"score": [1.0, bad]})


def test_files_inside_json_become_their_cids_and_are_returned() -> None:
    raw = {
        "caption": "two pictures",
        "images": [data_uri(PNG, "image/png"), data_uri(b"second")],
        "nested": {"again": data_uri(PNG, "image/png")},
    }
    out = canonicalise(metadata("json"), raw)
    png_uri, second_uri = uri_of(cid_of(PNG)), uri_of(cid_of(b"second"))
    assert out.value == {
        "caption": "two pictures",
        "images": [png_uri, second_uri],
        "nested": {"again": png_uri},
    }
    assert out.data == canonical_json(out.value)
    assert out.files == {cid_of(PNG): PNG, cid_of(b"second"): b"second"}


def test_urls_inside_json_stay_text() -> None:
    out = canonicalise(metadata("json"), {"source": "https://example.org/page"})
    assert out.data == b'{"source":"https://example.org/page"}' and out.files == {}


def test_the_same_file_under_another_mime_type_hashes_the_same() -> None:
    first = canonicalise(metadata("json"), [data_uri(PNG, "image/png")])
    second = canonicalise(metadata("json"), [data_uri(PNG, "application/octet-stream")])
    assert first.digest == second.digest


@pytest.mark.parametrize("raw", [{"blob": b"raw bytes"}, {"obj": object()}, {1: "int key"}])
def test_json_that_is_not_json_is_invalid(raw: Any) -> None:
    with pytest.raises(InvalidOutput):
        canonicalise(metadata("json"), raw)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10).filter(lambda s: not s.startswith("data:")),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_canonical_json_is_stable_through_a_json_round_trip(value: Any) -> None:
    out = canonicalise(metadata("json"), value)
    again = canonicalise(metadata("json"), json.loads(out.data))
    assert again.data == out.data


@given(st.dictionaries(st.text(max_size=5), st.integers(), max_size=6))
def test_key_order_does_not_change_the_digest(value: dict[str, int]) -> None:
    reversed_order = dict(reversed(list(value.items())))
    assert (
        canonicalise(metadata("json"), value).digest
        == canonicalise(metadata("json"), reversed_order).digest
    )
