"""Do two canonical outputs agree under a model's verification rule?

    exact    the bytes are equal (the digests the chain compares)
    cosine   the outputs are numeric vectors (a JSON list of numbers, or the `embedding` list
             of a JSON object) of one length whose cosine similarity is >= threshold; two zero
             vectors agree, a zero and a non-zero vector do not
    max_abs  the outputs have the same JSON structure, equal non-numeric leaves, and every
             number within `threshold` of its counterpart

Equal bytes always agree. Outputs a tolerant rule cannot read (not JSON, not a vector) agree
only when their bytes are equal: a verifier never accepts what it cannot compare.
"""

from __future__ import annotations

import json
import math
from typing import Any

from eternal.models.metadata import ToleranceMetric, Verification, VerificationMode

_EMBEDDING_FIELD = "embedding"


def outputs_agree(verification: Verification, a: bytes, b: bytes) -> bool:
    if a == b:
        return True
    if verification.mode is VerificationMode.EXACT:
        return False
    assert verification.metric is not None and verification.threshold is not None  # validated
    left, right = _parse(a), _parse(b)
    if left is _UNREADABLE or right is _UNREADABLE:
        return False
    if verification.metric is ToleranceMetric.COSINE:
        similarity = cosine_similarity(left, right)
        return similarity is not None and similarity >= verification.threshold
    return _within(left, right, verification.threshold)


def cosine_similarity(a: Any, b: Any) -> float | None:
    """Cosine similarity of two decoded JSON vectors; None when they are not comparable vectors."""
    left, right = _vector(a), _vector(b)
    if left is None or right is None or len(left) != len(right):
        return None
    norm_left = math.sqrt(math.fsum(x * x for x in left))
    norm_right = math.sqrt(math.fsum(y * y for y in right))
    if norm_left == 0.0 or norm_right == 0.0:
        return 1.0 if norm_left == norm_right else 0.0
    dot = math.fsum(x * y for x, y in zip(left, right, strict=True))
    return dot / (norm_left * norm_right)


_UNREADABLE = object()


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse)
    except ValueError:  # JSONDecodeError, UnicodeDecodeError, NaN/Infinity
        return _UNREADABLE


def _refuse(constant: str) -> Any:
    raise ValueError(constant)


def _vector(value: Any) -> list[float] | None:
    if isinstance(value, dict):
        value = value.get(_EMBEDDING_FIELD)
    if not isinstance(value, list) or not value or not all(_is_number(x) for x in value):
        return None
    vector = [float(x) for x in value]
    # Huge integers overflow to inf as floats; they are not a vector we can measure.
    return vector if all(math.isfinite(x) for x in vector) else None


def _within(a: Any, b: Any, threshold: float) -> bool:
    if _is_number(a) and _is_number(b):
        return _close(a, b, threshold)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_within(a[key], b[key], threshold) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_within(x, y, threshold) for x, y in zip(a, b, strict=True))
    # Strings, booleans, null, or a type mismatch: only equal values agree.
    return type(a) is type(b) and bool(a == b)


def _close(a: int | float, b: int | float, threshold: float) -> bool:
    try:
        return abs(a - b) <= threshold
    except OverflowError:  # an integer too large for a float, against a float
        return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
