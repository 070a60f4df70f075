"""The character-level GPT shared by training (training/train.py) and serving (predict.py).

One module holds the vocabulary, the architecture and the sampling loop, so the weights a
training run writes are read back by exactly the code that produced them.

Determinism: generation reads only the model's logits and a `random.Random(seed)`, whose stream
Python specifies. Sampling is an inverse-CDF draw over probabilities rounded to a fixed integer
grid, so it does not depend on `torch.multinomial`'s implementation, and only rarely on the last
bits of a matmul (which can differ between CPU instruction sets); with one torch thread the
logits themselves are reproducible on a given machine.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import unicodedata
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

# Newline plus printable ASCII: every ASCII character a prompt may hold has an id, even the 17
# the corpus never uses (training drives their probability down: 4e-6 on average).
VOCAB = "\n" + "".join(chr(code) for code in range(32, 127))
_IDS = {char: index for index, char in enumerate(VOCAB)}

# Typography folded to the ASCII the corpus uses, before any other normalisation.
_FOLDS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "--",
        "\u2026": "...",
        "\u00a0": " ",
        "\t": " ",
        "\r": "",
    }
)

# Probabilities are rounded to multiples of 1/_GRID before the draw (see module docstring).
_GRID = 1 << 20


class UnsupportedCharacters(ValueError):
    """A prompt holds characters that have no ASCII form in the model's vocabulary."""


@dataclass(frozen=True)
class GPTConfig:
    vocab_size: int = len(VOCAB)
    block_size: int = 128  # characters of context
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128


def fold_to_vocabulary(text: str) -> str:
    """The prompt as the model reads it: typographic marks and accents folded to ASCII.

    Raises UnsupportedCharacters naming what cannot be folded (emoji, other scripts).
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLDS))
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    unknown = sorted({char for char in folded if char not in _IDS})
    if unknown:
        shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in unknown)
        raise UnsupportedCharacters(
            f"the prompt holds characters outside the model's ASCII vocabulary: {shown}"
        )
    return folded


def encode(text: str) -> list[int]:
    return [_IDS[char] for char in text]


def decode(ids: list[int]) -> str:
    return "".join(VOCAB[index] for index in ids)


class _KVCache:
    """Keys and values of the positions a block has already seen, for one-step decoding."""

    def __init__(self) -> None:
        self.keys: torch.Tensor | None = None
        self.values: torch.Tensor | None = None

    def extend(self, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if self.keys is not None and self.values is not None:
            k = torch.cat((self.keys, k), dim=2)
            v = torch.cat((self.values, v), dim=2)
        self.keys, self.values = k, v
        return k, v


class _Block(nn.Module):
    """Pre-norm transformer block: causal self-attention, then a 4x MLP."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.n_head = config.n_head
        self.ln_1 = nn.LayerNorm(config.n_embd)
        self.qkv = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.proj = nn.Linear(config.n_embd, config.n_embd)
        self.ln_2 = nn.LayerNorm(config.n_embd)
        self.mlp = nn.Sequential(
            nn.Linear(config.n_embd, 4 * config.n_embd),
            nn.GELU(),
            nn.Linear(4 * config.n_embd, config.n_embd),
        )

    def forward(self, x: torch.Tensor, cache: _KVCache | None = None) -> torch.Tensor:
        batch, length, width = x.shape
        q, k, v = self.qkv(self.ln_1(x)).split(width, dim=2)
        heads = (batch, length, self.n_head, width // self.n_head)
        q, k, v = (t.view(heads).transpose(1, 2) for t in (q, k, v))
        # A cache is filled in one pass from empty, then grows one position at a time; a
        # single new position may attend to everything before it, so only the fill is masked.
        causal = cache is None or cache.keys is None
        if cache is not None:
            k, v = cache.extend(k, v)
        attended = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
        x = x + self.proj(attended.transpose(1, 2).reshape(batch, length, width))
        out: torch.Tensor = x + self.mlp(self.ln_2(x))
        return out


class GPT(nn.Module):
    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = config
        self.token_embedding = nn.Embedding(config.vocab_size, config.n_embd)
        self.position_embedding = nn.Embedding(config.block_size, config.n_embd)
        self.blocks = nn.ModuleList(_Block(config) for _ in range(config.n_layer))
        self.ln_f = nn.LayerNorm(config.n_embd)
        self.head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear | nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(
        self, ids: torch.Tensor, caches: list[_KVCache] | None = None, offset: int = 0
    ) -> torch.Tensor:
        """Logits for the next character at every position of `ids` (batch, length).

        With `caches` (one per block), `ids` continue the positions already cached, the first
        of them at position `offset`.
        """
        positions = torch.arange(offset, offset + ids.shape[1], device=ids.device)
        x = self.token_embedding(ids) + self.position_embedding(positions)
        for index, block in enumerate(self.blocks):
            x = block(x, None if caches is None else caches[index])
        logits: torch.Tensor = self.head(self.ln_f(x))
        return logits

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @torch.no_grad()
    def continue_text(self, prompt: str, *, length: int, temperature: float, seed: int) -> str:
        """`length` characters that follow `prompt` (already folded to the vocabulary).

        temperature 0 picks the most likely character (the lowest id on ties).
        """
        rng = random.Random(seed)
        block = self.config.block_size
        # An empty prompt starts as if at a speech boundary.
        context = encode(prompt) or encode("\n")
        window = context[-block:]  # the prompt is read with a full context
        caches: list[_KVCache] = []
        cached = 0
        generated: list[int] = []
        for _ in range(length):
            if not caches:
                caches = [_KVCache() for _ in self.blocks]
                logits = self(torch.tensor([window]), caches)
                cached = len(window)
            else:
                logits = self(torch.tensor([context[-1:]]), caches, offset=cached)
                cached += 1
            choice = _pick(logits[0, -1].double().tolist(), temperature, rng)
            context.append(choice)
            generated.append(choice)
            if cached == block:
                # Positions are absolute, so a full cache cannot slide: refill it from the
                # last three quarters of the context, then go on one position at a time.
                caches = []
                window = context[-(block * 3 // 4) :]
        return decode(generated)


def _pick(logits: list[float], temperature: float, rng: random.Random) -> int:
    """The next character's id: the argmax at temperature 0, else a seeded draw."""
    if temperature == 0:
        return max(range(len(logits)), key=lambda index: (logits[index], -index))
    top = max(logits)
    weights = [math.exp((value - top) / temperature) for value in logits]
    total = sum(weights)
    # Integer grid weights make the cumulative sums exact, whatever the summation order.
    grid = [round(weight / total * _GRID) for weight in weights]
    cumulative = list(itertools.accumulate(grid))
    return bisect.bisect_right(cumulative, rng.randrange(cumulative[-1]))
