"""Loading the request log for the monitoring page, with caches that match how the log changes.

Past day files never change, so each parsed file is kept by its ETag (or size and
mtime) for the life of the process. The whole window is also kept for a minute, so
reruns (a filter change) do not even re-list; after that, only today's growing file
is read again. "Atualizar" drops the one-minute cache. Both caches are plain
objects held once per process: a progress bar cannot be drawn from inside
Streamlit's own cached functions.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from client.request_log import LruCache, RequestLog, load_request_log
from local_api.model import load_model

WINDOW_TTL_S = 60


@st.cache_resource(show_spinner=False)
def _caches() -> tuple[LruCache, LruCache]:
    return LruCache(max_entries=1500), LruCache(max_entries=8, ttl_s=WINDOW_TTL_S)


def load_window(uri: str, start: date, end: date, s3_endpoint_url: str | None) -> RequestLog:
    """The log for UTC days [start, end], with a progress bar while files are read."""
    files, windows = _caches()
    key = (uri, start, end, s3_endpoint_url)
    cached = windows.get(key)
    if cached is not None:
        return cached
    bar = st.empty()

    def progress(done: int, total: int) -> None:
        if total:
            bar.progress(done / total, text=f"Lendo o log: {done} de {total} arquivos…")

    try:
        log = load_request_log(uri, start, end, s3_endpoint_url=s3_endpoint_url, cache=files, on_progress=progress)
    finally:
        bar.empty()
    windows.put(key, log)
    return log


def refresh() -> None:
    _caches()[1].clear()


def training_document() -> dict:
    """The reference model's document: the training profile drift is measured against."""
    return load_model().document
