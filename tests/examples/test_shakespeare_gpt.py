"""shakespeare-gpt through Cog's server: continues the prompt, reads as English, reproducible.

"English-like" is measured against the training corpus: most generated words must be words
the plays use, and the letters must look like English text. The same measures applied to the
output's characters shuffled must fail, so the criterion can tell text from noise.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from eternal.models.metadata import ModelMetadata
from tests.examples.conftest import EXAMPLES, CogServer

PACKAGE = EXAMPLES / "shakespeare-gpt"
PROMPT = "Compose a narrative involving a dragon and a knight"

# Thresholds for the generated part of an output. Measured on the committed weights over 20 seeds
# of 400 characters at temperature 0.8: known words 0.86-0.97 (the same text shuffled: 0.24-0.32),
# letters or spaces 0.91-0.96, vowel share 0.35-0.41, mean word length 3.5-4.5. The character
# measures catch output that is not prose at all (uniform noise over the vocabulary has about
# 0.55 letters or spaces); shuffling keeps them, so the known-word share tells the two apart.
MIN_KNOWN_WORDS = 0.8
MIN_LETTERS_AND_SPACES = 0.85
VOWEL_SHARE = (0.3, 0.46)  # of letters; English prose is about 0.38
WORD_LENGTH = (2.5, 6.0)  # mean letters per word; English is about 4-5


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def _corpus() -> ModuleType:
    """The training script's corpus module: the same words, split the same way."""
    return _load("shakespeare_gpt_corpus", PACKAGE / "training" / "corpus.py")


@pytest.fixture(scope="module")
def corpus_words() -> set[str]:
    return set(_corpus().words(_corpus().load_corpus()))


@pytest.fixture(scope="module")
def predict_module() -> Iterator[ModuleType]:
    # predict.py imports its sibling `model`; keep that name from leaking to other tests.
    saved = sys.modules.pop("model", None)
    sys.path.insert(0, str(PACKAGE))
    try:
        yield _load("shakespeare_gpt_predict", PACKAGE / "predict.py")
    finally:
        sys.path.remove(str(PACKAGE))
        sys.modules.pop("model", None)
        if saved is not None:
            sys.modules["model"] = saved


@pytest.fixture(scope="module")
def server(example_model: Any) -> CogServer:
    started: CogServer = example_model("shakespeare-gpt")
    return started


def _english_measures(text: str, vocabulary: set[str]) -> dict[str, float]:
    words = _corpus().words(text)
    letters = [char for char in text.lower() if char.isalpha()]
    return {
        "known_words": sum(word in vocabulary for word in words) / max(1, len(words)),
        "letters_and_spaces": sum(c.isalpha() or c == " " for c in text) / max(1, len(text)),
        "vowel_share": sum(c in "aeiou" for c in letters) / max(1, len(letters)),
        "word_length": sum(len(word) for word in words) / max(1, len(words)),
    }


def _reads_as_english(measures: dict[str, float]) -> bool:
    return (
        measures["known_words"] >= MIN_KNOWN_WORDS
        and measures["letters_and_spaces"] >= MIN_LETTERS_AND_SPACES
        and VOWEL_SHARE[0] <= measures["vowel_share"] <= VOWEL_SHARE[1]
        and WORD_LENGTH[0] <= measures["word_length"] <= WORD_LENGTH[1]
    )


def test_metadata_validates_and_matches_the_predictor(predict_module: ModuleType) -> None:
    metadata = ModelMetadata.read(PACKAGE)
    assert metadata.output.kind == "text"
    assert metadata.verification.mode == "exact"
    assert metadata.takes_seed
    assert all((PACKAGE / weight).is_file() for weight in metadata.weights)

    parameters = inspect.signature(predict_module.Predictor.predict).parameters
    assert set(parameters) - {"self"} == set(metadata.inputs)
    for name, spec in metadata.inputs.items():
        field = parameters[name].default
        assert (field.ge, field.le) == (spec.minimum, spec.maximum), name
        assert field.max_length == spec.max_length, name
        if name != "seed":  # nodes derive the seed; the metadata gives it no default
            assert field.default == spec.default, name


def test_output_is_the_prompt_then_the_requested_characters(server: CogServer) -> None:
    output = server.predict(prompt=PROMPT, max_tokens=300, seed=1)
    assert output.startswith(PROMPT)
    assert len(output) == len(PROMPT) + 300


def test_default_length_is_used_when_max_tokens_is_omitted(server: CogServer) -> None:
    assert len(server.predict(prompt="ROMEO:\n", seed=3)) == len("ROMEO:\n") + 200


def test_continuation_reads_as_english(server: CogServer, corpus_words: set[str]) -> None:
    for seed in (11, 12):
        continuation = server.predict(prompt=PROMPT, max_tokens=400, seed=seed)[len(PROMPT) :]
        measures = _english_measures(continuation, corpus_words)
        assert _reads_as_english(measures), (seed, measures, continuation)

        shuffled = list(continuation)
        random.Random(seed).shuffle(shuffled)
        noise = _english_measures("".join(shuffled), corpus_words)
        assert not _reads_as_english(noise), (seed, noise)


@pytest.mark.slow  # starts a second server
def test_same_seed_gives_identical_bytes_in_a_second_process(server: CogServer) -> None:
    inputs = {"prompt": PROMPT, "max_tokens": 250, "temperature": 0.9, "seed": 2024}
    first = server.predict(**inputs)
    assert server.predict(**inputs) == first
    other = CogServer(PACKAGE)
    try:
        assert other.predict(**inputs).encode() == first.encode()
    finally:
        other.stop()


def test_different_seeds_give_different_text(server: CogServer) -> None:
    outputs = {server.predict(prompt=PROMPT, max_tokens=100, seed=seed) for seed in (1, 2, 3)}
    assert len(outputs) == 3


def test_temperature_zero_is_greedy_whatever_the_seed(server: CogServer) -> None:
    first = server.predict(prompt=PROMPT, max_tokens=80, temperature=0, seed=1)
    assert server.predict(prompt=PROMPT, max_tokens=80, temperature=0, seed=99) == first


def test_typographic_and_accented_prompt_is_folded_but_returned_as_given(
    server: CogServer,
) -> None:
    prompt = "The knight\u2019s caf\u00e9 \u201cdragon\u201d \u2014 "
    output = server.predict(prompt=prompt, max_tokens=40, seed=5)
    assert output.startswith(prompt)
    assert len(output) == len(prompt) + 40


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"max_tokens": 5}, "prompt must be a string"),
        ({"prompt": "x" * 2001}, "prompt has 2001 characters"),
        ({"prompt": "Hail, \U0001f409!"}, r"outside the model's ASCII vocabulary: .*U\+1F409"),
        ({"prompt": "x", "max_tokens": 0}, r"max_tokens must be within \[1, 2000\], got 0"),
        ({"prompt": "x", "max_tokens": 2001}, "max_tokens must be within"),
        ({"prompt": "x", "max_tokens": "3"}, "max_tokens must be an integer"),
        ({"prompt": "x", "temperature": -0.1}, r"temperature must be within \[0, 2.0\]"),
        ({"prompt": "x", "temperature": 2.5}, "temperature must be within"),
        ({"prompt": "x", "seed": -1}, r"seed must be within \[0, 2147483647\]"),
        ({"prompt": "x", "seed": 1.5}, "seed must be an integer"),
    ],
)
def test_bad_input_is_rejected_with_a_message_naming_it(
    server: CogServer, inputs: dict[str, Any], message: str
) -> None:
    with pytest.raises(RuntimeError, match=message):
        server.predict(**inputs)
