"""Cog predictor: continue a prompt in the style of Shakespeare's plays.

The output is the prompt followed by `max_tokens` generated characters. Bit-identical for the
same inputs and seed: one torch thread, no dropout, and seeded sampling (see model.py).

Cog's server enforces no bounds without `cog build`, and nodes validate against eternal.yaml
only when they run the model, so `predict` checks its inputs again here and fails with a
message naming the input at fault.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import torch
from cog import BasePredictor, Input
from model import GPT, GPTConfig, fold_to_vocabulary

WEIGHTS = Path(__file__).resolve().parent / "weights" / "model.pt"

# Bounds shared with eternal.yaml (a test checks the two agree).
MAX_PROMPT_CHARS = 2000
MAX_TOKENS = 2000
DEFAULT_TOKENS = 200
MAX_TEMPERATURE = 2.0
DEFAULT_TEMPERATURE = 0.8
MAX_SEED = 2**31 - 1


class Predictor(BasePredictor):
    def setup(self) -> None:
        # One thread: the same reduction order, hence the same logits, in every process.
        torch.set_num_threads(1)
        state = torch.load(WEIGHTS, map_location="cpu", weights_only=True)
        self.model = GPT(GPTConfig())
        self.model.load_state_dict(state)
        self.model.eval()

    def predict(
        self,
        prompt: str = Input(
            description="Text to continue (ASCII; accents and typographic quotes are folded)",
            max_length=MAX_PROMPT_CHARS,
        ),
        max_tokens: int = Input(
            description="Characters to generate after the prompt",
            default=DEFAULT_TOKENS,
            ge=1,
            le=MAX_TOKENS,
        ),
        temperature: float = Input(
            description="Sampling temperature; 0 always picks the most likely character",
            default=DEFAULT_TEMPERATURE,
            ge=0.0,
            le=MAX_TEMPERATURE,
        ),
        seed: int = Input(description="Seed of the sampler", default=0, ge=0, le=MAX_SEED),
    ) -> str:
        # Without a built schema, omitted inputs arrive as None rather than as their defaults.
        max_tokens = DEFAULT_TOKENS if max_tokens is None else max_tokens
        temperature = DEFAULT_TEMPERATURE if temperature is None else temperature
        seed = 0 if seed is None else seed
        _check_inputs(prompt, max_tokens, temperature, seed)
        continuation = self.model.continue_text(
            fold_to_vocabulary(prompt),
            length=max_tokens,
            temperature=float(temperature),
            seed=seed,
        )
        return prompt + continuation


def _check_inputs(prompt: Any, max_tokens: Any, temperature: Any, seed: Any) -> None:
    if not isinstance(prompt, str):
        raise ValueError(f"prompt must be a string, got {prompt!r}")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise ValueError(f"prompt has {len(prompt)} characters, more than {MAX_PROMPT_CHARS}")
    _check_integer("max_tokens", max_tokens, 1, MAX_TOKENS)
    _check_integer("seed", seed, 0, MAX_SEED)
    number = isinstance(temperature, int | float) and not isinstance(temperature, bool)
    if not number or not math.isfinite(temperature):
        raise ValueError(f"temperature must be a number, got {temperature!r}")
    if not 0 <= temperature <= MAX_TEMPERATURE:
        raise ValueError(f"temperature must be within [0, {MAX_TEMPERATURE}], got {temperature}")


def _check_integer(name: str, value: Any, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be within [{low}, {high}], got {value}")
