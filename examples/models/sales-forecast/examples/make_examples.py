"""Render the README's examples into this folder: each report as JSON and its chart as PNG.

    cd examples/models/sales-forecast && python examples/make_examples.py

Runs the predictor in this process (as Cog's worker does) and prints the time each took.
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

DATA = HERE.parent / "data"
EXAMPLES = (
    (
        "store-sales",
        "store-sales-synthetic.csv",
        "Examine the sales data from the last quarter and identify emerging trends",
    ),
    (
        "ev-market",
        "ev-registrations-synthetic.csv",
        "Forecast the potential market growth for electric vehicles over the next five years",
    ),
    ("co2", "co2-monthly.csv", "Forecast CO2 concentration over the next three years"),
    ("us-gdp", "us-real-gdp.csv", "How did real GDP grow over the past two years, and what next?"),
)


def main() -> None:
    predictor = Predictor()
    predictor.setup()
    for name, csv_name, prompt in EXAMPLES:
        started = time.perf_counter()
        output = predictor.predict(
            data=DATA / csv_name,
            prompt=prompt,
            horizon=None,
            date_column=None,
            value_column=None,
            seed=0,
        )
        elapsed = time.perf_counter() - started
        shutil.copyfile(output["chart"], HERE / f"{name}.png")
        report = {"data": f"data/{csv_name}", "prompt": prompt, "report": output["report"]}
        (HERE / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"{name}: {elapsed:.2f} s, {output['report']['model']['selected']}")


if __name__ == "__main__":
    main()
