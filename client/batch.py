"""Pricing many laptops at once with bounded concurrency, without losing a row.

    results = price_many(client, rows, concurrency=8, on_progress=bar)

One ``RowResult`` per input row, in input order, each ``ok``, ``invalid`` (never
sent: every field problem is in its error), ``failed`` or ``not_sent``.

- Workers share one throttle gate: a 429 Too Many Requests pauses *every* worker
  (exponential backoff with jitter, reset by the next success) and puts the row
  back in the queue, so a throttled batch slows down instead of failing.
- A 403 (wrong key) or 429 Limit Exceeded (quota) would fail every remaining row
  the same way, so sending stops; the rows not yet sent are ``not_sent``, carrying
  the error that stopped the batch. Finished results are always kept.
- ``cancel`` (an Event) stops sending the same way, keeping what finished.
- ``on_result`` gets every row's final result (``not_sent`` ones included) and
  ``on_progress`` the count so far; both run on the caller's thread (Streamlit can
  only draw from its script thread). If one raises, in-flight requests are allowed
  to finish and the exception propagates.
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from client.api import PricingClient, Quote
from client.errors import (
    AuthenticationError,
    InvalidLaptopError,
    PricingError,
    QuotaExceededError,
    RateLimitedError,
)
from client.laptop import FIELD_BY_NAME, LaptopSpec

Status = Literal["ok", "invalid", "failed", "not_sent"]
STATUS_LABELS: dict[str, str] = {
    "ok": "precificado",
    "invalid": "inválido",
    "failed": "falhou",
    "not_sent": "não enviado",
}
STOPS_THE_BATCH = (AuthenticationError, QuotaExceededError)
MAX_THROTTLED_ATTEMPTS = 8


@dataclass(frozen=True)
class RowResult:
    index: int
    status: Status
    quote: Quote | None = None
    error: PricingError | None = None

    @property
    def message(self) -> str:
        """A pt-BR sentence for the results table."""
        if self.status == "ok":
            return ""
        if isinstance(self.error, InvalidLaptopError):
            return "; ".join(
                f"{FIELD_BY_NAME[name].label if name in FIELD_BY_NAME else name}: {reason}"
                for name, reason in self.error.problems.items()
            )
        if self.status == "not_sent":
            reason = self.error.user_message if self.error else "o processamento foi cancelado"
            return f"Não enviado: o lote parou ({reason.rstrip('.')})."
        return self.error.user_message if self.error else "Falhou."


class _Gate:
    """The shared throttle: when the API says 429, every worker waits."""

    def __init__(self, backoff_s: float, max_backoff_s: float) -> None:
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self._lock = threading.Lock()
        self._open_at = 0.0
        self._streak = 0

    def throttled(self) -> None:
        with self._lock:
            delay = min(self.max_backoff_s, self.backoff_s * 2**self._streak)
            self._streak += 1
            self._open_at = max(self._open_at, time.monotonic() + delay * random.uniform(0.5, 1.0))

    def succeeded(self) -> None:
        with self._lock:
            self._streak = 0

    def wait(self, stop: threading.Event) -> None:
        while not stop.is_set():
            with self._lock:
                remaining = self._open_at - time.monotonic()
            if remaining <= 0:
                return
            stop.wait(min(remaining, 0.1))


def price_many(
    client: PricingClient,
    rows: Iterable[Mapping[str, Any]],
    *,
    concurrency: int = 8,
    on_progress: Callable[[int, int], None] | None = None,
    on_result: Callable[[RowResult], None] | None = None,
    cancel: threading.Event | None = None,
    backoff_s: float = 0.5,
    max_backoff_s: float = 8.0,
) -> list[RowResult]:
    """Price every valid row; return one result per row, in input order."""
    rows = list(rows)
    total = len(rows)
    results: list[RowResult | None] = [None] * total
    work: deque[tuple[int, LaptopSpec, int]] = deque()
    done = 0

    def record(result: RowResult) -> None:
        nonlocal done
        results[result.index] = result
        done += 1
        if on_result:
            on_result(result)
        if on_progress:
            on_progress(done, total)

    for index, row in enumerate(rows):
        try:
            work.append((index, LaptopSpec.from_mapping(row), 0))
        except InvalidLaptopError as exc:
            record(RowResult(index, "invalid", error=exc))

    stop = threading.Event()
    stopped_by: list[PricingError] = []
    finished: queue.Queue[RowResult | None] = queue.Queue()
    gate = _Gate(backoff_s, max_backoff_s)
    lock = threading.Lock()

    def take() -> tuple[int, LaptopSpec, int] | None:
        with lock:
            return work.popleft() if work and not stop.is_set() else None

    def worker() -> None:
        try:
            while not stop.is_set() and not (cancel and cancel.is_set()):
                gate.wait(stop)
                item = take()
                if item is None:
                    return
                index, spec, throttled = item
                try:
                    quote = client.predict(spec)
                except RateLimitedError as exc:
                    gate.throttled()
                    if throttled + 1 >= MAX_THROTTLED_ATTEMPTS:
                        finished.put(RowResult(index, "failed", error=exc))
                    else:
                        with lock:
                            work.appendleft((index, spec, throttled + 1))
                except STOPS_THE_BATCH as exc:
                    stopped_by.append(exc)
                    stop.set()
                    finished.put(RowResult(index, "failed", error=exc))
                except PricingError as exc:
                    finished.put(RowResult(index, "failed", error=exc))
                else:
                    gate.succeeded()
                    finished.put(RowResult(index, "ok", quote=quote))
        finally:
            finished.put(None)  # this worker is done

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(max(1, concurrency), len(work)))]
    for thread in threads:
        thread.start()
    try:
        running = len(threads)
        while running:
            result = finished.get()
            if result is None:
                running -= 1
            else:
                record(result)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    reason = stopped_by[0] if stopped_by else None
    for index, result in enumerate(results):
        if result is None:
            record(RowResult(index, "not_sent", error=reason))
    return results  # type: ignore[return-value]
