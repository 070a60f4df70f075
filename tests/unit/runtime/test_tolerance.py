"""Whether two canonical outputs agree: exact bytes, cosine similarity, max absolute difference."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from eternal.models.metadata import Verification
from eternal.runtime.canonical import canonical_json
from eternal.runtime.tolerance import cosine_similarity, outputs_agree

EXACT = Verification()
COSINE = Verification(mode="tolerant", metric="cosine", threshold=0.99)
MAX_ABS = Verification(mode="tolerant", metric="max_abs", threshold=0.01)

COMPONENTS = st.floats(min_value=-100, max_value=100, allow_nan=False).filter(
    lambda x: x == 0 or abs(x) > 1e-6
)
VECTORS = st.lists(COMPONENTS, min_size=1, max_size=16)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.floats(min_value=-1e6, max_value=1e6)
    | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=15,
)


def enc(value: Any) -> bytes:
    return canonical_json(value)


def test_exact_needs_equal_bytes() -> None:
    assert outputs_agree(EXACT, b"same", b"same")
    assert not outputs_agree(EXACT, b"[1.0]", b"[1.0000001]")


@given(st.one_of(JSON_VALUES.map(enc), st.binary(max_size=40)))
def test_every_rule_accepts_an_output_against_itself(output: bytes) -> None:
    for rule in (EXACT, COSINE, MAX_ABS):
        assert outputs_agree(rule, output, output)


@given(JSON_VALUES.map(enc), JSON_VALUES.map(enc))
def test_agreement_is_symmetric(a: bytes, b: bytes) -> None:
    for rule in (EXACT, COSINE, MAX_ABS):
        assert outputs_agree(rule, a, b) == outputs_agree(rule, b, a)


@given(VECTORS, st.floats(min_value=0.01, max_value=100))
def test_cosine_ignores_positive_scale(vector: list[float], scale: float) -> None:
    assume(any(vector))
    scaled = [x * scale for x in vector]
    assume(
        all(math.isfinite(x) and (x == 0) == (y == 0) for x, y in zip(scaled, vector, strict=True))
    )
    assert outputs_agree(COSINE, enc(vector), enc(scaled))
    assert outputs_agree(COSINE, enc({"embedding": vector}), enc({"embedding": scaled}))


@given(VECTORS)
def test_cosine_refuses_the_opposite_vector(vector: list[float]) -> None:
    assume(any(vector))
    assert not outputs_agree(COSINE, enc(vector), enc([-x for x in vector]))


@given(VECTORS)
def test_cosine_similarity_is_bounded(vector: list[float]) -> None:
    other = list(reversed(vector))
    similarity = cosine_similarity(vector, other)
    assert similarity is not None and -1.0 - 1e-9 <= similarity <= 1.0 + 1e-9


def test_cosine_accepts_at_the_threshold_and_refuses_below_it() -> None:
    a, b = enc([1.0, 0.0]), enc([3.0, 4.0])  # cosine 3/5, exact in floating point
    at = Verification(mode="tolerant", metric="cosine", threshold=0.6)
    above = Verification(mode="tolerant", metric="cosine", threshold=0.6000001)
    assert outputs_agree(at, a, b)
    assert not outputs_agree(above, a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1.0, 2.0], [1.0, 2.0, 3.0]),  # lengths differ
        ([1.0, 2.0], {"vector": [1.0, 2.0]}),  # no `embedding` field
        ([1.0, "2"], [1.0, 2.0]),  # not all numbers
        ([True, False], [1, 0]),  # booleans are not numbers
        ([], {"embedding": []}),  # an empty vector has no direction
        ([0.0, 0.0], [1.0, 0.0]),  # a zero vector against a non-zero one
    ],
)
def test_cosine_refuses_what_is_not_two_comparable_vectors(a: Any, b: Any) -> None:
    assert not outputs_agree(COSINE, enc(a), enc(b))


def test_two_zero_vectors_agree() -> None:
    assert outputs_agree(COSINE, b"[0.0,0.0]", b"[0,0]")


def test_unreadable_outputs_agree_only_when_identical() -> None:
    assert not outputs_agree(COSINE, b"\xff\x00", b"\xff\x01")
    assert not outputs_agree(MAX_ABS, b"not json", b"not json either")
    assert not outputs_agree(MAX_ABS, b"[NaN]", b"[NaN] ")


@given(JSON_VALUES, st.randoms(use_true_random=False))
def test_max_abs_accepts_numbers_moved_within_the_threshold(value: Any, rng: Any) -> None:
    moved = _perturb(value, lambda: rng.uniform(-0.004, 0.004))
    assert outputs_agree(MAX_ABS, enc(value), enc(moved))


@given(st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=1, max_size=8), st.data())
def test_max_abs_refuses_one_number_moved_beyond_the_threshold(
    numbers: list[float], data: st.DataObject
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(numbers) - 1))
    moved = list(numbers)
    moved[index] += data.draw(st.sampled_from([-0.02, 0.02]))
    assert not outputs_agree(MAX_ABS, enc({"values": numbers}), enc({"values": moved}))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"x": 1.0}, {"y": 1.0}),  # other keys
        ([1.0, 2.0], [1.0]),  # other lengths
        ({"x": 1.0}, [1.0]),  # other containers
        ({"label": "cat", "p": 0.5}, {"label": "dog", "p": 0.5}),  # a string differs
        ({"ok": True}, {"ok": 1}),  # a boolean is not a number
        ({"v": None}, {"v": 0}),
    ],
)
def test_max_abs_needs_the_same_structure_and_equal_non_numbers(a: Any, b: Any) -> None:
    assert not outputs_agree(MAX_ABS, enc(a), enc(b))


def test_max_abs_compares_huge_integers_without_overflow() -> None:
    assert not outputs_agree(MAX_ABS, enc([10**400]), enc([1.5]))
    assert outputs_agree(MAX_ABS, enc([10**400]), enc([10**400]))


def _perturb(value: Any, delta: Any) -> Any:
    if isinstance(value, float):
        return value + delta()
    if isinstance(value, list):
        return [_perturb(item, delta) for item in value]
    if isinstance(value, dict):
        return {key: _perturb(item, delta) for key, item in value.items()}
    return value
