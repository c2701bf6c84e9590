"""5-fold CV of the shipped model's recipe and of a log-linear baseline, in one run.

    python bench/model_accuracy.py --data ../shared/data/laptopPrice.csv

Last line: ``model cv_mape=<x> r2=<y> baseline_cv_mape=<z>``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import _common

from local_api.train import cross_validate, load_dataset, make_baseline, make_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=_common.ROOT.parent / "shared/data/laptopPrice.csv")
    args = parser.parse_args()
    dataset = load_dataset(args.data)
    x, y = dataset.features, dataset.prices
    model = cross_validate(x, y, make_model)
    baseline = cross_validate(x, y, make_baseline)
    print(f"rows={len(y)} refused={dataset.refused_rows}")
    for name, result in (("model (GBR on log price)", model), ("baseline (log-linear)", baseline)):
        print(f"{name}: mape={result.mape:.4f} ± {result.mape_std:.4f} r2={result.r2:.4f} mae={result.mae:.0f} BRL")
    print(f"model cv_mape={model.mape:.4f} r2={model.r2:.4f} baseline_cv_mape={baseline.mape:.4f}")


if __name__ == "__main__":
    main()
