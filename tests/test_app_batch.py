"""The Lote page under AppTest: template, upload, preview, pricing, summary, stops and limits."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from client.batch_file import template_csv
from tests.apptest import click, metrics, open_app
from tests.conftest import SECRET_KEY, Reply, gateway_error
from tests.test_batch import MESSY

pytestmark = pytest.mark.usefixtures("isolated_app")


def batch_page(**secrets) -> AppTest:
    return open_app("app_pages/batch.py", **secrets)


def upload(at: AppTest, data: bytes) -> AppTest:
    return at.file_uploader(key="batch.upload").set_value(("clientes.csv", data, "text/csv")).run()


def test_template_is_offered_and_prices_in_demo_mode():
    at = batch_page()
    assert not at.exception
    at = upload(at, template_csv())
    assert "1 notebooks lidos" in at.caption[0].value
    at = click(at, "Precificar 1")
    assert not at.exception
    shown = metrics(at)
    assert shown["Precificadas"] == "1" and shown["Total estimado"].startswith("R$")


def test_messy_file_preview_then_results(gateway):
    gateway.reply_with(Reply(200, {"prediction": 2321, "version": "5"}))
    at = upload(batch_page(API_ENDPOINT=gateway.url, API_KEY=SECRET_KEY), MESSY.encode("cp1252"))
    assert "Windows-1252" in at.caption[0].value and "ponto e vírgula" in at.caption[0].value
    assert "1 linha(s) com problemas" in at.warning[0].value
    preview = at.dataframe[0].value
    assert list(preview["validação"])[2].startswith("Marca:") and list(preview["validação"]).count("ok") == 4
    assert not gateway.requests  # nothing sent before the clerk says so
    at = click(at, "Precificar 4")
    shown = metrics(at)
    assert (shown["Linhas"], shown["Precificadas"], shown["Inválidas"], shown["Não enviadas"]) == ("5", "4", "1", "0")
    assert shown["Total estimado"] == "R$\xa09.284,00" and shown["Preço mediano"] == "R$\xa02.321,00"
    assert len(gateway.requests) == 4
    results = at.dataframe[0].value
    assert list(results["situação"]) == ["precificado", "precificado", "inválido", "precificado", "precificado"]
    assert results["Patrimônio"].iloc[0] == "PAT-001"


def test_wrong_key_stops_the_batch_and_says_why(gateway):
    gateway.responder = lambda n, r: gateway_error(403, "Forbidden") if n >= 1 else Reply(200, {"prediction": 1})
    header, line = template_csv().decode("utf-8-sig").splitlines()
    at = upload(batch_page(API_ENDPOINT=gateway.url, API_KEY=SECRET_KEY), "\n".join([header, *[line] * 40]).encode())
    at = click(at, "Precificar 40")
    shown = metrics(at)
    assert shown["Precificadas"] == "1" and int(shown["Não enviadas"]) >= 30
    assert any("O lote parou" in e.value and "API_KEY" in e.value for e in at.error)
    assert SECRET_KEY not in str([e.value for e in at.error])


def test_whole_file_problem_is_explained():
    at = upload(batch_page(), b"marca;ram\nDell;8\n")
    assert "Faltam colunas" in at.error[0].value and "modelo de planilha" in at.error[0].value
