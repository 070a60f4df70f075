"""Cog predictor: trend, growth, seasonality and a forecast with intervals for an uploaded CSV.

Input: a CSV with a date column and a value column, and an analyst's question ("Examine the
sales data from the last quarter and identify emerging trends", "Forecast ... over the next
five years"). Output: {"report": the JSON report (forecast/report.py), "chart": a PNG}.
"""

from __future__ import annotations

import os

# One BLAS thread: the same sums in the same order in every run (and other models share the CPU).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import tempfile  # noqa: E402  (after the thread settings, which must precede numpy)
from pathlib import Path as FsPath  # noqa: E402
from typing import Any  # noqa: E402

from cog import BasePredictor, Input, Path  # noqa: E402
from forecast.chart import chart_png  # noqa: E402
from forecast.forecaster import MAX_HORIZON, build_report, horizon_for  # noqa: E402
from forecast.question import read_question  # noqa: E402
from forecast.series import DataError, read_series  # noqa: E402

MAX_SEED = 2**31 - 1
MAX_UPLOAD = 20 * 1024 * 1024  # bytes


class Predictor(BasePredictor):  # type: ignore[misc]  # cog ships no type hints
    def setup(self) -> None:
        """Nothing to load: the models are fitted to each upload, and the heavy imports
        (statsmodels, matplotlib) happen when this module is imported."""

    def predict(
        self,
        data: Path = Input(description="CSV with a date column and a value column"),  # noqa: B008
        prompt: str = Input(description="The question to answer", default=""),
        horizon: int | None = Input(
            description="Periods to forecast (default: from the prompt, else one cycle)",
            default=None,
            ge=1,
            le=MAX_HORIZON,
        ),
        date_column: str | None = Input(
            description="Name of the date column (default: found)", default=None
        ),
        value_column: str | None = Input(
            description="Name of the value column (default: found)", default=None
        ),
        seed: int = Input(description="Seed of simulated intervals", default=0, ge=0, le=MAX_SEED),
    ) -> dict[str, Any]:
        # Without `cog build` the server enforces no bounds and sends None for missing inputs.
        seed = 0 if seed is None else seed
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            raise DataError(f"seed must be an integer from 0 to {MAX_SEED}, got {seed!r}")
        if horizon is not None and (isinstance(horizon, bool) or not isinstance(horizon, int)):
            raise DataError(f"horizon must be an integer, got {horizon!r}")
        if data is None:
            raise DataError("no data: upload a CSV with a date column and a value column")
        raw = FsPath(data).read_bytes()
        if len(raw) > MAX_UPLOAD:
            raise DataError(f"the upload has {len(raw)} bytes, at most {MAX_UPLOAD}")
        question = read_question(prompt or "")
        series = read_series(raw, date_column or None, value_column or None, hint=question.text)
        report = build_report(question, series, horizon_for(question, horizon, series), seed)
        out = FsPath(tempfile.mkdtemp(prefix="forecast-")) / "chart.png"
        out.write_bytes(chart_png(report, series.values))
        return {"report": report.model_dump(mode="json"), "chart": Path(out)}
