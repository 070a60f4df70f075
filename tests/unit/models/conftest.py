"""A minimal valid model package, written fresh for each test (tests may then break it)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

COG_YAML = """\
build:
  python_version: "3.11"
  python_packages:
    - "numpy>=1.26"
predict: "predict.py:Predictor"
"""

PREDICT_PY = """\
from cog import BasePredictor, Input


class Predictor(BasePredictor):
    def setup(self) -> None:
        self.weights = open("weights/model.bin", "rb").read()

    def predict(
        self,
        prompt: str = Input(description="what to echo"),
        seed: int = Input(default=0),
    ) -> str:
        return prompt
"""

ETERNAL_YAML = """\
name: tiny-echo
description: Repeats the prompt.
modality: text
inputs:
  prompt: {type: string, required: true, max_length: 100}
  seed: {type: integer, minimum: 0}
output: {kind: text}
weights: [weights/model.bin]
"""

FILES: dict[str, str | bytes] = {
    "cog.yaml": COG_YAML,
    "predict.py": PREDICT_PY,
    "eternal.yaml": ETERNAL_YAML,
    "weights/model.bin": bytes(range(256)) * 16,
    "README.md": "# tiny-echo\n",
}
EXECUTABLE = "scripts/train.sh"

WritePackage = Callable[..., Path]


def write_package(
    directory: Path,
    changes: Mapping[str, str | bytes | None] | None = None,
    *,
    order: Callable[[list[str]], list[str]] = sorted,
) -> Path:
    """Write the valid package into `directory`, with `changes` applied (None deletes a file).

    `order` chooses the order files are created in (creation order must not matter)."""
    files: dict[str, str | bytes | None] = {**FILES, EXECUTABLE: "#!/bin/sh\necho train\n"}
    files.update(changes or {})
    for name in order(list(files)):
        content = files[name]
        if content is None:
            continue
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        os.chmod(path, 0o644)
    if files.get(EXECUTABLE) is not None:
        os.chmod(directory / EXECUTABLE, 0o755)
    return directory


@pytest.fixture
def package_dir(tmp_path: Path) -> Path:
    return write_package(tmp_path / "tiny-echo")
