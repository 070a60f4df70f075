"""Time minilm-embed on this machine: imports, setup, and one prediction at a few text lengths.

    .venv/bin/python examples/models/minilm-embed/calibration/timing.py

Runs the package's Predictor in this process (one torch thread, as in production) and prints
wall-clock and CPU times: on a shared machine the CPU time is the steadier figure.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
REPEATS = 20
SENTENCE = "The knight rode north to find the dragon."
TEXTS = (
    "Compose a narrative involving a dragon and a knight.",
    " ".join([SENTENCE] * 7),
    " ".join([SENTENCE] * 47),  # 1,974 characters: past the 256 word pieces the model reads
)


def main() -> None:
    started, started_cpu = time.perf_counter(), time.process_time()
    sys.path.insert(0, str(PACKAGE))
    import predict  # the package's predict.py: imports torch and sentence-transformers

    imported, imported_cpu = time.perf_counter(), time.process_time()
    predictor = predict.Predictor()
    predictor.setup()
    ready, ready_cpu = time.perf_counter(), time.process_time()
    print(
        f"imports: {imported - started:.2f} s (CPU {imported_cpu - started_cpu:.2f} s), "
        f"setup (digests + load): {ready - imported:.2f} s (CPU {ready_cpu - imported_cpu:.2f} s)"
    )
    for text in TEXTS:
        pieces = len(predictor.encoder.tokenizer(text)["input_ids"])
        label = f"{len(text)} characters, {pieces} word pieces"
        predictor.predict(text=text, normalize=True)  # warm-up
        wall, cpu = [], []
        for _ in range(REPEATS):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            predictor.predict(text=text, normalize=True)
            wall.append(time.perf_counter() - begin)
            cpu.append(time.process_time() - begin_cpu)
        print(
            f"{label}: median {statistics.median(wall) * 1000:.1f} ms "
            f"(CPU {statistics.median(cpu) * 1000:.1f} ms) over {REPEATS}"
        )


if __name__ == "__main__":
    main()
