"""The request-log reader: real sample days, both schemas, every kind of bad line, nothing lost."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from client.drift import quality_table
from client.log_format import COLUMNS
from client.request_log import LruCache, RequestLogError, load_request_log, parse_day_file
from local_api.log_writer import RequestLogWriter
from local_api.model import load_model
from tests.test_laptop import GOLDEN

NEW_HEADER = ",".join(COLUMNS).encode()
OLD_HEADER = (
    b"brand,processor_brand,processor_name,os,weight,warranty,touchscreen,ram_gb,hdd,ssd,graphic_card_gb,"
    b"ram_type,os_bit,prediction,timestamp,model_version"
)
ROW = b"dell,intel,core i5,windows,casual,2,0,16,0,256,8,ddr4,64,6606,16-01-2024 02:07,5"


def body(*lines: bytes, header: bytes = NEW_HEADER) -> bytes:
    return b"\n".join([header, *lines]) + b"\n"


def test_both_real_sample_days(shared_data):
    log = load_request_log(str(shared_data / "request-log-sample"))
    frame = log.frame
    assert len(frame) == 6466 and log.rejected == []
    assert [f.key for f in log.files] == [
        "2024-01-16_laptop_prediction_data.csv",
        "2024-01-18_laptop_prediction_data.csv",
    ]
    assert set(frame["model_version"].astype(object)) == {"1.0.12", "1.0.13", "linear_regression@v1.0.0#1"}
    invalid = frame[~frame["valid"]]
    assert len(invalid) == 11 and set(invalid["brand"].astype(object)) == {"core i3"}
    assert str(frame["timestamp"].dt.tz) == "UTC"
    assert frame["timestamp"].is_monotonic_increasing  # rows out of time order in the files, sorted here
    assert {"graphic_card", "price"} <= set(frame.columns)
    assert {212, 8}.issubset(set(frame["ram_gb"])) and 7680 in set(frame["hdd"])
    assert 248 in set(frame["graphic_card"]) and frame["warranty"].max() == 5
    quality = quality_table(frame, load_model().profile, price_scale=1 / 0.067).set_index("campo")
    assert quality.loc["Marca", "fora"] == 11
    assert quality.loc["Garantia restante (anos)", "fora"] > 1000
    assert quality.loc["Memória RAM (GB)", "fora"] > 0 and quality.loc["HD (GB)", "fora"] > 0
    assert "212" in quality.loc["Memória RAM (GB)", "exemplos"]


def test_sample_rows_out_of_order_within_a_file(shared_data):
    log = parse_day_file(
        "d.csv", (shared_data / "request-log-sample/2024-01-16_laptop_prediction_data.csv").read_bytes()
    )
    by_line = log.frame.sort_values("line")["timestamp"]
    assert not by_line.is_monotonic_increasing


def test_old_and_new_schema_map_to_the_same_columns():
    old = parse_day_file("old.csv", body(ROW, header=OLD_HEADER)).frame
    reordered = ",".join(reversed(COLUMNS)).encode()
    new_row = b",".join(reversed(ROW.split(b",")))
    new = parse_day_file("new.csv", body(new_row, header=reordered)).frame
    columns = [c for c in old.columns if c not in ("source", "line")]
    pd.testing.assert_frame_equal(
        old[columns].astype(object), new[columns].astype(object), check_dtype=False, check_categorical=False
    )
    assert old.loc[0, "graphic_card"] == 8 and old.loc[0, "price"] == 6606.0
    assert old.loc[0, "timestamp"] == pd.Timestamp("2024-01-16 02:07", tz="UTC")


def test_values_are_kept_exactly_as_received():
    rows = [
        ROW.replace(b"casual", b"thinlight"),
        ROW.replace(b"core i5", b"Core i5 "),
        ROW.replace(b",0,16,", b",1,16,"),
    ]
    frame = parse_day_file("d.csv", body(*rows)).frame.sort_values("line")
    assert list(frame["weight"].astype(object)) == ["thinlight", "casual", "casual"]
    assert list(frame["processor_name"].astype(object)) == ["core i5", "Core i5 ", "core i5"]
    assert list(frame["valid"]) == [False, False, True]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (ROW + b",extra", "17 campos em vez de 16"),
        (ROW.rsplit(b",", 1)[0], "15 campos em vez de 16"),
        (ROW.replace(b",16,", b",dezesseis,"), "ram_gb: não é um número válido"),
        (ROW.replace(b",256,", b",256.5,"), "ssd: não é um número válido"),
        (ROW.replace(b",6606,", b",NaN,"), "price: não é um número válido"),
        (ROW.replace(b"16-01-2024 02:07", b"2024-01-16T02:07"), "timestamp: data inválida"),
        (ROW.replace(b"16-01-2024 02:07", b"31-02-2024 02:07"), "timestamp: data inválida"),
        (ROW.replace(b"dell", b"d\xe9ll"), "bytes inválidos (não é UTF-8)"),
    ],
)
def test_each_bad_line_is_rejected_with_its_reason(line, reason):
    log = parse_day_file("d.csv", body(ROW, line, ROW))
    assert len(log.frame) == 2 and sorted(log.frame["line"]) == [2, 4]
    [reject] = log.rejected
    assert (reject.source, reject.line) == ("d.csv", 3)
    assert reject.reason.startswith(reason)
    assert reject.raw.startswith("d")


def test_a_wrong_first_data_row_does_not_shift_the_file():
    """pandas' default engine takes a longer first row as an index column and shifts every row."""
    log = parse_day_file("d.csv", body(ROW + b",surprise", ROW, ROW))
    assert [r.line for r in log.rejected] == [2]
    assert list(log.frame["brand"].astype(object)) == ["dell", "dell"]
    assert list(log.frame["model_version"].astype(object)) == ["5", "5"]


def test_quoted_csv_from_the_local_writer_and_unquoted_rows_both_parse(tmp_path):
    writer = RequestLogWriter(tmp_path)
    when = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    writer.append(GOLDEN, 100, "v,1", when=when)  # a comma forces quoting
    writer.append(GOLDEN, 200, "v2", when=when)
    path = next((tmp_path / "laptop-prediction-real-data").iterdir())
    with open(path, "ab") as handle:
        handle.write(ROW.replace(b"16-01-2024", b"02-01-2026") + b"\n")
    log = load_request_log(str(tmp_path / "laptop-prediction-real-data"))
    assert sorted(log.frame["model_version"].astype(object)) == ["5", "v,1", "v2"]
    assert log.rejected == []


def test_blank_lines_crlf_empty_and_header_only_files(tmp_path):
    folder = tmp_path / "log"
    folder.mkdir()
    (folder / "2024-01-01_laptop_prediction_data.csv").write_bytes(b"")
    (folder / "2024-01-02_laptop_prediction_data.csv").write_bytes(NEW_HEADER + b"\n")
    (folder / "2024-01-03_laptop_prediction_data.csv").write_bytes(NEW_HEADER + b"\r\n" + ROW + b"\r\n\r\n" + ROW)
    (folder / "2024-01-04_laptop_prediction_data.csv").write_bytes(body(ROW, b"", b"   ", ROW))
    (folder / "notes.txt").write_bytes(b"not a day file")
    log = load_request_log(str(folder))
    assert len(log.files) == 4 and len(log.frame) == 4 and log.rejected == []
    assert sorted(log.frame[log.frame["source"] == "2024-01-04_laptop_prediction_data.csv"]["line"]) == [2, 5]


def test_unknown_header_rejects_every_line():
    log = parse_day_file("d.csv", b"a,b,c\n" + ROW + b"\n")
    assert log.frame.empty
    assert [(r.line, r.reason) for r in log.rejected] == [(n, "cabeçalho ausente ou desconhecido") for n in (1, 2)]


def test_date_range_and_cache_by_version(tmp_path):
    folder = tmp_path / "log"
    folder.mkdir()
    for day in range(1, 11):
        (folder / f"2024-01-{day:02d}_laptop_prediction_data.csv").write_bytes(body(ROW))
    cache = LruCache()
    log = load_request_log(str(folder), date(2024, 1, 3), date(2024, 1, 5), cache=cache)
    assert [f.day.day for f in log.files] == [3, 4, 5] and len(log.frame) == 3
    assert cache.misses == 3
    load_request_log(str(folder), date(2024, 1, 3), date(2024, 1, 5), cache=cache)
    assert cache.hits == 3 and cache.misses == 3
    time.sleep(0.01)
    (folder / "2024-01-05_laptop_prediction_data.csv").write_bytes(body(ROW, ROW))
    log = load_request_log(str(folder), date(2024, 1, 3), date(2024, 1, 5), cache=cache)
    assert cache.misses == 4 and len(log.frame) == 4


def test_missing_folder_explains_what_to_do(tmp_path):
    with pytest.raises(RequestLogError) as caught:
        load_request_log(str(tmp_path / "nope"))
    assert "não existe" in caught.value.user_message and "simulate" in caught.value.next_step


def test_progress_is_reported(tmp_path):
    folder = tmp_path / "log"
    folder.mkdir()
    for day in range(1, 4):
        (folder / f"2024-01-{day:02d}_laptop_prediction_data.csv").write_bytes(body(ROW))
    seen = []
    load_request_log(str(folder), on_progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


_lines = st.one_of(
    st.just(ROW),
    st.binary(max_size=120),
    st.lists(
        st.sampled_from([b"dell", b"16", b"", b'"a,b"', b"x\r", b"\xff", b"16-01-2024 02:07", b"1"]), max_size=20
    ).map(b",".join),
    st.sampled_from([b"", b" ", b"\r", b'"', ROW + b",", ROW.replace(b",", b";")]),
)


def _nonempty_after_header(data: bytes) -> int:
    return sum(1 for line in data.split(b"\n")[1:] if line.strip())


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_lines, max_size=25), st.sampled_from([NEW_HEADER, OLD_HEADER]), st.sampled_from([b"\n", b"\r\n"]))
def test_every_nonempty_line_is_a_row_or_a_reject(lines, header, newline):
    data = newline.join([header, *lines])
    log = parse_day_file("d.csv", data)
    assert len(log.frame) + len(log.rejected) == _nonempty_after_header(data)
    assert len({*log.frame["line"], *(r.line for r in log.rejected)}) == len(log.frame) + len(log.rejected)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_reader(data):
    log = parse_day_file("d.csv", data)
    if log.rejected and log.rejected[0].line == 1:  # no valid header: every line is explained
        assert len(log.rejected) == sum(1 for line in data.split(b"\n") if line.strip())
    else:
        assert len(log.frame) + len(log.rejected) == _nonempty_after_header(data)
