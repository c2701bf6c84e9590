"""The embedded local API: strict contract, API Gateway's answers, concurrency-safe log."""

from __future__ import annotations

import csv
import http.client
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from client import errors
from client.api import PricingClient
from client.laptop import DEFAULTS, FIELD_NAMES, LaptopSpec
from client.log_format import COLUMNS
from local_api.handler import handle, handler
from local_api.log_writer import RequestLogWriter
from local_api.model import load_model
from tests.conftest import ROOT, SECRET_KEY
from tests.test_laptop import GOLDEN

MODEL = load_model()


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, dict, dict]:
    host, port = url.removeprefix("http://").split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    path = "/" + url.removeprefix("http://").split("/", 1)[1]
    connection.request("POST", path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), json.loads(data)


def test_golden_case_within_20_percent_of_the_course_price():
    price = MODEL.predict(LaptopSpec.from_payload(GOLDEN)).price
    assert 6700 * 0.8 <= price <= 6700 * 1.2


def test_model_carries_provenance_metrics_and_profile():
    doc = MODEL.document
    assert doc["provenance"]["dataset_sha256"] and doc["provenance"]["rows"] > 700
    assert doc["metrics"]["mape"] <= 0.145 and doc["metrics"]["r2"] >= 0.65
    profile = doc["profile"]
    assert set(profile["categories"]) | set(profile["numeric"]) == set(FIELD_NAMES)
    assert abs(sum(profile["categories"]["brand"].values()) - 1) < 1e-4
    ram = profile["numeric"]["ram_gb"]
    assert len(ram["edges"]) == len(ram["counts"]) + 1 and sum(ram["counts"]) == profile["rows"]
    assert profile["price"]["quantiles"]["p50"] > 0


def test_handler_direct_and_proxy_events():
    direct = handle({"data": GOLDEN}, model=MODEL)
    proxy = handler({"body": json.dumps({"data": GOLDEN}), "headers": {}}, None)
    assert direct["statusCode"] == proxy["statusCode"] == 200
    body = json.loads(direct["body"])
    assert body == json.loads(proxy["body"])
    assert body["version"] == MODEL.version and body["interval"]["low"] < body["prediction"] < body["interval"]["high"]


@pytest.mark.parametrize(
    ("event", "fields"),
    [
        ({"data": dict(GOLDEN, weight="thinlight", processor_name="Core i5 ")}, {"weight", "processor_name"}),
        ({"data": dict(GOLDEN, touchscreen=1)}, {"touchscreen"}),
        ({"data": {k: v for k, v in GOLDEN.items() if k != "ssd"}}, {"ssd"}),
        ({"data": dict(GOLDEN, color="blue")}, {"color"}),
        ({"data": dict(GOLDEN, brand="core i3")}, {"brand"}),
        ({"body": "{not json"}, {"body"}),
        ({"body": json.dumps({"laptop": GOLDEN})}, {"data"}),
        ({"data": "a string"}, {"data"}),
    ],
)
def test_handler_names_every_bad_field(event, fields):
    answer = handle(event, model=MODEL)
    assert answer["statusCode"] == 400
    assert set(json.loads(answer["body"])["errors"]) == fields


def test_server_speaks_like_api_gateway(local_api):
    body = json.dumps({"data": GOLDEN}).encode()
    status, headers, answer = post(local_api.predict_url, body, {"x-api-key": SECRET_KEY})
    assert status == 200 and answer["prediction"] > 0 and "x-amzn-RequestId" in headers
    assert post(local_api.url + "/prod/predict", body, {"x-api-key": SECRET_KEY})[0] == 200
    assert post(local_api.predict_url, body)[0:3:2] == (403, {"message": "Forbidden"})
    assert post(local_api.predict_url, body, {"x-api-key": "wrong"})[2] == {"message": "Forbidden"}
    status, headers, answer = post(local_api.url + "/nope", body, {"x-api-key": SECRET_KEY})
    assert (status, answer["message"]) == (403, "Missing Authentication Token")
    status, _, answer = post(local_api.predict_url, b"x" * (1024 * 1024 + 1), {"x-api-key": SECRET_KEY})
    assert status == 413
    status, _, answer = post(local_api.predict_url, b"{", {"x-api-key": SECRET_KEY})
    assert status == 400 and "body" in answer["errors"]
    for text in (json.dumps(answer), json.dumps(headers)):
        assert "Traceback" not in text and SECRET_KEY not in text


def test_health_tells_the_model_and_no_secret(local_api):
    connection = http.client.HTTPConnection(local_api.server.server_address[0], local_api.server.server_address[1])
    connection.request("GET", "/health")
    response = connection.getresponse()
    answer = json.loads(response.read())
    assert response.status == 200
    assert answer == {"status": "ok", "model": MODEL.name, "version": MODEL.version}


def test_client_gets_field_errors_and_auth_errors_from_the_local_api(local_api):
    with pytest.raises(errors.AuthenticationError):
        PricingClient(local_api.predict_url, "wrong-key", timeout=5).predict(LaptopSpec.from_mapping(DEFAULTS))
    quote = PricingClient(local_api.predict_url, SECRET_KEY, timeout=5).predict(LaptopSpec.from_mapping(DEFAULTS))
    assert quote.low < quote.price < quote.high and quote.request_id


def test_identical_predictions_across_hash_seeds():
    script = (
        "import json; from client.laptop import LaptopSpec, FIELDS; from local_api.model import load_model;"
        "m = load_model(); import itertools;"
        f"specs = [LaptopSpec.from_mapping(dict({GOLDEN!r}, brand=b, weight=w, os_bit=o))"
        " for b, w, o in itertools.product(*(f.tokens for f in FIELDS if f.name in ('brand','weight','os_bit')))];"
        "print(json.dumps([m.predict(s).price for s in specs]))"
    )
    outputs = set()
    for seed in ("0", "1", "12345", "random"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert len(set(json.loads(outputs.pop()))) > 5


def test_log_writer_concurrency_and_quoting(tmp_path):
    writer = RequestLogWriter(tmp_path)
    when = datetime(2026, 3, 4, 5, 6, tzinfo=UTC)
    fields = dict(GOLDEN, brand='a,b "quoted"')

    def write(n: int) -> None:
        writer.append(fields, n, "v1", when=when)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(write, range(2000)))
    [path] = (tmp_path / "laptop-prediction-real-data").iterdir()
    assert path.name == "2026-03-04_laptop_prediction_data.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 2001
    assert sorted(int(r[13]) for r in rows[1:]) == list(range(2000))
    assert all(r[0] == 'a,b "quoted"' and r[14] == "04-03-2026 05:06" for r in rows[1:])


def test_load_16_threads_x_250_requests(local_api, tmp_path):
    client = PricingClient(local_api.predict_url, SECRET_KEY, timeout=10, max_retries=0)
    spec = LaptopSpec.from_mapping(DEFAULTS)
    statuses: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(250):
            client.predict(spec)
            with lock:
                statuses.append(200)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(statuses) == 4000
    rows = []
    for path in (tmp_path / "log" / "laptop-prediction-real-data").iterdir():
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            rows += [LaptopSpec.from_payload({k: r[k] for k in FIELD_NAMES}) for r in reader]
    assert len(rows) == 4000


def test_cli_serves_and_stops_on_sigterm(tmp_path):
    import signal
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "local_api",
            "--port",
            str(port),
            "--api-key",
            SECRET_KEY,
            "--log-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert "local pricing API on" in process.stdout.readline()
        deadline = time.monotonic() + 10
        while True:
            try:
                quote = PricingClient(f"http://127.0.0.1:{port}/predict", SECRET_KEY, timeout=5).predict(
                    LaptopSpec.from_mapping(DEFAULTS)
                )
                break
            except errors.ConnectionFailedError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert quote.price > 0
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
    assert len(list((tmp_path / "laptop-prediction-real-data").iterdir())) == 1
