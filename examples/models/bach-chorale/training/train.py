"""Train the chorale model: count what Bach's chorales do, beat by beat, into JSON tables.

    cd examples/models/bach-chorale && python -m training.train [--limit N] [--out PATH]

Everything is a count (no floats), keys are sorted and the corpus order is fixed, so two runs
write the same bytes. Per mode (major, minor) the tables are:

- tonics: how often each key's tonic occurs (the generator picks a key when the prompt names none)
- chords_2 / chords_1: chord-to-chord transitions given the two / one previous chords ("^" = start)
- cadences / final_cadences: (penultimate chord, chord under a fermata) pairs, inside a chorale
  and at its end
- soprano, bass: intervals between notes struck on consecutive beats, the chord role of a struck
  note (root, third, ...) on ordinary / cadence / final beats, absolute pitch range, pitch class
  counts from the tonic, and rhythm-figure transitions
- ranges: the 5th-95th percentile pitch range of each voice (the inner voices are voiced by rule
  inside them)
- scale: the seven commonest pitch classes of the soprano (passing notes walk on it)
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from chorale.harmony import TEMPLATES, chord_label, chord_pcs, role_of

from training.corpus import VOICES, Beat, Chorale, chorale_sources, read_chorales

OUT = Path(__file__).resolve().parents[1] / "model" / "chorale-markov.json"
START = "^"
FORMAT = 1
_OUTER = {"soprano": 0, "bass": 3}

Table = defaultdict[str, Counter[str]]


def _table() -> Table:
    return defaultdict(Counter)


class ModeCounts:
    """Counts for one mode, filled chorale by chorale."""

    def __init__(self) -> None:
        self.pieces = 0
        self.tonics: Counter[str] = Counter()
        self.chords_2, self.chords_1 = _table(), _table()
        self.cadences, self.final_cadences = _table(), _table()
        self.voice: dict[str, dict[str, Any]] = {
            name: {
                "intervals": Counter(),
                "roles": Counter(),
                "cadence_roles": Counter(),
                "final_roles": Counter(),
                "range": Counter(),
                "degrees": Counter(),
                "figures": _table(),
            }
            for name in _OUTER
        }
        self.pitches: dict[str, list[int]] = {name: [] for name in VOICES}

    def add(self, chorale: Chorale, chords: dict[str, tuple[int, str]]) -> None:
        self.pieces += 1
        self.tonics[str(chorale.tonic)] += 1
        for segment in _segments(chorale.beats):
            self._add_segment(chorale.tonic, segment, chords)

    def _add_segment(
        self, tonic: int, beats: list[Beat], chords: dict[str, tuple[int, str]]
    ) -> None:
        labels = []
        for beat in beats:
            pcs = [(v.pitch - tonic) % 12 for v in beat.voices]
            label, root, quality = chord_label(pcs, pcs[3])
            chords[label] = (root, quality)
            labels.append(label)
        last_fermata = max((i for i, b in enumerate(beats) if b.fermata), default=-1)
        for i, label in enumerate(labels):
            prev1 = labels[i - 1] if i >= 1 else START
            prev2 = labels[i - 2] if i >= 2 else START
            self.chords_2[f"{prev2} {prev1}"][label] += 1
            self.chords_1[prev1][label] += 1
            if beats[i].fermata and i >= 1:
                table = self.final_cadences if i == last_fermata else self.cadences
                table[prev1][label] += 1
        for name, index in _OUTER.items():
            self._add_voice(name, index, tonic, beats, labels, chords, last_fermata)
        for index, name in enumerate(VOICES):
            self.pitches[name].extend(beat.voices[index].pitch for beat in beats)

    def _add_voice(
        self,
        name: str,
        index: int,
        tonic: int,
        beats: list[Beat],
        labels: list[str],
        chords: dict[str, tuple[int, str]],
        last_fermata: int,
    ) -> None:
        counts = self.voice[name]
        previous_figure = START
        for i, beat in enumerate(beats):
            state = beat.voices[index]
            root, quality = chords[labels[i]]
            counts["range"][str(state.pitch)] += 1
            if state.struck:
                counts["degrees"][str((state.pitch - tonic) % 12)] += 1
                role = role_of((state.pitch - tonic) % 12, root, quality)
                kind = "final_roles" if i == last_fermata else "cadence_roles"
                counts[kind if beat.fermata else "roles"][role] += 1
                if i >= 1:
                    counts["intervals"][str(state.pitch - beats[i - 1].voices[index].pitch)] += 1
            if beat.fermata:
                previous_figure = START  # the next beat starts a phrase
                continue
            counts["figures"][previous_figure][state.figure] += 1
            previous_figure = state.figure

    def to_json(self) -> dict[str, Any]:
        soprano_degrees = self.voice["soprano"]["degrees"]
        scale = sorted(int(pc) for pc, _ in _ranked(soprano_degrees)[:7])
        return {
            "pieces": self.pieces,
            "tonics": _plain(self.tonics),
            "chords_2": _plain(self.chords_2),
            "chords_1": _plain(self.chords_1),
            "cadences": _plain(self.cadences),
            "final_cadences": _plain(self.final_cadences),
            "soprano": _plain(self.voice["soprano"]),
            "bass": _plain(self.voice["bass"]),
            "ranges": {name: _percentile_range(values) for name, values in self.pitches.items()},
            "scale": scale,
        }


def _segments(beats: tuple[Beat | None, ...]) -> list[list[Beat]]:
    """Runs of beats where all four voices sound (a rest breaks the chain)."""
    runs: list[list[Beat]] = [[]]
    for beat in beats:
        if beat is None:
            runs.append([])
        else:
            runs[-1].append(beat)
    return [run for run in runs if len(run) >= 2]


def _ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def _percentile_range(values: list[int]) -> list[int]:
    ordered = sorted(values)
    return [ordered[len(ordered) * 5 // 100], ordered[len(ordered) * 95 // 100]]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in sorted(value.items())}
    return value


def train(limit: int | None = None) -> dict[str, Any]:
    sources = chorale_sources()[:limit]
    modes = {"major": ModeCounts(), "minor": ModeCounts()}
    chords: dict[str, tuple[int, str]] = {}
    skipped = []
    for item in read_chorales(sources):
        if isinstance(item, str):
            skipped.append(item)
        else:
            modes[item.mode].add(item, chords)
    return {
        "format": FORMAT,
        "corpus": "music21 corpus: Bach chorales, Riemenschneider edition (4/4, SATB)",
        "chorales_read": len(sources),
        "skipped": skipped,
        "chords": {
            label: {"root": root, "quality": quality, "pcs": chord_pcs(root, quality)}
            for label, (root, quality) in sorted(chords.items())
        },
        "templates": {name: list(steps) for name, steps in TEMPLATES.items()},
        "modes": {name: counts.to_json() for name, counts in modes.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N chorales")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    model = train(args.limit)
    text = json.dumps(model, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    majors, minors = model["modes"]["major"]["pieces"], model["modes"]["minor"]["pieces"]
    print(f"{args.out}: {majors} major + {minors} minor chorales, {len(model['skipped'])} skipped")


if __name__ == "__main__":
    main()
