"""The reference model: plain JSON data evaluated with numpy, no pickle, nothing executed on load.

``model.json`` holds a gradient-boosted ensemble of regression trees on log price
(written by ``local_api.train``), its provenance, its cross-validated error and the
training profile the monitoring page compares live traffic against. Trees are
stored as flat arrays padded to one width, so one prediction is ``depth`` vectorised
steps over all trees at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from client.laptop import FEATURE_NAMES, LaptopSpec

MODEL_PATH = Path(__file__).with_name("model.json")


@dataclass(frozen=True)
class Prediction:
    price: int
    low: int
    high: int


class ReferenceModel:
    """Evaluates the stored ensemble: ``log(price) = base + rate * sum(tree leaves)``."""

    def __init__(self, document: dict[str, Any]) -> None:
        if tuple(document["features"]) != FEATURE_NAMES:
            raise ValueError("model.json was trained on another feature order than client.laptop")
        self.document = document
        self.name: str = document["name"]
        self.version: str = document["version"]
        ensemble = document["ensemble"]
        self._base = float(ensemble["base"])
        self._rate = float(ensemble["learning_rate"])
        self._depth = int(ensemble["max_depth"])
        self._feature = np.asarray(ensemble["feature"], dtype=np.intp)
        self._threshold = np.asarray(ensemble["threshold"], dtype=np.float64)
        self._left = np.asarray(ensemble["left"], dtype=np.intp)
        self._right = np.asarray(ensemble["right"], dtype=np.intp)
        self._value = np.asarray(ensemble["value"], dtype=np.float64)
        self._trees = np.arange(self._feature.shape[0])
        band = document["metrics"]["error_band"]
        self._band = (float(band["low_ratio"]), float(band["high_ratio"]))

    @property
    def profile(self) -> dict[str, Any]:
        return self.document["profile"]

    def predict_log(self, rows: np.ndarray) -> np.ndarray:
        """Log prices for a (n, 30) matrix of feature vectors."""
        rows = np.atleast_2d(np.asarray(rows, dtype=np.float64))
        nodes = np.zeros((rows.shape[0], self._trees.size), dtype=np.intp)
        for _ in range(self._depth):
            feature = self._feature[self._trees, nodes]
            goes_left = rows[np.arange(rows.shape[0])[:, None], feature] <= self._threshold[self._trees, nodes]
            nodes = np.where(goes_left, self._left[self._trees, nodes], self._right[self._trees, nodes])
        return self._base + self._rate * self._value[self._trees, nodes].sum(axis=1)

    def predict(self, spec: LaptopSpec) -> Prediction:
        """Price in BRL with the 80 % range seen in cross-validation."""
        price = float(np.exp(self.predict_log(np.asarray(spec.feature_vector()))[0]))
        low_ratio, high_ratio = self._band
        return Prediction(
            price=round(price),
            low=round(price * low_ratio),
            high=round(price * high_ratio),
        )


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> ReferenceModel:
    return ReferenceModel(json.loads(path.read_text(encoding="utf-8")))
