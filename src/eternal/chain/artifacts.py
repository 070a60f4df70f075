"""Compiled contract artifacts: `chain/artifacts/<ContractName>.json`, loaded by name.

An artifact file holds `contractName`, `sourceName`, `abi`, `bytecode` and `deployedBytecode`
(0x-hex), as written by `scripts/build_contracts.js`. Other JSON files in that folder (such as
`sizes.json`) are not artifacts and are ignored.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from eternal.errors import ArtifactError

_PACKAGE = "eternal.chain"
_FOLDER = "artifacts"


class Artifact(BaseModel):
    """One compiled contract. `bytecode` is the creation code, without constructor arguments."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    name: str = Field(alias="contractName")
    source_name: str = Field(alias="sourceName")
    abi: tuple[dict[str, Any], ...] = Field(repr=False)
    bytecode: bytes = Field(repr=False)
    deployed_bytecode: bytes = Field(alias="deployedBytecode", repr=False)

    @field_validator("bytecode", "deployed_bytecode", mode="before")
    @classmethod
    def _hex_to_bytes(cls, value: object) -> bytes:
        if not isinstance(value, str) or not value.startswith("0x"):
            raise ValueError("expected a 0x-prefixed hex string")
        # Unlinked library placeholders (__$...$__) are not hex: fromhex rejects them.
        return bytes.fromhex(value[2:])

    def errors_abi(self) -> list[dict[str, Any]]:
        """The ABI entries of the custom errors this contract can revert with."""
        return [entry for entry in self.abi if entry.get("type") == "error"]


def parse_artifact(payload: object, origin: str) -> Artifact:
    """Validate an artifact's JSON payload; `origin` names it in the error."""
    try:
        return Artifact.model_validate(payload)
    except ValidationError as exc:
        raise ArtifactError(f"{origin} is not a valid artifact: {exc}") from exc


def read_artifact(path: str | Path) -> Artifact:
    """Load an artifact from a file outside the package (for example a test fixture)."""
    file = Path(path)
    try:
        payload = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ArtifactError(f"cannot read artifact {file}: {exc}") from exc
    return parse_artifact(payload, str(file))


def _folder() -> Traversable:
    return resources.files(_PACKAGE).joinpath(_FOLDER)


def _read_packaged(entry: Traversable) -> object:
    try:
        return json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ArtifactError(f"cannot read packaged artifact {entry.name}: {exc}") from exc


@cache
def load_artifact(name: str) -> Artifact:
    """The packaged artifact of contract `name` (cached)."""
    entry = _folder().joinpath(f"{name}.json")
    if not entry.is_file():
        known = ", ".join(packaged_artifact_names()) or "none (run `make contracts`)"
        raise ArtifactError(f"no artifact named {name!r}; packaged: {known}")
    return parse_artifact(_read_packaged(entry), f"artifact {name}")


@lru_cache(maxsize=1)
def packaged_artifact_names() -> tuple[str, ...]:
    """Names of all packaged artifacts, sorted."""
    folder = _folder()
    if not folder.is_dir():
        return ()
    names = []
    for entry in folder.iterdir():
        if not entry.name.endswith(".json"):
            continue
        payload = _read_packaged(entry)
        if isinstance(payload, dict) and "contractName" in payload:
            names.append(entry.name.removesuffix(".json"))
    return tuple(sorted(names))


def packaged_artifacts() -> tuple[Artifact, ...]:
    """Every packaged artifact, in name order."""
    return tuple(load_artifact(name) for name in packaged_artifact_names())
