"""Median script run time of the estimate page under AppTest, excluding the API call.

    python bench/estimate_rerun.py [-n 50]

The app talks to a loopback stub that answers at once, and the stub's own time is
measured per call and subtracted, so the figure is the page's own cost: settings,
form, result, history. It reruns after a widget change (what a clerk causes) and
after a submit. Target: median <= 150 ms. Last line: the ratio of the target to the median.
"""

from __future__ import annotations

import argparse
import statistics
import time

import _common
from _common import StubApi
from streamlit.testing.v1 import AppTest

from client.api import PricingClient


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=50)
    args = parser.parse_args()
    server = StubApi()
    api_time: list[float] = []
    original = PricingClient.predict

    def timed(self, spec):
        started = time.perf_counter()
        try:
            return original(self, spec)
        finally:
            api_time.append(time.perf_counter() - started)

    PricingClient.predict = timed
    at = AppTest.from_file(str(_common.ROOT / "streamlit_app.py"), default_timeout=30)
    at.secrets["API_ENDPOINT"] = server.url
    at.secrets["API_KEY"] = "bench-key"
    at.run()
    change, submit = [], []
    brands = ["hp", "dell"]
    for i in range(args.n):
        at.selectbox(key="laptop.brand").set_value(brands[i % 2])
        started = time.perf_counter()
        at.run()
        change.append(time.perf_counter() - started)
        button = next(b for b in at.button if b.label == "Estimar preço")
        api_time.clear()
        started = time.perf_counter()
        button.click().run()
        submit.append(time.perf_counter() - started - sum(api_time))
        assert at.metric, "the page did not show a price"
    server.shutdown()
    change_ms, submit_ms = statistics.median(change) * 1e3, statistics.median(submit) * 1e3
    print(f"n={args.n} median rerun after a field change: {change_ms:.1f} ms")
    print(f"n={args.n} median rerun after submit, API time excluded: {submit_ms:.1f} ms")
    worst = max(change_ms, submit_ms)
    print(f"target 150 ms / worst median {worst:.1f} ms ratio: {150 / worst:.2f}")


if __name__ == "__main__":
    main()
