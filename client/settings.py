"""Configuration: Streamlit secrets, then the environment, then ``.env``, into one ``Settings``.

Each key may be spelled ``API_ENDPOINT`` or ``API-ENDPOINT`` (the course's secrets
used hyphens). A malformed value raises ``ConfigurationError`` naming the key; an
absent secrets file is simply an empty source. ``repr(settings)`` masks the key.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from babel.core import Locale
from babel.numbers import get_currency_name
from dotenv import dotenv_values

from client.errors import ConfigurationError
from client.log_format import LOG_PREFIX

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOTENV = PROJECT_ROOT / ".env"
# Where the embedded local API writes its request log by default (git-ignored).
DEFAULT_LOCAL_LOG_DIR = PROJECT_ROOT / ".request-log"
# The shops' clock: history times, log charts and the simulator's opening hours use it.
STORE_TZ = ZoneInfo("America/Sao_Paulo")
DEFAULT_TIMEOUT_S = 32.0  # just above API Gateway's 29 s integration cap
DEFAULT_CURRENCY = "BRL"


@dataclass(frozen=True)
class Settings:
    api_endpoint: str | None = None
    api_key: str | None = field(default=None, repr=False)
    api_timeout_s: float = DEFAULT_TIMEOUT_S
    price_currency: str = DEFAULT_CURRENCY
    request_log_uri: str | None = None
    s3_endpoint_url: str | None = None
    local_log_dir: str = str(DEFAULT_LOCAL_LOG_DIR)

    @property
    def uses_local_api(self) -> bool:
        """No endpoint configured: the embedded local API answers."""
        return self.api_endpoint is None

    @property
    def log_uri(self) -> str:
        """Where the monitoring page reads the request log: configured, or the local API's folder."""
        return self.request_log_uri or str(Path(self.local_log_dir) / LOG_PREFIX)

    @property
    def masked_key(self) -> str:
        return mask_secret(self.api_key)

    def __repr__(self) -> str:
        return (
            f"Settings(api_endpoint={self.api_endpoint!r}, api_key={self.masked_key!r}, "
            f"api_timeout_s={self.api_timeout_s!r}, price_currency={self.price_currency!r}, "
            f"request_log_uri={self.request_log_uri!r}, s3_endpoint_url={self.s3_endpoint_url!r}, "
            f"local_log_dir={self.local_log_dir!r})"
        )


def mask_secret(secret: str | None) -> str:
    """Show that a secret is set without showing it: never more than its last 2 characters."""
    if not secret:
        return "(não definida)"
    return "****" + (secret[-2:] if len(secret) >= 12 else "")


def load_settings(
    secrets: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    dotenv_path: str | Path | None = DEFAULT_DOTENV,
) -> Settings:
    """Read every key from secrets, then environ, then the ``.env`` file; validate each."""
    sources = [
        _safe_dict(secrets),
        dict(os.environ if environ is None else environ),
        _read_dotenv(dotenv_path),
    ]

    def get(key: str) -> str | None:
        for source in sources:
            for spelling in (key, key.replace("_", "-")):
                value = source.get(spelling)
                if value is not None and str(value).strip():
                    return str(value).strip()
        return None

    endpoint = get("API_ENDPOINT")
    if endpoint is not None:
        parsed = urlparse(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ConfigurationError("API_ENDPOINT", "use o endereço completo, começando com https://")
    s3_endpoint = get("S3_ENDPOINT_URL")
    if s3_endpoint is not None and urlparse(s3_endpoint).scheme not in ("http", "https"):
        raise ConfigurationError("S3_ENDPOINT_URL", "use o endereço completo, com http(s)://")
    return Settings(
        api_endpoint=endpoint,
        api_key=get("API_KEY"),
        api_timeout_s=_parse_timeout(get("API_TIMEOUT_S")),
        price_currency=_parse_currency(get("PRICE_CURRENCY")),
        request_log_uri=get("REQUEST_LOG_URI"),
        s3_endpoint_url=s3_endpoint,
        local_log_dir=get("LOCAL_LOG_DIR") or str(DEFAULT_LOCAL_LOG_DIR),
    )


def _safe_dict(secrets: Mapping[str, Any] | None) -> dict[str, Any]:
    """Streamlit's secrets raise on access when no secrets file exists: that means 'empty'."""
    if secrets is None:
        return {}
    try:
        return {str(k): v for k, v in secrets.items() if not isinstance(v, Mapping)}
    except Exception:  # noqa: BLE001 - any failure to read secrets means there are none
        return {}


def _read_dotenv(path: str | Path | None) -> dict[str, str]:
    if path is None or not Path(path).is_file():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def _parse_timeout(raw: str | None) -> float:
    if raw is None:
        return DEFAULT_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError("API_TIMEOUT_S", f"“{raw}” não é um número de segundos") from None
    if not math.isfinite(value) or value <= 0:
        raise ConfigurationError("API_TIMEOUT_S", "deve ser um número de segundos maior que zero")
    return value


def _parse_currency(raw: str | None) -> str:
    if raw is None:
        return DEFAULT_CURRENCY
    code = raw.upper()
    if len(code) != 3 or get_currency_name(code, locale=Locale("en")) == code:
        raise ConfigurationError("PRICE_CURRENCY", f"“{raw}” não é um código de moeda ISO 4217")
    return code
