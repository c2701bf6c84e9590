"""A clerk in a real browser: Chromium + Playwright against ``streamlit run`` on loopback."""

from __future__ import annotations

import pytest

from tests.browser import browser_page, choose, chromium_path, streamlit_server
from tests.conftest import SECRET_KEY, gateway_error

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _needs_chromium():
    chromium_path()


def test_clerk_prices_a_laptop_in_demo_mode(tmp_path):
    with streamlit_server(tmp_path, {}) as url, browser_page() as page:
        page.goto(url)
        page.get_by_text("API local de demonstração").wait_for()
        choose(page, "Marca", "HP")
        choose(page, "Memória RAM (GB)", "8 GB")
        choose(page, "SSD (GB)", "512 GB")
        page.get_by_role("button", name="Estimar preço").click()
        metric = page.get_by_test_id("stMetricValue")
        metric.wait_for()
        assert metric.inner_text().startswith("R$")
        page.get_by_text("HP · Intel Core i5 · 8 GB RAM · SSD 512 GB").first.wait_for()
        page.screenshot(path=str(tmp_path / "estimate-price.png"), full_page=True)
        assert "katex" not in page.content()  # the range's R$ never became LaTeX


def test_wrong_key_shows_the_key_message_and_never_the_key(tmp_path, gateway):
    gateway.reply_with(gateway_error(403, "Forbidden", "ForbiddenException"))
    env = {"API_ENDPOINT": gateway.url, "API_KEY": SECRET_KEY}
    with streamlit_server(tmp_path, env) as url, browser_page() as page:
        page.goto(url)
        page.get_by_role("button", name="Estimar preço").click()
        page.get_by_text("A API recusou a chave de acesso").wait_for()
        page.get_by_text("Detalhes para o suporte").click()
        page.get_by_text("req-0123456789").wait_for()
        page.screenshot(path=str(tmp_path / "estimate-403.png"), full_page=True)
        assert "API_KEY" in page.content()
        assert SECRET_KEY not in page.content()
    assert gateway.requests and gateway.requests[0].headers["x-api-key"] == SECRET_KEY
