"""Train the independent judge (training/classifier.py) on the real training split only.

Random shifts of up to two pixels keep it from keying on exact positions; nothing generated is
ever shown to it. Its accuracy on the held-out real split is reported beside the gate's figures,
since a judge is only as good as that accuracy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import torch
from torch import nn

from training.classifier import SilhouetteClassifier
from training.dataset import Split

_MAX_SHIFT = 2


@dataclass(frozen=True)
class ClassifierSettings:
    steps: int = 3000
    batch_size: int = 128
    learning_rate: float = 1e-3
    seed: int = 2


@dataclass(frozen=True)
class ClassifierReport:
    steps: int
    seconds: float
    test_accuracy: float
    test_accuracy_per_class: tuple[float, ...]


def _shifted(images: torch.Tensor, randomness: torch.Generator) -> torch.Tensor:
    """Each image moved by up to _MAX_SHIFT pixels in x and y, the border filled with black."""
    padded = nn.functional.pad(images, (_MAX_SHIFT,) * 4)
    side = images.shape[-1]
    offsets = torch.randint(0, 2 * _MAX_SHIFT + 1, (len(images), 2), generator=randomness)
    return torch.stack(
        [
            padded[i, :, dy : dy + side, dx : dx + side]
            for i, (dy, dx) in enumerate(offsets.tolist())
        ]
    )


def train_classifier(
    train: Split, test: Split, settings: ClassifierSettings
) -> tuple[SilhouetteClassifier, ClassifierReport]:
    torch.manual_seed(settings.seed)  # initial weights and dropout
    classifier = SilhouetteClassifier()
    optimizer = torch.optim.Adam(classifier.parameters(), lr=settings.learning_rate)
    batches = torch.Generator().manual_seed(settings.seed)
    started = time.monotonic()
    classifier.train()
    for step in range(settings.steps):
        picked = torch.randint(len(train.labels), (settings.batch_size,), generator=batches)
        logits = classifier(_shifted(train.images[picked], batches))
        loss = nn.functional.cross_entropy(logits, train.labels[picked])
        optimizer.zero_grad()
        torch.autograd.backward(loss)
        optimizer.step()
        if step % 500 == 0 or step == settings.steps - 1:
            print(f"classifier step {step}: loss {loss.item():.3f}", flush=True)
    seconds = time.monotonic() - started
    predicted = classifier.predict(test.images)
    per_class = tuple(
        round((predicted[test.labels == label] == label).float().mean().item(), 3)
        for label in range(int(test.labels.max()) + 1)
    )
    report = ClassifierReport(
        steps=settings.steps,
        seconds=round(seconds, 1),
        test_accuracy=round((predicted == test.labels).float().mean().item(), 3),
        test_accuracy_per_class=per_class,
    )
    return classifier.eval(), report
