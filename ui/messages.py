"""How results and failures look: prices that never turn into LaTeX, errors with a next step."""

from __future__ import annotations

import streamlit as st

from client.errors import InvalidLaptopError, PricingError
from client.laptop import FIELD_BY_NAME


def escape_markdown_money(text: str) -> str:
    """In Markdown a bare ``$`` starts LaTeX math; ``R$ 1,00 – R$ 2,00`` would render as a formula."""
    return text.replace("$", r"\$")


def show_error(exc: PricingError) -> None:
    """The clerk's message and next step; technical detail folded away for support."""
    if isinstance(exc, InvalidLaptopError):
        show_invalid(exc)
        return
    st.error(f"**{exc.user_message}** {exc.next_step}", icon=":material/block:")
    with st.expander("Detalhes para o suporte"):
        st.text(
            f"Tipo: {type(exc).__name__}\n"
            f"Status HTTP: {exc.status if exc.status is not None else '—'}\n"
            f"Código da requisição (x-amzn-RequestId): {exc.request_id or '—'}\n"
            f"Detalhe: {exc.detail or '—'}"
        )


def show_invalid(exc: InvalidLaptopError) -> None:
    lines = "\n".join(
        f"- **{FIELD_BY_NAME[name].label if name in FIELD_BY_NAME else name}**: {reason}"
        for name, reason in exc.problems.items()
    )
    st.error(f"**Confira os dados do notebook.** {exc.next_step}\n\n{lines}", icon=":material/edit:")
