"""Candidate forecasting models, fitted with statsmodels and chosen by AIC.

Candidates: exponential smoothing (ETS, additive errors: no trend, trend, damped trend; with
an additive or multiplicative cycle when there are two full cycles) and ARIMA with drift
((0,1,1), (1,1,0), (1,1,1); plus the seasonal "airline" model (0,1,1)(0,1,1,m) for cycles
up to 12).

AIC ranks models within a family. It does not compare across families: ARIMA's likelihood is
that of the differenced series, ETS's that of the levels. So the two family winners are
refitted without the last observations and the one with the lower mean absolute error on
them is selected. A series too short to spare them falls back to the lower AIC.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

Array = npt.NDArray[np.float64]
MIN_HOLDOUT = 4
MAX_SEASONAL_ARIMA_PERIOD = 12  # a 52-week seasonal ARIMA takes minutes to fit
SIMULATIONS = 1000


@dataclass(frozen=True)
class Spec:
    family: str  # "ETS" | "ARIMA"
    name: str
    trend: str | None = None
    damped: bool = False
    seasonal: str | None = None
    period: int | None = None
    order: tuple[int, int, int] = (0, 0, 0)
    seasonal_order: tuple[int, int, int, int] = (0, 0, 0, 0)


@dataclass(frozen=True)
class Prediction:
    mean: Array
    lower: Array
    upper: Array
    method: str  # "analytic" | "simulated"


class FittedModel:
    """One fitted candidate: its AIC and its forecasts."""

    def __init__(self, spec: Spec, values: Array, seed: int) -> None:
        self.spec = spec
        self._seed = seed
        self._n = len(values)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter; a bad fit shows in its AIC
            if spec.family == "ETS":
                model = ETSModel(
                    # A plain index: statsmodels' ETS prediction needs a pandas input.
                    pd.Series(values),
                    error="add",
                    trend=spec.trend,
                    damped_trend=spec.damped,
                    seasonal=spec.seasonal,
                    seasonal_periods=spec.period if spec.seasonal else None,
                )
                self._result = model.fit(disp=False)
            else:
                drift = "t" if spec.order[1] == 1 and spec.seasonal_order[1] == 0 else "n"
                model = ARIMA(
                    values, order=spec.order, seasonal_order=spec.seasonal_order, trend=drift
                )
                self._result = model.fit()
        self.aic = float(self._result.aic)

    def predict(self, horizon: int, level: float) -> Prediction:
        alpha = 1 - level
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if self.spec.family == "ETS":
                simulated = self.spec.seasonal == "mul"
                prediction = self._result.get_prediction(
                    start=self._n,
                    end=self._n + horizon - 1,
                    method="simulated" if simulated else None,
                    simulate_repetitions=SIMULATIONS,
                    rng=np.random.default_rng(self._seed),
                )
                frame = prediction.summary_frame(alpha=alpha)
                return Prediction(
                    frame["mean"].to_numpy(dtype=float),
                    frame["pi_lower"].to_numpy(dtype=float),
                    frame["pi_upper"].to_numpy(dtype=float),
                    "simulated" if simulated else "analytic",
                )
            forecast = self._result.get_forecast(horizon)
            bounds = np.asarray(forecast.conf_int(alpha=alpha), dtype=float)
            mean = np.asarray(forecast.predicted_mean, dtype=float)
            return Prediction(mean, bounds[:, 0], bounds[:, 1], "analytic")


def candidates(n: int, period: int | None, positive: bool) -> list[Spec]:
    """The models worth fitting; `period` is None unless the series has a detected cycle."""
    specs = [
        Spec("ETS", "ETS(A,N,N)"),
        Spec("ETS", "ETS(A,A,N)", trend="add"),
        Spec("ETS", "ETS(A,Ad,N)", trend="add", damped=True),
    ]
    if period and n >= 2 * period + 2:
        specs += [
            Spec("ETS", "ETS(A,A,A)", trend="add", seasonal="add", period=period),
            Spec("ETS", "ETS(A,Ad,A)", trend="add", damped=True, seasonal="add", period=period),
        ]
        if positive:
            specs.append(Spec("ETS", "ETS(A,A,M)", trend="add", seasonal="mul", period=period))
    for order in ((0, 1, 1), (1, 1, 0), (1, 1, 1)):
        specs.append(Spec("ARIMA", f"ARIMA{order}+drift".replace(" ", ""), order=order))
    if period and period <= MAX_SEASONAL_ARIMA_PERIOD and n >= 3 * period:
        seasonal = (0, 1, 1, period)
        specs.append(
            Spec(
                "ARIMA",
                f"ARIMA(0,1,1){seasonal}".replace(" ", ""),
                order=(0, 1, 1),
                seasonal_order=seasonal,
            )
        )
    return specs


def fit_all(specs: list[Spec], values: Array, seed: int) -> list[FittedModel]:
    fitted = []
    for spec in specs:
        try:
            model = FittedModel(spec, values, seed)
        except (ValueError, np.linalg.LinAlgError):
            continue  # a candidate that cannot be fitted to this series is not a candidate
        if np.isfinite(model.aic):
            fitted.append(model)
    return fitted


@dataclass(frozen=True)
class Selection:
    chosen: FittedModel
    fitted: list[FittedModel]
    holdout: int | None
    maes: dict[str, float]  # family -> mean absolute error on the held-out points


def select(values: Array, period: int | None, seed: int) -> Selection:
    """The best candidate for `values`; `period` is the detected cycle, or None."""
    positive = bool(np.all(values > 0))
    fitted = fit_all(candidates(len(values), period, positive), values, seed)
    if not fitted:
        raise ValueError("no candidate model could be fitted to this series")
    best = {}
    for family in ("ETS", "ARIMA"):
        members = [m for m in fitted if m.spec.family == family]
        if members:
            best[family] = min(members, key=lambda m: (m.aic, m.spec.name))
    holdout = min(max(MIN_HOLDOUT, period or 0), len(values) // 5)
    if len(best) < 2 or holdout < MIN_HOLDOUT:
        return Selection(min(best.values(), key=lambda m: m.aic), fitted, None, {})
    maes = {}
    for family, model in best.items():
        train, test = values[:-holdout], values[-holdout:]
        refits = fit_all([model.spec], train, seed)
        if not refits:
            maes[family] = float("inf")
            continue
        guess = refits[0].predict(holdout, 0.95).mean
        maes[family] = float(np.mean(np.abs(guess - test)))
    winner = min(best, key=lambda family: (maes[family], family != "ETS"))
    return Selection(best[winner], fitted, holdout, maes)
