"""p50/p99 latency and requests per second of the local API on loopback with keep-alive.

    python bench/local_api_latency.py [-n 5000] [--threads 4]

The sequential pass gives latency; a concurrent pass (one keep-alive client per
thread) gives throughput. Targets: p99 <= 5 ms, >= 500 requests/s on 2 cores.
Last line ends with the throughput ratio to the 500 requests/s target.
"""

from __future__ import annotations

import argparse
import threading
import time

import _common  # noqa: F401 - puts the project on sys.path
from _common import percentile

from client.api import PricingClient
from client.laptop import DEFAULTS, LaptopSpec
from local_api.server import start_server

KEY = "bench-key-0123456789"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    server = start_server(api_key=KEY)
    client = PricingClient(server.predict_url, KEY, timeout=10, max_retries=0)
    spec = LaptopSpec.from_mapping(DEFAULTS)
    for _ in range(200):
        client.predict(spec)
    latencies = []
    for _ in range(args.n):
        started = time.perf_counter()
        client.predict(spec)
        latencies.append(time.perf_counter() - started)
    print(f"sequential n={args.n}: p50={percentile(latencies, 0.5) * 1e3:.3f} ms "
          f"p99={percentile(latencies, 0.99) * 1e3:.3f} ms")  # fmt: skip

    per_thread = args.n // args.threads

    def work() -> None:
        for _ in range(per_thread):
            client.predict(spec)

    threads = [threading.Thread(target=work) for _ in range(args.threads)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    server.stop()
    rate = per_thread * args.threads / elapsed
    print(f"concurrent {args.threads} threads: {rate:.0f} requests/s")
    print(f"p99_ms={percentile(latencies, 0.99) * 1e3:.3f} rps={rate:.0f} rps_vs_500_target ratio: {rate / 500:.2f}")


if __name__ == "__main__":
    main()
