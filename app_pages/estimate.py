"""Estimar preço: the clerk describes the customer's laptop and gets a purchase price.

The form sits on the left; the button and the answer on the right, so the price
appears right under the button the clerk pressed. On a narrow screen the columns
stack and the button follows the form.
"""

from __future__ import annotations

import streamlit as st

from client.errors import InvalidLaptopError, PricingError
from client.excel import excel_csv
from client.history import QuoteRecord, history_frame
from client.laptop import LaptopSpec
from client.money import format_price
from ui import laptop_form
from ui.backend import require_backend
from ui.messages import escape_markdown_money, show_error, show_invalid
from ui.status import remember_model_version

HISTORY_KEY = "quote_history"
RESULT_KEY = "last_result"

st.set_page_config(layout="wide")
backend = require_backend()

st.title("Estimar preço do notebook usado")
st.caption("Preencha as características do notebook do cliente e clique em **Estimar preço**.")
form_column, result_column = st.columns([3, 2], gap="large")

with form_column:
    laptop_form.render()
with result_column:
    submitted = st.button("Estimar preço", type="primary", width="stretch")

if submitted:
    form = laptop_form.values()
    try:
        spec = LaptopSpec.from_mapping(form)
        with result_column, st.spinner("Consultando a API de preços…"):
            quote = backend.client.predict(spec)
    except PricingError as exc:
        st.session_state[RESULT_KEY] = (form, exc)
    else:
        remember_model_version(quote.model_version)
        st.session_state[RESULT_KEY] = (form, (spec, quote))
        st.session_state.setdefault(HISTORY_KEY, []).append(QuoteRecord.of(spec, quote, backend.currency))

with result_column:
    result = st.session_state.get(RESULT_KEY)
    if result is None:
        st.info("O preço estimado aparece aqui.", icon=":material/sell:")
    else:
        form, outcome = result
        if form != laptop_form.values():
            st.info(
                "Os dados do notebook mudaram. Clique em **Estimar preço** para atualizar o valor.",
                icon=":material/sync:",
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
                    low, high = (format_price(v, backend.currency) for v in (quote.low, quote.high))
                    st.markdown(
                        escape_markdown_money(
                            f"Faixa indicativa: **{low} a {high}** (em 8 de cada 10 notebooks do treinamento "
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
        "Baixar histórico (CSV)", data=excel_csv(frame), file_name="estimativas.csv", mime="text/csv", width="stretch"
    )
    right.button("Limpar histórico", width="stretch", on_click=st.session_state[HISTORY_KEY].clear)
