"""From a series and a question to the report: analysis, model choice, forecast, summary."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.analysis import block, decompose, growth, recent, trend
from forecast.models import Selection, select
from forecast.question import Question, periods_in
from forecast.report import (
    Candidate,
    DataSummary,
    Forecast,
    ForecastPoint,
    Holdout,
    ModelChoice,
    Report,
    rounded,
)
from forecast.series import Frequency, Series

INTERVAL_LEVEL = 0.95
# Models are fitted to the latest observations only: the recent past matters most to the
# forecast, and fitting cost grows with length (the analysis still reads the whole series).
MAX_FIT = 240
MAX_HORIZON = 500
DEFAULT_YEARLY_HORIZON = 5
SELECTION_RULE = (
    "lowest AIC within each family (ETS, ARIMA); between the two family winners, the lower "
    "mean absolute error on the last observations held out"
)


class HorizonError(ValueError):
    """The forecast horizon asked for is not a usable number of periods."""


def horizon_for(question: Question, asked: int | None, series: Series) -> int:
    frequency = series.frequency
    if asked is not None:
        horizon = asked
    elif question.ahead_days is not None:
        horizon = periods_in(question.ahead_days, frequency.per_year)
    else:
        horizon = frequency.period or DEFAULT_YEARLY_HORIZON
    limit = min(MAX_HORIZON, len(series.values))
    if not 1 <= horizon <= limit:
        raise HorizonError(
            f"a horizon of {horizon} {frequency.name} periods; this data allows 1 to {limit} "
            "(no further ahead than its own length)"
        )
    return horizon


def build_report(question: Question, series: Series, horizon: int, seed: int) -> Report:
    values, frequency = series.values, series.frequency
    parts = decompose(values, frequency)
    window = None
    if question.back_days is not None:
        window = periods_in(question.back_days, frequency.per_year)
    cycle = parts.seasonality.period if parts.seasonality.detected else None
    selection = select(values.to_numpy(dtype=float)[-MAX_FIT:], cycle, seed)
    forecast = _forecast(selection, series, horizon)
    report = Report(
        question=question.text,
        task=question.task,  # type: ignore[arg-type]  # read_question yields one of the two
        data=DataSummary(
            date_column=series.date_column,
            value_column=series.value_column,
            frequency=frequency.name,  # type: ignore[arg-type]  # FREQUENCIES' names
            observations=len(values),
            start=values.index[0].date().isoformat(),
            end=values.index[-1].date().isoformat(),
            filled_gaps=series.filled_gaps,
        ),
        trend=trend(parts.adjusted, frequency),
        growth=growth(parts.adjusted, frequency),
        seasonality=parts.seasonality,
        recent=recent(parts.adjusted, frequency, window),
        model=_choice(selection, min(MAX_FIT, len(values))),
        forecast=forecast,
        summary=[],
    )
    return report.model_copy(update={"summary": summarize(report)})


def future_dates(index: pd.DatetimeIndex, frequency: Frequency, horizon: int) -> list[str]:
    last = pd.Period(index[-1], freq=frequency.code)
    return [(last + step).start_time.date().isoformat() for step in range(1, horizon + 1)]


def _forecast(selection: Selection, series: Series, horizon: int) -> Forecast:
    prediction = selection.chosen.predict(horizon, INTERVAL_LEVEL)
    dates = future_dates(series.values.index, series.frequency, horizon)
    points = [
        ForecastPoint(date=d, mean=rounded(m), lower=rounded(lo), upper=rounded(hi))
        for d, m, lo, hi in zip(
            dates, prediction.mean, prediction.lower, prediction.upper, strict=True
        )
    ]
    size = min(block(series.frequency), horizon)
    start = float(series.values.iloc[-size:].mean())
    end = float(np.mean(prediction.mean[-size:]))
    years = horizon / series.frequency.per_year
    # A compound annual rate from less than a year ahead would blow a week's noise up.
    positive = start > 0 and end > 0 and years >= 1
    return Forecast(
        horizon=horizon,
        interval_level=INTERVAL_LEVEL,
        interval_method=prediction.method,  # type: ignore[arg-type]  # "analytic" | "simulated"
        points=points,
        growth_pct=rounded(100 * (end - start) / abs(start)) if start else None,
        annualized_pct=rounded(100 * ((end / start) ** (1 / years) - 1)) if positive else None,
    )


def _choice(selection: Selection, fitted_observations: int) -> ModelChoice:
    chosen = selection.chosen
    ranked = sorted(selection.fitted, key=lambda m: (m.spec.family, m.aic, m.spec.name))
    holdout = None
    if selection.holdout is not None:
        holdout = Holdout(
            observations=selection.holdout,
            ets_mae=rounded(selection.maes["ETS"]),
            arima_mae=rounded(selection.maes["ARIMA"]),
        )
    return ModelChoice(
        fitted_observations=fitted_observations,
        selected=chosen.spec.name,
        family=chosen.spec.family,  # type: ignore[arg-type]  # "ETS" | "ARIMA"
        aic=rounded(chosen.aic),
        candidates=[
            Candidate(name=m.spec.name, family=m.spec.family, aic=rounded(m.aic))  # type: ignore[arg-type]
            for m in ranked
        ],
        holdout=holdout,
        rule=SELECTION_RULE,
    )


def _n(value: float) -> str:
    """Readable number: thousands separated, four significant digits below a thousand."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def summarize(report: Report) -> list[str]:
    """Plain sentences with the findings, built from the report's own (rounded) numbers."""
    data, t, g, s, r, f = (
        report.data,
        report.trend,
        report.growth,
        report.seasonality,
        report.recent,
        report.forecast,
    )
    lines = [
        f"{data.value_column}: {data.observations} {data.frequency} observations from "
        f"{data.start} to {data.end}."
    ]
    p_text = f"p = {t.p_value:.3g}" if t.p_value > 0 else "p below 1e-300"
    if t.direction == "flat":
        lines.append(f"No significant trend ({p_text}).")
    else:
        lines.append(f"The trend is {t.direction}: {_n(t.slope_per_year)} per year ({p_text}).")
    if g.change_pct is not None:
        rate = "" if g.annualized_pct is None else f", {g.annualized_pct:+.3g}% a year"
        lines.append(f"Over the whole series the level changed {g.change_pct:+.3g}%{rate}.")
    if s.detected:
        lines.append(
            f"Seasonal cycle of {s.period} periods (strength {s.strength:.2f}): highest "
            f"{s.peak}, lowest {s.trough}."
        )
    else:
        lines.append(f"No clear seasonal cycle (strength {s.strength:.2f}).")
    if r.earlier_slope_per_year is not None:
        lines.append(
            f"From {r.window_start} to {r.window_end} the trend is {r.change}: "
            f"{_n(r.slope_per_year)} per year, against {_n(r.earlier_slope_per_year)} before."
        )
    last = f.points[-1]
    growth_text = "" if f.growth_pct is None else f" ({f.growth_pct:+.3g}% from the last level)"
    lines.append(
        f"{report.model.selected} forecasts {_n(last.mean)} for {last.date}{growth_text}, "
        f"{f.interval_level:.0%} interval {_n(last.lower)} to {_n(last.upper)}."
    )
    return lines
