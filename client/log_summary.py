"""Aggregates of the request log for the monitoring page: KPIs, volume and price over time.

Everything is aggregated here before plotting, so a chart receives at most a few
hundred points however many requests the window holds. Times are bucketed in the
store's time zone (America/Sao_Paulo), because that is when the shops work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from client.settings import STORE_TZ

HOURLY_UP_TO_DAYS = 2
PRICE_BINS = 40


@dataclass(frozen=True)
class Kpis:
    requests: int
    days_with_data: int
    median_price: float | None
    versions: int
    rejected: int
    invalid: int


def default_window(today: date | None = None) -> tuple[date, date]:
    """The last 7 days, today included, in the store's calendar."""
    end = today or datetime.now(STORE_TZ).date()
    return end - timedelta(days=6), end


def utc_days(start: date, end: date) -> tuple[date, date]:
    """Day files are per UTC day; a store day spans two of them (UTC-3), so read one more."""
    return start, end + timedelta(days=1)


def in_store_window(frame: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    local_day = frame["timestamp"].dt.tz_convert(STORE_TZ).dt.date
    return frame[(local_day >= start) & (local_day <= end)]


def kpis(frame: pd.DataFrame, rejected: int) -> Kpis:
    local = frame["timestamp"].dt.tz_convert(STORE_TZ)
    return Kpis(
        requests=len(frame),
        days_with_data=int(local.dt.date.nunique()),
        median_price=float(frame["price"].median()) if len(frame) else None,
        versions=int(frame["model_version"].astype(object).nunique()),
        rejected=rejected,
        invalid=int((~frame["valid"]).sum()),
    )


def volume(frame: pd.DataFrame, start: date, end: date) -> tuple[pd.DataFrame, str]:
    """Requests per day (or per hour for short windows) and model version, zero-filled."""
    hourly = (end - start).days + 1 <= HOURLY_UP_TO_DAYS
    freq = "h" if hourly else "D"
    local = frame["timestamp"].dt.tz_convert(STORE_TZ).dt.tz_localize(None).dt.floor(freq)
    counts = (
        pd.DataFrame({"período": local, "versão": frame["model_version"].astype(object)})
        .groupby(["período", "versão"])
        .size()
        .rename("requisições")
        .reset_index()
    )
    slots = pd.date_range(
        datetime.combine(start, datetime.min.time()), datetime.combine(end, datetime.max.time()), freq=freq
    )
    versions = counts["versão"].unique() if len(counts) else []
    grid = pd.MultiIndex.from_product([slots, versions], names=["período", "versão"])
    filled = counts.set_index(["período", "versão"]).reindex(grid, fill_value=0).reset_index()
    return filled, ("hora" if hourly else "dia")


def price_histogram(frame: pd.DataFrame, bins: int = PRICE_BINS) -> pd.DataFrame:
    prices = frame["price"].to_numpy(dtype=float)
    if prices.size == 0:
        return pd.DataFrame(columns=["de", "até", "centro", "requisições"])
    counts, edges = np.histogram(prices, bins=bins)
    return pd.DataFrame(
        {"de": edges[:-1], "até": edges[1:], "centro": (edges[:-1] + edges[1:]) / 2, "requisições": counts}
    )


def median_price_by_day(frame: pd.DataFrame) -> pd.DataFrame:
    day = frame["timestamp"].dt.tz_convert(STORE_TZ).dt.date
    grouped = frame.groupby(day)["price"]
    return pd.DataFrame(
        {"dia": list(grouped.groups), "mediana": grouped.median().to_numpy(), "n": grouped.size().to_numpy()}
    )


def display_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The raw rows, newest first, with the time in the store's zone."""
    shown = frame.copy()
    shown["timestamp"] = shown["timestamp"].dt.tz_convert(STORE_TZ)
    return shown.sort_values("timestamp", ascending=False, kind="stable")
