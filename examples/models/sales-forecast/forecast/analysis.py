"""What the data already says: trend, growth, seasonality and the recent trend.

- Seasonality: STL decomposition with the frequency's cycle (7 days, 52 weeks, 12 months,
  4 quarters); strength = max(0, 1 - Var(remainder) / Var(seasonal + remainder)) (Wang, Smith
  and Hyndman 2006); detected at 0.4 or more. Needs two full cycles.
- Trend: least squares of the seasonally adjusted values on time, with Newey-West (HAC)
  standard errors because neighbouring observations are correlated; "up" or "down" when the
  slope's p-value is under 0.05, "flat" otherwise.
- Growth: mean level of the first and the last cycle (or first and last value without a
  cycle), as a change and a compound annual rate.
- Recent trend: the slope inside the window (the prompt's "last quarter", else the last year)
  against the slope before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tsa.seasonal import STL

from forecast.report import Change, Direction, Growth, RecentTrend, Seasonality, Trend, rounded
from forecast.series import Frequency

SEASONAL_STRENGTH = 0.4
SIGNIFICANCE = 0.05
MIN_WINDOW = 4
_LABELS = {
    "daily": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "monthly": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "quarterly": ("Q1", "Q2", "Q3", "Q4"),
}


@dataclass(frozen=True)
class Decomposition:
    adjusted: pd.Series  # values less the seasonal component (the values when none detected)
    seasonal: pd.Series | None
    seasonality: Seasonality


def decompose(values: pd.Series, frequency: Frequency) -> Decomposition:
    period = frequency.period
    if period is None or len(values) < 2 * period + 1:
        none = Seasonality(period=period, strength=0.0, detected=False, peak=None, trough=None)
        return Decomposition(values, None, none)
    fit = STL(values, period=period, robust=True).fit()
    seasonal, remainder = fit.seasonal, fit.resid
    spread = float(np.var(seasonal + remainder))
    strength = max(0.0, 1.0 - float(np.var(remainder)) / spread) if spread > 0 else 0.0
    detected = strength >= SEASONAL_STRENGTH
    peak, trough = _extremes(seasonal, frequency) if detected else (None, None)
    found = Seasonality(
        period=period,
        strength=rounded(min(strength, 1.0)),
        detected=detected,
        peak=peak,
        trough=trough,
    )
    # A weak cycle is mostly noise: adjusting by it would only move noise around.
    return Decomposition(values - seasonal if detected else values, seasonal, found)


def _extremes(seasonal: pd.Series, frequency: Frequency) -> tuple[str, str]:
    index = seasonal.index
    if frequency.name == "daily":
        position = np.asarray(index.day_of_week)
    elif frequency.name == "monthly":
        position = np.asarray(index.month) - 1
    elif frequency.name == "quarterly":
        position = np.asarray(index.quarter) - 1
    else:  # weekly: week of the year
        position = np.asarray(index.isocalendar().week) - 1
    profile = pd.Series(seasonal.to_numpy()).groupby(position).mean()
    labels = _LABELS.get(frequency.name)

    def label(slot: int) -> str:
        return labels[slot] if labels else f"week {slot + 1}"

    return label(int(profile.idxmax())), label(int(profile.idxmin()))


def _slope(values: pd.Series) -> tuple[float, float]:
    """(slope per observation, its HAC p-value) of a least-squares line."""
    n = len(values)
    time = sm.add_constant(np.arange(n, dtype=float))
    lags = max(1, int(4 * (n / 100) ** (2 / 9)))
    fit = sm.OLS(values.to_numpy(dtype=float), time).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    p_value = float(fit.pvalues[1]) if np.isfinite(fit.pvalues[1]) else 1.0
    return float(fit.params[1]), p_value


def trend(adjusted: pd.Series, frequency: Frequency) -> Trend:
    slope, p_value = _slope(adjusted)
    significant = p_value < SIGNIFICANCE
    direction: Direction = "flat"
    if significant and slope != 0:
        direction = "up" if slope > 0 else "down"
    return Trend(
        direction=direction,
        slope_per_period=rounded(slope),
        slope_per_year=rounded(slope * frequency.per_year),
        p_value=rounded(p_value),
        significant=significant,
        method="OLS on time of the seasonally adjusted series, Newey-West standard errors",
    )


def block(frequency: Frequency) -> int:
    """Observations averaged for a level: one cycle, or a single value without one."""
    return frequency.period or 1


def growth(adjusted: pd.Series, frequency: Frequency) -> Growth:
    size = min(block(frequency), len(adjusted) // 2)
    start, end = float(adjusted.iloc[:size].mean()), float(adjusted.iloc[-size:].mean())
    years = (len(adjusted) - size) / frequency.per_year
    return Growth(
        start_level=rounded(start),
        end_level=rounded(end),
        change_pct=rounded(100 * (end - start) / abs(start)) if start else None,
        annualized_pct=_annualized(start, end, years),
    )


def _annualized(start: float, end: float, years: float) -> float | None:
    if start <= 0 or end <= 0 or years < 1:  # under a year, compounding magnifies noise
        return None
    return rounded(100 * ((end / start) ** (1 / years) - 1))


def recent(adjusted: pd.Series, frequency: Frequency, window: int | None) -> RecentTrend:
    size = window if window is not None else frequency.per_year
    size = min(max(size, MIN_WINDOW), len(adjusted))
    inside, before = adjusted.iloc[-size:], adjusted.iloc[:-size]
    slope = _slope(inside)[0] * frequency.per_year
    earlier = _slope(before)[0] * frequency.per_year if len(before) >= MIN_WINDOW else None
    return RecentTrend(
        window_start=inside.index[0].date().isoformat(),
        window_end=inside.index[-1].date().isoformat(),
        observations=len(inside),
        slope_per_year=rounded(slope),
        earlier_slope_per_year=None if earlier is None else rounded(earlier),
        change=_change(slope, earlier),
    )


def _change(now: float, earlier: float | None) -> Change:
    if earlier is None:
        return "no earlier data"
    if now * earlier < 0:
        return "reversing"
    if abs(now) > 1.5 * abs(earlier):
        return "accelerating"
    if abs(now) < abs(earlier) / 1.5:
        return "decelerating"
    return "steady"
