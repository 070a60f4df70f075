"""Write the example CSVs in this folder (run from anywhere; the output is byte-stable).

    python data/make_datasets.py

- co2-monthly.csv: Mauna Loa CO2 (statsmodels' `co2` dataset, weekly 1958-2001) as monthly
  means, gaps filled by linear interpolation. Real data: trend and a strong yearly cycle.
- us-real-gdp.csv: US real GDP, quarterly 1959-2009 (statsmodels' `macrodata`). Real data.
- store-sales-synthetic.csv: two years of made-up daily sales of one store: a weekly cycle, a
  slow rise, and a faster one over the last quarter (an "emerging trend" to find).
- ev-registrations-synthetic.csv: ten years of made-up monthly electric-vehicle registrations
  growing about 30% a year with a yearly pattern.

The synthetic files come from numpy's PCG64 generator with fixed seeds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm

HERE = Path(__file__).resolve().parent


def co2_monthly() -> pd.DataFrame:
    weekly = sm.datasets.co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean().interpolate(method="linear")
    return pd.DataFrame({"date": monthly.index.strftime("%Y-%m-%d"), "co2_ppm": monthly.round(2)})


def us_real_gdp() -> pd.DataFrame:
    macro = sm.datasets.macrodata.load_pandas().data
    months = (macro["quarter"].astype(int) - 1) * 3 + 1
    dates = [f"{int(y)}-{m:02d}-01" for y, m in zip(macro["year"], months, strict=True)]
    return pd.DataFrame({"date": dates, "real_gdp": macro["realgdp"].round(3)})


def store_sales() -> pd.DataFrame:
    rng = np.random.default_rng(20240101)
    dates = pd.date_range("2023-01-01", "2024-12-31", freq="D")
    day = np.arange(len(dates))
    weekly = np.array([0.92, 0.95, 0.97, 1.0, 1.08, 1.22, 1.12])[dates.day_of_week]
    emerging = np.maximum(0, day - (len(dates) - 92)) * 2.4  # the last quarter picks up
    level = 1200 + 0.25 * day + emerging
    sales = level * weekly + rng.normal(0, 45, len(dates))
    return pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "sales": sales.round(2)})


def ev_registrations() -> pd.DataFrame:
    rng = np.random.default_rng(2015)
    dates = pd.date_range("2015-01-01", "2024-12-01", freq="MS")
    years = np.arange(len(dates)) / 12
    season = 1 + 0.12 * np.cos(2 * np.pi * (dates.month.to_numpy() - 12) / 12)
    noise = np.exp(rng.normal(0, 0.05, len(dates)))
    units = 1800 * 1.3**years * season * noise
    return pd.DataFrame(
        {"month": dates.strftime("%Y-%m"), "registrations": units.round().astype(int)}
    )


def main() -> None:
    tables = {
        "co2-monthly.csv": co2_monthly(),
        "us-real-gdp.csv": us_real_gdp(),
        "store-sales-synthetic.csv": store_sales(),
        "ev-registrations-synthetic.csv": ev_registrations(),
    }
    for name, table in tables.items():
        table.to_csv(HERE / name, index=False, lineterminator="\n")
        print(f"{name}: {len(table)} rows")


if __name__ == "__main__":
    main()
