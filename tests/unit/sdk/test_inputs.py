"""Building task inputs: typed command-line values, where free text goes, stored files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eternal.models.metadata import ModelMetadata
from eternal.runtime.errors import InvalidInput
from eternal.sdk.inputs import build_task_input, parse_input_text, text_input_name
from eternal.storage.cid import cid_of, uri_of
from eternal.storage.local import LocalStore
from tests.support.prompting import DESCRIBE_FILE, ECHO

TYPED = ModelMetadata.from_mapping(
    {
        "name": "typed",
        "modality": "data",
        "inputs": {
            "count": {"type": "integer"},
            "scale": {"type": "number"},
            "loud": {"type": "boolean"},
            "text": {"type": "string"},
            "data": {"type": "file"},
        },
        "output": {"kind": "json"},
    }
)


def metadata_with(inputs: dict[str, object]) -> ModelMetadata:
    return ModelMetadata.from_mapping(
        {"name": "m", "modality": "text", "inputs": inputs, "output": {"kind": "text"}}
    )


@given(st.integers())
def test_integer_inputs_typed_on_a_command_line_become_ints(value: int) -> None:
    assert parse_input_text(TYPED, "count", str(value)) == value


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("scale", "0.5", 0.5),
        ("scale", "3", 3.0),
        ("loud", "true", True),
        ("loud", "No", False),
        ("text", "42", "42"),
        ("data", uri_of(cid_of(b"x")), uri_of(cid_of(b"x"))),
    ],
)
def test_command_line_values_take_the_type_the_metadata_declares(
    name: str, text: str, value: object
) -> None:
    assert parse_input_text(TYPED, name, text) == value


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("count", "2.5", "'2.5' is not an integer"),
        ("scale", "many", "'many' is not a number"),
        ("loud", "maybe", "'maybe' is not true or false"),
        ("data", "table.csv", r"a file input takes a path \(--file data=PATH\)"),
        ("colour", "red", "the model takes no such input"),
    ],
)
def test_command_line_values_of_the_wrong_type_are_refused(
    name: str, text: str, problem: str
) -> None:
    with pytest.raises(InvalidInput, match=problem):
        parse_input_text(TYPED, name, text)


def test_free_text_goes_to_the_prompt_input_first() -> None:
    assert text_input_name(ECHO) == "prompt"


def test_free_text_goes_to_the_first_required_string_input_without_a_prompt() -> None:
    metadata = metadata_with(
        {"style": {"type": "string"}, "topic": {"type": "string", "required": True}}
    )

    assert text_input_name(metadata) == "topic"


def test_a_model_without_string_inputs_takes_no_free_text() -> None:
    with pytest.raises(InvalidInput, match="takes no text input"):
        text_input_name(metadata_with({"n": {"type": "integer"}}))


def test_a_path_for_a_file_input_is_stored_and_sent_as_its_uri(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "blobs")
    (tmp_path / "in.csv").write_bytes(b"1,2")

    encoded = build_task_input(DESCRIBE_FILE, {"data": tmp_path / "in.csv"}, store)

    assert json.loads(encoded) == {"data": uri_of(cid_of(b"1,2"))}
    assert store.get(cid_of(b"1,2")) == b"1,2"


def test_a_missing_file_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"input 'data': cannot read .*nope\.csv"):
        build_task_input(DESCRIBE_FILE, {"data": tmp_path / "nope.csv"}, LocalStore(tmp_path))


def test_bytes_for_a_non_file_input_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="input 'prompt': only file inputs take a path or bytes"):
        build_task_input(ECHO, {"prompt": b"hi"}, LocalStore(tmp_path))
