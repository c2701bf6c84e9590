"""AppTest helpers shared by the page tests: open the app (or one of its pages) with given secrets."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "streamlit_app.py")


def open_app(page: str | None = None, state: dict | None = None, **secrets: str) -> AppTest:
    """Run the router with these secrets and session state, then switch to ``page`` if given.

    State is set before the first run, because AppTest serialises widget values against
    the options of the previous run (a typed new option would not be found there).
    """
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in secrets.items():
        at.secrets[name] = value
    for name, value in (state or {}).items():
        at.session_state[name] = value
    at.run()
    return at.switch_page(page).run() if page else at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def click(at: AppTest, prefix: str) -> AppTest:
    """Click the first button whose label starts with ``prefix``."""
    return next(b for b in at.button if b.label.startswith(prefix)).click().run()
