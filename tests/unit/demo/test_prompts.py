"""The demo's prompts are inputs their example models accept, files included."""

from __future__ import annotations

from pathlib import Path

import pytest

from eternal.demo.errors import DemoError
from eternal.demo.prompts import CHEAT_MODEL, DEMO_PROMPTS, EXAMPLE_MODELS, find_examples
from eternal.models.metadata import ModelMetadata, VerificationMode
from eternal.sdk.inputs import build_task_input
from eternal.storage.local import LocalStore

EXAMPLES = find_examples()


@pytest.mark.parametrize("prompt", DEMO_PROMPTS, ids=lambda p: f"{p.model}:{p.text[:20]}")
def test_each_prompt_passes_its_models_input_check(prompt, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    metadata = ModelMetadata.read(EXAMPLES / prompt.model)
    inputs = prompt.all_inputs(EXAMPLES / prompt.model)
    encoded = build_task_input(metadata, inputs, LocalStore(tmp_path))
    assert prompt.text.encode() in encoded


def test_every_kind_of_prompt_is_sent_and_the_cheat_serves_an_exact_model() -> None:
    kinds = {prompt.kind for prompt in DEMO_PROMPTS}
    assert kinds == {model.kind for model in EXAMPLE_MODELS}
    cheat = ModelMetadata.read(EXAMPLES / CHEAT_MODEL)
    assert cheat.verification.mode is VerificationMode.EXACT


def test_a_folder_without_the_example_models_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DemoError, match="--examples"):
        find_examples(tmp_path)
