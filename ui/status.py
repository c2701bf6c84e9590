"""The sidebar's status panel: which API answers, the last model version, a connection check."""

from __future__ import annotations

import streamlit as st

from client.errors import ConfigurationError, PricingError
from ui.backend import Backend, current_settings, get_backend

MODEL_VERSION_KEY = "last_model_version"


def remember_model_version(version: str) -> None:
    st.session_state[MODEL_VERSION_KEY] = version


def sidebar_status() -> None:
    with st.sidebar:
        st.markdown("### Status da API")
        try:
            backend = get_backend(current_settings())
        except ConfigurationError as exc:
            st.warning(exc.user_message, icon=":material/settings:")
            return
        _describe(backend)
        if st.button("Verificar conexão", key="check_connection", width="stretch"):
            try:
                with st.spinner("Consultando a API…"):
                    quote = backend.client.check()
            except PricingError as exc:
                st.error(f"{exc.user_message} {exc.next_step}", icon=":material/block:")
            else:
                remember_model_version(quote.model_version)
                st.success(f"API respondendo em {quote.elapsed_s * 1000:.0f} ms.", icon=":material/check_circle:")


def _describe(backend: Backend) -> None:
    if backend.is_local:
        st.markdown(f"**{backend.label}**")
        st.caption("Nenhum API_ENDPOINT configurado: um modelo de referência roda neste servidor.")
    else:
        st.markdown(f"**API:** `{backend.label}`")
    version = st.session_state.get(MODEL_VERSION_KEY)
    st.caption(f"Versão do modelo: {version}" if version else "Versão do modelo: aparece após a primeira estimativa.")
