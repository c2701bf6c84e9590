"""``PricingClient``: one laptop in, a ``Quote`` or a ``PricingError`` out.

It speaks CONTRACT.md §1-3: POST ``{"data": {...}}`` with ``x-api-key``; accept
the three success shapes of §2; classify every API Gateway error of §3. Retries
(exponential backoff with full jitter, inside one overall deadline) happen only
where a second try can succeed: connection failures, timeouts, 429 Too Many
Requests, 502, 503, 504. Never 403, 413 or 429 Limit Exceeded.

Connections are kept alive in one ``requests.Session`` per thread: Streamlit runs
each browser session in its own thread and a Session is not thread-safe.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
from dataclasses import dataclass, replace
from typing import Any

import requests

from client.errors import (
    ApiTimeoutError,
    AuthenticationError,
    ConnectionFailedError,
    EndpointNotFoundError,
    InvalidLaptopError,
    InvalidResponseError,
    PricingError,
    QuotaExceededError,
    RateLimitedError,
    RequestRejectedError,
    ServerError,
)
from client.laptop import DEFAULTS, LaptopSpec

CONNECT_TIMEOUT_S = 5.0
RETRYABLE = (ConnectionFailedError, ApiTimeoutError, RateLimitedError)
RETRYABLE_STATUS = (502, 503, 504)


@dataclass(frozen=True)
class Quote:
    """A price from the API. ``low``/``high`` are set when the API sends an indicative range."""

    price: int
    model_version: str
    request_id: str | None
    elapsed_s: float
    low: int | None = None
    high: int | None = None


class PricingClient:
    def __init__(
        self,
        endpoint: str,
        api_key: str | None = None,
        *,
        timeout: float = 32.0,
        max_retries: int = 2,
        backoff_s: float = 0.5,
    ) -> None:
        self.endpoint = endpoint
        self._api_key = api_key
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self._local = threading.local()

    def __repr__(self) -> str:
        key = "set" if self._api_key else "none"
        return f"PricingClient(endpoint={self.endpoint!r}, api_key={key}, timeout={self.timeout})"

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["Content-Type"] = "application/json"
            if self._api_key:
                session.headers["x-api-key"] = self._api_key
            self._local.session = session
        return session

    def predict(self, spec: LaptopSpec) -> Quote:
        """Price one laptop, retrying transient failures until the overall deadline."""
        body = json.dumps(spec.to_payload())
        started = time.monotonic()
        deadline = started + self.timeout
        attempt = 0
        while True:
            try:
                return replace(self._attempt(body, deadline), elapsed_s=time.monotonic() - started)
            except PricingError as exc:
                retryable = isinstance(exc, RETRYABLE) or exc.status in RETRYABLE_STATUS
                pause = random.uniform(0, self.backoff_s * 2**attempt)
                if not retryable or attempt >= self.max_retries:
                    raise
                if time.monotonic() + pause >= deadline:
                    raise
                attempt += 1
                time.sleep(pause)

    def check(self) -> Quote:
        """A real prediction of the default laptop: the only probe the deployed API offers."""
        return self.predict(LaptopSpec.from_mapping(DEFAULTS))

    def _attempt(self, body: str, deadline: float) -> Quote:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ApiTimeoutError(detail=f"deadline of {self.timeout:g} s reached")
        try:
            response = self._session().post(
                self.endpoint,
                data=body,
                timeout=(min(CONNECT_TIMEOUT_S, remaining), remaining),
            )
        except requests.Timeout as exc:
            raise ApiTimeoutError(detail=f"{type(exc).__name__} after {remaining:.1f} s") from None
        except requests.ConnectionError as exc:
            raise ConnectionFailedError(detail=_describe_connection_error(exc)) from None
        except requests.RequestException as exc:
            raise ConnectionFailedError(detail=type(exc).__name__) from None
        return parse_response(response.status_code, response.headers, response.content)


def parse_response(status: int, headers: Any, content: bytes) -> Quote:
    """Turn one HTTP answer into a Quote or the PricingError that explains it."""
    request_id = headers.get("x-amzn-RequestId") or headers.get("x-amz-apigw-id")
    error_type = (headers.get("x-amzn-ErrorType") or "").split(":")[0]
    try:
        payload = json.loads(content) if content else None
    except (ValueError, UnicodeDecodeError):
        payload = None
    message = payload.get("message") if isinstance(payload, dict) else None
    detail = f"HTTP {status}" + (f": {message}" if isinstance(message, str) else "")
    if error_type:
        detail += f" [{error_type}]"

    def fail(cls: type[PricingError], extra: str = "") -> PricingError:
        return cls(detail=detail + extra, request_id=request_id, status=status)

    if status == 403:
        if message == "Missing Authentication Token" or "MissingAuthenticationToken" in error_type:
            raise fail(EndpointNotFoundError)
        raise fail(AuthenticationError)
    if status == 404:
        raise fail(EndpointNotFoundError)
    if status == 429:
        if message == "Limit Exceeded" or error_type == "LimitExceededException":
            raise fail(QuotaExceededError)
        raise fail(RateLimitedError)
    if status == 400 and isinstance(payload, dict) and isinstance(payload.get("errors"), dict):
        problems = {str(k): str(v) for k, v in payload["errors"].items()}
        raise InvalidLaptopError(problems, detail=detail, request_id=request_id, status=status)
    if status == 504:
        raise fail(ApiTimeoutError)
    if status >= 500:
        raise fail(ServerError)
    if status != 200:
        raise fail(RequestRejectedError)
    if payload is None:
        snippet = content[:80].decode("utf-8", "replace")
        raise fail(InvalidResponseError, f"; body is not JSON: {snippet!r}")
    return replace(_parse_success(payload, fail), request_id=request_id)


def _parse_success(payload: Any, fail) -> Quote:
    if isinstance(payload, dict) and "errorMessage" in payload:
        raise fail(ServerError, f"; Lambda {payload.get('errorType', 'error')}")
    if isinstance(payload, dict) and isinstance(payload.get("body"), str):
        inner_status = payload.get("statusCode", 200)
        if inner_status != 200:
            raise fail(ServerError, f"; inner statusCode {inner_status}")
        try:
            payload = json.loads(payload["body"])
        except ValueError:
            raise fail(InvalidResponseError, "; inner body is not JSON") from None
    if not isinstance(payload, dict):
        raise fail(InvalidResponseError, "; body is not a JSON object")
    if payload.get("statusCode", 200) != 200:
        raise fail(ServerError, f"; inner statusCode {payload.get('statusCode')}")
    if "prediction" not in payload:
        raise fail(InvalidResponseError, "; no prediction in body")
    price = _as_price(payload["prediction"])
    if price is None:
        raise fail(InvalidResponseError, f"; prediction {payload['prediction']!r} is not a price")
    interval = payload.get("interval")
    low = high = None
    if isinstance(interval, dict):
        low, high = _as_price(interval.get("low")), _as_price(interval.get("high"))
    return Quote(
        price=price,
        model_version=str(payload.get("version") or "desconhecida"),
        request_id=None,
        elapsed_s=0.0,
        low=low,
        high=high,
    )


def _as_price(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return round(value)


def _describe_connection_error(exc: requests.ConnectionError) -> str:
    text = str(exc)
    for marker, what in (
        ("NameResolution", "DNS lookup failed"),
        ("getaddrinfo", "DNS lookup failed"),
        ("Connection refused", "connection refused"),
        ("SSL", "TLS handshake failed"),
        ("CERTIFICATE", "TLS certificate rejected"),
    ):
        if marker in text:
            return f"{type(exc).__name__}: {what}"
    return type(exc).__name__
