"""Estimar preço: the clerk describes the customer's laptop and gets a purchase price."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from client.errors import InvalidLaptopError, PricingError
from client.history import QuoteRecord, excel_csv, history_frame
from client.laptop import LaptopSpec
from client.money import format_price
from ui import laptop_form
from ui.backend import require_backend
from ui.messages import escape_markdown_money, show_error, show_invalid
from ui.status import remember_model_version

HISTORY_KEY = "quote_history"
RESULT_KEY = "last_result"
LOCAL_TZ = ZoneInfo("America/Sao_Paulo")

st.set_page_config(layout="centered")
backend = require_backend()

st.title("Estimar preço do notebook usado")
st.caption("Preencha as características do notebook do cliente e clique em **Estimar preço**.")

laptop_form.render()

if st.button("Estimar preço", type="primary", width="stretch"):
    form = laptop_form.values()
    try:
        spec = LaptopSpec.from_mapping(form)
        with st.spinner("Consultando a API de preços…"):
            quote = backend.client.predict(spec)
    except PricingError as exc:
        st.session_state[RESULT_KEY] = (form, exc)
    else:
        remember_model_version(quote.model_version)
        st.session_state[RESULT_KEY] = (form, (spec, quote))
        st.session_state.setdefault(HISTORY_KEY, []).append(
            QuoteRecord(
                time=datetime.now(LOCAL_TZ).replace(microsecond=0, tzinfo=None),
                summary=spec.summary(),
                price=quote.price,
                formatted_price=format_price(quote.price, backend.currency),
                model_version=quote.model_version,
            )
        )

result = st.session_state.get(RESULT_KEY)
if result is not None:
    form, outcome = result
    if form != laptop_form.values():
        st.info(
            "Os dados do notebook mudaram. Clique em **Estimar preço** para atualizar o valor.", icon=":material/sync:"
        )
    elif isinstance(outcome, InvalidLaptopError):
        show_invalid(outcome)
    elif isinstance(outcome, PricingError):
        show_error(outcome)
    else:
        spec, quote = outcome
        with st.container(border=True):
            st.metric("Preço estimado", format_price(quote.price, backend.currency))
            st.markdown(
                "Este é o valor estimado de compra deste notebook usado, para ser abatido na compra de um novo."
            )
            if quote.low is not None and quote.high is not None:
                band = f"{format_price(quote.low, backend.currency)} a {format_price(quote.high, backend.currency)}"
                st.markdown(
                    escape_markdown_money(
                        f"Faixa indicativa: **{band}** (em 8 de cada 10 notebooks do treinamento "
                        "o preço real ficou nesta faixa)."
                    )
                )
            st.caption(f"Modelo {quote.model_version} · respondeu em {quote.elapsed_s:.2f} s · {spec.summary()}")
        for warning in spec.warnings:
            st.warning(warning, icon=":material/warning:")

history = st.session_state.get(HISTORY_KEY, [])
if history:
    st.subheader("Estimativas desta sessão")
    frame = history_frame(history)
    st.dataframe(
        frame.drop(columns=["Preço estimado"]),
        hide_index=True,
        column_config={"Horário": st.column_config.DatetimeColumn(format="HH:mm:ss")},
    )
    left, right = st.columns(2)
    left.download_button(
        "Baixar histórico (CSV)",
        data=excel_csv(frame),
        file_name="estimativas.csv",
        mime="text/csv",
        width="stretch",
    )
    right.button("Limpar histórico", width="stretch", on_click=st.session_state[HISTORY_KEY].clear)
