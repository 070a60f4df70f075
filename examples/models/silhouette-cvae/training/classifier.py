"""The judge: a small CNN trained on the real silhouettes, never on generated ones.

It decides which classes the model may claim (training/quality_gate.py) and checks the PNGs the
running model returns (tests/examples/test_silhouette_cvae.py). It shares no weights and no
code path with the generator, and its architecture differs (a 3x3-convolution + max-pooling
discriminative net, where the generator is a transposed-convolution decoder), so agreeing with
it is evidence about the pictures, not about the generator's own view of them.

This file imports only torch and Pillow, so tests can load it by path.
"""

from __future__ import annotations

import io
from pathlib import Path

import torch
from PIL import Image
from torch import nn

IMAGE_SIDE = 28


class SilhouetteClassifier(nn.Module):
    def __init__(self, class_count: int = 10) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 28 -> 14
            nn.Conv2d(32, 64, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 14 -> 7
            nn.Flatten(),
            nn.Dropout(0.3),
            nn.Linear(64 * 7 * 7, 128),
            nn.ReLU(),
            nn.Linear(128, class_count),
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        logits: torch.Tensor = self.layers(images)
        return logits

    @torch.inference_mode()
    def predict(self, images: torch.Tensor) -> torch.Tensor:
        """Class indexes for a batch of (n, 1, 28, 28) images in [0, 1], white on black."""
        return self.eval().forward(images).argmax(dim=1)


def load_classifier(path: Path) -> SilhouetteClassifier:
    classifier = SilhouetteClassifier()
    classifier.load_state_dict(torch.load(path, weights_only=True))
    return classifier.eval()


def tensor_from_png(png: bytes) -> torch.Tensor:
    """A rendered PNG (black animal on white, any size) -> (1, 28, 28) in the data set's form.

    Box filtering averages each 28x28 cell, which undoes the upscaling as closely as a resize can.
    """
    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("L").resize((IMAGE_SIDE, IMAGE_SIDE), Image.Resampling.BOX)
    levels = torch.tensor(list(grey.tobytes()), dtype=torch.float32)
    return (1.0 - levels / 255.0).view(1, IMAGE_SIDE, IMAGE_SIDE)
