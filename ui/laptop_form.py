"""The 13-field laptop form, drawn from the contract table and kept consistent as the clerk types.

Widget values live in session state under ``laptop.<field>`` with
``persist_state="session"``, so the form survives errors, reruns and page switches.
Choosing the processor brand narrows the brand, processor and system to what
``client.laptop.allowed_tokens`` allows, so no widget can produce an invalid request.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from client.laptop import DEFAULTS, DEPENDENT_ON_PROCESSOR, FIELDS, GROUPS, Field, allowed_tokens

RADIO_FIELDS = ("touchscreen", "os_bit", "warranty")


def key(name: str) -> str:
    return f"laptop.{name}"


def _initial(f: Field) -> Any:
    return int(f.default) if f.numeric else f.default


def _processor_brand() -> str:
    return st.session_state[key("processor_brand")]


def _keep_consistent() -> None:
    """After the processor brand changes, move each dependent field onto an allowed token."""
    for name in DEPENDENT_ON_PROCESSOR:
        allowed = allowed_tokens(name, _processor_brand())
        if st.session_state.get(key(name)) not in allowed:
            preferred = [DEFAULTS[name], *(t for t in allowed if t != "other")]
            st.session_state[key(name)] = next((t for t in preferred if t in allowed), allowed[0])


def values() -> dict[str, Any]:
    """The form's current values by field name (tokens or numbers, as the widgets hold them)."""
    return {f.name: st.session_state.get(key(f.name), _initial(f)) for f in FIELDS}


def reset() -> None:
    for f in FIELDS:
        st.session_state[key(f.name)] = _initial(f)


def render() -> None:
    for f in FIELDS:
        st.session_state.setdefault(key(f.name), _initial(f))
    _keep_consistent()
    for group in GROUPS:
        fields = [f for f in FIELDS if f.group == group]
        with st.container(border=True):
            st.markdown(f"**{group}**")
            columns = st.columns(2)
            for index, f in enumerate(fields):
                with columns[index % 2]:
                    _widget(f)


def _widget(f: Field) -> None:
    common: dict[str, Any] = {
        "label": f.label,
        "key": key(f.name),
        "help": f.help,
        "format_func": f.option_label,
        "persist_state": "session",
    }
    if f.numeric:
        typed = st.session_state[key(f.name)]  # a value the clerk typed stays a visible choice
        options = [*f.seen, *([typed] if typed not in f.seen else [])]
    elif f.name in DEPENDENT_ON_PROCESSOR:
        options = list(allowed_tokens(f.name, _processor_brand()))
    else:
        options = list(f.tokens)
    if f.name in RADIO_FIELDS:
        st.radio(options=options, horizontal=True, **common)
    elif f.numeric:
        st.selectbox(options=options, accept_new_options=True, placeholder="Escolha ou digite um valor", **common)
    else:
        st.selectbox(
            options=options,
            placeholder="Escolha uma opção",
            disabled=len(options) == 1,
            on_change=_keep_consistent if f.name == "processor_brand" else "rerun",
            **common,
        )
