"""The request log's layout (CONTRACT.md §4): where day files live, their names and columns.

Shared by the local API's writer and the monitoring reader so both sides of the
format are declared once, like the laptop fields in ``client.laptop``.
"""

from __future__ import annotations

import re
from datetime import date

from client.laptop import FIELD_NAMES

LOG_PREFIX = "laptop-prediction-real-data"
DAY_FILE_SUFFIX = "_laptop_prediction_data.csv"
DAY_FILE = re.compile(r"(?:^|/)(\d{4}-\d{2}-\d{2})" + re.escape(DAY_FILE_SUFFIX) + "$")
COLUMNS = (*FIELD_NAMES, "price", "timestamp", "model_version")
# The deployed API's older schema named two columns differently; both exist in real logs.
LEGACY_COLUMNS = {"graphic_card_gb": "graphic_card", "prediction": "price"}
TIMESTAMP_FORMAT = "%d-%m-%Y %H:%M"


def day_file_name(day: date) -> str:
    return f"{day.strftime('%Y-%m-%d')}{DAY_FILE_SUFFIX}"


def day_of(key: str) -> date | None:
    """The UTC day a log object holds, from its key or path; None if it is not a day file."""
    match = DAY_FILE.search(key)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None
