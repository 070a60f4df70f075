"""Virtualenvs for packages whose requirements the node's interpreter does not satisfy."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from eternal.models.metadata import ModelMetadata
from eternal.runtime import (
    EnvironmentSetupError,
    ModelRunner,
    resolve_environment,
    unsatisfied_requirements,
)
from tests.integration.runtime.conftest import Blobs

DIGEST = "5e" * 32
TINY_PACKAGE = "termcolor==2.4.0"  # pure Python, no dependencies, ~8 KB, not in .venv
PREDICTOR = """
import termcolor
from cog import BasePredictor, Input


class Predictor(BasePredictor):
    def predict(self, word: str = Input(description="Word to colour.")) -> str:
        return termcolor.colored(word, "red", force_color=True) + " " + termcolor.__file__
"""


def write_package(folder: Path) -> ModelMetadata:
    folder.mkdir()
    (folder / "cog.yaml").write_text(
        f'build:\n  python_packages: ["{TINY_PACKAGE}"]\npredict: "predict.py:Predictor"\n'
    )
    (folder / "predict.py").write_text(PREDICTOR)
    return ModelMetadata.from_mapping(
        {
            "name": "colour",
            "modality": "text",
            "inputs": {"word": {"type": "string", "required": True}},
            "output": {"kind": "text"},
        }
    )


@pytest.mark.slow
def test_missing_requirements_are_installed_into_a_cached_virtualenv(tmp_path: Path) -> None:
    assert unsatisfied_requirements([TINY_PACKAGE]) == [TINY_PACKAGE]
    cache = tmp_path / "envs"
    abandoned = cache / ".building-999999999-x"  # a build whose process died: no such pid
    abandoned.mkdir(parents=True)

    environment = resolve_environment([TINY_PACKAGE, "pytest"], DIGEST, cache)

    assert not environment.reused_current
    assert environment.python == cache / DIGEST / "bin" / "python"
    assert environment.bin_dir == cache / DIGEST / "bin"
    assert sorted(path.name for path in cache.iterdir()) == [DIGEST]  # no temporary left
    shown = subprocess.run(
        [str(environment.python), "-c", "import termcolor, pytest; print(termcolor.__file__);"
         " print(pytest.__file__)"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert Path(shown[0]).is_relative_to(cache / DIGEST)  # installed into the virtualenv
    assert Path(shown[1]).is_relative_to(sys.prefix)  # already satisfied: the node's own
    assert unsatisfied_requirements([TINY_PACKAGE]) == [TINY_PACKAGE]  # the node is untouched

    started = time.monotonic()
    assert resolve_environment([TINY_PACKAGE, "pytest"], DIGEST, cache) == environment
    assert time.monotonic() - started < 1.0  # reused, not rebuilt

    metadata = write_package(tmp_path / "colour")
    runner = ModelRunner(
        tmp_path / "colour", metadata, environment=environment, fetch=Blobs().fetch
    )
    with runner:
        text = runner.predict({"word": "rose"}, task_id=1).canonical.value
    coloured, module = text.split(" ")
    assert coloured == "\x1b[31mrose\x1b[0m"
    assert Path(module).is_relative_to(cache / DIGEST)


@pytest.mark.slow
def test_a_failed_install_leaves_no_environment(tmp_path: Path) -> None:
    missing_wheel = f"eternal-broken @ file://{tmp_path}/missing-1.0-py3-none-any.whl"
    cache = tmp_path / "envs"
    with pytest.raises(EnvironmentSetupError, match=r"pip install .* failed"):
        resolve_environment([missing_wheel], DIGEST, cache)
    assert list(cache.iterdir()) == []
