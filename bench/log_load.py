"""Loading a year of request log: load_request_log vs a naive pandas loop, warm cache, peak memory.

    python bench/log_load.py [--days 365] [--rows 1000]

Writes DAYS day files x ROWS rows (older schema, like the real log) into a temp
folder, then in one run: cold load through ``load_request_log`` (median of 5, a new
cache each time) against a loop of ``pandas.read_csv`` per file plus ``concat``
(median of 5, the course notebook's pattern, which validates nothing); a warm load
with the cache filled; and the peak RSS of a separate process that only does the
cold load. Targets: >= 5x the naive loop, warm <= 0.3 s, <= 400 MB.
Last line ends with the cold speed-up ratio.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import _common
import numpy as np
import pandas as pd

from client.laptop import FIELDS
from client.request_log import LruCache, load_request_log

OLD_HEADER = (
    "brand,processor_brand,processor_name,os,weight,warranty,touchscreen,ram_gb,hdd,ssd,graphic_card_gb,"
    "ram_type,os_bit,prediction,timestamp,model_version"
)


def write_year(folder: Path, days: int, rows: int) -> None:
    rng = np.random.default_rng(1)
    first = date(2025, 1, 1)
    for offset in range(days):
        day = first + timedelta(days=offset)
        columns = []
        for f in FIELDS:
            values = f.seen if f.numeric else f.tokens
            columns.append(rng.choice([str(v) for v in values], size=rows))
        prices = rng.integers(2000, 20000, size=rows).astype(str)
        minutes = np.sort(rng.integers(0, 1440, size=rows))
        stamps = [f"{day.strftime('%d-%m-%Y')} {m // 60:02d}:{m % 60:02d}" for m in minutes]
        lines = [",".join(parts) for parts in zip(*columns, prices, stamps, ["5"] * rows, strict=True)]
        name = f"{day.isoformat()}_laptop_prediction_data.csv"
        (folder / name).write_text(OLD_HEADER + "\n" + "\n".join(lines) + "\n")


def naive(folder: Path) -> pd.DataFrame:
    return pd.concat([pd.read_csv(path) for path in sorted(folder.glob("*.csv"))], ignore_index=True)


def timed(call) -> float:
    gc.collect()  # neither side pays for the other's garbage
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def child_peak(folder: Path) -> dict[str, float]:
    # VmHWM (peak RSS) starts afresh at exec; ru_maxrss would carry over this process's peak
    code = (
        "import json, re, sys; sys.path.insert(0, sys.argv[2]);"
        "hwm = lambda: int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024;"
        "from client.request_log import load_request_log;"
        "base = hwm(); log = load_request_log(sys.argv[1]); peak = hwm();"
        "print(json.dumps({'rows': len(log.frame), 'base_mb': base, 'peak_mb': peak,"
        " 'frame_mb': log.frame.memory_usage(deep=True).sum() / 2**20}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(_common.ROOT)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_year(folder, args.days, args.rows)
        total = args.days * args.rows
        log = load_request_log(str(folder))
        assert len(log.frame) == total and not log.rejected, "the benchmark data must load completely"
        assert len(naive(folder)) == total
        ours, theirs = [], []
        for _ in range(5):  # interleaved so both see the same machine noise
            ours.append(timed(lambda: load_request_log(str(folder), cache=LruCache())))
            theirs.append(timed(lambda: naive(folder)))
        cache = LruCache()
        load_request_log(str(folder), cache=cache)
        warm = statistics.median(timed(lambda: load_request_log(str(folder), cache=cache)) for _ in range(5))
        memory = child_peak(folder)
    cold, base = statistics.median(ours), statistics.median(theirs)
    print(f"{args.days} files x {args.rows} rows = {total} rows")
    print(f"naive pandas loop (read_csv per file + concat, no validation): {base:.3f} s")
    print(f"load_request_log cold (validated, typed, rejects tracked):     {cold:.3f} s")
    print(f"load_request_log warm (ETag/mtime cache):                      {warm:.3f} s  (target <= 0.3 s)")
    print(
        f"peak RSS of a process doing the cold load: {memory['peak_mb']:.0f} MB "
        f"(interpreter and imports {memory['base_mb']:.0f} MB; frame {memory['frame_mb']:.0f} MB; target <= 400 MB)"
    )
    print(f"cold speed-up vs naive loop ratio: {base / cold:.2f}")


if __name__ == "__main__":
    main()
