"""Which requirements the running interpreter satisfies, and reusing it when it does."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pytest

from eternal.runtime.environments import (
    PythonEnvironment,
    resolve_environment,
    unsatisfied_requirements,
)
from eternal.runtime.errors import EnvironmentSetupError

PYTEST = importlib.metadata.version("pytest")
DIGEST = "ab" * 32


@pytest.mark.parametrize(
    "requirement",
    [
        "pytest",
        f"pytest=={PYTEST}",
        "PyTest>=1",  # names are compared normalised
        "httpx<999",
        "cog",  # what every Cog server needs
        "no-such-package-eternal; python_version < '3'",  # the marker excludes it
        "pytest[no-such-extra]",  # an extra without dependencies adds nothing
    ],
)
def test_installed_requirements_are_satisfied(requirement: str) -> None:
    assert unsatisfied_requirements([requirement]) == []


@pytest.mark.parametrize(
    "requirement",
    [
        "no-such-package-eternal",
        "pytest<1",
        f"pytest!={PYTEST}",
        "pytest @ https://example.org/pytest.whl",  # a direct reference is never assumed
        "httpx[socks]",  # its extra needs socksio, which is not installed
    ],
)
def test_missing_or_mismatched_requirements_are_unsatisfied(requirement: str) -> None:
    assert unsatisfied_requirements(["pytest", requirement]) == [requirement]


def test_invalid_requirement_is_refused_by_name() -> None:
    with pytest.raises(EnvironmentSetupError, match="invalid requirement 'pytest >>> 1'"):
        unsatisfied_requirements(["pytest >>> 1"])


def test_satisfied_requirements_reuse_the_running_interpreter(tmp_path: Path) -> None:
    environment = resolve_environment(["pytest", "httpx"], DIGEST, tmp_path / "envs")
    assert environment == PythonEnvironment(
        python=Path(sys.executable), bin_dir=Path(sys.executable).parent, reused_current=True
    )
    assert not (tmp_path / "envs").exists()  # nothing built


def test_no_requirements_reuse_the_running_interpreter(tmp_path: Path) -> None:
    assert resolve_environment([], DIGEST, tmp_path).reused_current


def test_a_digest_that_is_not_hex_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentSetupError, match="not lowercase hex"):
        resolve_environment(["no-such-package-eternal"], "../escape", tmp_path)
