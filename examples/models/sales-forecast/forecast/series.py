"""Read an uploaded CSV into a regular time series: one value per day, week, month, quarter
or year, with short gaps filled.

Every problem with the file becomes a `DataError` that says what is wrong and where: not a
CSV, no column of dates, no column of numbers, repeated dates, irregular spacing, too few
observations, too many gaps.
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass

import pandas as pd

MIN_OBSERVATIONS = 10
MAX_ROWS = 100_000
MAX_GAP_SHARE = 0.2  # at most this share of periods may be missing and interpolated
_PARSED_SHARE = 0.9  # a column is dates (numbers) when this share of its cells parse


class DataError(ValueError):
    """The uploaded data cannot be read as one regular time series."""


@dataclass(frozen=True)
class Frequency:
    name: str  # "daily", ...
    code: str  # pandas period code
    per_year: int
    period: int | None  # the seasonal cycle in observations, if any
    spacing_days: tuple[float, float]  # the median spacing this frequency accepts


FREQUENCIES = (
    Frequency("daily", "D", 365, 7, (1, 1)),
    Frequency("weekly", "W", 52, 52, (6, 8)),
    Frequency("monthly", "M", 12, 12, (28, 31)),
    Frequency("quarterly", "Q", 4, 4, (89, 92)),
    Frequency("yearly", "Y", 1, None, (365, 366)),
)


@dataclass(frozen=True)
class Series:
    values: pd.Series  # float values on a regular DatetimeIndex (period starts)
    date_column: str
    value_column: str
    frequency: Frequency
    filled_gaps: int


def read_series(
    raw: bytes, date_column: str | None, value_column: str | None, hint: str = ""
) -> Series:
    """The series in `raw` (CSV bytes). `hint` (the prompt) may name the value column."""
    table = _read_table(raw)
    dates_name, dates = _date_column(table, date_column)
    values_name = _value_column(table, value_column, exclude=dates_name, hint=hint)
    values = pd.to_numeric(table[values_name], errors="coerce")
    frame = pd.DataFrame({"date": dates, "value": values}).dropna(subset=["date"])
    frequency = _frequency(frame["date"])
    periods = pd.PeriodIndex(frame["date"], freq=frequency.code)
    repeated = periods[periods.duplicated()]
    if len(repeated):
        raise DataError(
            f"{len(repeated)} {frequency.name} periods appear more than once (first: "
            f"{repeated[0]}); give one row per period"
        )
    series = pd.Series(frame["value"].to_numpy(dtype=float), index=periods).sort_index()
    full = pd.period_range(series.index[0], series.index[-1], freq=frequency.code)
    series = series.reindex(full)
    missing = int(series.isna().sum())
    if missing > MAX_GAP_SHARE * len(series):
        raise DataError(
            f"{missing} of {len(series)} {frequency.name} periods have no value in "
            f"{values_name!r}; at most {MAX_GAP_SHARE:.0%} can be filled in"
        )
    if len(series) < MIN_OBSERVATIONS:
        raise DataError(f"{len(series)} observations; at least {MIN_OBSERVATIONS} are needed")
    series = series.interpolate(method="linear", limit_direction="both")
    series.index = series.index.to_timestamp(how="start")
    return Series(series, dates_name, values_name, frequency, missing)


def _read_table(raw: bytes) -> pd.DataFrame:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"the file is not UTF-8 text (byte {exc.start}): upload a CSV") from exc
    try:
        table = pd.read_csv(io.StringIO(text), sep=_delimiter(text), nrows=MAX_ROWS + 1)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise DataError(f"cannot read the file as CSV: {exc}") from exc
    if len(table) > MAX_ROWS:
        raise DataError(f"more than {MAX_ROWS} rows; aggregate the data first")
    if table.shape[1] < 2:
        raise DataError(
            f"the CSV has {table.shape[1]} column(s) {list(map(str, table.columns))}; it needs "
            "a date column and a value column"
        )
    table.columns = [str(c).strip() for c in table.columns]
    return table


def _delimiter(text: str) -> str:
    """Comma, semicolon, tab or pipe, whichever the first lines use; comma when unclear."""
    try:
        return str(csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter)
    except csv.Error:
        return ","


def _as_dates(column: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(column):
        whole = column.dropna()
        # Bare years (2019, 2020, ...) are dates; other numbers are not.
        if len(whole) and (whole % 1 == 0).all() and whole.between(1000, 2999).all():
            return pd.to_datetime(column.astype("Int64").astype(str), format="%Y", errors="coerce")
        return pd.Series(pd.NaT, index=column.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns about formats it will drop later
        return pd.to_datetime(column.astype(str).str.strip(), errors="coerce", format="mixed")


def _date_column(table: pd.DataFrame, wanted: str | None) -> tuple[str, pd.Series]:
    if wanted:
        if wanted not in table.columns:
            raise DataError(f"no column {wanted!r}; the columns are {list(table.columns)}")
        dates = _as_dates(table[wanted])
        if dates.notna().mean() < _PARSED_SHARE:
            raise DataError(
                f"column {wanted!r} does not hold dates (e.g. {table[wanted].iloc[0]!r})"
            )
        return wanted, dates
    for name in table.columns:
        dates = _as_dates(table[name])
        if dates.notna().mean() >= _PARSED_SHARE:
            return name, dates
    raise DataError(
        f"no column of dates among {list(table.columns)}; name it with date_column, in a "
        "format like 2024-01-31"
    )


def _value_column(table: pd.DataFrame, wanted: str | None, exclude: str, hint: str) -> str:
    if wanted:
        if wanted not in table.columns:
            raise DataError(f"no column {wanted!r}; the columns are {list(table.columns)}")
        numbers = pd.to_numeric(table[wanted], errors="coerce")
        if numbers.notna().mean() < _PARSED_SHARE:
            raise DataError(
                f"column {wanted!r} does not hold numbers (e.g. {table[wanted].iloc[0]!r})"
            )
        return wanted
    numeric = [
        name
        for name in table.columns
        if name != exclude
        and pd.to_numeric(table[name], errors="coerce").notna().mean() >= _PARSED_SHARE
    ]
    if not numeric:
        raise DataError(f"no column of numbers among {list(table.columns)} besides the dates")
    named = [name for name in numeric if name.lower() in hint.lower()]
    return str((named or numeric)[0])


def _frequency(dates: pd.Series) -> Frequency:
    ordered = dates.drop_duplicates().sort_values()
    spacing = ordered.diff().dropna().dt.days
    if spacing.empty:
        raise DataError("only one dated row: a time series needs many")
    median = float(spacing.median())
    for frequency in FREQUENCIES:
        low, high = frequency.spacing_days
        if low <= median <= high:
            return frequency
    raise DataError(
        f"dates are {median:g} days apart (median); expected daily, weekly, monthly, quarterly "
        "or yearly data"
    )
