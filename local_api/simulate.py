"""Traffic for the demo dashboard: realistic laptops priced by the local model, written to the log.

    python -m local_api.simulate --days 30 --per-day 200
    python -m local_api.simulate --live --url http://127.0.0.1:8000/predict --api-key KEY --rate 5

By default it writes back-dated requests straight through the server's own log
writer (``--log-dir``, default the app's local log folder), spread over shop hours
in America/Sao_Paulo across the last ``--days`` days. Laptops follow the training
profile and the contract's consistency rules; ``--drift`` of them lean to bigger,
pricier machines, and ``--invalid`` of them carry the course apps' bugs (the brand
replaced by the processor name, "thinlight", "Core i5 "), priced the way the
deployed API prices them: with that one-hot group all zero. Those only exist when
writing the log directly: with ``--live`` the local API refuses them with 400.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from client.api import PricingClient
from client.errors import PricingError
from client.laptop import FEATURE_NAMES, FIELD_BY_NAME, FIELDS, LaptopSpec, allowed_tokens
from client.settings import DEFAULT_LOCAL_LOG_DIR, STORE_TZ
from local_api.log_writer import RequestLogWriter
from local_api.model import ReferenceModel, load_model

OPEN_HOUR, CLOSE_HOUR = 9, 21
# The course apps' bugs, as (field, value the API received).
COURSE_BUGS = (("brand", "core i3"), ("weight", "thinlight"), ("processor_name", "Core i5 "), ("os", "outro"))
DRIFTED = {"ram_gb": (16, 32), "ssd": (512, 1024, 2048), "weight": ("gaming", "thinnlight"), "graphic_card": (4, 6, 8)}


@dataclass(frozen=True)
class Request:
    fields: dict[str, str]
    when: datetime
    broken_field: str | None = None


class LaptopSampler:
    """Draws laptops with the training profile's shares, consistent by construction."""

    def __init__(self, model: ReferenceModel, rng: np.random.Generator) -> None:
        self.profile = model.profile
        self.rng = rng

    def _pick(self, name: str, allowed: tuple[str, ...] | None = None) -> str:
        field = FIELD_BY_NAME[name]
        if field.numeric:
            stats = self.profile["numeric"][name]
            weights = np.asarray(stats["counts"], dtype=float) + 0.5
            return str(self.rng.choice(stats["seen"], p=weights / weights.sum()))
        tokens = allowed or field.tokens
        weights = np.asarray([self.profile["categories"][name][t] for t in tokens]) + 0.01
        return str(self.rng.choice(tokens, p=weights / weights.sum()))

    def laptop(self, drifted: bool) -> dict[str, str]:
        values = {"processor_brand": self._pick("processor_brand")}
        for name in ("brand", "processor_name", "os"):
            values[name] = self._pick(name, allowed_tokens(name, values["processor_brand"]))
        for f in FIELDS:
            if f.name not in values:
                values[f.name] = self._pick(f.name)
        if drifted:
            for name, options in DRIFTED.items():
                values[name] = str(self.rng.choice(options))
        if values["ssd"] == "0" and values["hdd"] == "0":
            values["ssd"] = "256"
        return {f.name: values[f.name] for f in FIELDS}


def requests_for(
    days: int, per_day: int, drift: float, invalid: float, seed: int, today: date | None = None
) -> Iterator[Request]:
    """Back-dated requests over the last ``days`` days (today included), in shop hours."""
    rng = np.random.default_rng(seed)
    sampler = LaptopSampler(load_model(), rng)
    now = datetime.now(STORE_TZ)
    last = today or now.date()
    for offset in range(days - 1, -1, -1):
        day = last - timedelta(days=offset)
        weekend = day.weekday() >= 5
        count = int(rng.poisson(per_day * (0.6 if weekend else 1.0)))
        # drift builds up over the second half of the period, as a new product line would
        drift_share = drift * min(1.0, max(0.0, (days - offset) / max(days, 1) - 0.5) * 2)
        minutes = np.sort(rng.integers(OPEN_HOUR * 60, CLOSE_HOUR * 60, size=count))
        for minute in minutes:
            local = datetime(day.year, day.month, day.day, int(minute // 60), int(minute % 60), tzinfo=STORE_TZ)
            if local > now:  # never log a request that has not happened yet
                break
            fields = sampler.laptop(drifted=bool(rng.random() < drift_share))
            broken = None
            if rng.random() < invalid:
                broken, value = COURSE_BUGS[int(rng.integers(len(COURSE_BUGS)))]
                fields[broken] = value
            yield Request(fields, local.astimezone(UTC), broken)


def price_as_deployed(model: ReferenceModel, request: Request) -> int:
    """The deployed API's price: an unknown token zeroes its one-hot group instead of failing."""
    if request.broken_field is None:
        return model.predict(LaptopSpec.from_payload(request.fields)).price
    vector = []
    for name in FEATURE_NAMES:
        if "=" in name:
            field, token = name.split("=", 1)
            vector.append(1.0 if request.fields[field] == token else 0.0)
        else:
            vector.append(float(request.fields[name]))
    return round(float(np.exp(model.predict_log(np.asarray(vector))[0])))


def write_log(args: argparse.Namespace) -> int:
    model = load_model()
    writer = RequestLogWriter(args.log_dir)
    written = 0
    for request in requests_for(args.days, args.per_day, args.drift, args.invalid, args.seed):
        writer.append(request.fields, price_as_deployed(model, request), model.version, when=request.when)
        written += 1
    print(f"wrote {written} requests over {args.days} days to {writer.folder}")
    return 0


def send_live(args: argparse.Namespace) -> int:
    client = PricingClient(args.url, args.api_key, timeout=10)
    sent = refused = 0
    interval = 1.0 / args.rate
    started = time.monotonic()
    for number, request in enumerate(requests_for(1, args.count, args.drift, args.invalid, args.seed)):
        time.sleep(max(0.0, started + number * interval - time.monotonic()))
        try:
            client.predict(LaptopSpec.from_payload(request.fields))
            sent += 1
        except PricingError as exc:  # invalid requests are refused, by the client or by the API
            refused += 1
            print(f"refused: {exc.user_message}", file=sys.stderr)
    print(f"sent {sent} requests to {args.url}; {refused} refused")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local_api.simulate", description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=200)
    parser.add_argument("--drift", type=float, default=0.3, help="share of drifted laptops at the end of the period")
    parser.add_argument("--invalid", type=float, default=0.01, help="share of requests with a course-app bug")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--log-dir", default=str(DEFAULT_LOCAL_LOG_DIR))
    parser.add_argument("--live", action="store_true", help="send through a running API instead of writing the log")
    parser.add_argument("--url", default="http://127.0.0.1:8000/predict")
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--rate", type=float, default=5.0, help="requests per second with --live")
    parser.add_argument("--count", type=int, default=100, help="requests to send with --live")
    args = parser.parse_args(argv)
    if not (args.days > 0 and args.per_day >= 0 and 0 <= args.drift <= 1 and 0 <= args.invalid <= 1 and args.rate > 0):
        parser.error("--days > 0, --per-day >= 0, --rate > 0 and --drift, --invalid between 0 and 1")
    return send_live(args) if args.live else write_log(args)


if __name__ == "__main__":
    sys.exit(main())
