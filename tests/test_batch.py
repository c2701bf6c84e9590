"""Batch valuation: messy spreadsheets in, one result per row out, through throttling and stops."""

from __future__ import annotations

import threading
import time

import pytest

from client import errors
from client.api import PricingClient
from client.batch import RowResult, price_many
from client.batch_file import (
    MAX_ROWS,
    BatchFileError,
    preview_frame,
    read_batch_file,
    results_frame,
    summarise,
    template_csv,
)
from client.laptop import DEFAULTS, FIELDS
from tests.conftest import SECRET_KEY, Reply, gateway_error

OK = Reply(200, {"prediction": 3000, "version": "5"})

MESSY = (
    "\n"  # a blank line before the header
    "Marca;Fabricante do processador;Modelo do processador;Sistema Operacional;perfil;Garantia;"
    "Tela sensível ao toque;RAM;HD (GB);SSD;Placa de vídeo (GB);Tipo de memória;Arquitetura;Patrimônio\n"
    "Dell;Intel;Core i5;Windows;Casual;1 ano;Não;8 GB;0;256;0;DDR4;64 bits;PAT-001\n"
    "\n"
    "Acer;Intel;Core i3;Windows;Fino e leve;0;Sim;4;1 TB;0;0;DDR4;64;PAT-002\n"
    ";;;;;;;;;;;;;\n"
    "core i3;AMD;Core i5;Windows;thinlight;5;talvez;-8;0;0;0;DDR4;64;PAT-003\n"
    "Apple;Apple M1;M1;macOS;Fino e leve;1;Não;8;0;512;0;LPDDR4X;64;PAT-004;nota extra\n"
    "Lenovo;AMD;Ryzen 5;Windows;Gamer;2;Não;16;0;512;4;DDR4;64;PAT-005\n"
)


def client_for(url: str, **kwargs) -> PricingClient:
    kwargs.setdefault("max_retries", 0)
    return PricingClient(url, SECRET_KEY, timeout=5, **kwargs)


def test_messy_latin1_semicolon_file_gives_one_result_per_row(local_api):
    batch = read_batch_file(MESSY.encode("cp1252"))
    assert batch.delimiter == ";" and batch.encoding.startswith("Windows-1252")
    assert batch.lines == [3, 5, 7, 8, 9]  # blank lines skipped, file lines kept
    rows = batch.rows()
    assert len(rows) == 5 and rows[0]["touchscreen"] == "Não"
    preview, valid = preview_frame(batch)
    assert valid == 4 and preview.loc[2, "validação"].startswith("Marca:")
    results = price_many(client_for(local_api.predict_url), rows, concurrency=3)
    assert [r.index for r in results] == [0, 1, 2, 3, 4]
    assert [r.status for r in results] == ["ok", "ok", "invalid", "ok", "ok"]
    problems = results[2].error.problems
    assert set(problems) >= {"brand", "warranty", "touchscreen", "ram_gb", "processor_name"}
    assert "weight" not in problems  # "thinlight" is what people type for thinnlight: corrected
    assert "Garantia restante (anos)" in results[2].message
    frame = results_frame(batch, results, "BRL")
    assert list(frame["Patrimônio"]) == ["PAT-001", "PAT-002", "PAT-003", "PAT-004", "PAT-005"]
    assert frame.loc[3, "coluna extra 15"] == "nota extra"
    assert frame.loc[0, "preço estimado"].startswith("R$\xa0") and frame.loc[2, "preço estimado"] == ""
    assert list(frame["situação"]) == ["precificado", "precificado", "inválido", "precificado", "precificado"]
    summary = summarise(results)
    assert (summary.rows, summary.priced, summary.invalid, summary.failed, summary.not_sent) == (5, 4, 1, 0, 0)
    assert summary.total_price == sum(r.quote.price for r in results if r.quote)


def test_utf8_comma_file_with_api_names(local_api):
    header = ",".join(f.name for f in FIELDS)
    line = ",".join(DEFAULTS[f.name] for f in FIELDS)
    batch = read_batch_file(f"\ufeff{header}\n{line}\n{line}\n".encode())
    assert batch.delimiter == "," and batch.encoding == "UTF-8"
    results = price_many(client_for(local_api.predict_url), batch.rows())
    assert [r.status for r in results] == ["ok", "ok"]


def test_template_round_trips(local_api):
    batch = read_batch_file(template_csv())
    assert [r.status for r in price_many(client_for(local_api.predict_url), batch.rows())] == ["ok"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vazio"),
        (b"\n\n", "vazio"),
        (b"marca;ram\nDell;8\n", "Faltam colunas"),
        (template_csv().splitlines()[0] + b"\n", "nenhuma linha"),
        (b"x" * (5 * 1024 * 1024 + 1), "limite"),
    ],
)
def test_whole_file_problems_are_explained(data, message):
    with pytest.raises(BatchFileError) as caught:
        read_batch_file(data)
    assert message in caught.value.user_message


def test_too_many_rows():
    header, line = template_csv().decode("utf-8-sig").splitlines()
    with pytest.raises(BatchFileError) as caught:
        read_batch_file(("\n".join([header, *[line] * (MAX_ROWS + 1)])).encode())
    assert "5.001 notebooks" in caught.value.user_message and "5.000" in caught.value.user_message


def rows(n: int) -> list[dict[str, str]]:
    return [dict(DEFAULTS, ram_gb=str([4, 8, 16, 32][i % 4])) for i in range(n)]


def test_every_third_call_throttled_then_all_priced(gateway):
    gateway.responder = lambda n, r: gateway_error(429, "Too Many Requests") if n % 3 == 2 else OK
    progress: list[tuple[int, int]] = []
    results = price_many(
        client_for(gateway.url),
        rows(30),
        concurrency=4,
        backoff_s=0.01,
        max_backoff_s=0.05,
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert [r.status for r in results] == ["ok"] * 30
    throttled = sum(1 for n in range(len(gateway.requests)) if n % 3 == 2)
    assert len(gateway.requests) == 30 + throttled
    assert progress[-1] == (30, 30) and [d for d, _ in progress] == sorted(d for d, _ in progress)


def test_throttling_pauses_every_worker(gateway):
    """After a 429 no worker sends until the shared pause is over."""
    stamps: list[tuple[float, int]] = []

    def respond(n, recorded):
        stamps.append((time.monotonic(), n))
        return gateway_error(429, "Too Many Requests") if n == 5 else OK

    gateway.responder = respond
    # a pause of at least 0.5 s (1 s with jitter down to half): wide margins, not a timing test
    results = price_many(client_for(gateway.url), rows(40), concurrency=8, backoff_s=1.0, max_backoff_s=1.0)
    assert [r.status for r in results] == ["ok"] * 40
    throttled_at = next(t for t, n in stamps if n == 5)
    assert not [t for t, n in stamps if throttled_at + 0.2 < t < throttled_at + 0.5]
    assert [t for t, n in stamps if t >= throttled_at + 0.5]


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (gateway_error(403, "Forbidden", "ForbiddenException"), errors.AuthenticationError),
        (gateway_error(429, "Limit Exceeded", "LimitExceededException"), errors.QuotaExceededError),
    ],
)
def test_403_or_quota_in_the_middle_stops_early(gateway, reply, error):
    gateway.responder = lambda n, r: reply if n >= 10 else OK
    results = price_many(client_for(gateway.url), rows(100), concurrency=4)
    statuses = [r.status for r in results]
    assert len(results) == 100
    assert statuses.count("ok") == 10
    assert 1 <= statuses.count("failed") <= 4  # the requests already in flight when it stopped
    assert statuses.count("not_sent") >= 100 - 10 - 4
    assert len(gateway.requests) <= 10 + 4
    not_sent = [r for r in results if r.status == "not_sent"]
    assert all(isinstance(r.error, error) for r in not_sent)
    assert not_sent[0].message.startswith("Não enviado: o lote parou")


def test_other_failures_do_not_stop_the_batch(gateway):
    gateway.responder = lambda n, r: gateway_error(502, "Internal server error") if n % 5 == 0 else OK
    results = price_many(client_for(gateway.url), rows(20), concurrency=2)
    assert len(results) == 20 and {r.status for r in results} == {"ok", "failed"}
    failed = [r for r in results if r.status == "failed"]
    assert all(isinstance(r.error, errors.ServerError) for r in failed)


def test_concurrency_is_bounded_and_order_kept(gateway):
    active, peak = [0], [0]
    lock = threading.Lock()

    def respond(n, recorded):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.02)
        with lock:
            active[0] -= 1
        return Reply(200, {"prediction": int(recorded.json["data"]["ram_gb"]), "version": "5"})

    gateway.responder = respond
    results = price_many(client_for(gateway.url), rows(40), concurrency=5)
    assert peak[0] <= 5 and peak[0] >= 2
    assert [r.quote.price for r in results] == [[4, 8, 16, 32][i % 4] for i in range(40)]


def test_cancel_keeps_finished_results(gateway):
    gateway.responder = lambda n, r: OK
    cancel = threading.Event()

    def on_result(result: RowResult) -> None:
        if result.index >= 5:
            cancel.set()

    results = price_many(client_for(gateway.url), rows(200), concurrency=2, cancel=cancel, on_result=on_result)
    statuses = [r.status for r in results]
    assert statuses.count("ok") >= 6 and statuses.count("not_sent") > 150
    assert "cancelado" in next(r for r in results if r.status == "not_sent").message


def test_an_interrupted_caller_stops_the_workers(gateway):
    gateway.responder = lambda n, r: OK
    seen: list[int] = []

    def interrupt(result: RowResult) -> None:
        seen.append(result.index)
        if len(seen) == 3:
            raise KeyboardInterrupt  # what a Streamlit rerun does to the script thread

    with pytest.raises(KeyboardInterrupt):
        price_many(client_for(gateway.url), rows(200), concurrency=4, on_result=interrupt)
    sent = len(gateway.requests)
    time.sleep(0.2)
    assert len(gateway.requests) == sent < 50


def test_all_invalid_sends_nothing(gateway):
    results = price_many(client_for(gateway.url), [{"brand": "x"}, {}])
    assert [r.status for r in results] == ["invalid", "invalid"] and not gateway.requests
