"""The request log from S3, against real ``moto_server`` processes on 127.0.0.1 started here."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import boto3
import pytest

from client.request_log import LruCache, RequestLogError, load_request_log, make_s3_client
from tests.browser import free_port
from tests.test_request_log import ROW, body

BUCKET = "fiap-ds-mlops"
PREFIX = "laptop-prediction-real-data"
FIRST_DAY = date(2021, 1, 1)
DAYS = 1100  # more than one page of list_objects_v2 (1,000 keys)


def _moto(port: int, extra_env: dict[str, str]) -> subprocess.Popen:
    server = Path(sys.executable).with_name("moto_server")
    env = {**os.environ, **extra_env}
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("moto_server did not start")
            time.sleep(0.2)


@pytest.fixture(autouse=True)
def aws_env(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A moto_server holding 1,100 day files (and some keys that are not day files)."""
    port = free_port()
    process = _moto(port, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    s3.create_bucket(Bucket=BUCKET)

    def put(offset: int) -> None:
        day = FIRST_DAY + timedelta(days=offset)
        row = ROW.replace(b"16-01-2024", day.strftime("%d-%m-%Y").encode())
        s3.put_object(Bucket=BUCKET, Key=f"{PREFIX}/{day.isoformat()}_laptop_prediction_data.csv", Body=body(row))

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, range(DAYS)))
    s3.put_object(Bucket=BUCKET, Key=f"{PREFIX}/README.txt", Body=b"not a day file")
    s3.put_object(Bucket=BUCKET, Key=f"{PREFIX}/archive/2021-01-05_laptop_prediction_data.csv", Body=b"old")
    s3.put_object(Bucket=BUCKET, Key="other-prefix/2021-01-05_laptop_prediction_data.csv", Body=b"x")
    yield endpoint
    process.terminate()
    process.wait(timeout=10)


class CountingClient:
    """A real boto3 client whose GETs and LIST pages are counted through botocore's events."""

    def __init__(self, endpoint: str) -> None:
        self.client = make_s3_client(endpoint)
        self.gets = 0
        self.lists = 0
        self.client.meta.events.register("before-call.s3.GetObject", self._get)
        self.client.meta.events.register("before-call.s3.ListObjectsV2", self._list)

    def _get(self, **kwargs) -> None:
        self.gets += 1

    def _list(self, **kwargs) -> None:
        self.lists += 1


def test_listing_more_than_1000_keys(s3_endpoint):
    counting = CountingClient(s3_endpoint)
    log = load_request_log(f"s3://{BUCKET}/{PREFIX}", s3_client=counting.client)
    assert len(log.files) == DAYS and len(log.frame) == DAYS and log.rejected == []
    assert counting.lists == 2 and counting.gets == DAYS
    assert log.files[0].day == FIRST_DAY and log.files[-1].day == FIRST_DAY + timedelta(days=DAYS - 1)
    assert log.frame["timestamp"].dt.date.nunique() == DAYS


def test_date_range_prunes_listing_and_reads(s3_endpoint):
    counting = CountingClient(s3_endpoint)
    start = FIRST_DAY + timedelta(days=1050)
    log = load_request_log(f"s3://{BUCKET}/{PREFIX}/", start, start + timedelta(days=9), s3_client=counting.client)
    assert [f.day for f in log.files] == [start + timedelta(days=n) for n in range(10)]
    assert counting.gets == 10
    assert counting.lists == 1  # StartAfter skipped the 1,050 earlier keys


def test_etag_cache_reads_only_what_changed(s3_endpoint):
    cache = LruCache()
    counting = CountingClient(s3_endpoint)
    start, end = FIRST_DAY, FIRST_DAY + timedelta(days=4)
    uri = f"s3://{BUCKET}/{PREFIX}"
    first = load_request_log(uri, start, end, s3_client=counting.client, cache=cache)
    assert counting.gets == 5
    load_request_log(uri, start, end, s3_client=counting.client, cache=cache)
    assert counting.gets == 5  # nothing changed: no GET at all
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    key = f"{PREFIX}/{end.isoformat()}_laptop_prediction_data.csv"
    row = ROW.replace(b"16-01-2024", end.strftime("%d-%m-%Y").encode())
    s3.put_object(Bucket=BUCKET, Key=key, Body=body(row, row))  # today's file grew: new ETag
    third = load_request_log(uri, start, end, s3_client=counting.client, cache=cache)
    assert counting.gets == 6 and len(third.frame) == len(first.frame) + 1
    s3.put_object(Bucket=BUCKET, Key=key, Body=body(row))


def test_no_such_bucket(s3_endpoint):
    with pytest.raises(RequestLogError) as caught:
        load_request_log(f"s3://no-such-bucket/{PREFIX}", s3_endpoint_url=s3_endpoint)
    assert "não existe" in caught.value.user_message and "REQUEST_LOG_URI" in caught.value.next_step


def test_endpoint_unreachable():
    with pytest.raises(RequestLogError) as caught:
        load_request_log(f"s3://{BUCKET}/{PREFIX}", s3_endpoint_url=f"http://127.0.0.1:{free_port()}")
    assert "conectar" in caught.value.user_message


def test_no_credentials(monkeypatch, s3_endpoint, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(RequestLogError) as caught:
        load_request_log(f"s3://{BUCKET}/{PREFIX}", s3_endpoint_url=s3_endpoint)
    assert "Credenciais" in caught.value.user_message and "AWS_ACCESS_KEY_ID" in caught.value.next_step


def test_access_denied(monkeypatch):
    """moto enforcing IAM: a user without S3 permissions is refused, as AWS would."""
    port = free_port()
    # the first three calls (create user, create key, create bucket) run before IAM is enforced
    process = _moto(port, {"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        endpoint = f"http://127.0.0.1:{port}"
        iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1")
        iam.create_user(UserName="clerk")
        key = iam.create_access_key(UserName="clerk")["AccessKey"]
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
        with pytest.raises(RequestLogError) as caught:
            load_request_log(f"s3://{BUCKET}/{PREFIX}", s3_endpoint_url=endpoint)
        assert "Acesso negado" in caught.value.user_message
        assert "s3:ListBucket" in caught.value.next_step
    finally:
        process.terminate()
        process.wait(timeout=10)
