"""Helpers shared by the benchmarks: import path, percentiles, a loopback stub of the API."""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ANSWER = json.dumps({"prediction": 2321, "version": "5"}).encode()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class StubApi(ThreadingHTTPServer):
    """Answers every POST with a fixed price after ``delay_s``: the API without its model."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s
        super().__init__(("127.0.0.1", 0), _StubHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/predict"


class _StubHandler(BaseHTTPRequestHandler):
    server: StubApi
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes; with Nagle on, a keep-alive client's
    # delayed ACK would add ~40 ms to every answer
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.server.delay_s:
            time.sleep(self.server.delay_s)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    def log_message(self, *args) -> None:
        pass
