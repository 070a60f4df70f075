"""What a model package says about itself: `eternal.yaml`, beside `cog.yaml`.

Cog's server enforces no input schema without `cog build`, so this file is the schema: nodes and
clients validate every input against it before a model sees it (`eternal.runtime.inputs`), and
verifiers read the verification mode and tolerance from it. Example:

    name: tiny-echo
    description: Repeats the prompt, deterministically.
    modality: text                       # text | image | audio | data | embedding
    inputs:
      prompt: {type: string, required: true, max_length: 2000}
      times: {type: integer, default: 1, minimum: 1, maximum: 5}
      seed: {type: integer, minimum: 0, maximum: 2147483647}
      data: {type: file, media_type: text/csv}
    output: {kind: text}                 # text | file | json (files inside json are allowed)
    verification: {mode: exact}          # or {mode: tolerant, metric: cosine, threshold: 0.99}
    weights: [weights/model.bin]         # files the package must carry

The published form is canonical JSON (`to_canonical_json`): its CID is the model's metadata URI.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from eternal.errors import EternalError

METADATA_FILE = "eternal.yaml"
# The input a model reads its task seed from (derived from the task id when the user gives none).
SEED_INPUT = "seed"


class MetadataError(EternalError):
    """A model's metadata is missing or does not follow the schema."""


class InputType(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    FILE = "file"


class OutputKind(StrEnum):
    TEXT = "text"
    FILE = "file"
    JSON = "json"


class Modality(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    DATA = "data"
    EMBEDDING = "embedding"


class VerificationMode(StrEnum):
    """Mirrors `IModelRegistry.VerificationMode`: EXACT compares digests, TOLERANT a metric."""

    EXACT = "exact"
    TOLERANT = "tolerant"


class ToleranceMetric(StrEnum):
    # Cosine similarity of two numeric vectors (a JSON list, or `embedding` in a JSON object).
    COSINE = "cosine"
    # Largest absolute difference between numbers at the same place in two JSON outputs.
    MAX_ABS = "max_abs"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputSpec(_Strict):
    type: InputType
    description: str = ""
    required: bool = False
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: Annotated[int, Field(gt=0)] | None = None
    choices: tuple[str | int | float, ...] | None = None
    media_type: str | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        numeric = self.type in (InputType.INTEGER, InputType.NUMBER)
        if (self.minimum is not None or self.maximum is not None) and not numeric:
            raise ValueError(f"minimum/maximum only apply to numbers, not to {self.type}")
        if self.max_length is not None and self.type is not InputType.STRING:
            raise ValueError(f"max_length only applies to strings, not to {self.type}")
        if self.media_type is not None and self.type is not InputType.FILE:
            raise ValueError(f"media_type only applies to files, not to {self.type}")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"minimum {self.minimum} is above maximum {self.maximum}")
        if self.required and self.default is not None:
            raise ValueError("a required input cannot have a default")
        return self


class OutputSpec(_Strict):
    kind: OutputKind
    media_type: str | None = None


class Verification(_Strict):
    mode: VerificationMode = VerificationMode.EXACT
    metric: ToleranceMetric | None = None
    threshold: float | None = None

    @model_validator(mode="after")
    def _tolerance_iff_tolerant(self) -> Self:
        tolerant = self.mode is VerificationMode.TOLERANT
        if tolerant and (self.metric is None or self.threshold is None):
            raise ValueError("a tolerant model needs a metric and a threshold")
        if not tolerant and (self.metric is not None or self.threshold is not None):
            raise ValueError("metric and threshold only apply to tolerant models")
        return self


class ModelMetadata(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    description: str = ""
    modality: Modality
    inputs: dict[str, InputSpec]
    output: OutputSpec
    verification: Verification = Verification()
    weights: tuple[str, ...] = ()

    @property
    def takes_seed(self) -> bool:
        return SEED_INPUT in self.inputs

    @classmethod
    def from_mapping(cls, data: Any, *, source: str = "metadata") -> ModelMetadata:
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
                for err in exc.errors()
            )
            raise MetadataError(f"{source}: {problems}") from exc

    @classmethod
    def read(cls, package_dir: Path) -> ModelMetadata:
        path = package_dir / METADATA_FILE
        if not path.is_file():
            raise MetadataError(f"{package_dir}: no {METADATA_FILE} (the model's metadata)")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise MetadataError(f"{path}: not valid YAML: {exc}") from exc
        return cls.from_mapping(data, source=str(path))

    @classmethod
    def from_json(cls, raw: bytes) -> ModelMetadata:
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise MetadataError(f"metadata is not JSON: {exc}") from exc
        return cls.from_mapping(data)

    def to_canonical_json(self) -> bytes:
        """Sorted keys, no spaces, UTF-8: the same metadata always gives the same bytes."""
        data = self.model_dump(mode="json", exclude_none=True)
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
