"""Entry point: page config, navigation and the sidebar status. Pages draw themselves.

Pages live in ``app_pages/``, not ``pages/``: Streamlit treats a ``pages/`` folder
beside the entry file as legacy auto-discovered pages, and then (AppTest in
Streamlit 1.67) reruns a page file directly, skipping this router and its sidebar.
"""

from __future__ import annotations

import streamlit as st

from ui.status import sidebar_status

# Each page sets its own layout: a narrow form for the counter, a wide dashboard for engineers.
st.set_page_config(page_title="Avaliação de notebooks usados", page_icon=":material/laptop:")

page = st.navigation(
    [
        st.Page("app_pages/estimate.py", title="Estimar preço", icon=":material/sell:", default=True),
        st.Page("app_pages/batch.py", title="Lote", icon=":material/table_view:"),
        st.Page("app_pages/monitoring.py", title="Monitoramento", icon=":material/monitoring:"),
    ]
)
page.run()
sidebar_status()  # after the page, so it shows the model version of the answer just received
