"""A clerk uploads a customer's spreadsheet in Chromium, watches it finish and downloads the results."""

from __future__ import annotations

import pytest

from client.batch_file import template_csv
from tests.browser import browser_page, chromium_path, streamlit_server

pytestmark = pytest.mark.browser


def test_upload_price_and_download(tmp_path):
    chromium_path()
    header, line = template_csv().decode("utf-8-sig").splitlines()
    sheet = tmp_path / "clientes.csv"
    sheet.write_bytes("\n".join([header, *[line] * 60, line.replace("Dell", "Marca X")]).encode("cp1252"))
    with streamlit_server(tmp_path, {}) as url, browser_page() as page:
        page.goto(f"{url}/batch")
        page.get_by_text("Avaliação em lote").first.wait_for()
        page.locator("input[type=file]").set_input_files(str(sheet))
        page.get_by_role("button", name="Precificar 60 notebook(s)").click()
        page.get_by_test_id("stMetric").filter(has_text="Precificadas").get_by_text("60").wait_for()
        page.screenshot(path=str(tmp_path / "batch.png"), full_page=True)
        with page.expect_download() as download:
            page.get_by_role("button", name="Baixar resultado (CSV)").click()
        saved = tmp_path / "resultado.csv"
        download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 62 and "situação" in lines[0]
    assert sum("precificado" in row for row in lines[1:]) == 60
    assert "inválido" in lines[-1] and "Marca" in lines[-1]
