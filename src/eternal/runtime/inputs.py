"""Task inputs: their wire format, their validation against a model's metadata, the task seed.

Wire format: a JSON object, canonical (keys sorted, no spaces, UTF-8), one key per input. A
file input travels as "ipfs://<cid>"; the runner fetches it and hands Cog a data URI.

Validation is the model's input schema (Cog enforces none without `cog build`): unknown and
missing inputs, wrong types (a bool is not an integer; an integer is a number), bounds, string
lengths, choices, and file CIDs are checked before the model sees anything. A null value means
"not given". Numbers are passed to the model as floats, so 3 and 3.0 run the model the same way.

The task seed: when the model takes a `seed` input and the user gave none, the runtime passes
`task_seed(task_id)`, so every agent and verifier runs the task with the same seed.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

from eternal.models.metadata import SEED_INPUT, InputSpec, InputType, ModelMetadata
from eternal.runtime.canonical import canonical_json
from eternal.runtime.errors import InvalidInput
from eternal.storage.cid import URI_SCHEME, InvalidCid, digest_from_cid

SEED_MAX = 2**31 - 1  # seeds fit a signed 32-bit int: numpy, torch and random all take them
_SEED_DOMAIN = b"eternal/task-seed/v1"
_TASK_ID_BYTES = 32  # task ids are uint256 on chain


def encode_task_input(inputs: Mapping[str, Any]) -> bytes:
    """The canonical JSON bytes of a task's inputs (what a user submits)."""
    if not all(isinstance(name, str) for name in inputs):
        raise InvalidInput(None, "input names must be strings")
    try:
        return canonical_json(dict(inputs))
    except ValueError as exc:
        raise InvalidInput(None, f"has no canonical JSON form: {exc}") from exc


def decode_task_input(raw: bytes) -> dict[str, Any]:
    """The inputs of a task from its wire bytes: a JSON object, or InvalidInput."""
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise InvalidInput(None, f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except (json.JSONDecodeError, ValueError) as exc:
        raise InvalidInput(None, f"not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise InvalidInput(None, f"expected a JSON object, got {type(value).__name__}")
    return value


def task_seed(task_id: int, *, minimum: int = 0, maximum: int = SEED_MAX) -> int:
    """The seed of a task: sha256(domain tag || task id as 32 bytes), reduced to [minimum, maximum].

    The domain tag keeps this hash from colliding with any other use of sha256(task id).
    """
    if not 0 <= task_id < 2 ** (8 * _TASK_ID_BYTES):
        raise ValueError(f"task id {task_id} is not a uint256")
    if not 0 <= minimum <= maximum <= SEED_MAX:
        raise ValueError(f"seed range [{minimum}, {maximum}] is not inside [0, {SEED_MAX}]")
    digest = hashlib.sha256(_SEED_DOMAIN + task_id.to_bytes(_TASK_ID_BYTES, "big")).digest()
    return minimum + int.from_bytes(digest, "big") % (maximum - minimum + 1)


def prepare_inputs(
    metadata: ModelMetadata, inputs: Mapping[str, Any], *, task_id: int
) -> dict[str, Any]:
    """`validate_inputs` after adding the task seed when the model takes one and none was given.

    The seed is added before defaults apply, so a declared default seed does not replace it.
    """
    spec = metadata.inputs.get(SEED_INPUT)
    if spec is None or inputs.get(SEED_INPUT) is not None:
        return validate_inputs(metadata, inputs)
    low = max(0, math.ceil(spec.minimum)) if spec.minimum is not None else 0
    high = min(SEED_MAX, math.floor(spec.maximum)) if spec.maximum is not None else SEED_MAX
    if low > high:
        raise InvalidInput(SEED_INPUT, f"no task seed fits the bounds [{low}, {high}]")
    seeded = {**inputs, SEED_INPUT: task_seed(task_id, minimum=low, maximum=high)}
    return validate_inputs(metadata, seeded)


def validate_inputs(metadata: ModelMetadata, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs to pass to the model: checked, with defaults applied; InvalidInput if not."""
    unknown = sorted(name for name in inputs if name not in metadata.inputs)
    if unknown:
        accepted = ", ".join(sorted(metadata.inputs)) or "none"
        raise InvalidInput(unknown[0], f"the model takes no such input (it takes: {accepted})")
    result: dict[str, Any] = {}
    for name, spec in metadata.inputs.items():
        value = inputs.get(name)
        if value is None:
            if spec.required:
                raise InvalidInput(name, "required, but not given")
            value = spec.default
            if value is None:
                continue  # optional with no default: the model's own default applies
        result[name] = _checked(name, spec, value)
    return result


def _checked(name: str, spec: InputSpec, value: Any) -> Any:
    checker = _CHECKERS[spec.type]
    checked = checker(name, spec, value)
    if spec.choices is not None and checked not in spec.choices:
        options = ", ".join(repr(choice) for choice in spec.choices)
        raise InvalidInput(name, f"{value!r} is not one of {options}")
    return checked


def _string(name: str, spec: InputSpec, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput(name, f"expected a string, got {_type(value)}")
    if spec.max_length is not None and len(value) > spec.max_length:
        raise InvalidInput(
            name, f"{len(value)} characters, more than the {spec.max_length} allowed"
        )
    return value


def _integer(name: str, spec: InputSpec, value: Any) -> int:
    # bool is an int subclass in Python, but `true` is not an integer in the task's JSON.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(name, f"expected an integer, got {_type(value)}")
    _check_bounds(name, spec, value)
    return value


def _number(name: str, spec: InputSpec, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(name, f"expected a number, got {_type(value)}")
    if not math.isfinite(value):
        raise InvalidInput(name, f"{value!r} is not a finite number")
    _check_bounds(name, spec, value)
    return float(value)


def _boolean(name: str, spec: InputSpec, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(name, f"expected true or false, got {_type(value)}")
    return value


def _file(name: str, spec: InputSpec, value: Any) -> str:
    if not isinstance(value, str) or not value.startswith(URI_SCHEME):
        raise InvalidInput(name, f"expected a file as an {URI_SCHEME}<cid> URI, got {value!r}")
    try:
        digest_from_cid(value)
    except InvalidCid as exc:
        raise InvalidInput(name, f"not a valid file URI: {exc}") from exc
    return value


_CHECKERS = {
    InputType.STRING: _string,
    InputType.INTEGER: _integer,
    InputType.NUMBER: _number,
    InputType.BOOLEAN: _boolean,
    InputType.FILE: _file,
}


def _check_bounds(name: str, spec: InputSpec, value: int | float) -> None:
    if spec.minimum is not None and value < spec.minimum:
        raise InvalidInput(name, f"{value!r} is below the minimum {_number_text(spec.minimum)}")
    if spec.maximum is not None and value > spec.maximum:
        raise InvalidInput(name, f"{value!r} is above the maximum {_number_text(spec.maximum)}")


def _number_text(bound: float) -> str:
    return str(int(bound)) if bound.is_integer() else repr(bound)


def _type(value: Any) -> str:
    return {bool: "a boolean", str: "a string", dict: "an object", list: "a list"}.get(
        type(value), f"{type(value).__name__} {value!r}"
    )


def _refuse_constant(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")
