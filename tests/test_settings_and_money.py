"""Settings precedence, validation and masking; money formatting with Babel."""

from __future__ import annotations

import pytest

from client.errors import ConfigurationError
from client.money import format_price
from client.settings import DEFAULT_TIMEOUT_S, Settings, load_settings
from tests.conftest import SECRET_KEY

URL = "https://abc123.execute-api.us-east-1.amazonaws.com/prod/predict"


class MissingSecrets(dict):
    """Behaves like st.secrets with no secrets.toml: any access raises."""

    def items(self):
        raise FileNotFoundError("No secrets files found")


def test_defaults_mean_the_embedded_local_api(tmp_path):
    settings = load_settings(None, {}, dotenv_path=tmp_path / "none")
    assert settings == Settings()
    assert settings.uses_local_api and settings.api_timeout_s == DEFAULT_TIMEOUT_S == 32.0
    assert settings.price_currency == "BRL"
    assert settings.log_uri.endswith(".request-log/laptop-prediction-real-data")


def test_missing_secrets_file_is_not_an_error(tmp_path):
    assert load_settings(MissingSecrets(), {}, dotenv_path=tmp_path / "none").uses_local_api


def test_secrets_then_environment_then_dotenv(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"API_ENDPOINT={URL}\nAPI_KEY=from-dotenv\nAPI_TIMEOUT_S=7\nPRICE_CURRENCY=inr\n")
    environ = {"API_KEY": "from-env", "API_TIMEOUT_S": "9"}
    secrets = {"API-KEY": SECRET_KEY, "other_section": {"nested": 1}}
    settings = load_settings(secrets, environ, dotenv_path=dotenv)
    assert settings.api_endpoint == URL  # only .env has it
    assert settings.api_key == SECRET_KEY  # secrets win, hyphenated spelling accepted
    assert settings.api_timeout_s == 9.0  # environment beats .env
    assert settings.price_currency == "INR"
    assert not settings.uses_local_api


def test_hyphenated_course_spelling():
    settings = load_settings({"API-ENDPOINT": URL, "API-KEY": SECRET_KEY}, {}, dotenv_path=None)
    assert (settings.api_endpoint, settings.api_key) == (URL, SECRET_KEY)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("API_TIMEOUT_S", "abc"),
        ("API_TIMEOUT_S", "-1"),
        ("API_TIMEOUT_S", "nan"),
        ("API_ENDPOINT", "abc123.execute-api.amazonaws.com/prod/predict"),
        ("API_ENDPOINT", "ftp://host/predict"),
        ("PRICE_CURRENCY", "reais"),
        ("PRICE_CURRENCY", "XYZ"),
        ("S3_ENDPOINT_URL", "localhost:9000"),
    ],
)
def test_malformed_values_name_their_key(key, value):
    with pytest.raises(ConfigurationError) as caught:
        load_settings({key: value, "API_KEY": SECRET_KEY}, {}, dotenv_path=None)
    assert caught.value.key == key
    assert key in caught.value.user_message
    assert SECRET_KEY not in str(caught.value)


def test_repr_masks_the_key():
    settings = load_settings({"API_ENDPOINT": URL, "API_KEY": SECRET_KEY}, {}, dotenv_path=None)
    assert SECRET_KEY not in repr(settings)
    assert SECRET_KEY not in str(settings)
    assert settings.masked_key == "****" + SECRET_KEY[-2:]
    assert Settings(api_key="short").masked_key == "****"


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [
        (2321, "BRL", "R$\xa02.321,00"),
        (2321.5, "BRL", "R$\xa02.321,50"),
        (0, "BRL", "R$\xa00,00"),
        (1234567, "BRL", "R$\xa01.234.567,00"),
        (55198, "INR", "₹\xa055.198,00"),
    ],
)
def test_format_price(value, currency, text):
    assert format_price(value, currency) == text


def test_format_price_in_whole_units():
    assert format_price(4951.4, "BRL", cents=False) == "R$\xa04.951"
    assert format_price(1234567, "BRL", cents=False) == "R$\xa01.234.567"
