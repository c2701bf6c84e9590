"""Monitoramento: volume, prices, model versions, drift and data quality from the API's request log."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from client import drift, log_summary
from client.errors import ConfigurationError
from client.laptop import FIELD_BY_NAME, FIELDS
from client.money import format_count, format_price
from client.request_log import RequestLogError
from ui.backend import current_settings, show_setup_error
from ui.log_source import load_window, refresh, training_document

BAND_COLOURS = {"estável": "#d8f3dc", "moderada": "#ffe8a3", "forte": "#f8c4c4"}

st.set_page_config(layout="wide")
st.title("Monitoramento da API de preços")

try:
    settings = current_settings()
except ConfigurationError as exc:
    show_setup_error(exc)
    st.stop()

uri = settings.log_uri
if settings.request_log_uri:
    st.caption(f"Log de requisições: `{uri}` · horários em America/Sao_Paulo · preços em {settings.price_currency}")
else:
    st.caption(
        "Log da **API local de demonstração** (configure REQUEST_LOG_URI para ler o log do S3) · "
        "horários em America/Sao_Paulo"
    )

default_start, default_end = log_summary.default_window()
controls = st.columns([2, 3, 1], vertical_alignment="bottom")
window = controls[0].date_input(
    "Período", value=(default_start, default_end), format="DD/MM/YYYY", key="monitor.window"
)
if controls[2].button("Atualizar", icon=":material/refresh:", width="stretch"):
    refresh()
if not isinstance(window, tuple) or len(window) != 2:
    st.info("Escolha a data final do período.", icon=":material/date_range:")
    st.stop()
start, end = window

try:
    log = load_window(uri, *log_summary.utc_days(start, end), settings.s3_endpoint_url)
except RequestLogError as exc:
    st.error(f"**{exc.user_message}** {exc.next_step}", icon=":material/cloud_off:")
    with st.expander("Detalhes técnicos"):
        st.text(exc.detail or "—")
    st.stop()

frame = log_summary.in_store_window(log.frame, start, end)
versions = sorted(frame["model_version"].astype(object).unique())
chosen = controls[1].multiselect("Versões do modelo", versions, default=versions, placeholder="Todas")
if chosen:
    frame = frame[frame["model_version"].astype(object).isin(chosen)]

if not log.files:
    st.info(
        "Nenhum arquivo de log neste período. Amplie o período"
        + (
            "."
            if settings.request_log_uri
            else ", ou gere dados de demonstração: `python -m local_api.simulate --days 30 --per-day 200`."
        ),
        icon=":material/inbox:",
    )
    st.stop()

currency = settings.price_currency
indicators = log_summary.kpis(frame, len(log.rejected))
cards = st.columns(5)
cards[0].metric("Requisições", format_count(indicators.requests), border=True)
cards[1].metric("Dias com dados", indicators.days_with_data, border=True)
cards[2].metric(
    "Preço mediano",
    format_price(indicators.median_price, currency, cents=False) if indicators.median_price is not None else "—",
    border=True,
)
cards[3].metric("Versões do modelo", indicators.versions, border=True)
cards[4].metric(
    "Rejeitadas",
    indicators.rejected,
    border=True,
    help="Linhas do log que não puderam ser lidas (veja a aba Qualidade dos dados).",
)

volume_tab, drift_tab, quality_tab, rows_tab = st.tabs(
    ["Volume e preços", "Deriva", "Qualidade dos dados", "Registros"]
)

with volume_tab:
    counts, unit = log_summary.volume(frame, start, end)
    figure = px.bar(
        counts, x="período", y="requisições", color="versão", title=f"Requisições por {unit} e versão do modelo"
    )
    figure.update_layout(legend_title_text="Versão", xaxis_title=None, bargap=0.1)
    st.plotly_chart(figure, key="volume")
    left, right = st.columns(2)
    histogram = log_summary.price_histogram(frame)
    left.plotly_chart(
        px.bar(
            histogram, x="centro", y="requisições", title=f"Distribuição do preço previsto ({currency})"
        ).update_layout(xaxis_title=f"preço ({currency})", bargap=0),
        key="prices",
    )
    medians = log_summary.median_price_by_day(frame)
    right.plotly_chart(
        px.line(
            medians, x="dia", y="mediana", markers=True, hover_data=["n"], title="Preço mediano por dia"
        ).update_layout(yaxis_title=f"mediana ({currency})", xaxis_title=None),
        key="median",
    )

document = training_document()
profile = document["profile"]
price_scale = drift.price_scale(currency, document)

with drift_tab:
    st.markdown(
        f"Comparação de **{len(frame)}** requisições do período com os **{profile['rows']}** notebooks do "
        "treinamento. Categorias: distância de Jensen-Shannon; números e preço: distância de Wasserstein. "
        "PSI: abaixo de 0,1 estável; de 0,1 a 0,25 moderada; acima de 0,25 forte. "
        f"**Sem veredito abaixo de {drift.MIN_SAMPLE} requisições**: com amostras pequenas o PSI passa "
        "de 0,1 mesmo sem deriva nenhuma."
    )
    table = drift.drift_table(frame, profile, price_scale=price_scale)
    shown = table.rename(
        columns={"label": "campo", "test": "teste", "statistic": "estatística", "psi": "PSI", "verdict": "veredito"}
    ).drop(columns=["field"])
    st.dataframe(
        shown.style.map(lambda v: f"background-color: {BAND_COLOURS.get(v, '')}", subset=["veredito"]).format(
            {"estatística": "{:.3f}", "PSI": "{:.3f}"}
        ),
        hide_index=True,
    )
    name = st.selectbox(
        "Campo", [f.name for f in FIELDS], format_func=lambda n: FIELD_BY_NAME[n].label, key="monitor.field"
    )
    field = FIELD_BY_NAME[name]
    shares = drift.field_shares(frame[name], profile, name)
    chart = go.Figure(
        [
            go.Bar(name="Treinamento", x=shares["rótulo"], y=shares["treinamento"]),
            go.Bar(name="Produção (período)", x=shares["rótulo"], y=shares["produção"]),
        ]
    )
    chart.update_layout(barmode="group", yaxis_tickformat=".0%", title=f"{field.label}: produção × treinamento")
    st.plotly_chart(chart, key="shares")
    if field.numeric:
        st.caption("Valores fora da faixa do treinamento são contados na primeira ou na última barra.")

with quality_tab:
    st.markdown("**Valores que a API não reconhece ou que o modelo nunca viu**")
    quality = drift.quality_table(frame, profile, price_scale=price_scale)
    st.dataframe(quality, hide_index=True, column_config={"parcela": st.column_config.NumberColumn(format="percent")})
    st.markdown("**Arquivos lidos**")
    st.dataframe(
        drift.rejects_per_file(log.files, log.frame, [r.source for r in log.rejected]),
        hide_index=True,
        column_config={"dia": st.column_config.DateColumn(format="DD/MM/YYYY")},
    )
    if log.rejected:
        st.markdown(f"**Linhas rejeitadas** ({len(log.rejected)})")
        rejected = log.rejected_frame
        st.dataframe(rejected.head(500), hide_index=True)
        st.download_button(
            "Baixar linhas rejeitadas (CSV)",
            lambda: rejected.to_csv(index=False),
            file_name="linhas-rejeitadas.csv",
            mime="text/csv",
        )

with rows_tab:
    rows = log_summary.display_rows(frame)
    st.caption(f"{len(rows)} requisições; a tabela mostra as 1.000 mais recentes, o arquivo traz todas.")
    st.dataframe(rows.head(1000), hide_index=True)
    st.download_button(
        "Baixar registros (CSV)", lambda: rows.to_csv(index=False), file_name="registros.csv", mime="text/csv"
    )
