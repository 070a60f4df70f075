"""Cog predictor: "Create an image of a cat" -> a PNG silhouette of a cat, the same for a seed.

setup() loads the generator and the list of classes it claims (weights/); predict() picks the
class from the prompt's words (subjects.py), samples the class's prior with a generator seeded
by `seed`, and renders a PNG (rendering.py). One thread and deterministic kernels make the bytes
the same in every process on the same machine and library versions: the model's verification
mode is EXACT.
"""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath

import torch
from cog import BasePredictor, Input, Path  # type: ignore[import-untyped]
from cvae import SAMPLING_TEMPERATURE, Generator
from rendering import DEFAULT_SIZE, png_of
from subjects import Claims

PACKAGE = FilePath(__file__).resolve().parent
PROMPT_MAX_LENGTH = 500
SEED_RANGE = (0, 2**31 - 1)
SIZE_RANGE = (28, 1024)


def _checked(name: str, value: int | None, default: int, bounds: tuple[int, int]) -> int:
    # Without `cog build` the server applies no defaults or bounds: a missing input is None.
    if value is None:
        return default
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return value


class Predictor(BasePredictor):  # type: ignore[misc]  # cog ships no type hints
    def setup(self) -> None:
        torch.set_num_threads(1)
        torch.use_deterministic_algorithms(True)
        self.generator = Generator()
        state = torch.load(PACKAGE / "weights" / "generator.pt", weights_only=True)
        self.generator.load_state_dict(state)
        self.generator.eval()
        self.claims = Claims.read(PACKAGE / "weights" / "classes.json")
        self.output_dir = FilePath(tempfile.mkdtemp(prefix="silhouette-cvae-"))
        self.last_output: FilePath | None = None

    def predict(
        self,
        prompt: str = Input(
            description="What to draw; must name one animal the model offers", max_length=500
        ),
        seed: int = Input(description="Same seed, same picture", default=0, ge=0, le=2**31 - 1),
        size: int = Input(description="Width and height in pixels", default=256, ge=28, le=1024),
    ) -> Path:
        if not isinstance(prompt, str):
            raise ValueError(f"prompt must be a string, got {prompt!r}")
        if len(prompt) > PROMPT_MAX_LENGTH:
            raise ValueError(f"prompt has {len(prompt)} characters, more than {PROMPT_MAX_LENGTH}")
        seed = _checked("seed", seed, 0, SEED_RANGE)
        size = _checked("size", size, DEFAULT_SIZE, SIZE_RANGE)
        subject = self.claims.subject_of(prompt)
        pixels = self.generator.draw(subject.index, seed, SAMPLING_TEMPERATURE)
        # Cog has read the previous output by the time the next prediction starts: keep one
        # file at a time, so a long-running node does not fill its temporary directory.
        if self.last_output is not None:
            self.last_output.unlink(missing_ok=True)
        path = self.output_dir / f"{subject.name}-{seed}-{size}.png"
        path.write_bytes(png_of(pixels, size))
        self.last_output = path
        return Path(path)
