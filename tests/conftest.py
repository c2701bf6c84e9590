"""Shared fixtures: real loopback servers (a scriptable API Gateway stand-in, the local API)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
SECRET_KEY = "sk-test-3f9a8b7c6d5e4f3a2b1c"


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict | list | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def gateway_error(status: int, message: str | None, error_type: str | None = None) -> Reply:
    """An API Gateway default error response (CONTRACT.md §3)."""
    headers = {"x-amzn-RequestId": "req-0123456789", "x-amz-apigw-id": "gw-abc="}
    if error_type:
        headers["x-amzn-ErrorType"] = error_type
    return Reply(status, {"message": message} if message is not None else b"", headers)


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class FakeGateway(ThreadingHTTPServer):
    """Answers each POST with ``responder(request_number, recorded)`` and records every request."""

    daemon_threads = True

    def __init__(self) -> None:
        self.responder: Callable[[int, Recorded], Reply] = lambda n, r: Reply(200, {"prediction": 2321, "version": "5"})
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _GatewayHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/prod/predict"

    def reply_with(self, *replies: Reply) -> None:
        """Answer the n-th request with the n-th reply, repeating the last one."""
        self.responder = lambda n, r: replies[min(n, len(replies) - 1)]


class _GatewayHandler(BaseHTTPRequestHandler):
    server: FakeGateway
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no delayed-ACK stall between headers and body

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        recorded = Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
        with self.server.lock:
            number = len(self.server.requests)
            self.server.requests.append(recorded)
        reply = self.server.responder(number, recorded)
        if reply.delay_s:
            time.sleep(reply.delay_s)
        body = reply.body
        if isinstance(body, dict | list):
            body = json.dumps(body)
        data = body.encode() if isinstance(body, str) else (body or b"")
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    server = FakeGateway()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def local_api(tmp_path: Path):
    from local_api.server import start_server

    running = start_server(api_key=SECRET_KEY, log_dir=tmp_path / "log")
    yield running
    running.stop()


APP_CONFIG_KEYS = (
    "API_ENDPOINT", "API-ENDPOINT", "API_KEY", "API-KEY", "API_TIMEOUT_S", "PRICE_CURRENCY",
    "REQUEST_LOG_URI", "S3_ENDPOINT_URL",
)  # fmt: skip


@pytest.fixture
def isolated_app(monkeypatch, tmp_path: Path) -> Path:
    """Only what a test gives AppTest configures the app; the demo log goes to ``tmp_path/log``."""
    for name in APP_CONFIG_KEYS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("client.settings.DEFAULT_DOTENV", tmp_path / "no.env")
    monkeypatch.setenv("LOCAL_LOG_DIR", str(tmp_path / "log"))
    return tmp_path / "log"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA} (../shared beside the checkout)")
    return SHARED_DATA
