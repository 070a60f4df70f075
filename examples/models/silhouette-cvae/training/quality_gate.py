"""The claim rule: a class is offered only if the judge recognises enough of its drawings.

Each drawing goes through the exact path the served model takes (prior sample at the serving
temperature, render at the default size, PNG bytes) and back through PNG decoding and a box
downscale to 28x28, so the figure is about the files users receive.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from cvae import SAMPLING_TEMPERATURE, Generator
from rendering import DEFAULT_SIZE, png_of
from subjects import CLASS_NAMES, ClassVerdict

from training.classifier import SilhouetteClassifier, tensor_from_png

CLAIM_THRESHOLD = 0.8
SAMPLES_PER_CLASS = 100


@dataclass(frozen=True)
class GateReport:
    threshold: float
    samples_per_class: int
    seeds: str
    verdicts: tuple[ClassVerdict, ...]
    confusion: dict[str, dict[str, int]]  # requested class -> what the judge saw -> count


def run_quality_gate(generator: Generator, classifier: SilhouetteClassifier) -> GateReport:
    verdicts = []
    confusion: dict[str, dict[str, int]] = {}
    for index, name in enumerate(CLASS_NAMES):
        drawings = torch.stack(
            [
                tensor_from_png(
                    png_of(generator.draw(index, seed, SAMPLING_TEMPERATURE), DEFAULT_SIZE)
                )
                for seed in range(SAMPLES_PER_CLASS)
            ]
        )
        seen = classifier.predict(drawings)
        recognised = round((seen == index).float().mean().item(), 3)
        verdicts.append(ClassVerdict(name, index, recognised, recognised >= CLAIM_THRESHOLD))
        counts = torch.bincount(seen, minlength=len(CLASS_NAMES)).tolist()
        confusion[name] = {CLASS_NAMES[i]: n for i, n in enumerate(counts) if n}
        print(f"gate {name}: {recognised:.0%} recognised", flush=True)
    return GateReport(
        threshold=CLAIM_THRESHOLD,
        samples_per_class=SAMPLES_PER_CLASS,
        seeds=f"0..{SAMPLES_PER_CLASS - 1}",
        verdicts=tuple(verdicts),
        confusion=confusion,
    )
