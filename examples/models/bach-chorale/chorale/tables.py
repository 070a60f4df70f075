"""The trained model file (`model/chorale-markov.json`) as typed, read-only tables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 1
MODES = ("major", "minor")


class ModelFileError(ValueError):
    """The model file is missing, not JSON, or not the format this code reads."""


@dataclass(frozen=True)
class Chord:
    label: str
    root: int  # pitch class from the tonic
    quality: str
    pcs: tuple[int, ...]  # pitch classes from the tonic, root first


@dataclass(frozen=True)
class VoiceTables:
    """What one outer voice (soprano or bass) does, as counts."""

    intervals: dict[int, int]
    roles: dict[str, int]
    cadence_roles: dict[str, int]
    final_roles: dict[str, int]
    range: dict[int, int]
    degrees: dict[int, int]
    figures: dict[str, dict[str, int]]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VoiceTables:
        return cls(
            intervals={int(k): v for k, v in data["intervals"].items()},
            roles=dict(data["roles"]),
            cadence_roles=dict(data["cadence_roles"]),
            final_roles=dict(data["final_roles"]),
            range={int(k): v for k, v in data["range"].items()},
            degrees={int(k): v for k, v in data["degrees"].items()},
            figures={k: dict(v) for k, v in data["figures"].items()},
        )


@dataclass(frozen=True)
class ModeTables:
    pieces: int
    tonics: dict[int, int]
    chords_2: dict[str, dict[str, int]]
    chords_1: dict[str, dict[str, int]]
    cadences: dict[str, dict[str, int]]
    final_cadences: dict[str, dict[str, int]]
    soprano: VoiceTables
    bass: VoiceTables
    ranges: dict[str, tuple[int, int]]
    scale: tuple[int, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModeTables:
        return cls(
            pieces=data["pieces"],
            tonics={int(k): v for k, v in data["tonics"].items()},
            chords_2=data["chords_2"],
            chords_1=data["chords_1"],
            cadences=data["cadences"],
            final_cadences=data["final_cadences"],
            soprano=VoiceTables.from_json(data["soprano"]),
            bass=VoiceTables.from_json(data["bass"]),
            ranges={k: (v[0], v[1]) for k, v in data["ranges"].items()},
            scale=tuple(data["scale"]),
        )


@dataclass(frozen=True)
class ChoraleModel:
    chords: dict[str, Chord]
    modes: dict[str, ModeTables]

    @classmethod
    def load(cls, path: Path) -> ChoraleModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelFileError(f"{path}: cannot read the model file: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelFileError(f"{path}: expected model format {FORMAT}")
        try:
            chords = {
                label: Chord(label, c["root"], c["quality"], tuple(c["pcs"]))
                for label, c in data["chords"].items()
            }
            modes = {mode: ModeTables.from_json(data["modes"][mode]) for mode in MODES}
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFileError(f"{path}: malformed tables: {exc!r}") from exc
        return cls(chords, modes)
