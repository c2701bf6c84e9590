"""Prices and counts formatted for pt-BR with Babel's CLDR data, so no OS locale is ever needed.

The course app called ``locale.setlocale(LC_ALL, "pt_BR.UTF-8")`` and crashed on
machines without that locale; Babel carries its own data.
"""

from __future__ import annotations

from babel.numbers import format_currency, format_decimal

_WHOLE_UNITS = "¤\xa0#,##0"  # the symbol, a no-break space, grouped units, no cents


def format_price(value: float, currency: str = "BRL", locale: str = "pt_BR", *, cents: bool = True) -> str:
    """``format_price(2321) == "R$\\xa02.321,00"``; with ``cents=False``, ``"R$\\xa02.321"``."""
    if cents:
        return format_currency(value, currency, locale=locale)
    return format_currency(value, currency, format=_WHOLE_UNITS, locale=locale, currency_digits=False)


def format_count(value: int, locale: str = "pt_BR") -> str:
    """``format_count(6466) == "6.466"``."""
    return format_decimal(value, locale=locale)
