"""Batch throughput: price_many at concurrency 8 vs the course's sequential pattern, one run.

    python bench/batch_throughput.py [-n 1000] [--latency 0.05]

A loopback stub answers every request after LATENCY seconds (what the deployed
API spends). The course pattern sends one ``requests.post`` after another; the
ideal for price_many is concurrency / latency. Targets: >= 6x sequential and
>= 85 % of the ideal. Last line ends with the speed-up ratio.
"""

from __future__ import annotations

import argparse
import json
import time

import _common  # noqa: F401 - puts the project on sys.path
import requests
from _common import StubApi

from client.api import PricingClient
from client.batch import price_many
from client.laptop import DEFAULTS, LaptopSpec

CONCURRENCY = 8


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    server = StubApi(delay_s=args.latency)
    rows = [dict(DEFAULTS, ram_gb=str([4, 8, 16, 32][i % 4])) for i in range(args.n)]

    started = time.perf_counter()
    for row in rows:  # the course pattern: validate nothing, one blocking call after another
        body = {"data": LaptopSpec.from_mapping(row).as_strings()}
        requests.post(server.url, data=json.dumps(body), headers={"x-api-key": "k"}).json()
    sequential = args.n / (time.perf_counter() - started)

    client = PricingClient(server.url, "k", timeout=10)
    started = time.perf_counter()
    results = price_many(client, rows, concurrency=CONCURRENCY)
    concurrent = args.n / (time.perf_counter() - started)
    assert all(r.status == "ok" for r in results)
    server.shutdown()

    ideal = CONCURRENCY / args.latency
    print(f"{args.n} laptops, {args.latency * 1000:.0f} ms per request")
    print(f"sequential (course pattern): {sequential:.1f} laptops/s")
    print(f"price_many, concurrency {CONCURRENCY}: {concurrent:.1f} laptops/s")
    print(f"ideal (concurrency / latency): {ideal:.1f} laptops/s; price_many reaches {concurrent / ideal:.0%} of it")
    print(f"speed-up vs sequential ratio: {concurrent / sequential:.2f}")


if __name__ == "__main__":
    main()
