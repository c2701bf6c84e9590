"""The API's request log (CONTRACT.md §4), from S3 or a folder, as one tidy frame plus its rejects.

    log = load_request_log("s3://fiap-ds-mlops/laptop-prediction-real-data", start, end)
    log.frame      # one row per request; numbers parsed; timestamp tz-aware UTC; ``valid``
    log.rejected   # every line that could not become a row: source, line, reason, raw text
    log.files      # the objects read

Both schemas map to the same columns (``graphic_card_gb`` -> ``graphic_card``,
``prediction`` -> ``price``), whatever order the header lists the fields in.
Categorical values are kept exactly as the API received them: ``valid`` is False
when one is not a token the API's ``==`` matches, because such a request was
priced as a different laptop. Nothing is normalised away and no line is lost:
each non-empty line after a header is a row or a reject.

Speed: well-formed unquoted files (what both APIs write in practice) that share
a header are parsed together in one multithreaded pyarrow pass with every column
dictionary-encoded, and numbers and timestamps are validated once per distinct
value. Files with quotes, blank lines, bad bytes or a wrong field count take a
line-by-line path with the csv module. Parsed files are cached by ETag (S3) or
size and mtime (folders), so past days are never parsed twice.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from client.errors import PricingError
from client.laptop import FIELD_NAMES, FIELDS
from client.log_format import COLUMNS, DAY_FILE_SUFFIX, LEGACY_COLUMNS, TIMESTAMP_FORMAT, day_of

NUMERIC_COLUMNS = tuple(f.name for f in FIELDS if f.numeric)
TOKENS = {f.name: f.tokens for f in FIELDS if not f.numeric}
FRAME_COLUMNS = (*FIELD_NAMES, "price", "timestamp", "model_version", "source", "line", "valid")
FETCH_WORKERS = 8


class RequestLogError(PricingError):
    """The log could not be listed or read; the message says what to configure."""

    user_message = "Não foi possível ler o log de requisições."
    next_step = "Confira REQUEST_LOG_URI e as credenciais da AWS nos segredos do app."

    def __init__(self, user_message: str, next_step: str, *, detail: str = "") -> None:
        super().__init__(user_message, detail=detail)
        self.next_step = next_step


@dataclass(frozen=True)
class LogObject:
    """One day file: where it is, its day, and a version tag (ETag, or size+mtime)."""

    key: str
    day: date
    version: str
    size: int


@dataclass(frozen=True)
class Reject:
    source: str
    line: int
    reason: str
    raw: str


@dataclass
class RequestLog:
    frame: pd.DataFrame
    rejected: list[Reject] = field(default_factory=list)
    files: list[LogObject] = field(default_factory=list)

    @property
    def rejected_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [(r.source, r.line, r.reason, r.raw) for r in self.rejected],
            columns=["source", "line", "reason", "raw"],
        )


@dataclass(frozen=True)
class _Parsed:
    """One file's result: valid rows as an Arrow table (cheap to cache and concatenate)."""

    table: pa.Table
    rejected: tuple[Reject, ...]


class LruCache:
    """A bounded, thread-safe LRU; with ``ttl_s``, entries also expire.

    Used twice: parsed files keyed by (source, ETag) for the life of the process,
    and whole windows for a short TTL so reruns neither re-list S3 nor re-combine.
    """

    def __init__(self, max_entries: int = 1500, ttl_s: float | None = None) -> None:
        self.max_entries = max_entries
        self.ttl_s = ttl_s
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or (self.ttl_s is not None and time.monotonic() - item[0] > self.ttl_s):
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[1]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# ---------------------------------------------------------------- sources


class _FolderSource:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def list(self, start: date | None, end: date | None) -> list[LogObject]:
        if not self.folder.is_dir():
            raise RequestLogError(
                f"A pasta do log não existe: {self.folder}",
                "Confira REQUEST_LOG_URI, ou gere dados de demonstração com "
                "`python -m local_api.simulate --days 30 --per-day 200`.",
            )
        objects = []
        for path in self.folder.iterdir():
            day = day_of(path.name)
            if day is None or not _in_range(day, start, end) or not path.is_file():
                continue
            stat = path.stat()
            objects.append(LogObject(path.name, day, f"{stat.st_size}:{stat.st_mtime_ns}", stat.st_size))
        return sorted(objects, key=lambda o: o.key)

    def read(self, obj: LogObject) -> bytes:
        return (self.folder / obj.key).read_bytes()


class _S3Source:
    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None, client=None) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client or make_s3_client(endpoint_url)

    def list(self, start: date | None, end: date | None) -> list[LogObject]:
        base = f"{self.prefix}/" if self.prefix else ""
        params = {"Bucket": self.bucket, "Prefix": base}
        if start is not None:  # keys sort by day: start listing just before the first day wanted
            params["StartAfter"] = f"{base}{(start - timedelta(days=1)).isoformat()}{DAY_FILE_SUFFIX}"
        objects = []
        with _s3_errors(self.bucket):
            for page in self.client.get_paginator("list_objects_v2").paginate(**params):
                for item in page.get("Contents", []):
                    key = item["Key"]
                    day = day_of(key)
                    if day is None or "/" in key[len(base) :]:
                        continue
                    if end is not None and day > end:
                        return objects
                    if _in_range(day, start, end):
                        objects.append(LogObject(key, day, item["ETag"].strip('"'), int(item["Size"])))
        return objects

    def read(self, obj: LogObject) -> bytes:
        with _s3_errors(self.bucket):
            return self.client.get_object(Bucket=self.bucket, Key=obj.key, IfMatch=obj.version)["Body"].read()


def make_s3_client(endpoint_url: str | None = None):
    """One boto3 client, shared by the fetch threads (clients are thread-safe).

    A fresh Session resolves credentials now, not from a default session cached earlier.
    """
    import boto3
    from botocore.config import Config

    config = Config(
        max_pool_connections=FETCH_WORKERS * 2,
        connect_timeout=5,
        read_timeout=30,
        retries={"max_attempts": 3, "mode": "standard"},
    )
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)


class _s3_errors:  # noqa: N801 - used as a context manager, reads like one
    """Turn botocore failures into RequestLogError with what to configure."""

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None or isinstance(exc, RequestLogError):
            return False
        from botocore.exceptions import (
            ClientError,
            EndpointConnectionError,
            NoCredentialsError,
            PartialCredentialsError,
        )

        detail = f"{type(exc).__name__}: {str(exc)[:200]}"
        if isinstance(exc, NoCredentialsError | PartialCredentialsError):
            raise RequestLogError(
                "Credenciais da AWS não encontradas para ler o log no S3.",
                "Coloque AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY e AWS_DEFAULT_REGION nos segredos do app.",
                detail=detail,
            ) from None
        if isinstance(exc, EndpointConnectionError):
            raise RequestLogError(
                "Não foi possível conectar ao S3.",
                "Confira a região (AWS_DEFAULT_REGION), S3_ENDPOINT_URL e a conexão com a internet.",
                detail=detail,
            ) from None
        if isinstance(exc, ClientError):
            code = exc.response.get("Error", {}).get("Code", "")
            if code == "NoSuchBucket":
                raise RequestLogError(
                    f"O bucket “{self.bucket}” não existe.",
                    "Confira o nome do bucket em REQUEST_LOG_URI (s3://bucket/prefixo).",
                    detail=detail,
                ) from None
            if code in ("AccessDenied", "403", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AllAccessDisabled"):
                raise RequestLogError(
                    f"Acesso negado ao bucket “{self.bucket}”.",
                    "As credenciais da AWS precisam das permissões s3:ListBucket e s3:GetObject nesse bucket.",
                    detail=detail,
                ) from None
            if code in ("PreconditionFailed", "NoSuchKey"):
                raise RequestLogError(
                    "Um arquivo do log mudou durante a leitura.",
                    "Clique em Atualizar para ler de novo.",
                    detail=detail,
                ) from None
        from botocore.exceptions import BotoCoreError

        if isinstance(exc, ClientError | BotoCoreError):
            raise RequestLogError(
                "O S3 recusou a leitura do log.", "Confira REQUEST_LOG_URI e as credenciais.", detail=detail
            ) from None
        return False


def _in_range(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def _source(uri: str, s3_endpoint_url: str | None, s3_client):
    parsed = urlparse(uri)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise RequestLogError("REQUEST_LOG_URI sem bucket.", "Use s3://bucket/prefixo.")
        return _S3Source(parsed.netloc, parsed.path, s3_endpoint_url, s3_client)
    if parsed.scheme in ("", "file"):
        return _FolderSource(Path(parsed.path if parsed.scheme == "file" else uri))
    raise RequestLogError(
        f"REQUEST_LOG_URI não reconhecido: {uri}", "Use s3://bucket/prefixo ou o caminho de uma pasta."
    )


# ---------------------------------------------------------------- loading


def load_request_log(
    uri: str,
    start: date | None = None,
    end: date | None = None,
    *,
    s3_endpoint_url: str | None = None,
    s3_client=None,
    cache: LruCache | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> RequestLog:
    """List the day files in [start, end], fetch the new ones in parallel, parse, and combine."""
    source = _source(uri, s3_endpoint_url, s3_client)
    objects = source.list(start, end)
    parsed: dict[str, _Parsed] = {}
    missing = []
    for obj in objects:
        hit = cache.get((obj.key, obj.version)) if cache is not None else None
        if hit is not None:
            parsed[obj.key] = hit
        else:
            missing.append(obj)
    total = len(objects)
    if on_progress:
        on_progress(len(parsed), total)
    contents: dict[str, bytes] = {}
    if missing:
        with ThreadPoolExecutor(min(FETCH_WORKERS, len(missing))) as pool:
            futures = {pool.submit(source.read, obj): obj for obj in missing}
            for future in as_completed(futures):  # progress is reported on the caller's thread
                contents[futures[future].key] = future.result()
                if on_progress:
                    on_progress(len(parsed) + len(contents), total)
    for obj, result in zip(missing, parse_files([(o.key, contents[o.key]) for o in missing]), strict=True):
        parsed[obj.key] = result
        if cache is not None:
            cache.put((obj.key, obj.version), result)
    results = [parsed[o.key] for o in objects]
    return RequestLog(
        frame=_combine([r.table for r in results]),
        rejected=[reject for r in results for reject in r.rejected],
        files=objects,
    )


def parse_day_file(source: str, data: bytes) -> RequestLog:
    """Parse one day file's bytes (for tests and tools)."""
    [result] = parse_files([(source, data)])
    return RequestLog(_combine([result.table]), list(result.rejected), [])


@dataclass(frozen=True)
class _Member:
    index: int
    source: str
    body: bytes
    lines: int


def parse_files(items: Sequence[tuple[str, bytes]]) -> list[_Parsed]:
    """Parse many files; the well-formed ones grouped by header into one pyarrow pass each."""
    results: list[_Parsed | None] = [None] * len(items)
    groups: dict[tuple[str, ...], list[_Member]] = {}
    for index, (source, data) in enumerate(items):
        header_line, _, body = data.partition(b"\n")
        header = _read_header(header_line)
        if header is None:
            results[index] = _unknown_header(source, data)
        elif not body.strip(b"\r\n"):
            results[index] = _Parsed(_empty_table(), ())
        elif (lines := _fast_line_count(body)) is None:
            results[index] = _parse_slowly(source, header, body)
        else:
            groups.setdefault(header, []).append(_Member(index, source, body, lines))
    for header, members in groups.items():
        for member, parsed in zip(members, _parse_group(header, members), strict=True):
            results[member.index] = parsed
    return results  # type: ignore[return-value]


def _read_header(line: bytes) -> tuple[str, ...] | None:
    """The header mapped to standard column names, or None if it is not a log header."""
    try:
        text = line.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return None
    names = tuple(LEGACY_COLUMNS.get(n.strip(), n.strip()) for n in text.split(","))
    if len(names) != len(COLUMNS) or set(names) != set(COLUMNS):
        return None
    return names


def _fast_line_count(body: bytes) -> int | None:
    """Lines of a file fit for the fast path (UTF-8, unquoted, LF only), else None.

    Blank lines and wrong field counts are not looked for here: they make pyarrow's
    row count disagree with this line count, and then the file is parsed carefully.
    """
    if b'"' in body or b"\r" in body:
        return None
    if not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return body.count(b"\n") + (0 if body.endswith(b"\n") else 1)


def _parse_group(header: tuple[str, ...], members: list[_Member]) -> list[_Parsed]:
    """One pyarrow pass over files sharing a header; split back per file afterwards."""
    joined = b"".join(m.body if m.body.endswith(b"\n") else m.body + b"\n" for m in members)
    table = _read_fast(joined, header)
    if table is None or table.num_rows != sum(m.lines for m in members):
        if len(members) == 1:  # a blank line or a wrong field count somewhere: line by line
            return [_parse_slowly(members[0].source, header, members[0].body)]
        return [parsed for m in members for parsed in _parse_group(header, [m])]
    files = np.repeat(np.arange(len(members), dtype=np.int32), [m.lines for m in members])
    lines = np.concatenate([np.arange(2, m.lines + 2, dtype=np.int32) for m in members])
    names = [m.source for m in members]
    table, rejects = _validate(table, files, lines, names)
    counts = np.bincount(np.asarray(table.column("_file")), minlength=len(members))
    table = table.drop_columns(["_file"])
    results, offset = [], 0
    by_file: dict[str, list[Reject]] = {}
    for reject in rejects:
        by_file.setdefault(reject.source, []).append(reject)
    for index, name in enumerate(names):
        results.append(_Parsed(table.slice(offset, int(counts[index])), tuple(by_file.get(name, ()))))
        offset += int(counts[index])
    return results


def _read_fast(data: bytes, header: tuple[str, ...]) -> pa.Table | None:
    """Typed in one C++ pass when every value parses; else as text, validated afterwards.

    None when a row has the wrong number of fields.
    """
    invalid: list[int] = []

    def on_invalid(row) -> str:
        invalid.append(1)
        return "skip"

    def read(column_types: dict[str, pa.DataType]) -> pa.Table:
        return pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=list(header), block_size=1 << 22),
            parse_options=pacsv.ParseOptions(quote_char=False, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=column_types,
                null_values=[],  # "", "NaN", "null" must fail to parse, not become nulls
                strings_can_be_null=False,
            ),
        )

    text = pa.dictionary(pa.int32(), pa.string())
    typed = {name: text for name in header}
    typed.update({name: pa.int64() for name in NUMERIC_COLUMNS})
    typed.update(price=pa.float64(), timestamp=pa.string())
    try:
        table = read(typed)
        if not pc.all(pc.is_finite(table.column("price"))).as_py():
            raise pa.ArrowInvalid("non-finite price")
    except pa.ArrowInvalid:  # some value does not parse: read as text and explain each row
        invalid.clear()
        table = read({name: pa.string() if name == "timestamp" else text for name in header})
    return None if invalid else table


def _parse_slowly(source: str, header: tuple[str, ...], body: bytes) -> _Parsed:
    """Line by line: every bad line becomes a Reject with its reason; good ones go on."""
    rows: list[list[str]] = []
    lines: list[int] = []
    rejects: list[Reject] = []
    width = len(header)
    for number, raw in enumerate(body.split(b"\n"), start=2):
        raw = raw.rstrip(b"\r")
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            rejects.append(Reject(source, number, "bytes inválidos (não é UTF-8)", raw.decode("utf-8", "replace")))
            continue
        try:
            fields = next(csv.reader([text]))
        except (csv.Error, StopIteration):
            rejects.append(Reject(source, number, "linha CSV malformada", text))
            continue
        if len(fields) != width:
            rejects.append(Reject(source, number, f"{len(fields)} campos em vez de {width}", text))
            continue
        rows.append(fields)
        lines.append(number)
    if not rows:
        return _Parsed(_empty_table(), tuple(rejects))
    columns = list(zip(*rows, strict=True))
    table = pa.table({name: pa.array(values, pa.string()) for name, values in zip(header, columns, strict=True)})
    table, more = _validate(table, np.zeros(len(rows), dtype=np.int32), np.asarray(lines, np.int32), [source])
    return _Parsed(table.drop_columns(["_file"]), tuple(sorted((*rejects, *more), key=lambda r: r.line)))


def _unknown_header(source: str, data: bytes) -> _Parsed:
    rejects = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.strip():
            text = raw.rstrip(b"\r").decode("utf-8", "replace")
            rejects.append(Reject(source, number, "cabeçalho ausente ou desconhecido", text))
    return _Parsed(_empty_table(), tuple(rejects))


def _parse_text_numbers(column: pa.ChunkedArray, integral: bool) -> tuple[pa.Array, np.ndarray]:
    """Numbers from text, parsed once per distinct value; returns values and a per-row ok mask."""
    encoded = column.combine_chunks()
    if not pa.types.is_dictionary(encoded.type):
        encoded = encoded.dictionary_encode()
    numbers = pd.to_numeric(pd.Series(encoded.dictionary.to_pylist(), dtype=object), errors="coerce")
    values = numbers.to_numpy(dtype=np.float64)
    ok = np.isfinite(values)
    if integral:
        ok &= np.equal(np.floor(np.where(ok, values, 0)), np.where(ok, values, 0.5))
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    return pa.array(np.where(ok, values, 0)[codes]), ok[codes]


def _parse_timestamps(text: pa.ChunkedArray) -> pa.Array:
    """``%d-%m-%Y %H:%M`` in C++; null where the text is not a real date and time.

    pyarrow's strptime rolls 31-02 over into 02-03 instead of failing. A rolled-over
    date lands on day 1, 2 or 3, so only those rows are checked against the day
    their text claims.
    """
    parsed = pc.strptime(text, format=TIMESTAMP_FORMAT, unit="s", error_is_null=True).combine_chunks()
    suspects = np.flatnonzero(pc.fill_null(pc.less_equal(pc.day(parsed), 3), False).to_numpy(zero_copy_only=False))
    if suspects.size == 0:
        return parsed
    claimed = pc.take(text, pa.array(suspects))
    rolled = pc.or_(
        pc.or_(pc.starts_with(claimed, "29-"), pc.starts_with(claimed, "30-")), pc.starts_with(claimed, "31-")
    )
    bad = suspects[rolled.to_numpy(zero_copy_only=False)]
    if bad.size == 0:
        return parsed
    mask = np.zeros(len(parsed), dtype=bool)
    mask[bad] = True
    return pc.if_else(pa.array(mask), pa.scalar(None, parsed.type), parsed)


def _validate(table: pa.Table, files: np.ndarray, lines: np.ndarray, names: list[str]) -> tuple[pa.Table, list[Reject]]:
    """Type every column; rows whose numbers or timestamp do not parse become Rejects."""
    reasons = np.full(table.num_rows, None, dtype=object)
    typed: dict[str, pa.Array] = {}
    for name in (*NUMERIC_COLUMNS, "price"):
        column = table.column(name)
        kind = pa.int64() if name != "price" else pa.float64()
        if column.type == kind:
            typed[name] = column.combine_chunks()
            continue
        values, ok = _parse_text_numbers(column, integral=name != "price")
        _mark(reasons, ~ok, f"{name}: não é um número válido")
        typed[name] = values.cast(kind, safe=False)
    stamps = _parse_timestamps(table.column("timestamp").cast(pa.string()))
    _mark(reasons, np.asarray(stamps.is_null()), "timestamp: data inválida (esperado DD-MM-AAAA HH:MM)")
    typed["timestamp"] = stamps.cast(pa.timestamp("s", tz="UTC"))
    keep = np.equal(reasons, None)
    rejects = []
    if not keep.all():
        raw_columns = [table.column(n).to_pylist() for n in table.column_names]
        for row in np.flatnonzero(~keep):
            raw = ",".join(str(column[row]) for column in raw_columns)
            rejects.append(Reject(names[files[row]], int(lines[row]), reasons[row], raw))
    valid = np.ones(table.num_rows, dtype=bool)
    result: dict[str, pa.Array] = {}
    for name in COLUMNS:
        if name in typed:
            result[name] = typed[name]
            continue
        column = table.column(name).combine_chunks()
        if not pa.types.is_dictionary(column.type):
            column = column.dictionary_encode()
        if name in TOKENS:  # exactly what the API's == compares against
            known = np.isin(np.asarray(column.dictionary.to_pylist(), dtype=object), TOKENS[name])
            valid &= known[column.indices.to_numpy(zero_copy_only=False)]
        result[name] = column
    result["source"] = pa.DictionaryArray.from_arrays(pa.array(files, pa.int32()), pa.array(names, pa.string()))
    result["line"] = pa.array(lines, pa.int32())
    result["valid"] = pa.array(valid)
    result["_file"] = pa.array(files, pa.int32())
    table = pa.table(result)
    return (table if not rejects else table.filter(pa.array(keep))), rejects


def _mark(reasons: np.ndarray, where: np.ndarray, reason: str) -> None:
    pending = where & np.equal(reasons, None)
    reasons[pending] = reason


def _empty_table() -> pa.Table:
    fields = []
    for name in FRAME_COLUMNS:
        if name in NUMERIC_COLUMNS:
            kind = pa.int64()
        elif name == "price":
            kind = pa.float64()
        elif name == "timestamp":
            kind = pa.timestamp("s", tz="UTC")
        elif name == "line":
            kind = pa.int32()
        elif name == "valid":
            kind = pa.bool_()
        else:
            kind = pa.dictionary(pa.int32(), pa.string())
        fields.append(pa.field(name, kind))
    return pa.schema(fields).empty_table()


def _combine(tables: Iterable[pa.Table]) -> pd.DataFrame:
    """One frame, in time order (stable, so file and line order break ties)."""
    tables = [t.select(list(FRAME_COLUMNS)) for t in tables if t.num_rows]
    if not tables:
        return _empty_table().to_pandas()
    combined = pa.concat_tables(tables).unify_dictionaries()
    order = pc.sort_indices(combined, sort_keys=[("timestamp", "ascending")])
    return combined.take(order).to_pandas()
