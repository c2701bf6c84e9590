"""The spreadsheets of a batch: the template, reading what customers send, writing the results.

Brazilian Excel saves CSV as Windows-1252 with semicolons (``client.excel``); others
send UTF-8 with commas. Both are read, headers may be the API's names, the form's pt-BR labels or
common aliases (all declared in ``client.laptop.FIELDS``), accents and case do not
matter, blank lines are skipped, and extra columns are kept for the results file.
"""

from __future__ import annotations

import csv
import io
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from client.batch import STATUS_LABELS, RowResult
from client.errors import InvalidLaptopError, PricingError
from client.excel import decode, excel_csv
from client.laptop import DEFAULTS, FIELD_BY_NAME, FIELDS, LaptopSpec
from client.money import format_count, format_price

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


class BatchFileError(PricingError):
    """The uploaded file cannot be used as a whole; the message says why."""

    next_step = "Baixe o modelo de planilha, preencha uma linha por notebook e envie de novo."


def _normalise_header(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.replace("_", " ").strip().lower().split())


HEADER_ALIASES: dict[str, str] = {
    _normalise_header(alias): f.name
    for f in FIELDS
    for alias in (f.name, f.label, f.label.split(" (")[0], *f.column_aliases)
}


@dataclass(frozen=True)
class BatchFile:
    """The upload as read: every column as text, which column feeds each field, the file's lines."""

    frame: pd.DataFrame  # original columns, as text
    columns: dict[str, str]  # field name -> column of the file
    lines: list[int]  # the file line of each row
    encoding: str
    delimiter: str

    def rows(self) -> list[dict[str, str]]:
        """The 13 fields of each row, keyed by API field name, as the customer wrote them."""
        picked = self.frame[list(self.columns.values())]
        picked.columns = list(self.columns)
        return picked.to_dict("records")


def template_csv() -> bytes:
    """The 13 columns with pt-BR headers and one example row written as a person would."""
    examples = {
        "brand": "Dell",
        "processor_brand": "Intel",
        "processor_name": "Core i5",
        "os": "Windows",
        "weight": "Casual",
        "touchscreen": "Não",
        "ram_type": "DDR4",
        "os_bit": "64 bits",
    }
    row = {f.label: examples.get(f.name, DEFAULTS[f.name]) for f in FIELDS}
    return excel_csv(pd.DataFrame([row]))


def read_batch_file(data: bytes) -> BatchFile:
    """Decode, detect the delimiter, map headers to fields; raise BatchFileError for the whole file."""
    if len(data) > MAX_BYTES:
        raise BatchFileError(f"O arquivo tem {len(data) / 2**20:.1f} MB; o limite é {MAX_BYTES // 2**20} MB.")
    text, encoding = decode(data)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise BatchFileError("O arquivo está vazio.")
    delimiter = max((";", ",", "\t"), key=lines[first].count)
    records = list(csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=delimiter))
    header = [h.strip() for h in records[0]]
    columns: dict[str, str] = {}
    for column in header:
        field = HEADER_ALIASES.get(_normalise_header(column))
        if field and field not in columns:
            columns[field] = column
    missing = [FIELD_BY_NAME[f.name].label for f in FIELDS if f.name not in columns]
    if missing:
        raise BatchFileError(
            "Faltam colunas na planilha: " + ", ".join(missing) + ". Use os nomes do modelo de planilha."
        )
    body, line_numbers = [], []
    for offset, record in enumerate(records[1:], start=first + 2):
        if not any(value.strip() for value in record):
            continue
        body.append(record)
        line_numbers.append(offset)
    if not body:
        raise BatchFileError("A planilha não tem nenhuma linha de notebook além do cabeçalho.")
    if len(body) > MAX_ROWS:
        raise BatchFileError(
            f"A planilha tem {format_count(len(body))} notebooks; o limite é {format_count(MAX_ROWS)} por lote."
        )
    width = max(len(header), *(len(r) for r in body))
    names = _unique([*header, *(f"coluna extra {n}" for n in range(len(header) + 1, width + 1))])
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in body], columns=names, dtype=str)
    return BatchFile(frame, columns, line_numbers, encoding, delimiter)


def _unique(names: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        name = name or "coluna sem nome"
        count = seen.get(name, 0)
        seen[name] = count + 1
        unique.append(name if count == 0 else f"{name} ({count + 1})")
    return unique


def preview_frame(batch: BatchFile) -> tuple[pd.DataFrame, int]:
    """The upload with a check per row before anything is sent; returns it and the valid count."""
    checks = []
    for row in batch.rows():
        try:
            LaptopSpec.from_mapping(row)
            checks.append("")
        except InvalidLaptopError as exc:
            checks.append(RowResult(0, "invalid", error=exc).message)
    frame = batch.frame.copy()
    frame.insert(0, "linha", batch.lines)
    frame.insert(1, "validação", [message or "ok" for message in checks])
    return frame, checks.count("")


def results_frame(batch: BatchFile, results: Sequence[RowResult], currency: str) -> pd.DataFrame:
    """One row per input row: line, status, price and message first, then the original columns."""
    outcome = pd.DataFrame(
        {
            "linha": batch.lines,
            "situação": [STATUS_LABELS[r.status] for r in results],
            "preço estimado": [format_price(r.quote.price, currency) if r.quote else "" for r in results],
            "mensagem": [r.message for r in results],
            "versão do modelo": [r.quote.model_version if r.quote else "" for r in results],
        }
    )
    frame = pd.concat([outcome, batch.frame.reset_index(drop=True)], axis=1)
    frame["preço (número)"] = [r.quote.price if r.quote else None for r in results]
    return frame


@dataclass(frozen=True)
class BatchSummary:
    rows: int
    priced: int
    invalid: int
    failed: int
    not_sent: int
    total_price: int
    median_price: float | None


def summarise(results: Sequence[RowResult]) -> BatchSummary:
    prices = [r.quote.price for r in results if r.quote]
    count = {status: sum(1 for r in results if r.status == status) for status in STATUS_LABELS}
    return BatchSummary(
        rows=len(results),
        priced=count["ok"],
        invalid=count["invalid"],
        failed=count["failed"],
        not_sent=count["not_sent"],
        total_price=sum(prices),
        median_price=statistics.median(prices) if prices else None,
    )
