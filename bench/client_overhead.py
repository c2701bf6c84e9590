"""PricingClient (keep-alive Session) vs a new ``requests.post`` per call, against the local API.

    python bench/client_overhead.py [-n 2000]

Prints p50/p95 per call for both, and last the ratio course_p50 / client_p50.
"""

from __future__ import annotations

import argparse
import json
import time

import _common  # noqa: F401 - puts the project on sys.path
import requests
from _common import percentile

from client.api import PricingClient
from client.laptop import DEFAULTS, LaptopSpec
from local_api.server import start_server

KEY = "bench-key-0123456789"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=2000)
    args = parser.parse_args()
    server = start_server(api_key=KEY)
    spec = LaptopSpec.from_mapping(DEFAULTS)
    client = PricingClient(server.predict_url, KEY, timeout=10)
    body = spec.to_payload()

    def ours() -> None:
        client.predict(spec)

    def course() -> None:  # the course app: a new connection per call, no timeout
        requests.post(server.predict_url, data=json.dumps(body), headers={"x-api-key": KEY}).json()

    timings: dict[str, list[float]] = {"client": [], "course": []}
    for _ in range(50):  # warm up both paths
        ours()
        course()
    for _ in range(args.n):  # interleaved, so both see the same machine noise
        for name, call in (("client", ours), ("course", course)):
            started = time.perf_counter()
            call()
            timings[name].append(time.perf_counter() - started)
    server.stop()
    for name, samples in timings.items():
        p50, p95 = percentile(samples, 0.5) * 1e3, percentile(samples, 0.95) * 1e3
        print(f"{name:7s} n={len(samples)} p50={p50:.3f} ms p95={p95:.3f} ms")
    ratio = percentile(timings["course"], 0.5) / percentile(timings["client"], 0.5)
    print(f"course_p50 / client_p50 ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
