"""The estimate page under Streamlit's AppTest: prices, payloads, every error, the form kept."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from client import errors
from client.laptop import DEFAULTS, FIELD_BY_NAME, FIELDS
from tests.apptest import open_app
from tests.conftest import SECRET_KEY, Reply, gateway_error

OTHER_CPU = "Outro (i9, Celeron, Pentium, M1, Ryzen 9)"
pytestmark = pytest.mark.usefixtures("isolated_app")


def app(state: dict | None = None, **secrets) -> AppTest:
    return open_app(state=state, **secrets)


def submit(at: AppTest) -> AppTest:
    [button] = [b for b in at.button if b.label == "Estimar preço"]
    return button.click().run()


def widget(at: AppTest, name: str):
    key = f"laptop.{name}"
    for kind in (at.selectbox, at.radio):
        try:
            return kind(key=key)
        except KeyError:
            continue
    raise KeyError(key)


def sidebar_text(at: AppTest) -> str:
    return "\n".join(str(getattr(child, "value", "")) for child in at.sidebar.children.values())


def page_text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "text", "metric", "code"):
        for element in getattr(at, kind):
            parts.append(str(getattr(element, "value", "")))
            parts.append(str(getattr(element, "label", "")))
    return "\n".join(parts)


def test_no_configuration_means_demo_mode_and_a_price():
    at = app()
    assert not at.exception
    assert "API local de demonstração" in sidebar_text(at)
    at = submit(at)
    assert not at.exception
    [metric] = at.metric
    assert metric.value.startswith("R$\xa0") and metric.value.endswith(",00")
    text = page_text(at)
    assert "valor estimado de compra" in text
    assert "Faixa indicativa: **R\\$" in text  # escaped: never LaTeX
    assert "Versão do modelo: gbr-log" in sidebar_text(at)
    assert at.dataframe[0].value.shape[0] == 1


def test_the_default_form_is_the_contract_example(gateway):
    at = submit(app(API_ENDPOINT=gateway.url, API_KEY=SECRET_KEY))
    assert gateway.requests[0].json == {"data": DEFAULTS}
    assert gateway.requests[0].headers["x-api-key"] == SECRET_KEY
    assert at.metric[0].value == "R$\xa02.321,00"
    assert "API:** `127.0.0.1`" in sidebar_text(at)


def _another_value(name: str) -> object:
    """A value other than the default that keeps the Intel default laptop consistent."""
    f = FIELD_BY_NAME[name]
    candidates = reversed(f.seen) if f.numeric else (t for t in f.tokens if t not in ("m1", "ryzen 5", "ryzen 7"))
    return next(v for v in candidates if str(v) != DEFAULTS[name])


@pytest.mark.parametrize("name", [f.name for f in FIELDS])
def test_each_field_changes_the_payload(gateway, name):
    at = app(API_ENDPOINT=gateway.url, API_KEY=SECRET_KEY)
    value = _another_value(name)
    widget(at, name).set_value(value)
    at = submit(at.run())
    assert not at.exception
    sent = gateway.requests[-1].json["data"]
    assert sent[name] == str(value)
    changed = {k for k, v in sent.items() if v != DEFAULTS[k]}
    assert name in changed
    if name == "processor_brand":  # AMD: the processor follows its brand; nothing else moves
        assert changed == {"processor_brand", "processor_name"} and sent["processor_name"] == "ryzen 5"
    else:
        assert changed == {name}


def test_apple_m1_sets_brand_processor_and_system(gateway):
    at = app(API_ENDPOINT=gateway.url, API_KEY=SECRET_KEY)
    at.selectbox(key="laptop.processor_brand").set_value("m1").run()
    for name in ("brand", "processor_name", "os"):
        assert at.selectbox(key=f"laptop.{name}").value == "other"
        assert at.selectbox(key=f"laptop.{name}").disabled
    at = submit(at)
    sent = gateway.requests[-1].json["data"]
    assert (sent["processor_brand"], sent["brand"], sent["processor_name"], sent["os"]) == ("m1",) + ("other",) * 3
    at.selectbox(key="laptop.processor_brand").set_value("amd").run()
    assert at.selectbox(key="laptop.processor_name").options == [
        "Outro (i9, Celeron, Pentium, M1, Ryzen 9)",
        "Ryzen 5",
        "Ryzen 7 (ou Ryzen 3)",
    ]


def test_intel_offers_only_core_models():
    at = app()
    assert at.selectbox(key="laptop.processor_name").options == [
        "Core i3",
        "Core i5",
        "Core i7",
        "Outro (i9, Celeron, Pentium, M1, Ryzen 9)",
    ]


ERROR_CASES = [
    (gateway_error(403, "Forbidden", "ForbiddenException"), errors.AuthenticationError),
    (gateway_error(403, "Missing Authentication Token"), errors.EndpointNotFoundError),
    (gateway_error(429, "Too Many Requests"), errors.RateLimitedError),
    (gateway_error(429, "Limit Exceeded"), errors.QuotaExceededError),
    (gateway_error(502, "Internal server error"), errors.ServerError),
    (gateway_error(504, "Endpoint request timed out"), errors.ApiTimeoutError),
    (gateway_error(413, None), errors.RequestRejectedError),
    (Reply(200, "<html>oops</html>"), errors.InvalidResponseError),
    (Reply(200, {"errorMessage": "boom", "errorType": "KeyError"}), errors.ServerError),
    (Reply(400, {"message": "Invalid request", "errors": {"brand": "desconhecida"}}), errors.InvalidLaptopError),
]


@pytest.mark.parametrize(("reply", "error"), ERROR_CASES, ids=lambda v: getattr(v, "__name__", None))
def test_each_error_shows_its_message_and_keeps_the_form(gateway, reply, error):
    gateway.reply_with(reply)
    at = app(API_ENDPOINT=gateway.url, API_KEY=SECRET_KEY, API_TIMEOUT_S="3")
    at.selectbox(key="laptop.brand").set_value("hp")
    at.selectbox(key="laptop.ram_gb").set_value(8)
    at.radio(key="laptop.touchscreen").set_value("1")
    at = submit(at.run())
    assert not at.exception
    assert not at.metric
    shown = "\n".join(e.value for e in at.error)
    if error is errors.InvalidLaptopError:
        assert "Confira os dados do notebook" in shown and "**Marca**: desconhecida" in shown
    else:
        assert error.user_message in shown and error.next_step in shown
    if error is errors.AuthenticationError:
        assert "API_KEY" in shown
    if reply.headers.get("x-amzn-RequestId"):
        assert "req-0123456789" in page_text(at)
    assert at.selectbox(key="laptop.brand").value == "hp"
    assert at.selectbox(key="laptop.ram_gb").value == 8
    assert at.radio(key="laptop.touchscreen").value == "1"
    assert SECRET_KEY not in page_text(at)


def test_connection_refused_is_explained():
    at = submit(app(API_ENDPOINT="http://127.0.0.1:9/predict", API_KEY=SECRET_KEY, API_TIMEOUT_S="2"))
    assert errors.ConnectionFailedError.user_message in "\n".join(e.value for e in at.error)


def test_malformed_settings_show_what_to_configure():
    at = app(API_ENDPOINT="api.example.com/predict")
    assert not at.exception
    shown = "\n".join(e.value for e in at.error)
    assert "Configuração incompleta" in shown and "API_ENDPOINT" in shown
    assert any("API_KEY" in c.value for c in at.code)


def test_out_of_training_values_warn_beside_the_price(gateway):
    # typed by the clerk (AppTest cannot type a new option, so it is put in state before the first run)
    at = submit(app({"laptop.ram_gb": "64"}, API_ENDPOINT=gateway.url, API_KEY=SECRET_KEY))
    assert gateway.requests[-1].json["data"]["ram_gb"] == "64"
    assert at.metric and any("64 GB" in w.value for w in at.warning)


def test_invalid_typed_value_is_refused_before_sending(gateway):
    at = submit(app({"laptop.ssd": "muito"}, API_ENDPOINT=gateway.url, API_KEY=SECRET_KEY))
    assert not gateway.requests
    assert "SSD (GB)" in "\n".join(e.value for e in at.error)
    assert at.selectbox(key="laptop.ssd").value == "muito"


def test_changed_form_marks_the_price_stale_and_history_clears(gateway):
    at = submit(app(API_ENDPOINT=gateway.url, API_KEY=SECRET_KEY))
    at = submit(at)
    assert at.dataframe[0].value.shape[0] == 2
    at.selectbox(key="laptop.brand").set_value("asus").run()
    assert not at.metric and "mudaram" in at.info[0].value
    [clear] = [b for b in at.button if b.label == "Limpar histórico"]
    at = clear.click().run()
    assert not at.dataframe


def test_check_connection_button(gateway):
    at = app(API_ENDPOINT=gateway.url, API_KEY=SECRET_KEY)
    at = at.sidebar.button(key="check_connection").click().run()
    assert "API respondendo" in sidebar_text(at)
    gateway.reply_with(gateway_error(403, "Forbidden"))
    at = at.sidebar.button(key="check_connection").click().run()
    assert errors.AuthenticationError.user_message in sidebar_text(at)
