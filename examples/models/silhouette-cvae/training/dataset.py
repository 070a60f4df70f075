"""The animal-mnist silhouettes as tensors, read straight from the package's data files.

`import animal_mnist` imports TensorFlow (for its MNIST helpers), which this project does not
install; the data itself is two gzipped pickles of numpy arrays inside the package, read here
without importing it. Labels follow the package's alphabetical class order (subjects.CLASS_NAMES).
"""

from __future__ import annotations

import gzip
import importlib.util
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

_DATA_FILES = ("animal_data_version_3.gz", "animal_label_version_3.gz")
TEST_FRACTION = 0.2


@dataclass(frozen=True)
class Split:
    images: torch.Tensor  # (n, 1, 28, 28) float32 in [0, 1], white animal on black
    labels: torch.Tensor  # (n,) int64 class indexes


def _data_dir() -> Path:
    spec = importlib.util.find_spec("animal_mnist")  # finds the package without running it
    if spec is None or spec.origin is None:
        raise FileNotFoundError("animal-mnist is not installed: pip install --no-deps animal-mnist")
    return Path(spec.origin).parent / "data" / "Animal_MNIST"


def _load_array(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as stream:
        # The package ships its data as pickles; they come from the installed package, not the
        # network, which is the trust this script already gives to the code it imports.
        return np.asarray(pickle.load(stream))


def load_splits(seed: int) -> tuple[Split, Split]:
    """Train and test splits: a seeded shuffle, the same for every run with the same seed."""
    directory = _data_dir()
    images, labels = (_load_array(directory / name) for name in _DATA_FILES)
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(seed))
    images_t = torch.from_numpy(images).to(torch.float32).div(255.0).unsqueeze(1)[order]
    labels_t = torch.from_numpy(labels).to(torch.int64)[order]
    test_count = int(len(labels) * TEST_FRACTION)
    return (
        Split(images_t[test_count:], labels_t[test_count:]),
        Split(images_t[:test_count], labels_t[:test_count]),
    )
