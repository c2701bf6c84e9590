"""The deployed Lambda's contract, made strict: ``handler(event, context)`` -> proxy response.

Accepts a direct ``{"data": {...}}`` event and an API Gateway proxy event whose
``body`` is a JSON string, and answers in the Lambda proxy shape. Unlike the
deployed function it validates with ``client.laptop`` (exact tokens only, every
field required, no unknown field) and answers 400 naming every problem instead
of pricing a different laptop. The feature vector comes from the contract's
fixed order, never from iterating a set.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any

from client.errors import InvalidLaptopError
from client.laptop import LaptopSpec
from local_api.log_writer import RequestLogWriter
from local_api.model import ReferenceModel, load_model

JSON_HEADERS = {"Content-Type": "application/json"}


def respond(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": status, "headers": dict(JSON_HEADERS), "body": json.dumps(body)}


def bad_request(errors: dict[str, str]) -> dict[str, Any]:
    return respond(400, {"message": "Invalid request", "errors": errors})


def handle(
    event: Any,
    *,
    model: ReferenceModel,
    log: RequestLogWriter | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Price one request event; log it when a writer is given."""
    if isinstance(event, dict) and "body" in event and "data" not in event:
        body = event["body"]
        if not isinstance(body, str):
            return bad_request({"body": "o corpo da requisição deve ser JSON"})
        try:
            event = json.loads(body)
        except ValueError:
            return bad_request({"body": "o corpo da requisição não é JSON válido"})
    if not isinstance(event, dict) or "data" not in event:
        return bad_request({"data": 'o corpo deve ser {"data": {...}} com os 13 campos'})
    try:
        spec = LaptopSpec.from_payload(event["data"])
    except InvalidLaptopError as exc:
        return bad_request(exc.problems)
    prediction = model.predict(spec)
    if log is not None:
        log.append(spec.as_strings(), prediction.price, model.version, when=now)
    band = model.document["metrics"]["error_band"]
    return respond(
        200,
        {
            "prediction": prediction.price,
            "version": model.version,
            "interval": {"low": prediction.low, "high": prediction.high, "coverage": band["coverage"]},
        },
    )


def handler(event: Any, context: Any = None) -> dict[str, Any]:
    """Lambda entry point; logs to ``$REQUEST_LOG_DIR`` when that is set."""
    log_dir = os.environ.get("REQUEST_LOG_DIR")
    return handle(event, model=load_model(), log=RequestLogWriter(log_dir) if log_dir else None)
