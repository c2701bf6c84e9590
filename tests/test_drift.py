"""Drift statistics, data quality and the page's aggregates, on data whose answer is known."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from client import drift, log_summary
from client.laptop import FIELDS
from client.request_log import load_request_log
from local_api.model import load_model
from local_api.simulate import main as simulate

PROFILE = load_model().profile


def training_like(n: int, seed: int = 0) -> pd.DataFrame:
    """Requests drawn from the training profile itself: no drift by construction."""
    rng = np.random.default_rng(seed)
    data = {}
    for f in FIELDS:
        if f.numeric:
            stats = PROFILE["numeric"][f.name]
            data[f.name] = rng.choice(stats["seen"], size=n, p=np.asarray(stats["counts"]) / sum(stats["counts"]))
        else:
            shares = PROFILE["categories"][f.name]
            p = np.asarray([shares[t] for t in f.tokens])
            data[f.name] = pd.Categorical(rng.choice(f.tokens, size=n, p=p / p.sum()))
    data["price"] = rng.choice(PROFILE["price"]["percentiles"], size=n)
    data["timestamp"] = pd.Timestamp("2026-01-05 15:00", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 3 * 24 * 60, n), "min"
    )
    data["model_version"] = pd.Categorical(["v1"] * n)
    data["valid"] = True
    return pd.DataFrame(data)


def test_statistics_have_their_textbook_values():
    assert drift.psi(np.array([0.5, 0.5]), np.array([50, 50])) == pytest.approx(0)
    assert drift.psi(np.array([0.5, 0.5]), np.array([0.9, 0.1])) == pytest.approx(0.4 * np.log(1.8) - 0.4 * np.log(0.2))
    assert drift.js_distance(np.array([1, 0]), np.array([0, 1])) == pytest.approx(1.0)
    assert drift.js_distance(np.array([3, 1]), np.array([3, 1])) == pytest.approx(0.0)
    assert drift.wasserstein(np.full(100, 5.0), np.linspace(0, 10, 101)) == pytest.approx(2.5, abs=0.01)
    assert [drift.band(x) for x in (0.05, 0.1, 0.2, 0.25, 1)] == ["estável", "moderada", "moderada", "forte", "forte"]


def test_no_verdict_below_the_minimum_sample():
    table = drift.drift_table(training_like(50), PROFILE)
    assert (table["n"] == 50).all()
    assert set(table["verdict"]) == {f"sem veredito (n < {drift.MIN_SAMPLE})"}


def test_training_like_traffic_is_stable_and_shifted_traffic_is_not():
    stable = drift.drift_table(training_like(2000), PROFILE)
    assert set(stable["verdict"]) == {"estável"}
    assert list(stable["field"]) == [*(f.name for f in FIELDS), "price"]
    shifted = training_like(2000)
    shifted["ram_gb"] = 32
    shifted["weight"] = pd.Categorical(["gaming"] * len(shifted))
    shifted["price"] = shifted["price"] * 3
    table = drift.drift_table(shifted, PROFILE).set_index("field")
    assert table.loc["ram_gb", "verdict"] == table.loc["weight", "verdict"] == table.loc["price", "verdict"] == "forte"
    assert table.loc["brand", "verdict"] == "estável"


def test_out_of_vocabulary_values_count_as_drift_and_quality_problems():
    frame = training_like(400)
    frame["brand"] = frame["brand"].cat.add_categories(["core i3"])
    frame.loc[:99, "brand"] = "core i3"
    shares = drift.category_shares(frame["brand"], PROFILE, "brand").set_index("valor")
    assert shares.loc[drift.OUT_OF_VOCABULARY, "requisições"] == 100
    quality = drift.quality_table(frame, PROFILE).set_index("campo")
    assert quality.loc["Marca", "fora"] == 100 and "core i3 (100)" in quality.loc["Marca", "exemplos"]


def test_prices_in_inr_are_compared_on_the_same_scale():
    frame = training_like(1000)
    frame["price"] = frame["price"] / 0.067
    as_brl = drift.drift_table(frame, PROFILE).set_index("field").loc["price", "verdict"]
    as_inr = drift.drift_table(frame, PROFILE, price_scale=1 / 0.067).set_index("field").loc["price", "verdict"]
    assert (as_brl, as_inr) == ("forte", "estável")


def test_window_volume_and_kpis():
    frame = training_like(300)
    start, end = date(2026, 1, 5), date(2026, 1, 8)
    counts, unit = log_summary.volume(frame, start, end)
    assert unit == "dia" and len(counts) == 4 and counts["requisições"].sum() == 300
    hourly, unit = log_summary.volume(frame, start, start)
    assert unit == "hora" and len(hourly) == 24
    indicators = log_summary.kpis(frame, rejected=3)
    assert indicators.requests == 300 and indicators.rejected == 3 and indicators.versions == 1
    assert log_summary.price_histogram(frame)["requisições"].sum() == 300
    assert log_summary.utc_days(start, end) == (start, end + timedelta(days=1))
    assert log_summary.default_window(date(2026, 1, 10)) == (date(2026, 1, 4), date(2026, 1, 10))


def test_store_days_are_sao_paulo_days():
    stamps = pd.to_datetime(["2026-01-06 02:59", "2026-01-06 03:00"], utc=True)
    frame = training_like(2).assign(timestamp=stamps)
    kept = log_summary.in_store_window(frame, date(2026, 1, 6), date(2026, 1, 6))
    assert list(kept["timestamp"]) == [stamps[1]]  # 02:59 UTC is still Jan 5th in São Paulo
    assert str(log_summary.display_rows(frame)["timestamp"].dt.tz) == "America/Sao_Paulo"


def test_simulator_writes_a_log_the_reader_accepts(tmp_path: Path):
    assert simulate(["--days", "5", "--per-day", "60", "--invalid", "0.1", "--log-dir", str(tmp_path)]) == 0
    log = load_request_log(str(tmp_path / "laptop-prediction-real-data"))
    assert 1 <= len(log.files) <= 5 and log.rejected == []
    frame = log.frame
    assert len(frame) > 100 and frame["timestamp"].max() <= datetime.now(UTC)
    invalid = frame[~frame["valid"]]
    assert 0 < len(invalid) < len(frame) / 3
    valid = frame[frame["valid"]]
    m1 = valid[valid["processor_brand"] == "m1"]
    assert (m1["brand"] == "other").all() and (m1["os"] == "other").all()
    intel = valid[valid["processor_brand"] == "intel"]
    assert not intel["processor_name"].astype(str).str.startswith("ryzen").any()
    local_hours = frame["timestamp"].dt.tz_convert("America/Sao_Paulo").dt.hour
    assert local_hours.between(9, 20).all()


def test_simulator_refuses_bad_arguments(capsys):
    with pytest.raises(SystemExit):
        simulate(["--days", "0"])


def test_field_shares_for_numbers_and_categories():
    frame = training_like(500)
    frame.loc[:9, "ram_gb"] = 64  # beyond training: counted in the last bin
    ram = drift.field_shares(frame["ram_gb"], PROFILE, "ram_gb")
    assert list(ram["rótulo"]) == ["4 GB", "8 GB", "16 GB", "32 GB"]
    assert ram["requisições"].sum() == 500 and ram["requisições"].iloc[-1] >= 10
    assert ram["produção"].sum() == pytest.approx(1) and ram["treinamento"].sum() == pytest.approx(1)
    brand = drift.field_shares(frame["brand"], PROFILE, "brand")
    assert list(brand["valor"])[-1] == drift.OUT_OF_VOCABULARY


def test_price_scale_follows_the_configured_currency():
    document = load_model().document
    assert drift.price_scale("BRL", document) == 1.0
    assert drift.price_scale("INR", document) == pytest.approx(1 / 0.067)


def test_an_empty_window_has_no_scores_and_says_so():
    table = drift.drift_table(training_like(0), PROFILE)
    assert set(table["verdict"]) == {"sem dados"} and table["psi"].isna().all() and table["statistic"].isna().all()
