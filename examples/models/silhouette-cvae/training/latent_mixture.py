"""Fit the sampling mixture: a diagonal Gaussian mixture per class over the encoder's means.

Plain expectation-maximisation in torch (no extra dependency), started from seeded random data
points, for a fixed number of iterations: the same run gives the same mixture. A floor on the
variances keeps a component that collapses onto one image from drawing that image every time.
"""

from __future__ import annotations

import math

import torch
from cvae import CLASS_COUNT, MIXTURE_COMPONENTS, Encoder, Generator

from training.dataset import Split

_ITERATIONS = 100
_VARIANCE_FLOOR = 0.01


def _log_densities(
    points: torch.Tensor, means: torch.Tensor, variances: torch.Tensor
) -> torch.Tensor:
    """(n, k) log N(point | mean_k, diag(variance_k))."""
    squared = ((points[:, None, :] - means[None]) ** 2 / variances[None]).sum(dim=2)
    return -0.5 * (
        squared + variances.log().sum(dim=1)[None] + points.shape[1] * math.log(2 * math.pi)
    )


def fit_mixture(
    points: torch.Tensor, components: int, randomness: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Weights (k,), means (k, d) and variances (k, d) of a diagonal mixture fitted to points."""
    start = torch.randperm(len(points), generator=randomness)[:components]
    means = points[start].clone()
    variances = points.var(dim=0).expand(components, -1).clone()
    weights = torch.full((components,), 1.0 / components)
    for _ in range(_ITERATIONS):
        log_joint = weights.log()[None] + _log_densities(points, means, variances)
        responsibility = torch.softmax(log_joint, dim=1)  # (n, k)
        mass = responsibility.sum(dim=0) + 1e-9
        weights = mass / mass.sum()
        means = responsibility.T @ points / mass[:, None]
        spread = responsibility.T @ points.pow(2) / mass[:, None] - means.pow(2)
        variances = spread.clamp(min=_VARIANCE_FLOOR)
    return weights, means, variances


@torch.no_grad()
def fit_class_mixtures(encoder: Encoder, generator: Generator, train: Split, seed: int) -> None:
    """Fill the generator's mixture buffers from the training images' posterior means."""
    randomness = torch.Generator().manual_seed(seed)
    means, _ = encoder.eval()(train.images, train.labels)
    for label in range(CLASS_COUNT):
        weights, centres, variances = fit_mixture(
            means[train.labels == label], MIXTURE_COMPONENTS, randomness
        )
        generator.mixture_weight[label] = weights
        generator.mixture_mean[label] = centres
        generator.mixture_log_variance[label] = variances.log()
