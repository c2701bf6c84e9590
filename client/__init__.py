"""Pure-Python core of the app: the contract, the API client, settings, the log, statistics.

Nothing in this package imports Streamlit, so all of it is unit-tested alone.
"""
