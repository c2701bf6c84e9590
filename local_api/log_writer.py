"""The request log, written the way the monitoring page reads it, without losing a row.

One CSV per UTC day at ``DIR/laptop-prediction-real-data/YYYY-MM-DD_laptop_prediction_data.csv``
with the deployed API's columns (the 13 fields in contract order, ``price``,
``timestamp`` as ``%d-%m-%Y %H:%M`` UTC, ``model_version``). Unlike the deployed
API's read-modify-write of the whole object, each row is one append under a
thread lock and an exclusive ``flock``, so concurrent requests and a second
process (the traffic simulator) never lose or interleave rows. Values are
quoted by the csv module, so a comma in a value cannot break a row.
"""

from __future__ import annotations

import csv
import fcntl
import io
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from client.laptop import FIELD_NAMES
from client.log_format import COLUMNS, LOG_PREFIX, TIMESTAMP_FORMAT, day_file_name


class RequestLogWriter:
    def __init__(self, log_dir: str | Path) -> None:
        self.folder = Path(log_dir) / LOG_PREFIX
        self._lock = threading.Lock()

    def append(
        self,
        fields: Mapping[str, str],
        price: int,
        model_version: str,
        when: datetime | None = None,
    ) -> Path:
        """Append one priced request; ``when`` (default now) picks the UTC day and timestamp."""
        moment = (when or datetime.now(UTC)).astimezone(UTC)
        path = self.folder / day_file_name(moment)
        row = [fields[name] for name in FIELD_NAMES]
        row += [str(price), moment.strftime(TIMESTAMP_FORMAT), model_version]
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8", newline="") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    buffer = io.StringIO()
                    writer = csv.writer(buffer, lineterminator="\n")
                    if handle.seek(0, io.SEEK_END) == 0:
                        writer.writerow(COLUMNS)
                    writer.writerow(row)
                    handle.write(buffer.getvalue())
                    handle.flush()
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        return path
