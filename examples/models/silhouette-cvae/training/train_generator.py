"""Train the conditional VAE for a fixed number of steps (the reproducible part of the recipe).

Loss per image: binary cross-entropy of the reconstruction (pixels as Bernoulli means, the
standard choice for near-binary images) plus the KL divergence from q(z | image, class) to the
class's learned prior p(z | class), both summed over dimensions.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import torch
from cvae import Encoder, Generator
from torch import nn

from training.dataset import Split


@dataclass(frozen=True)
class GeneratorSettings:
    steps: int = 8000
    batch_size: int = 128
    learning_rate: float = 2e-3
    seed: int = 1


@dataclass(frozen=True)
class GeneratorReport:
    steps: int
    seconds: float
    train_loss: float  # mean over the last 200 steps
    test_reconstruction: float  # nats per image, held-out split
    test_kl: float


def _gaussian_kl(
    mean: torch.Tensor, log_var: torch.Tensor, prior_mean: torch.Tensor, prior_log_var: torch.Tensor
) -> torch.Tensor:
    """KL(N(mean, var) || N(prior_mean, prior_var)) per row, summed over latent dimensions."""
    ratio = (log_var.exp() + (mean - prior_mean).pow(2)) / prior_log_var.exp()
    return 0.5 * (prior_log_var - log_var + ratio - 1.0).sum(dim=1)


def _losses(
    encoder: Encoder, generator: Generator, split: Split, noise: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    mean, log_var = encoder(split.images, split.labels)
    z = mean + torch.randn(mean.shape, generator=noise) * torch.exp(0.5 * log_var)
    logits = generator.decode_logits(z, split.labels)
    reconstruction = nn.functional.binary_cross_entropy_with_logits(
        logits, split.images, reduction="none"
    ).sum(dim=(1, 2, 3))
    kl = _gaussian_kl(mean, log_var, *generator.prior(split.labels))
    return reconstruction.mean(), kl.mean()


def train_generator(
    train: Split, test: Split, settings: GeneratorSettings
) -> tuple[Encoder, Generator, GeneratorReport]:
    torch.manual_seed(settings.seed)  # initial weights
    encoder, generator = Encoder(), Generator()
    parameters = [*encoder.parameters(), *generator.parameters()]
    optimizer = torch.optim.Adam(parameters, lr=settings.learning_rate)
    # Cosine decay to zero: the last steps settle the weights instead of jumping around.
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: 0.5 * (1 + math.cos(math.pi * step / settings.steps))
    )
    batches = torch.Generator().manual_seed(settings.seed)
    recent: list[float] = []
    started = time.monotonic()
    for step in range(settings.steps):
        picked = torch.randint(len(train.labels), (settings.batch_size,), generator=batches)
        batch = Split(train.images[picked], train.labels[picked])
        reconstruction, kl = _losses(encoder, generator, batch, batches)
        loss = reconstruction + kl
        optimizer.zero_grad()
        torch.autograd.backward(loss)
        optimizer.step()
        schedule.step()
        recent = [*recent[-199:], loss.item()]
        if step % 500 == 0 or step == settings.steps - 1:
            print(f"generator step {step}: loss {loss.item():.1f} (kl {kl.item():.1f})", flush=True)
    seconds = time.monotonic() - started
    with torch.no_grad():
        test_reconstruction, test_kl = _losses(encoder, generator, test, batches)
    report = GeneratorReport(
        steps=settings.steps,
        seconds=round(seconds, 1),
        train_loss=round(sum(recent) / len(recent), 2),
        test_reconstruction=round(test_reconstruction.item(), 2),
        test_kl=round(test_kl.item(), 2),
    )
    return encoder.eval(), generator.eval(), report
