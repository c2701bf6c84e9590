"""Training on a small generated dataset: reproducible bytes, a JSON model that matches sklearn."""

from __future__ import annotations

import csv
import json
import random

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="scikit-learn is a dev dependency for training")

from local_api import train
from local_api.model import ReferenceModel

RAW_HEADER = [
    "brand", "processor_brand", "processor_name", "processor_gnrtn", "ram_gb", "ram_type", "ssd", "hdd", "os",
    "os_bit", "graphic_card_gb", "weight", "warranty", "Touchscreen", "msoffice", "Price", "rating",
    "Number of Ratings", "Number of Reviews",
]  # fmt: skip


def write_dataset(path, rows=160, seed=7):
    rng = random.Random(seed)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(RAW_HEADER)
        for _ in range(rows):
            intel = rng.random() < 0.7
            ram = rng.choice([4, 8, 16])
            ssd = rng.choice([0, 256, 512])
            price = 20000 + ram * 2500 + ssd * 40 + rng.randint(0, 5000)
            writer.writerow([
                rng.choice(["ASUS", "DELL", "HP", "Lenovo", "acer"]), "Intel" if intel else "AMD",
                rng.choice(["Core i3", "Core i5"]) if intel else rng.choice(["Ryzen 5", "Ryzen 3"]),
                "11th", f"{ram} GB", rng.choice(["DDR4", "LPDDR4X"]), f"{ssd} GB", "1024 GB" if ssd == 0 else "0 GB",
                "Windows", "64-bit", f"{rng.choice([0, 2, 4])} GB", rng.choice(["Casual", "ThinNlight"]),
                rng.choice(["No warranty", "1 year", "2 years"]), rng.choice(["No", "Yes"]), "No", price,
                "4 stars", 10, 1,
            ])  # fmt: skip
        writer.writerow(["DELL", "Intel", "Ryzen 7", "11th", "8 GB", "DDR4", "512 GB", "0 GB", "Windows", "64-bit",
                         "0 GB", "Casual", "1 year", "No", "No", 50000, "4 stars", 1, 1])  # fmt: skip


def test_preprocessing_follows_the_course(tmp_path):
    path = tmp_path / "laptops.csv"
    write_dataset(path)
    dataset = train.load_dataset(path)
    assert dataset.refused_rows == 1  # the Intel "Ryzen 7"
    frame = dataset.frame
    assert set(frame["brand"]) <= {"asus", "dell", "hp", "lenovo", "other"} and "other" in set(frame["brand"])
    assert set(frame["processor_name"]) <= {"core i3", "core i5", "ryzen 5", "ryzen 7"}
    assert set(frame["ram_type"]) == {"ddr4", "other"}
    assert set(frame["warranty"]) <= {0, 1, 2}
    assert not frame.duplicated().any()
    assert train.inr_to_brl(34649) == 2321  # 2321.483
    assert train.inr_to_brl(1500) == 100 and train.inr_to_brl(500) == 34  # 100.5 and 33.5: half to even


def test_training_is_byte_reproducible_and_the_json_matches_sklearn(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    data = tmp_path / "laptops.csv"
    write_dataset(data)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert train.main(["--data", str(data), "--out", str(first)]) == 0
    assert train.main(["--data", str(data), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text())
    assert document["provenance"]["trained_on"] == "2026-01-01"
    model = ReferenceModel(document)
    dataset = train.load_dataset(data)
    x = dataset.features
    fitted = train.make_model().fit(x, np.log(dataset.prices))
    assert np.allclose(model.predict_log(x), fitted.predict(x), atol=1e-9)
    assert document["metrics"]["error_band"]["low_ratio"] < 1 < document["metrics"]["error_band"]["high_ratio"]


def test_model_refuses_a_different_feature_order(tmp_path):
    document = json.loads((train.MODEL_PATH).read_text())
    document["features"] = list(reversed(document["features"]))
    with pytest.raises(ValueError, match="feature order"):
        ReferenceModel(document)
