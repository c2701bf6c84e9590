"""Lote: price a customer's whole spreadsheet of used laptops at once."""

from __future__ import annotations

import streamlit as st

from client.batch import RowResult, price_many
from client.batch_file import (
    MAX_ROWS,
    BatchFileError,
    preview_frame,
    read_batch_file,
    results_frame,
    summarise,
    template_csv,
)
from client.excel import excel_csv
from client.money import format_count, format_price
from ui.backend import require_backend
from ui.status import remember_model_version

RESULTS_KEY = "batch.results"

st.set_page_config(layout="wide")
backend = require_backend()

st.title("Avaliação em lote")
st.markdown(
    "Envie a planilha do cliente em CSV, com **um notebook por linha** e as 13 características em colunas. "
    "Os nomes das colunas podem ser os do modelo abaixo; acentos e maiúsculas não importam, e colunas a mais "
    "são mantidas no resultado."
)
st.download_button(
    "Baixar modelo de planilha (CSV)",
    template_csv(),
    file_name="modelo-avaliacao-lote.csv",
    mime="text/csv",
    icon=":material/download:",
)
upload = st.file_uploader(
    f"Planilha CSV (até 5 MB e {format_count(MAX_ROWS)} notebooks; UTF-8 ou Latin-1; vírgula ou ponto e vírgula)",
    type=["csv", "txt"],
    key="batch.upload",
    max_upload_size=5,
)
if upload is None:
    st.stop()

try:
    batch = read_batch_file(upload.getvalue())
except BatchFileError as exc:
    st.error(f"**{exc.user_message}** {exc.next_step}", icon=":material/error:")
    st.stop()

preview, valid = preview_frame(batch)
invalid = len(preview) - valid
separator = {";": "ponto e vírgula", ",": "vírgula", "\t": "tabulação"}[batch.delimiter]
st.caption(f"{len(preview)} notebooks lidos · codificação {batch.encoding} · separador: {separator}")
if invalid:
    st.warning(
        f"{invalid} linha(s) com problemas não serão enviadas; as demais podem ser precificadas. "
        "Veja a coluna **validação**.",
        icon=":material/warning:",
    )

stored = st.session_state.get(RESULTS_KEY)
if stored is None or stored["file"] != upload.file_id:
    st.subheader("Conferência antes do envio")
    st.dataframe(preview, hide_index=True)
    if valid and st.button(f"Precificar {valid} notebook(s)", type="primary", icon=":material/sell:"):
        stored = {"file": upload.file_id, "results": {}, "complete": False}
        st.session_state[RESULTS_KEY] = stored
        bar = st.progress(0.0, text="Enviando para a API de preços…")
        st.caption("Para interromper, clique em qualquer botão da página: o que já foi precificado é mantido.")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"{done} de {total} notebooks processados…")

        price_many(
            backend.client,
            batch.rows(),
            on_progress=progress,
            on_result=lambda result: stored["results"].__setitem__(result.index, result),
        )
        stored["complete"] = True
        bar.empty()
        st.rerun()
    st.stop()

results = [stored["results"].get(i) or RowResult(i, "not_sent") for i in range(len(preview))]
if not stored["complete"]:
    st.warning(
        f"O processamento foi interrompido: {len(stored['results'])} de {len(results)} linhas concluídas. "
        "As demais estão como “não enviado”.",
        icon=":material/pause_circle:",
    )
summary = summarise(results)
versions = {r.quote.model_version for r in results if r.quote}
if versions:
    remember_model_version(sorted(versions)[-1])
counts = st.columns(5)
counts[0].metric("Linhas", summary.rows, border=True)
counts[1].metric("Precificadas", summary.priced, border=True)
counts[2].metric("Inválidas", summary.invalid, border=True)
counts[3].metric("Falharam", summary.failed, border=True)
counts[4].metric("Não enviadas", summary.not_sent, border=True)
money = st.columns(2)
money[0].metric("Total estimado", format_price(summary.total_price, backend.currency), border=True)
money[1].metric(
    "Preço mediano",
    format_price(summary.median_price, backend.currency) if summary.median_price is not None else "—",
    border=True,
)
stop = next((r.error for r in results if r.status == "not_sent" and r.error), None)
if stop is not None:
    st.error(f"**O lote parou: {stop.user_message}** {stop.next_step}", icon=":material/block:")

frame = results_frame(batch, results, backend.currency)
st.dataframe(frame.drop(columns=["preço (número)"]), hide_index=True)
left, right = st.columns(2)
left.download_button(
    "Baixar resultado (CSV)",
    excel_csv(frame),
    file_name="avaliacao-lote-resultado.csv",
    mime="text/csv",
    type="primary",
    icon=":material/download:",
    width="stretch",
)
if right.button("Avaliar outra planilha ou repetir", width="stretch", icon=":material/restart_alt:"):
    del st.session_state[RESULTS_KEY]
    st.rerun()
