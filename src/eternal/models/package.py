"""A model package: a folder holding `cog.yaml`, the predictor, `eternal.yaml` and the weights.

`ModelPackage.load(folder)` checks everything a node will rely on before anyone pays for it,
without running the package's code:

- `cog.yaml` is present and valid (`eternal.models.cog_config`);
- the predictor file it names exists and defines the class, with a `predict` or `run` method
  (read with `ast`, `eternal.models.predictor`);
- `eternal.yaml` follows the schema (`eternal.models.metadata`);
- the inputs it declares are exactly the predictor method's parameters (when readable);
- every weights path it lists is inside the folder and present.

`files` lists what goes into the archive: every regular file, minus version-control and cache
junk; symlinks are followed only to files inside the folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

import yaml

from eternal.models.archive import archive_digest
from eternal.models.cog_config import CogConfig
from eternal.models.errors import PackageError
from eternal.models.metadata import METADATA_FILE, InputType, MetadataError, ModelMetadata
from eternal.models.predictor import PredictorError, PredictorShape, read_predictor
from eternal.storage.cid import cid_from_digest

# Never packed: version control, Python caches, virtualenvs, and files Cog or macOS leave behind.
JUNK_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", ".venv", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
)
JUNK_FILES = frozenset({".DS_Store", ".cog-test.log"})
JUNK_SUFFIXES = (".pyc", ".pyo")


@dataclass(frozen=True)
class ModelPackage:
    path: Path
    metadata: ModelMetadata
    cog: CogConfig
    files: tuple[str, ...]  # sorted POSIX paths relative to `path`: the archive's members

    @classmethod
    def load(cls, package_dir: Path) -> ModelPackage:
        """The validated package in `package_dir`; `PackageError` naming the first problem."""
        if not package_dir.is_dir():
            raise PackageError(f"{package_dir}: not a directory")
        cog = CogConfig.read(package_dir)
        shape = _check_predictor(package_dir, cog)
        metadata = _read_metadata(package_dir)
        files = package_files(package_dir)
        _check_inputs_match(package_dir, cog, metadata, shape)
        _check_weights(package_dir, metadata, files)
        return cls(path=package_dir, metadata=metadata, cog=cog, files=files)

    @cached_property
    def digest(self) -> bytes:
        """SHA-256 of the deterministic archive: the package digest registered on chain."""
        return archive_digest(self)

    @property
    def cid(self) -> str:
        return cid_from_digest(self.digest)


def package_files(package_dir: Path) -> tuple[str, ...]:
    """Every file to pack, as sorted relative POSIX paths."""
    root = package_dir.resolve()
    found = []
    for current, dirs, names in os.walk(package_dir):
        here = Path(current)
        dirs[:] = [name for name in dirs if name not in JUNK_DIRS]
        for name in dirs:
            if (here / name).is_symlink():
                raise PackageError(
                    f"{package_dir}: {_relative(here / name, package_dir)} is a symlink to a "
                    "directory: copy the files instead"
                )
        for name in names:
            if name in JUNK_FILES or name.endswith(JUNK_SUFFIXES):
                continue
            path = here / name
            relative = _relative(path, package_dir)
            _check_packable(path, relative, root, package_dir)
            found.append(relative)
    return tuple(sorted(found))


def _relative(path: Path, package_dir: Path) -> str:
    return path.relative_to(package_dir).as_posix()


def _check_packable(path: Path, relative: str, root: Path, package_dir: Path) -> None:
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PackageError(f"{package_dir}: file name {relative!r} is not UTF-8") from exc
    if "\\" in relative:
        # Archives refuse backslashes (a path separator elsewhere), so none may be packed.
        raise PackageError(f"{package_dir}: file name {relative!r} contains a backslash")
    if path.is_symlink() and not path.resolve().is_relative_to(root):
        raise PackageError(f"{package_dir}: {relative} is a symlink to outside the package")
    if not path.is_file():
        raise PackageError(f"{package_dir}: {relative} is not a regular file")


def _check_predictor(package_dir: Path, cog: CogConfig) -> PredictorShape:
    source_path = package_dir / cog.predict_file
    if not source_path.is_file():
        raise PackageError(f"{package_dir}: {cog.predict_file} (cog.yaml's predict) is missing")
    try:
        source = source_path.read_text(encoding="utf-8")
        return read_predictor(source, filename=cog.predict_file, class_name=cog.predict_class)
    except UnicodeDecodeError as exc:
        raise PackageError(f"{package_dir}: {cog.predict_file} is not UTF-8 text") from exc
    except PredictorError as exc:
        raise PackageError(f"{package_dir}: {exc}") from exc


def _read_metadata(package_dir: Path) -> ModelMetadata:
    try:
        return ModelMetadata.read(package_dir)
    except MetadataError as exc:
        raise PackageError(_unknown_input_type(package_dir) or str(exc)) from exc


def _unknown_input_type(package_dir: Path) -> str | None:
    """A friendlier message for the commonest schema error: a misspelt input type."""
    try:
        data = yaml.safe_load((package_dir / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    inputs = data.get("inputs") if isinstance(data, dict) else None
    if not isinstance(inputs, dict):
        return None
    known = [kind.value for kind in InputType]
    for name, spec in inputs.items():
        kind = spec.get("type") if isinstance(spec, dict) else None
        if isinstance(kind, str) and kind not in known:
            return (
                f"{package_dir}/{METADATA_FILE}: input '{name}' has unknown type '{kind}' "
                f"(expected one of: {', '.join(known)})"
            )
    return None


def _check_inputs_match(
    package_dir: Path, cog: CogConfig, metadata: ModelMetadata, shape: PredictorShape
) -> None:
    if shape.parameters is None:
        return  # *args / **kwargs: the accepted names cannot be read from the source
    method = f"{cog.predict_class}.{shape.method}()"
    declared, accepted = set(metadata.inputs), set(shape.parameters)
    problems = [
        f"input '{name}' is declared in {METADATA_FILE} but {method} has no such parameter"
        for name in sorted(declared - accepted)
    ] + [
        f"{method} parameter '{name}' is not declared in {METADATA_FILE}'s inputs"
        for name in sorted(accepted - declared)
    ]
    if problems:
        raise PackageError(f"{package_dir}: " + "; ".join(problems))


def _check_weights(package_dir: Path, metadata: ModelMetadata, files: tuple[str, ...]) -> None:
    root = package_dir.resolve()
    packed = set(files)
    for weights in metadata.weights:
        relative = PurePosixPath(weights)
        if relative.is_absolute() or ".." in relative.parts or "\\" in weights:
            raise PackageError(
                f"{package_dir}: weights path {weights} must be relative, inside the package"
            )
        path = package_dir / relative
        if not path.exists():
            raise PackageError(f"{package_dir}: weights file {weights} is missing")
        if not path.resolve().is_relative_to(root):
            raise PackageError(f"{package_dir}: weights file {weights} links outside the package")
        prefix = relative.as_posix() + "/"
        if relative.as_posix() not in packed and not any(f.startswith(prefix) for f in packed):
            raise PackageError(
                f"{package_dir}: weights file {weights} would not be packed (empty, or excluded "
                "as cache or version-control files)"
            )
