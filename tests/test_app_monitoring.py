"""The monitoring page under AppTest: the demo log, the real sample days, filters and S3 errors."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from local_api.simulate import main as simulate
from tests.apptest import metrics, open_app
from tests.browser import free_port

pytestmark = pytest.mark.usefixtures("isolated_app")
PAGE = "app_pages/monitoring.py"


def monitoring(**secrets) -> AppTest:
    return open_app(PAGE, **secrets)


def test_demo_log_shows_a_living_dashboard(tmp_path):
    simulate(["--days", "10", "--per-day", "80", "--log-dir", str(tmp_path / "log")])
    at = monitoring()
    assert not at.exception
    shown = metrics(at)
    assert int(shown["Requisições"].replace(".", "")) > 100
    assert shown["Preço mediano"].startswith("R$") and shown["Versões do modelo"] == "1"
    assert "API local de demonstração" in at.caption[0].value
    drift_table = at.dataframe[0].value
    assert len(drift_table) == 14 and "veredito" in drift_table.columns
    assert any("Sem veredito abaixo de 200" in m.value for m in at.markdown)


def test_real_sample_days_with_filters(shared_data):
    at = monitoring(REQUEST_LOG_URI=str(shared_data / "request-log-sample"), PRICE_CURRENCY="INR")
    at.date_input(key="monitor.window").set_value((date(2024, 1, 15), date(2024, 1, 18))).run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Requisições"] == "6.466" and shown["Versões do modelo"] == "3"
    assert shown["Dias com dados"] == "4" and shown["Rejeitadas"] == "0"
    assert shown["Preço mediano"].startswith("₹")
    quality = at.dataframe[1].value.set_index("campo")
    assert quality.loc["Marca", "fora"] == 11
    at.multiselect[0].set_value(["1.0.12"]).run()
    assert metrics(at)["Requisições"] == "130"
    assert all("sem veredito" in v for v in at.dataframe[0].value["veredito"])  # 130 < 200


def test_empty_window_explains_what_to_do(tmp_path):
    (tmp_path / "log" / "laptop-prediction-real-data").mkdir(parents=True)
    at = monitoring()
    assert not at.exception
    assert "Nenhum arquivo de log" in at.info[0].value and "simulate" in at.info[0].value


def test_missing_folder_is_explained():
    at = monitoring()
    assert "A pasta do log não existe" in at.error[0].value


def test_unreachable_s3_says_what_to_configure(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    at = monitoring(
        REQUEST_LOG_URI="s3://fiap-ds-mlops/laptop-prediction-real-data",
        S3_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}",
    )
    assert not at.exception
    assert "Não foi possível conectar ao S3" in at.error[0].value
    assert "S3_ENDPOINT_URL" in at.error[0].value
