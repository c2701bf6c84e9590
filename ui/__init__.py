"""Streamlit pieces shared by the pages: the backend, the laptop form, messages, the status panel."""
