"""A threaded HTTP server that answers like the deployed API Gateway + Lambda.

``POST /predict`` (and ``/prod/predict``) runs ``handler.handle``; ``GET /health``
tells the model's name and version. With a key set, a missing or wrong
``x-api-key`` gets 403 ``{"message": "Forbidden"}``; an unknown path gets 403
``Missing Authentication Token``; bodies over 1 MB get 413. Every response is
JSON with an ``x-amzn-RequestId``; no response ever carries a traceback.
Connections are kept alive (HTTP/1.1).

``start_server`` runs it on a background thread (port 0 picks a free port) for the
app and the tests; ``python -m local_api`` runs it in the foreground.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from local_api.handler import handle
from local_api.log_writer import RequestLogWriter
from local_api.model import ReferenceModel, load_model

MAX_BODY_BYTES = 1024 * 1024
# An oversized body up to this size is read and dropped before answering 413, so the
# client sees the answer instead of a reset connection; anything bigger is cut off.
DRAIN_LIMIT_BYTES = 8 * MAX_BODY_BYTES
PREDICT_PATHS = ("/predict", "/prod/predict")
log = logging.getLogger(__name__)


class PricingServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        *,
        api_key: str | None = None,
        log_dir: str | Path | None = None,
        model: ReferenceModel | None = None,
    ) -> None:
        self.api_key = api_key
        self.model = model or load_model()
        self.log_writer = RequestLogWriter(log_dir) if log_dir else None
        super().__init__(address, _RequestHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class _RequestHandler(BaseHTTPRequestHandler):
    server: PricingServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "local-pricing-api"
    sys_version = ""

    def do_GET(self) -> None:
        if self.path.split("?")[0] in ("/health", "/prod/health"):
            model = self.server.model
            self._send(200, {"status": "ok", "model": model.name, "version": model.version})
        else:
            self._send(403, {"message": "Missing Authentication Token"}, "MissingAuthenticationTokenException")

    def do_POST(self) -> None:
        try:
            self._post()
        except Exception:
            log.exception("local API failed on %s", self.path)
            self._send(502, {"message": "Internal server error"}, "InternalServerErrorException")

    def _post(self) -> None:
        length_header = self.headers.get("Content-Length")
        length = int(length_header) if length_header and length_header.isdigit() else None
        if self.path.split("?")[0] not in PREDICT_PATHS:
            self._discard(length)
            self._send(403, {"message": "Missing Authentication Token"}, "MissingAuthenticationTokenException")
            return
        expected = self.server.api_key
        given = self.headers.get("x-api-key") or ""
        if expected and not hmac.compare_digest(given.encode(), expected.encode()):
            self._discard(length)
            self._send(403, {"message": "Forbidden"}, "ForbiddenException")
            return
        if length is None:
            self.close_connection = True
            self._send(400, {"message": "Invalid request", "errors": {"body": "Content-Length ausente"}})
            return
        if length > MAX_BODY_BYTES:
            self._discard(length)
            self._send(413, {"message": "Request Entity Too Large"})
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        answer = handle({"body": body}, model=self.server.model, log=self.server.log_writer)
        self._send(answer["statusCode"], json.loads(answer["body"]))

    def _discard(self, length: int | None) -> None:
        if length is None or length > DRAIN_LIMIT_BYTES:
            self.close_connection = True
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                break
            length -= len(chunk)

    def _send(self, status: int, body: dict[str, Any], error_type: str | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from base
        log.debug("%s %s", self.address_string(), format % args)


@dataclass
class RunningServer:
    server: PricingServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def predict_url(self) -> str:
        return f"{self.server.url}/predict"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    api_key: str | None = None,
    log_dir: str | Path | None = None,
) -> RunningServer:
    """Serve on a background thread; port 0 picks a free port. Call ``.stop()`` when done."""
    server = PricingServer((host, port), api_key=api_key, log_dir=log_dir)
    thread = threading.Thread(target=server.serve_forever, name="local-pricing-api", daemon=True)
    thread.start()
    return RunningServer(server, thread)
