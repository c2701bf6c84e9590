"""Monitoring statistics: live requests against the training profile, and the log's data quality.

Per field, over the whole selected window (days pooled):

- categories: Jensen-Shannon distance (base 2, 0 = same shares, 1 = disjoint) and PSI
  over the contract's tokens plus one bin for values outside the vocabulary;
- numbers and the predicted price: Wasserstein-1 distance (in the field's unit,
  from 101 percentiles of each side) and PSI over the training histogram's bins,
  live values beyond the outer edges counted in the end bins.

PSI bands: < 0.1 stable, 0.1-0.25 moderate, >= 0.25 strong. Every score carries its
sample size, and below ``MIN_SAMPLE`` rows there is no verdict: with n = 50 and ten
bins, PSI's expected value with no drift at all is about (bins - 1) / n = 0.18.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from client.laptop import FIELD_BY_NAME, FIELDS

MIN_SAMPLE = 200
PSI_BANDS = (0.1, 0.25)
OUT_OF_VOCABULARY = "(fora do vocabulário)"
_EPSILON = 1e-4


def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """Population stability index of two share vectors (smoothed so empty bins stay finite); NaN if one is empty."""
    if np.sum(expected) == 0 or np.sum(actual) == 0:
        return float("nan")
    e = np.clip(np.asarray(expected, dtype=float), _EPSILON, None)
    a = np.clip(np.asarray(actual, dtype=float), _EPSILON, None)
    e, a = e / e.sum(), a / a.sum()
    return float(np.sum((a - e) * np.log(a / e)))


def js_distance(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon distance in base 2: 0 for equal distributions, 1 for disjoint ones; NaN if one is empty."""
    if np.sum(p) == 0 or np.sum(q) == 0:
        return float("nan")
    p = np.asarray(p, dtype=float) / np.sum(p)
    q = np.asarray(q, dtype=float) / np.sum(q)
    m = (p + q) / 2

    def kl(x: np.ndarray) -> float:
        mask = x > 0
        return float(np.sum(x[mask] * np.log2(x[mask] / m[mask])))

    return float(np.sqrt(max(0.0, (kl(p) + kl(q)) / 2)))


def wasserstein(values: np.ndarray, reference_percentiles: Sequence[float]) -> float:
    """W1 between live values and a distribution known by its 101 percentiles; NaN for no values."""
    if len(values) == 0:
        return float("nan")
    reference = np.asarray(reference_percentiles, dtype=float)
    live = np.quantile(np.asarray(values, dtype=float), np.linspace(0, 1, reference.size))
    return float(np.trapezoid(np.abs(live - reference), dx=1 / (reference.size - 1)))


def band(score: float) -> str:
    low, high = PSI_BANDS
    return "estável" if score < low else ("moderada" if score < high else "forte")


@dataclass(frozen=True)
class FieldDrift:
    field: str
    label: str
    n: int
    test: str
    statistic: float
    psi: float
    verdict: str


def _row(field: str, label: str, test: str, n: int, min_n: int, statistic: float, score: float) -> FieldDrift:
    if n == 0:
        verdict = "sem dados"
    elif n < min_n:
        verdict = f"sem veredito (n < {min_n})"
    else:
        verdict = band(score)
    return FieldDrift(field, label, n, test, statistic, score, verdict)


def category_shares(values: pd.Series, profile: Mapping[str, Any], name: str) -> pd.DataFrame:
    """Live and training shares per token, plus the out-of-vocabulary bin."""
    tokens = list(FIELD_BY_NAME[name].tokens)
    training = profile["categories"][name]
    raw = values.astype(object)
    counts = raw.value_counts()
    live = [int(counts.get(t, 0)) for t in tokens]
    outside = int(len(raw) - sum(live))
    total = max(len(raw), 1)
    return pd.DataFrame(
        {
            "valor": [*tokens, OUT_OF_VOCABULARY],
            "rótulo": [*(FIELD_BY_NAME[name].option_label(t) for t in tokens), OUT_OF_VOCABULARY],
            "requisições": [*live, outside],
            "produção": [c / total for c in [*live, outside]],
            "treinamento": [float(training[t]) for t in tokens] + [0.0],
        }
    )


def field_shares(values: pd.Series, profile: Mapping[str, Any], name: str) -> pd.DataFrame:
    """Training and live shares of one field, per token or per training bin, for a chart."""
    field = FIELD_BY_NAME[name]
    if not field.numeric:
        return category_shares(values, profile, name)
    stats = profile["numeric"][name]
    live = numeric_bins(values.to_numpy(dtype=float), stats["edges"])
    training = np.asarray(stats["counts"], dtype=float)
    return pd.DataFrame(
        {
            "rótulo": [field.option_label(v) for v in stats["seen"]],
            "requisições": live,
            "produção": live / max(live.sum(), 1),
            "treinamento": training / max(training.sum(), 1),
        }
    )


def price_scale(currency: str, model_document: Mapping[str, Any]) -> float:
    """Factor from the training profile's BRL to the log's currency (the old model priced in INR)."""
    return 1.0 / model_document["provenance"]["inr_to_brl"] if currency == "INR" else 1.0


def numeric_bins(values: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    """Counts per training bin, values beyond the outer edges counted in the end bins."""
    edges = np.asarray(edges, dtype=float)
    counts, _ = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)
    return counts


def drift_table(
    frame: pd.DataFrame,
    profile: Mapping[str, Any],
    *,
    price_scale: float = 1.0,
    min_n: int = MIN_SAMPLE,
) -> pd.DataFrame:
    """One row per field plus the predicted price: test, statistic, PSI, n and verdict.

    ``price_scale`` converts the training profile's BRL prices into the log's currency.
    """
    n = len(frame)
    rows: list[FieldDrift] = []
    for f in FIELDS:
        if f.numeric:
            stats = profile["numeric"][f.name]
            values = frame[f.name].to_numpy(dtype=float)
            statistic = wasserstein(values, stats["quantiles"])
            score = psi(np.asarray(stats["counts"], dtype=float), numeric_bins(values, stats["edges"]))
            rows.append(_row(f.name, f.label, f"Wasserstein ({f.unit})", n, min_n, statistic, score))
        else:
            shares = category_shares(frame[f.name], profile, f.name)
            live, training = shares["requisições"].to_numpy(), shares["treinamento"].to_numpy()
            rows.append(
                _row(f.name, f.label, "Jensen-Shannon", n, min_n, js_distance(training, live), psi(training, live))
            )
    price = profile["price"]
    prices = frame["price"].to_numpy(dtype=float)
    edges = np.asarray(price["edges"], dtype=float) * price_scale
    statistic = wasserstein(prices, np.asarray(price["percentiles"]) * price_scale)
    score = psi(np.asarray(price["counts"], dtype=float), numeric_bins(prices, edges))
    rows.append(_row("price", "Preço previsto", "Wasserstein (moeda)", n, min_n, statistic, score))
    return pd.DataFrame([r.__dict__ for r in rows])


def quality_table(frame: pd.DataFrame, profile: Mapping[str, Any], *, price_scale: float = 1.0) -> pd.DataFrame:
    """Per field: values the API cannot match, and numbers outside what training saw."""
    rows = []
    for f in FIELDS:
        column = frame[f.name]
        if f.numeric:
            low, high = min(f.seen), max(f.seen)
            outside = column[(column < low) | (column > high)]
            kind = f"fora de {low}–{high} {f.unit}"
        else:
            raw = column.astype(object)
            outside = raw[~raw.isin(f.tokens)]
            kind = "fora do vocabulário da API"
        rows.append(_quality_row(f.label, kind, outside, len(column)))
    edges = np.asarray(profile["price"]["edges"], dtype=float) * price_scale
    prices = frame["price"]
    outside = prices[(prices < edges[0]) | (prices > edges[-1])]
    rows.append(_quality_row("Preço previsto", f"fora de {edges[0]:,.0f}–{edges[-1]:,.0f}", outside, len(prices)))
    return pd.DataFrame(rows)


def _quality_row(label: str, kind: str, outside: pd.Series, n: int) -> dict[str, Any]:
    examples = outside.astype(object).value_counts().head(3)
    return {
        "campo": label,
        "verificação": kind,
        "n": n,
        "fora": len(outside),
        "parcela": len(outside) / n if n else 0.0,
        "exemplos": ", ".join(f"{value!s} ({count})" for value, count in examples.items()),
    }


def rejects_per_file(files: Sequence[Any], frame: pd.DataFrame, rejected_sources: Sequence[str]) -> pd.DataFrame:
    """Rows read and lines rejected per day file."""
    rows_by_file = frame["source"].astype(object).value_counts()
    rejected = pd.Series(list(rejected_sources), dtype=object).value_counts()
    return pd.DataFrame(
        {
            "arquivo": [f.key for f in files],
            "dia": [f.day for f in files],
            "linhas válidas": [int(rows_by_file.get(f.key, 0)) for f in files],
            "linhas rejeitadas": [int(rejected.get(f.key, 0)) for f in files],
        }
    )
