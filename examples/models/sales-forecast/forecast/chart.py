"""Draw the report as a PNG: the observed series, the analysis window, the forecast and its
interval.

Drawn with matplotlib's Agg renderer on a Figure of its own (no pyplot global state), from the
report's rounded numbers, and saved without the "Software" text chunk: the same report gives
the same PNG bytes.
"""

from __future__ import annotations

import io
import textwrap

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from forecast.report import Report

SIZE_INCHES = (10, 5)
DPI = 100
MIN_SHOWN = 24


def chart_png(report: Report, observed: pd.Series) -> bytes:
    forecast = report.forecast
    # Enough history to see the forecast against it and the recent window twice over.
    wanted = max(4 * forecast.horizon, 2 * report.recent.observations, MIN_SHOWN)
    shown = min(len(observed), wanted)
    history = observed.iloc[-shown:]
    dates = pd.to_datetime([p.date for p in forecast.points])
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot(history.index, history.to_numpy(), color="#1f4e79", linewidth=1.2, label="observed")
    window_start = pd.Timestamp(report.recent.window_start)
    if window_start >= history.index[0]:
        axes.axvspan(
            window_start,
            pd.Timestamp(report.recent.window_end),
            color="#f2c14e",
            alpha=0.25,
            label=f"recent window ({report.recent.change})",
        )
    axes.fill_between(
        dates,
        [p.lower for p in forecast.points],
        [p.upper for p in forecast.points],
        color="#c0392b",
        alpha=0.2,
        label=f"{forecast.interval_level:.0%} interval",
    )
    axes.plot(
        # Joined to the last observation, so the forecast reads as its continuation.
        [history.index[-1], *dates],
        [float(history.iloc[-1]), *(p.mean for p in forecast.points)],
        color="#c0392b",
        linewidth=1.5,
        linestyle="--",
        label=f"forecast: {report.model.selected}",
    )
    axes.set_title("\n".join(textwrap.wrap(report.question, 90)) or "Forecast", fontsize=11)
    axes.set_ylabel(report.data.value_column)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left", fontsize=9)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
