"""The monitoring page in Chromium over a local log folder written by the simulator."""

from __future__ import annotations

import pytest

from local_api.simulate import main as simulate
from tests.browser import browser_page, chromium_path, streamlit_server

pytestmark = pytest.mark.browser


def test_engineer_reads_the_dashboard(tmp_path):
    chromium_path()
    simulate(["--days", "7", "--per-day", "120", "--log-dir", str(tmp_path / "app-log")])
    with streamlit_server(tmp_path, {}) as url, browser_page() as page:
        page.goto(f"{url}/monitoring")
        page.get_by_text("Monitoramento da API de preços").wait_for()
        page.get_by_test_id("stMetric").filter(has_text="Requisições").wait_for()
        page.locator(".js-plotly-plot").first.wait_for()
        assert page.locator(".js-plotly-plot").count() >= 3
        page.screenshot(path=str(tmp_path / "monitoring.png"), full_page=True)
        page.get_by_role("tab", name="Deriva").click()
        page.get_by_text("Sem veredito abaixo de 200").wait_for()
        page.screenshot(path=str(tmp_path / "monitoring-drift.png"), full_page=True)
        page.get_by_role("tab", name="Registros").click()
        with page.expect_download() as download:
            page.get_by_role("button", name="Baixar registros (CSV)").click()
        saved = tmp_path / "registros.csv"
        download.value.save_as(saved)
        lines = saved.read_text().splitlines()
        assert lines[0].startswith("brand,processor_brand") and len(lines) > 100
