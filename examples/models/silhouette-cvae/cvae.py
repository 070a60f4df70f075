"""The conditional VAE: an encoder used only in training, a generator shipped in weights/.

Images are 28x28 grey levels in [0, 1] (animal silhouettes, white on black as in the data set).
The class enters three places: the encoder, the decoder (as a one-hot vector) and the prior,
which is a Gaussian per class, learned with the rest (Sohn et al.'s CVAE with a conditional
prior). With a shared N(0, I) prior the latent vector carries most of the shape and the class
barely changes the drawing; a prior per class puts each animal in its own region of latent space,
so the decoder learns to read the animal from both.

Drawing samples a Gaussian mixture fitted afterwards to where the encoder puts each class's real
images ("ex-post density estimation", Ghosh et al. 2020), not the learned prior: the prior is
smoother than the data, and its samples fall between poses, which decode as blobs.
"""

from __future__ import annotations

import torch
from torch import nn

IMAGE_SIDE = 28
CLASS_COUNT = 10
LATENT_SIZE = 16
MIXTURE_COMPONENTS = 40  # Gaussians per class in the sampling mixture (~20 images each)
# Spread of each mixture component when drawing (1 = as fitted); the quality gate uses it too.
SAMPLING_TEMPERATURE = 0.8
_HIDDEN_SIZE = 256
_CHANNELS = (16, 32)  # feature maps at 14x14 and 7x7


def one_hot(labels: torch.Tensor) -> torch.Tensor:
    return nn.functional.one_hot(labels, CLASS_COUNT).to(torch.float32)


class Generator(nn.Module):
    """Prior p(z | class), decoder p(image | z, class) and the mixture that drawing samples."""

    def __init__(self) -> None:
        super().__init__()
        self.prior_mean = nn.Parameter(torch.zeros(CLASS_COUNT, LATENT_SIZE))
        self.prior_log_variance = nn.Parameter(torch.zeros(CLASS_COUNT, LATENT_SIZE))
        # Filled by training/latent_mixture.py after the VAE is trained; saved with the weights.
        mixture_shape = (CLASS_COUNT, MIXTURE_COMPONENTS, LATENT_SIZE)
        self.mixture_weight: torch.Tensor
        self.mixture_mean: torch.Tensor
        self.mixture_log_variance: torch.Tensor
        self.register_buffer("mixture_weight", torch.zeros(CLASS_COUNT, MIXTURE_COMPONENTS))
        self.register_buffer("mixture_mean", torch.zeros(mixture_shape))
        self.register_buffer("mixture_log_variance", torch.zeros(mixture_shape))
        narrow, wide = _CHANNELS
        self.project = nn.Sequential(
            nn.Linear(LATENT_SIZE + CLASS_COUNT, _HIDDEN_SIZE),
            nn.ReLU(),
            nn.Linear(_HIDDEN_SIZE, wide * 7 * 7),
            nn.ReLU(),
        )
        self.upsample = nn.Sequential(
            nn.ConvTranspose2d(wide, narrow, kernel_size=4, stride=2, padding=1),  # 7 -> 14
            nn.ReLU(),
            nn.ConvTranspose2d(narrow, 1, kernel_size=4, stride=2, padding=1),  # 14 -> 28
        )

    def decode_logits(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        hidden = self.project(torch.cat([z, one_hot(labels)], dim=1))
        logits: torch.Tensor = self.upsample(hidden.view(-1, _CHANNELS[1], 7, 7))
        return logits

    def prior(self, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.prior_mean[labels], self.prior_log_variance[labels]

    @torch.inference_mode()
    def draw(self, class_index: int, seed: int, temperature: float) -> torch.Tensor:
        """One 28x28 image of class `class_index` for `seed`, values in [0, 1].

        The seed picks a component of the class's mixture (by inverse CDF) and a point in it;
        `temperature` scales the component's spread.
        """
        # A private generator: the seed alone decides the draw, whatever ran before.
        randomness = torch.Generator().manual_seed(seed)
        pick = torch.rand(1, generator=randomness)
        noise = torch.randn(1, LATENT_SIZE, generator=randomness)
        cumulative = torch.cumsum(self.mixture_weight[class_index], dim=0)
        component = min(int(torch.searchsorted(cumulative, pick).item()), MIXTURE_COMPONENTS - 1)
        mean = self.mixture_mean[class_index, component]
        spread = torch.exp(0.5 * self.mixture_log_variance[class_index, component])
        z = (mean + noise[0] * spread * temperature).unsqueeze(0)
        return torch.sigmoid(self.decode_logits(z, torch.tensor([class_index])))[0, 0]


class Encoder(nn.Module):
    """q(z | image, class): the mean and log-variance of a Gaussian."""

    def __init__(self) -> None:
        super().__init__()
        narrow, wide = _CHANNELS
        self.features = nn.Sequential(
            nn.Conv2d(1, narrow, kernel_size=4, stride=2, padding=1),  # 28 -> 14
            nn.ReLU(),
            nn.Conv2d(narrow, wide, kernel_size=4, stride=2, padding=1),  # 14 -> 7
            nn.ReLU(),
            nn.Flatten(),
        )
        self.hidden = nn.Sequential(
            nn.Linear(wide * 7 * 7 + CLASS_COUNT, _HIDDEN_SIZE),
            nn.ReLU(),
        )
        self.mean = nn.Linear(_HIDDEN_SIZE, LATENT_SIZE)
        self.log_variance = nn.Linear(_HIDDEN_SIZE, LATENT_SIZE)

    def forward(
        self, images: torch.Tensor, labels: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.hidden(torch.cat([self.features(images), one_hot(labels)], dim=1))
        return self.mean(hidden), self.log_variance(hidden)
