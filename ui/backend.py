"""Which pricing API answers, and the one cached client that talks to it.

With ``API_ENDPOINT`` configured the app talks to it and never starts the local
API. Without it, the embedded local API is started once per process on a free
loopback port with a random key and logs to the local log folder; the app then
goes through the same ``PricingClient`` over HTTP, exactly as in production.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from urllib.parse import urlparse

import streamlit as st

from client.api import PricingClient
from client.errors import ConfigurationError
from client.settings import Settings, load_settings
from local_api.server import RunningServer, start_server

LOCAL_LABEL = "API local de demonstração"


@dataclass(frozen=True)
class Backend:
    client: PricingClient
    label: str
    is_local: bool
    currency: str


def current_settings() -> Settings:
    """Settings from secrets, environment and the project's .env; raises ConfigurationError."""
    return load_settings(st.secrets, os.environ)


@st.cache_resource(show_spinner="Iniciando a API local de demonstração…")
def _local_api(log_dir: str) -> RunningServer:
    return start_server(api_key=secrets.token_urlsafe(24), log_dir=log_dir)


@st.cache_resource(show_spinner=False)
def _client(endpoint: str, api_key: str | None, timeout: float) -> PricingClient:
    return PricingClient(endpoint, api_key, timeout=timeout)


def get_backend(settings: Settings) -> Backend:
    if settings.uses_local_api:
        server = _local_api(settings.local_log_dir)
        client = _client(server.predict_url, server.server.api_key, 10.0)
        return Backend(client, LOCAL_LABEL, True, "BRL")
    client = _client(settings.api_endpoint, settings.api_key, settings.api_timeout_s)
    return Backend(client, urlparse(settings.api_endpoint).hostname or "", False, settings.price_currency)


def require_backend() -> Backend:
    """The backend for this page, or a setup message and a stop when settings are wrong."""
    try:
        return get_backend(current_settings())
    except ConfigurationError as exc:
        show_setup_error(exc)
        st.stop()
        raise  # st.stop() raises; this keeps type checkers honest


def show_setup_error(exc: ConfigurationError) -> None:
    st.error(f"**Configuração incompleta.** {exc.user_message}", icon=":material/settings:")
    st.markdown(exc.next_step)
    st.markdown("Exemplo do que colocar nos segredos (*Secrets*):")
    st.code(
        'API_ENDPOINT = "https://<id>.execute-api.<região>.amazonaws.com/prod/predict"\n'
        'API_KEY = "<chave do API Gateway>"\n'
        "# Sem API_ENDPOINT, o app usa a API local de demonstração.",
        language="toml",
    )
