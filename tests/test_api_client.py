"""PricingClient against a real loopback server answering like API Gateway (CONTRACT.md §2-3)."""

from __future__ import annotations

import socket
import threading

import pytest

from client import errors
from client.api import PricingClient, Quote
from client.laptop import DEFAULTS, LaptopSpec
from tests.conftest import SECRET_KEY, Reply, gateway_error

SPEC = LaptopSpec.from_mapping(DEFAULTS)


def make_client(url: str, **kwargs) -> PricingClient:
    kwargs.setdefault("timeout", 5.0)
    kwargs.setdefault("backoff_s", 0.01)
    return PricingClient(url, SECRET_KEY, **kwargs)


def assert_clean(exc: errors.PricingError) -> None:
    """A pt-BR message, detail for engineers, and the key nowhere."""
    assert exc.user_message and exc.user_message[0].isupper()
    for text in (exc.user_message, exc.detail, str(exc), repr(exc)):
        assert SECRET_KEY not in text
    assert exc.__traceback__ is None or "Traceback" not in exc.user_message


def test_request_is_the_contract(gateway):
    quote = make_client(gateway.url).predict(SPEC)
    assert quote.price == 2321 and quote.model_version == "5"
    [request] = gateway.requests
    assert request.path == "/prod/predict"
    assert request.headers["x-api-key"] == SECRET_KEY
    assert request.headers["content-type"] == "application/json"
    assert request.json == SPEC.to_payload()


@pytest.mark.parametrize(
    ("reply", "error", "attempts"),
    [
        (gateway_error(403, "Forbidden", "ForbiddenException"), errors.AuthenticationError, 1),
        (
            gateway_error(403, "Missing Authentication Token", "MissingAuthenticationTokenException"),
            errors.EndpointNotFoundError,
            1,
        ),
        (gateway_error(429, "Too Many Requests", "TooManyRequestsException"), errors.RateLimitedError, 3),
        (gateway_error(429, "Limit Exceeded", "LimitExceededException"), errors.QuotaExceededError, 1),
        (
            gateway_error(502, "Internal server error", "InternalServerErrorException"),
            errors.ServerError,
            3,
        ),
        (gateway_error(504, "Endpoint request timed out"), errors.ApiTimeoutError, 3),
        (gateway_error(413, None), errors.RequestRejectedError, 1),
        (gateway_error(404, "Not Found"), errors.EndpointNotFoundError, 1),
        (gateway_error(503, "Service Unavailable"), errors.ServerError, 3),
        (gateway_error(500, "Internal server error"), errors.ServerError, 1),
    ],
    ids=["403-key", "403-path", "429-throttle", "429-quota", "502", "504", "413", "404", "503", "500"],
)
def test_gateway_errors(gateway, reply, error, attempts):
    gateway.reply_with(reply)
    with pytest.raises(error) as caught:
        make_client(gateway.url).predict(SPEC)
    assert len(gateway.requests) == attempts  # retried only where a retry can help
    assert caught.value.status == reply.status
    assert caught.value.request_id == "req-0123456789"
    assert_clean(caught.value)


@pytest.mark.parametrize("transient", [502, 503, 504, 429])
def test_transient_failure_then_success(gateway, transient):
    message = "Too Many Requests" if transient == 429 else "Internal server error"
    gateway.reply_with(gateway_error(transient, message), Reply(200, {"prediction": 3000, "version": "5"}))
    assert make_client(gateway.url).predict(SPEC).price == 3000
    assert len(gateway.requests) == 2


def test_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(errors.ConnectionFailedError) as caught:
        make_client(f"http://127.0.0.1:{port}/predict", max_retries=1).predict(SPEC)
    assert "refused" in caught.value.detail
    assert_clean(caught.value)


def test_dns_failure():
    with pytest.raises(errors.ConnectionFailedError) as caught:
        make_client("http://no-such-host.invalid/predict", max_retries=0).predict(SPEC)
    assert_clean(caught.value)


def test_hanging_server_hits_the_deadline(gateway):
    gateway.reply_with(Reply(200, {"prediction": 1, "version": "5"}, delay_s=3))
    with pytest.raises(errors.ApiTimeoutError) as caught:
        make_client(gateway.url, timeout=0.5).predict(SPEC)
    assert_clean(caught.value)


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, "<html><body>Bad gateway</body></html>"),
        Reply(200, b""),
        Reply(200, {"prediction": "abc", "version": "5"}),
        Reply(200, {"prediction": -10, "version": "5"}),
        Reply(200, '{"prediction": NaN, "version": "5"}'),
        Reply(200, '{"prediction": Infinity}'),
        Reply(200, {"version": "5"}),
        Reply(200, [1, 2]),
        Reply(200, {"prediction": True}),
        Reply(200, {"statusCode": 200, "body": "not json"}),
    ],
    ids=["html", "empty", "abc", "negative", "nan", "inf", "missing", "list", "bool", "inner-not-json"],
)
def test_invalid_responses(gateway, reply):
    gateway.reply_with(reply)
    with pytest.raises(errors.InvalidResponseError) as caught:
        make_client(gateway.url).predict(SPEC)
    assert len(gateway.requests) == 1
    assert_clean(caught.value)


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, {"errorMessage": "division by zero", "errorType": "ZeroDivisionError", "stackTrace": []}),
        Reply(200, {"statusCode": 500, "body": '{"message": "boom"}'}),
        Reply(200, {"statusCode": 500, "prediction": 10}),
    ],
    ids=["lambda-error", "inner-500-body", "inner-500"],
)
def test_lambda_failures_inside_a_200(gateway, reply):
    gateway.reply_with(reply)
    with pytest.raises(errors.ServerError) as caught:
        make_client(gateway.url).predict(SPEC)
    assert_clean(caught.value)


@pytest.mark.parametrize(
    ("body", "price", "version"),
    [
        ({"prediction": 2417, "version": "5"}, 2417, "5"),
        (
            {"statusCode": 200, "prediction": 55198, "version": "linear_regression@v1.0.0"},
            55198,
            "linear_regression@v1.0.0",
        ),
        (
            {"statusCode": 200, "headers": {"a": "b"}, "body": '{"prediction": 2417, "version": "5"}'},
            2417,
            "5",
        ),
        ({"prediction": 2417.6}, 2418, "desconhecida"),
    ],
    ids=["proxy", "non-proxy", "proxy-in-non-proxy", "float-no-version"],
)
def test_three_success_shapes(gateway, body, price, version):
    gateway.reply_with(Reply(200, body, {"x-amzn-RequestId": "rid-1"}))
    quote = make_client(gateway.url).predict(SPEC)
    assert isinstance(quote, Quote)
    assert (quote.price, quote.model_version, quote.request_id) == (price, version, "rid-1")
    assert quote.elapsed_s > 0


def test_field_errors_from_the_api_become_invalid_laptop(gateway):
    gateway.reply_with(Reply(400, {"message": "Invalid request", "errors": {"brand": "desconhecida"}}))
    with pytest.raises(errors.InvalidLaptopError) as caught:
        make_client(gateway.url).predict(SPEC)
    assert caught.value.problems == {"brand": "desconhecida"}


def test_repr_hides_the_key():
    client = make_client("https://example.invalid/prod/predict")
    assert SECRET_KEY not in repr(client)
    assert "api_key=set" in repr(client)


def test_shared_between_threads_with_keep_alive(gateway):
    client = make_client(gateway.url)
    prices: list[int] = []

    def work():
        for _ in range(20):
            prices.append(client.predict(SPEC).price)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert prices == [2321] * 160
    assert len(gateway.requests) == 160


def test_check_prices_the_default_laptop(gateway):
    assert make_client(gateway.url).check().price == 2321
    assert gateway.requests[0].json == LaptopSpec.from_mapping(DEFAULTS).to_payload()
