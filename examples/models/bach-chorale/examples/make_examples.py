"""Render the README's examples into this folder: MIDI, WAV and the facts as JSON.

    cd examples/models/bach-chorale && python examples/make_examples.py

Runs the predictor in this process (as Cog's worker does) and prints the time each step took.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from predict import Predictor  # noqa: E402

EXAMPLES = (
    ("serene", "Compose a serene, ambient piece featuring piano and string instruments", 4, 1),
    ("lament", "A sad, slow lament in D minor for string quartet", 4, 7),
    ("festive", "A joyful, lively chorale for trumpet and organ at 112 bpm", 4, 3),
)


def main() -> None:
    started = time.perf_counter()
    predictor = Predictor()
    predictor.setup()
    print(f"setup: {time.perf_counter() - started:.2f} s")
    for name, prompt, bars, seed in EXAMPLES:
        started = time.perf_counter()
        output = predictor.predict(prompt=prompt, bars=bars, seed=seed)
        elapsed = time.perf_counter() - started
        shutil.copyfile(output.pop("midi"), HERE / f"{name}.mid")
        shutil.copyfile(output.pop("wav"), HERE / f"{name}.wav")
        facts = {"prompt": prompt, "inputs": {"bars": bars, "seed": seed}, "output": output}
        (HERE / f"{name}.json").write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
        print(f"{name}: {elapsed:.2f} s, {output['key']}, {output['tempo_bpm']} bpm")


if __name__ == "__main__":
    main()
