"""Price formatting with Babel's CLDR data, so no OS locale is ever needed.

The course app called ``locale.setlocale(LC_ALL, "pt_BR.UTF-8")`` and crashed on
machines without that locale; Babel carries its own data.
"""

from __future__ import annotations

from babel.numbers import format_currency


def format_price(value: float, currency: str = "BRL", locale: str = "pt_BR") -> str:
    """``format_price(2321) == "R$\\xa02.321,00"`` (a no-break space after the symbol)."""
    return format_currency(value, currency, locale=locale)
