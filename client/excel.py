"""CSV in the dialect Brazilian Excel reads and writes.

Excel in pt-BR opens semicolon-separated UTF-8 with a BOM without a wizard, and
saves CSV as Windows-1252 (a superset of Latin-1) with semicolons.
"""

from __future__ import annotations

import pandas as pd


def excel_csv(frame: pd.DataFrame) -> bytes:
    """Semicolon-separated UTF-8 with a BOM."""
    return frame.to_csv(index=False, sep=";").encode("utf-8-sig")


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 when it is valid, else Windows-1252."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252 (Latin-1)"
