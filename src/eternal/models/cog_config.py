"""What Eternal reads from a package's `cog.yaml`: the predictor and its Python requirements.

    build:
      python_version: "3.11"             # quoted: YAML reads 3.10 as the number 3.1
      python_packages: ["numpy==2.1.3"]
      python_requirements: requirements.txt   # optional, read line by line
    predict: "predict.py:Predictor"

Only `predict` and these `build` keys are read; Cog's other keys (`image`, `concurrency`,
`build.system_packages`, ...) are Cog's business and are ignored here. Every requirement must
be a plain PEP 508 requirement: nodes install them, so pip options (`--index-url`, `-e`, ...)
that would point them at other sources are refused.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
)

from eternal.models.errors import PackageError

COG_FILE = "cog.yaml"
_PREDICT_TARGET = re.compile(r"^(?P<file>[^:]+\.py):(?P<cls>[A-Za-z_][A-Za-z0-9_]*)$")


def _requirement(text: str) -> str:
    try:
        Requirement(text)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0]
        raise ValueError(f"{text!r} is not a valid requirement: {reason}") from exc
    return text


def _python_version(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError(f"write python_version as a quoted string: YAML read it as {value}")
    return value


def _predict_target(value: str) -> str:
    match = _PREDICT_TARGET.match(value)
    if match is None:
        raise ValueError(f"{value!r} is not of the form 'file.py:ClassName'")
    path = PurePosixPath(match["file"])
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"{value!r} must name a file inside the package")
    return value


_Requirement = Annotated[str, AfterValidator(_requirement)]
_PythonVersion = Annotated[str, StringConstraints(pattern=r"^3\.\d+(\.\d+)?$")]


class _CogBuild(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    # Checked before the type: a float must be explained, not coerced to a string.
    python_version: Annotated[_PythonVersion | None, BeforeValidator(_python_version)] = None
    python_packages: tuple[_Requirement, ...] = ()
    python_requirements: str | None = None
    gpu: bool = False


class _CogFile(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    predict: Annotated[str, AfterValidator(_predict_target)]
    build: _CogBuild = _CogBuild()


class CogConfig(BaseModel):
    """A package's Cog configuration, with the requirements file (if any) already read.

    `python_packages` holds every requirement: `build.python_packages`, then the lines of
    `build.python_requirements` (comments and blank lines dropped).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    predict: str
    python_version: str | None = None
    python_packages: tuple[str, ...] = ()
    python_requirements: str | None = None
    gpu: bool = False

    @property
    def predict_file(self) -> str:
        """The predictor's file, relative to the package folder ("predict.py")."""
        return self.predict.split(":", 1)[0]

    @property
    def predict_class(self) -> str:
        """The predictor's class name ("Predictor")."""
        return self.predict.split(":", 1)[1]

    @classmethod
    def read(cls, package_dir: Path) -> CogConfig:
        path = package_dir / COG_FILE
        if not path.is_file():
            raise PackageError(f"{package_dir}: no {COG_FILE}")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise PackageError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise PackageError(f"{path}: expected a mapping with a 'predict' key")
        try:
            parsed = _CogFile.model_validate(data)
        except ValidationError as exc:
            raise PackageError(f"{path}: {_describe(exc)}") from exc
        build = parsed.build
        from_file: tuple[str, ...] = ()
        if build.python_requirements is not None:
            from_file = _read_requirements(package_dir, build.python_requirements)
        return cls(
            predict=parsed.predict,
            python_version=build.python_version,
            python_packages=build.python_packages + from_file,
            python_requirements=build.python_requirements,
            gpu=build.gpu,
        )


def _read_requirements(package_dir: Path, name: str) -> tuple[str, ...]:
    relative = PurePosixPath(name)
    path = package_dir / relative
    inside = not relative.is_absolute() and ".." not in relative.parts
    if not (inside and path.is_file() and path.resolve().is_relative_to(package_dir.resolve())):
        raise PackageError(
            f"{package_dir}: build.python_requirements names {name}, which is not a file "
            "inside the package"
        )
    requirements = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-"):
            raise PackageError(
                f"{path}:{number}: pip option {line!r} is not allowed: list plain requirements"
            )
        try:
            requirements.append(_requirement(line))
        except ValueError as exc:
            raise PackageError(f"{path}:{number}: {exc}") from exc
    return tuple(requirements)


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "(top)"
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}")
    return "; ".join(problems)
