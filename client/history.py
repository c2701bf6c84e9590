"""This session's quotes, as the estimate page lists them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

import pandas as pd

from client.api import Quote
from client.laptop import LaptopSpec
from client.money import format_price
from client.settings import STORE_TZ

HISTORY_COLUMNS = {
    "time": "Horário",
    "summary": "Notebook",
    "price": "Preço estimado",
    "formatted_price": "Preço (texto)",
    "model_version": "Versão do modelo",
}


@dataclass(frozen=True)
class QuoteRecord:
    time: datetime
    summary: str
    price: int
    formatted_price: str
    model_version: str

    @classmethod
    def of(cls, spec: LaptopSpec, quote: Quote, currency: str) -> QuoteRecord:
        """The quote as the history shows it, timed on the shop's clock."""
        return cls(
            time=datetime.now(STORE_TZ).replace(microsecond=0, tzinfo=None),
            summary=spec.summary(),
            price=quote.price,
            formatted_price=format_price(quote.price, currency),
            model_version=quote.model_version,
        )


def history_frame(records: Iterable[QuoteRecord]) -> pd.DataFrame:
    """Newest first, with pt-BR column names."""
    frame = pd.DataFrame([asdict(r) for r in records], columns=list(HISTORY_COLUMNS))
    return frame.iloc[::-1].rename(columns=HISTORY_COLUMNS).reset_index(drop=True)
