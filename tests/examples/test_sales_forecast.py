"""The sales-forecast example model, run through Cog's HTTP server as nodes run it.

What it must do: answer with a report that follows its own schema, find the trend, cycle and
emerging acceleration that a series really has, forecast a held-out stretch of a real series
inside its intervals, draw a PNG, give the same bytes in another process, and turn a bad CSV
into an error that says what is wrong.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
from PIL import Image

from eternal.models.metadata import InputType, ModelMetadata, OutputKind
from tests.examples.conftest import EXAMPLES, CogServer

NAME = "sales-forecast"
PACKAGE = EXAMPLES / NAME
DATA = PACKAGE / "data"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Model = Callable[[str], CogServer]


def _csv_uri(table: pd.DataFrame | bytes) -> str:
    raw = table if isinstance(table, bytes) else table.to_csv(index=False).encode()
    return "data:text/csv;base64," + base64.b64encode(raw).decode("ascii")


def _report_schema() -> ModuleType:
    """The package's own pydantic schema (forecast/report.py), loaded from its file."""
    name = "sales_forecast_report"
    spec = importlib.util.spec_from_file_location(name, PACKAGE / "forecast" / "report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves the postponed annotations through it
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def forecaster(example_model: Model) -> Callable[..., dict[str, Any]]:
    server = example_model(NAME)

    def run(**inputs: Any) -> dict[str, Any]:
        output = server.predict(**inputs)
        assert isinstance(output, dict) and set(output) == {"report", "chart"}
        return output

    return run


@pytest.fixture(scope="module")
def recent_sales() -> pd.DataFrame:
    """The last half year of the synthetic store sales (the last quarter speeds up)."""
    return pd.read_csv(DATA / "store-sales-synthetic.csv").iloc[-182:]


LAST_QUARTER = "Examine the sales data from the last quarter and identify emerging trends"


@pytest.fixture(scope="module")
def last_quarter(
    example_model: Model, recent_sales: pd.DataFrame
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(inputs, output) of the whitepaper's trend question on the recent sales, run once."""
    inputs = {"data": _csv_uri(recent_sales), "prompt": LAST_QUARTER, "seed": 5}
    return inputs, example_model(NAME).predict(**inputs)


def test_metadata_validates_and_takes_a_csv() -> None:
    metadata = ModelMetadata.read(PACKAGE)
    assert metadata.output.kind is OutputKind.JSON
    assert metadata.inputs["data"].type is InputType.FILE
    assert metadata.inputs["data"].media_type == "text/csv"
    assert metadata.takes_seed


def test_last_quarter_question_finds_the_emerging_trend_and_the_weekly_cycle(
    last_quarter: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, output = last_quarter
    question = LAST_QUARTER
    report = _report_schema().Report.model_validate(output["report"])
    assert report.question == question and report.task == "trend analysis"
    assert (report.data.value_column, report.data.frequency) == ("sales", "daily")
    assert report.recent.observations == 91  # a quarter of daily data
    assert report.recent.window_end == "2024-12-31"
    assert report.recent.change == "accelerating"
    assert report.trend.direction == "up" and report.trend.significant
    assert report.seasonality.detected and report.seasonality.period == 7
    assert report.seasonality.peak == "Sat"  # the data's busiest weekday
    assert report.forecast.horizon == 7  # one weekly cycle when the question names no span
    assert [c.family for c in report.model.candidates].count("ARIMA") >= 3
    assert report.model.selected in {c.name for c in report.model.candidates}
    assert len(report.summary) >= 4


def test_forecast_of_held_out_co2_falls_inside_its_intervals(
    forecaster: Callable[..., dict[str, Any]],
) -> None:
    co2 = pd.read_csv(DATA / "co2-monthly.csv")
    co2 = co2[co2["date"] >= "1990-01-01"]
    train, held_out = co2.iloc[:-12], co2.iloc[-12:]
    output = forecaster(data=_csv_uri(train), prompt="Forecast the next 12 months", seed=1)
    forecast = output["report"]["forecast"]
    assert forecast["horizon"] == 12 and forecast["interval_level"] == 0.95
    points = forecast["points"]
    assert [p["date"] for p in points] == list(held_out["date"])
    for point, actual in zip(points, held_out["co2_ppm"], strict=True):
        assert point["lower"] <= actual <= point["upper"], (point, actual)
        # Within 1.5 ppm: the yearly swing (about 6 ppm) is forecast, not just the level.
        assert abs(point["mean"] - actual) < 1.5


def test_five_years_ahead_of_monthly_data_is_sixty_months(
    forecaster: Callable[..., dict[str, Any]],
) -> None:
    raw = (DATA / "ev-registrations-synthetic.csv").read_bytes()
    question = "Forecast the potential market growth for electric vehicles over the next five years"
    report = forecaster(data=_csv_uri(raw), prompt=question)["report"]
    assert report["task"] == "forecast"
    points = report["forecast"]["points"]
    assert len(points) == 60
    assert (points[0]["date"], points[-1]["date"]) == ("2025-01-01", "2029-12-01")
    assert all(p["lower"] <= p["mean"] <= p["upper"] for p in points)
    assert report["forecast"]["growth_pct"] > 0  # the synthetic market grows ~30% a year
    assert report["growth"]["annualized_pct"] == pytest.approx(30, abs=5)


def test_chart_decodes_as_a_png(last_quarter: tuple[dict[str, Any], dict[str, Any]]) -> None:
    chart = last_quarter[1]["chart"]
    assert chart.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(chart)) as image:
        image.load()
        assert image.size == (1000, 500)


@pytest.mark.slow
def test_a_second_process_gives_the_same_bytes(
    last_quarter: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    inputs, first = last_quarter
    other = CogServer(PACKAGE)
    try:
        second = other.predict(**inputs)
    finally:
        other.stop()
    assert second == first


@pytest.mark.parametrize(
    ("raw", "inputs", "message"),
    [
        (b"\xff\xfe\x00garbage\x00", {}, "not UTF-8 text"),
        (b"just one column\n1\n2\n", {}, "needs a date column and a value column"),
        (b"when,amount\nyesterday,1\ntoday,2\n", {}, "no column of dates"),
        (b"date,label\n2024-01-01,a\n2024-01-02,b\n", {}, "no column of numbers"),
        (b"date,v\n2024-01-01,1\n2024-01-01,2\n2024-01-02,3\n", {}, "more than once"),
        (
            b"date,v\n" + b"".join(b"2024-01-%02d,%d\n" % (d, d) for d in range(1, 6)),
            {},
            "at least 10",
        ),
        (b"date,v\n2020-01-01,1\n2020-02-15,2\n2020-04-01,3\n", {}, "45.5 days apart"),
        (b"date,v\n1,2\n", {"date_column": "day"}, "no column 'day'"),
    ],
)
def test_a_malformed_csv_gives_a_clear_error(
    example_model: Model, raw: bytes, inputs: dict[str, Any], message: str
) -> None:
    with pytest.raises(RuntimeError, match=message):
        example_model(NAME).predict(data=_csv_uri(raw), **inputs)


def test_a_horizon_past_the_data_is_refused(
    example_model: Model, recent_sales: pd.DataFrame
) -> None:
    with pytest.raises(RuntimeError, match="horizon of 1825 daily periods"):
        example_model(NAME).predict(data=_csv_uri(recent_sales), prompt="the next five years")


def test_named_columns_semicolons_and_a_gap_are_read(
    forecaster: Callable[..., dict[str, Any]],
) -> None:
    months = pd.date_range("2021-01-01", periods=36, freq="MS")
    table = pd.DataFrame(
        {
            "units": [100 + 3 * i for i in range(36)],
            "when": months.strftime("%Y-%m-%d"),
            "price": [9.5] * 36,
        }
    ).drop(index=10)  # November 2021 is missing
    raw = table.to_csv(index=False, sep=";").encode()
    report = forecaster(data=_csv_uri(raw), date_column="when", value_column="units", horizon=3)[
        "report"
    ]
    data = report["data"]
    assert (data["date_column"], data["value_column"], data["frequency"]) == (
        "when",
        "units",
        "monthly",
    )
    assert (data["observations"], data["filled_gaps"]) == (36, 1)
    assert report["trend"]["slope_per_year"] == pytest.approx(36, rel=1e-3)  # 3 a month
    assert [p["date"] for p in report["forecast"]["points"]] == [
        "2024-01-01",
        "2024-02-01",
        "2024-03-01",
    ]
