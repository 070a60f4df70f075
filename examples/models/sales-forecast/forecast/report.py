"""The report's schema: what the model promises to return, as pydantic models.

Every number is rounded to six significant digits (`rounded`) before it enters the report, so
the canonical JSON (and the chart drawn from the same numbers) does not carry the last,
machine-dependent bits of a numerical optimiser.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SIGNIFICANT_DIGITS = 6


def rounded(value: float) -> float:
    """`value` to SIGNIFICANT_DIGITS significant digits (0.0 stays 0.0)."""
    if value == 0 or not math.isfinite(value):
        return float(value)
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Frequency = Literal["daily", "weekly", "monthly", "quarterly", "yearly"]
Direction = Literal["up", "down", "flat"]
Change = Literal["accelerating", "decelerating", "reversing", "steady", "no earlier data"]


class DataSummary(_Part):
    date_column: str
    value_column: str
    frequency: Frequency
    observations: int = Field(ge=1)
    start: str  # ISO date of the first observation
    end: str
    filled_gaps: int = Field(ge=0, description="missing periods filled by interpolation")


class Trend(_Part):
    direction: Direction
    slope_per_period: float
    slope_per_year: float
    p_value: Annotated[float, Field(ge=0, le=1)]
    significant: bool
    method: str


class Growth(_Part):
    start_level: float
    end_level: float
    change_pct: float | None  # None when the start level is zero
    annualized_pct: float | None  # compound annual rate; None unless both levels are positive


class Seasonality(_Part):
    period: int | None  # observations per cycle; None when the frequency has no cycle
    strength: Annotated[float, Field(ge=0, le=1)]
    detected: bool
    peak: str | None  # e.g. "May", "Sat", "Q4"
    trough: str | None


class RecentTrend(_Part):
    """The analysis window (from the prompt, or the last year of data) against what came before."""

    window_start: str
    window_end: str
    observations: int = Field(ge=2)
    slope_per_year: float
    earlier_slope_per_year: float | None
    change: Change


class Candidate(_Part):
    name: str  # e.g. "ETS(A,Ad,A)", "ARIMA(1,1,1)(0,1,1,12)"
    family: Literal["ETS", "ARIMA"]
    aic: float


class Holdout(_Part):
    """The two families' best models refitted without the last points, scored on them."""

    observations: int = Field(ge=1)
    ets_mae: float
    arima_mae: float


class ModelChoice(_Part):
    fitted_observations: int = Field(ge=1, description="the latest observations the models saw")
    selected: str
    family: Literal["ETS", "ARIMA"]
    aic: float
    candidates: list[Candidate]
    holdout: Holdout | None  # None when the series is too short to hold points out
    rule: str


class ForecastPoint(_Part):
    date: str
    mean: float
    lower: float
    upper: float


class Forecast(_Part):
    horizon: int = Field(ge=1)
    interval_level: float
    interval_method: Literal["analytic", "simulated"]
    points: list[ForecastPoint]
    growth_pct: float | None  # last observed level to the forecast's end level
    annualized_pct: float | None  # None unless both levels are positive and a year or more apart


class Report(_Part):
    question: str
    task: Literal["forecast", "trend analysis"]
    data: DataSummary
    trend: Trend
    growth: Growth
    seasonality: Seasonality
    recent: RecentTrend
    model: ModelChoice
    forecast: Forecast
    summary: list[str]
