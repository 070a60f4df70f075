"""Measure the figures the TOLERANT threshold of minilm-embed is chosen from.

    .venv/bin/python examples/models/minilm-embed/calibration/measure.py

Embeds every text of sentences.json in separate processes that differ in what an honest agent
may differ in (process, thread count, batching with padding; float64 arithmetic as a stand-in
for other kernels; float16 and bfloat16 as the reduced precision a GPU host might run), then
prints:

- the lowest cosine between two runs of the same text, against the 1-thread reference run
  (how far honest answers drift), and whether the runs are bit-identical;
- the highest cosine between two different texts of the set (how close a wrong answer gets),
  with the paraphrase / unrelated / near-miss figures that the README reports.

A threshold belongs between the two. Each run is one process with at most the threads named.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
SENTENCES = HERE / "sentences.json"
GROUPS = ("paraphrases", "unrelated", "near_misses")


@dataclass(frozen=True)
class Variant:
    label: str
    threads: int
    batched: bool = False
    dtype: str = "float32"  # the encoder's weights and arithmetic


VARIANTS = (
    Variant("process A, 1 thread (reference)", threads=1),
    Variant("process B, 1 thread", threads=1),
    Variant("process C, 2 threads", threads=2),
    Variant("process D, 1 thread, one padded batch", threads=1, batched=True),
    Variant("process E, 1 thread, float64 weights", threads=1, dtype="float64"),
    Variant("process F, 1 thread, float16 weights", threads=1, dtype="float16"),
    Variant("process G, 1 thread, bfloat16 weights", threads=1, dtype="bfloat16"),
)


def load_pairs() -> dict[str, list[tuple[str, str]]]:
    data = json.loads(SENTENCES.read_text(encoding="utf-8"))
    return {group: [(a, b) for a, b in data[group]] for group in GROUPS}


def unique_texts(pairs: dict[str, list[tuple[str, str]]]) -> list[str]:
    texts = [text for group in GROUPS for pair in pairs[group] for text in pair]
    return list(dict.fromkeys(texts))


def embed_here(variant: Variant, texts: list[str]) -> dict[str, list[float]]:
    """Runs inside the child process: the package's own Predictor, then the variant's change."""
    sys.path.insert(0, str(PACKAGE))
    import predict  # the package's predict.py
    import torch

    predictor = predict.Predictor()
    predictor.setup()
    torch.set_num_threads(variant.threads)
    predictor.encoder.to(getattr(torch, variant.dtype))
    if variant.batched:
        with torch.inference_mode():
            batch = predictor.encoder.encode(texts, convert_to_tensor=True, batch_size=len(texts))
            unit = torch.nn.functional.normalize(batch, p=2, dim=1)
        return {text: row.tolist() for text, row in zip(texts, unit, strict=True)}
    return {text: predictor.predict(text=text, normalize=True).embedding for text in texts}


def embed_in_child(variant: Variant) -> dict[str, np.ndarray]:
    command = [sys.executable, __file__, "--child", str(VARIANTS.index(variant))]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    raw: dict[str, list[float]] = json.loads(result.stdout.splitlines()[-1])
    return {text: np.asarray(vector, dtype=np.float64) for text, vector in raw.items()}


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def report() -> None:
    pairs = load_pairs()
    texts = unique_texts(pairs)
    started = time.monotonic()
    runs = {variant.label: embed_in_child(variant) for variant in VARIANTS}
    reference = runs[VARIANTS[0].label]

    print(f"{len(texts)} texts, {len(VARIANTS)} runs in {time.monotonic() - started:.1f} s\n")
    print("Same text, run vs the reference run:")
    print("| run | min cosine | max 1 - cosine | max abs difference | bit-identical texts |")
    print("|---|---|---|---|---|")
    same_min = {"full": 1.0, "reduced": 1.0}  # float32/float64 runs vs float16/bfloat16 runs
    for variant in VARIANTS[1:]:
        run = runs[variant.label]
        cosines = [cosine(reference[t], run[t]) for t in texts]
        diff = max(float(np.max(np.abs(reference[t] - run[t]))) for t in texts)
        identical = sum(np.array_equal(reference[t], run[t]) for t in texts)
        precision = "reduced" if variant.dtype in ("float16", "bfloat16") else "full"
        same_min[precision] = min(same_min[precision], *cosines)
        print(
            f"| {variant.label} | {min(cosines):.9f} | {1 - min(cosines):.1e} | {diff:.1e} "
            f"| {identical}/{len(texts)} |"
        )

    print("\nDifferent texts (reference run):")
    print("| set | pairs | min cosine | mean | max cosine |")
    print("|---|---|---|---|---|")
    for group in GROUPS:
        values = [cosine(reference[a], reference[b]) for a, b in pairs[group]]
        print(
            f"| {group} | {len(values)} | {min(values):.4f} | {np.mean(values):.4f} "
            f"| {max(values):.4f} |"
        )
    everything = [(cosine(reference[a], reference[b]), a, b) for a, b in combinations(texts, 2)]
    top, a, b = max(everything)
    print(f"| all {len(texts)} texts, every pair | {len(everything)} | - | - | {top:.4f} |")
    print(f"\nClosest different texts: {a!r} / {b!r}: {top:.6f}")
    for precision, lowest in same_min.items():
        print(
            f"Lowest same-text cosine, {precision} precision: {lowest} (1 - cos = {1 - lowest:.1e})"
        )

    metadata = yaml.safe_load((PACKAGE / "eternal.yaml").read_text(encoding="utf-8"))
    threshold = float(metadata["verification"]["threshold"])
    between = top < threshold <= min(same_min.values())
    print(f"Threshold in eternal.yaml: {threshold} ({'between' if between else 'NOT between'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is None:
        report()
        return
    variant = VARIANTS[args.child]
    vectors = embed_here(variant, unique_texts(load_pairs()))
    print(json.dumps(vectors))


if __name__ == "__main__":
    main()
