"""The contract's 13 laptop fields, declared once, and the validated ``LaptopSpec``.

``FIELDS`` is the single table every other part reads: the form, the validator,
the payload builder, the local API's feature vector, the batch template, the log
parser and the drift charts. Its order is the order in which the deployed API's
example request (and so its S3 log) lists the fields.

The deployed API never rejects a wrong token: it silently prices a different
laptop. So this module is the only validator. ``LaptopSpec.from_mapping`` accepts
what people type (case, spaces, "Sim", "64 bits", "8 GB", "Thinlight", "Acer")
and maps it onto the exact tokens, or reports every problem at once;
``LaptopSpec.from_payload`` accepts only the exact request body, as the local API
must to stay as strict as the contract.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from client.errors import InvalidLaptopError


@dataclass(frozen=True)
class Field:
    """One request field: its tokens (categorical) or numeric domain, and its pt-BR texts."""

    name: str
    label: str
    help: str
    group: str
    tokens: tuple[str, ...] = ()
    token_labels: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    seen: tuple[int, ...] = ()
    maximum: int | None = None
    hard_maximum: int | None = None
    unit: str = ""
    default: str = ""
    column_aliases: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        return not self.tokens

    def option_label(self, value: str | int) -> str:
        """pt-BR text for a token or a number, as the form shows it."""
        if self.numeric:
            if not str(value).isdigit():
                return str(value)
            unit = "ano" if self.unit == "anos" and str(value) == "1" else self.unit
            return f"{value} {unit}".strip()
        return self.token_labels.get(str(value), str(value))


GROUPS = (
    "Marca e sistema",
    "Processador",
    "Memória e armazenamento",
    "Tela, peso e garantia",
)

_OTHER_BRANDS = ("acer", "msi", "apple", "avita", "outra", "outro", "outras")

FIELDS: tuple[Field, ...] = (
    Field(
        "brand",
        "Marca",
        "Fabricante do notebook. Acer, MSI, Apple, Avita e demais entram em “Outra”.",
        GROUPS[0],
        tokens=("asus", "dell", "hp", "lenovo", "other"),
        token_labels={
            "asus": "Asus",
            "dell": "Dell",
            "hp": "HP",
            "lenovo": "Lenovo",
            "other": "Outra (Acer, MSI, Apple, Avita…)",
        },
        aliases={**{b: "other" for b in _OTHER_BRANDS}, "hewlett packard": "hp"},
        default="dell",
        column_aliases=("marca", "fabricante"),
    ),
    Field(
        "processor_brand",
        "Fabricante do processador",
        "Apple M1 (Apple Silicon) só existe em notebooks Apple com macOS.",
        GROUPS[1],
        tokens=("amd", "intel", "m1"),
        token_labels={"amd": "AMD", "intel": "Intel", "m1": "Apple M1"},
        aliases={"apple": "m1", "apple m1": "m1", "apple silicon": "m1"},
        default="intel",
        column_aliases=("fabricante do processador", "marca do processador"),
    ),
    Field(
        "processor_name",
        "Modelo do processador",
        "Core i9, Celeron, Pentium, M1 e Ryzen 9 entram em “Outro”; "
        "Ryzen 3 foi agrupado com Ryzen 7 no treinamento do modelo.",
        GROUPS[1],
        tokens=("core i3", "core i5", "core i7", "other", "ryzen 5", "ryzen 7"),
        token_labels={
            "core i3": "Core i3",
            "core i5": "Core i5",
            "core i7": "Core i7",
            "other": "Outro (i9, Celeron, Pentium, M1, Ryzen 9)",
            "ryzen 5": "Ryzen 5",
            "ryzen 7": "Ryzen 7 (ou Ryzen 3)",
        },
        aliases={
            "i3": "core i3",
            "i5": "core i5",
            "i7": "core i7",
            "core i9": "other",
            "i9": "other",
            "celeron": "other",
            "celeron dual": "other",
            "pentium": "other",
            "pentium quad": "other",
            "m1": "other",
            "apple m1": "other",
            "ryzen 9": "other",
            "ryzen 3": "ryzen 7",
            "outro": "other",
        },
        default="core i5",
        column_aliases=("modelo do processador", "processador"),
    ),
    Field(
        "os",
        "Sistema operacional",
        "macOS e DOS (sem Windows) entram em “Outro”.",
        GROUPS[0],
        tokens=("other", "windows"),
        token_labels={"other": "Outro (macOS, DOS)", "windows": "Windows"},
        aliases={"mac": "other", "macos": "other", "dos": "other", "outro": "other"},
        default="windows",
        column_aliases=("sistema operacional", "sistema", "so"),
    ),
    Field(
        "weight",
        "Perfil",
        "Casual para uso geral, Gamer para notebooks de jogos, Fino e leve para ultrabooks.",
        GROUPS[3],
        tokens=("casual", "gaming", "thinnlight"),
        token_labels={"casual": "Casual", "gaming": "Gamer", "thinnlight": "Fino e leve"},
        aliases={
            "thinlight": "thinnlight",
            "thin n light": "thinnlight",
            "thin and light": "thinnlight",
            "fino e leve": "thinnlight",
            "gamer": "gaming",
        },
        default="casual",
        column_aliases=("perfil", "peso", "tipo"),
    ),
    Field(
        "warranty",
        "Garantia restante (anos)",
        "Anos de garantia do fabricante que ainda restam; 0 se não houver.",
        GROUPS[3],
        seen=(0, 1, 2, 3),
        maximum=3,
        hard_maximum=3,
        unit="anos",
        default="2",
        column_aliases=("garantia", "garantia (anos)", "anos de garantia"),
    ),
    Field(
        "touchscreen",
        "Tela sensível ao toque",
        "A tela aceita toque?",
        GROUPS[3],
        tokens=("0", "1"),
        token_labels={"0": "Não", "1": "Sim"},
        aliases={
            "não": "0",
            "nao": "0",
            "no": "0",
            "false": "0",
            "sim": "1",
            "yes": "1",
            "true": "1",
        },
        default="0",
        column_aliases=("touch", "tela touch", "touchscreen (sim/não)"),
    ),
    Field(
        "ram_gb",
        "Memória RAM (GB)",
        "Quantidade total de memória RAM.",
        GROUPS[2],
        seen=(4, 8, 16, 32),
        hard_maximum=1024,
        unit="GB",
        default="16",
        column_aliases=("ram", "memória ram", "ram (gb)", "memória (gb)"),
    ),
    Field(
        "hdd",
        "HD (GB)",
        "Capacidade do disco rígido; 0 se não houver.",
        GROUPS[2],
        seen=(0, 512, 1024, 2048),
        hard_maximum=65536,
        unit="GB",
        default="0",
        column_aliases=("hd", "hdd (gb)", "disco rígido (gb)"),
    ),
    Field(
        "ssd",
        "SSD (GB)",
        "Capacidade do SSD; 0 se não houver.",
        GROUPS[2],
        seen=(0, 128, 256, 512, 1024, 2048, 3072),
        hard_maximum=65536,
        unit="GB",
        default="256",
        column_aliases=("ssd",),
    ),
    Field(
        "graphic_card",
        "Memória de vídeo dedicada (GB)",
        "Memória da placa de vídeo dedicada; 0 se for integrada.",
        GROUPS[2],
        seen=(0, 2, 4, 6, 8),
        hard_maximum=256,
        unit="GB",
        default="8",
        column_aliases=("graphic_card_gb", "placa de vídeo (gb)", "vídeo (gb)", "memória de vídeo (gb)"),
    ),
    Field(
        "ram_type",
        "Tipo de memória",
        "DDR3, DDR5 e LPDDR entram em “Outra”.",
        GROUPS[2],
        tokens=("ddr4", "other"),
        token_labels={"ddr4": "DDR4", "other": "Outra (DDR3, DDR5, LPDDR)"},
        aliases={t: "other" for t in ("ddr3", "ddr5", "lpddr3", "lpddr4", "lpddr4x", "lpddr5", "outra")},
        default="ddr4",
        column_aliases=("tipo de ram",),
    ),
    Field(
        "os_bit",
        "Arquitetura do sistema",
        "32 ou 64 bits.",
        GROUPS[0],
        tokens=("32", "64"),
        token_labels={"32": "32 bits", "64": "64 bits"},
        aliases={
            f"{n}{suffix}": n for n in ("32", "64") for suffix in (" bits", " bit", "bits", "bit", "-bit", "-bits")
        },
        default="64",
        column_aliases=("arquitetura", "bits"),
    ),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
# The form's own pt-BR labels, whole ("Outra (Acer, MSI, Apple, Avita…)") or short ("Outra"),
# read back as their tokens: a spreadsheet filled from what the screen shows must parse.
_LABEL_TOKENS: dict[str, dict[str, str]] = {
    f.name: {
        " ".join(form.lower().split()): token
        for token, label in f.token_labels.items()
        for form in (label, label.split(" (")[0])
    }
    for f in FIELDS
}
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)

# The model's feature order (CONTRACT.md §1): numbers first, then one-hot groups in
# the contract table's order, each group's tokens in declared order. Never a set.
NUMERIC_FEATURES = ("ram_gb", "ssd", "hdd", "graphic_card", "warranty")
ONE_HOT_GROUPS = (
    "brand",
    "processor_brand",
    "processor_name",
    "os",
    "weight",
    "touchscreen",
    "ram_type",
    "os_bit",
)
FEATURE_NAMES: tuple[str, ...] = NUMERIC_FEATURES + tuple(
    f"{name}={token}" for name in ONE_HOT_GROUPS for token in FIELD_BY_NAME[name].tokens
)

_NUMBER = re.compile(r"^(\d+)(?:[.,]0+)?\s*(gb|tb|anos?|years?)?$")
_NO_WARRANTY = {"no warranty", "sem garantia", "nenhuma", "não", "nao"}


def _normalise_text(value: str) -> str:
    return " ".join(value.strip().lower().split())


def _parse_category(f: Field, value: Any) -> str:
    """Map what a person typed onto one of the field's exact tokens, or raise ValueError."""
    if isinstance(value, bool):
        value = "1" if value else "0"
    elif isinstance(value, int):
        value = str(value)
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    if not isinstance(value, str):
        raise ValueError(f"tipo de valor não aceito ({type(value).__name__})")
    text = _normalise_text(value)
    token = text if text in f.tokens else f.aliases.get(text) or _LABEL_TOKENS[f.name].get(text)
    if token is None:
        raise ValueError(f"“{value}” não é uma opção válida ({_options_text(f)})")
    return token


def _parse_number(f: Field, value: Any) -> int:
    """Read an integer count (accepting "8 GB", "1 TB", "2 anos", 8.0), or raise ValueError."""
    if isinstance(value, bool):
        raise ValueError("informe um número inteiro")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError("informe um número inteiro")
        number = int(value)
    elif isinstance(value, str):
        text = _normalise_text(value)
        if f.name == "warranty" and text in _NO_WARRANTY:
            return 0
        negative = text.startswith("-")
        match = _NUMBER.match(text.lstrip("-").strip())
        if not match:
            raise ValueError(f"“{value}” não é um número inteiro")
        number = int(match.group(1)) * (1024 if match.group(2) == "tb" else 1)
        number = -number if negative else number
    else:
        raise ValueError(f"tipo de valor não aceito ({type(value).__name__})")
    if number < 0:
        raise ValueError("não pode ser negativo")
    if f.hard_maximum is not None and number > f.hard_maximum:
        raise ValueError(f"acima do máximo aceito ({f.hard_maximum} {f.unit})")
    return number


def _options_text(f: Field) -> str:
    return "opções: " + ", ".join(f.tokens)


def _consistency_problems(values: Mapping[str, str | int]) -> dict[str, str]:
    """The pairings real laptops have (CONTRACT.md §1); the training data has no counter-examples."""
    problems: dict[str, str] = {}
    processor_brand = values.get("processor_brand")
    processor_name = str(values.get("processor_name", ""))
    if processor_brand == "m1":
        for name, reason in (
            ("brand", "Apple M1 só existe em notebooks da marca “Outra” (Apple)"),
            ("processor_name", "com Apple M1 o modelo do processador deve ser “Outro”"),
            ("os", "com Apple M1 o sistema deve ser “Outro” (macOS)"),
        ):
            if name in values and values[name] != "other":
                problems[name] = reason
    if processor_name.startswith("core i") and processor_brand not in (None, "intel"):
        problems["processor_name"] = "processadores Core i3/i5/i7 são da Intel"
    if processor_name.startswith("ryzen") and processor_brand not in (None, "amd"):
        problems["processor_name"] = "processadores Ryzen são da AMD"
    if values.get("ram_gb") == 0:
        problems["ram_gb"] = "a memória RAM deve ser maior que zero"
    if values.get("ssd") == 0 and values.get("hdd") == 0:
        problems["ssd"] = "informe o SSD ou o HD: o notebook precisa de armazenamento"
    return problems


@dataclass(frozen=True)
class LaptopSpec:
    """A laptop that satisfies the contract: exact tokens, sane numbers, consistent parts."""

    brand: str
    processor_brand: str
    processor_name: str
    os: str
    weight: str
    warranty: int
    touchscreen: str
    ram_gb: int
    hdd: int
    ssd: int
    graphic_card: int
    ram_type: str
    os_bit: str

    @classmethod
    def from_mapping(cls, mapping: Any, *, strict: bool = False) -> LaptopSpec:
        """Build from a form, CSV row or log row; raise InvalidLaptopError naming every problem.

        With ``strict`` the values must already be the contract's exact tokens
        (numbers as digits or ints) and no other key may be present: what the
        API itself must demand of a request body.
        """
        if not isinstance(mapping, Mapping):
            raise InvalidLaptopError({"data": "esperado um objeto com os 13 campos"})
        problems: dict[str, str] = {}
        values: dict[str, str | int] = {}
        for f in FIELDS:
            if f.name not in mapping or _is_blank(mapping[f.name]):
                problems[f.name] = "campo obrigatório não informado"
                continue
            raw = mapping[f.name]
            try:
                if strict and not f.numeric and raw not in f.tokens:
                    raise ValueError(f"“{raw}” não é um token exato ({_options_text(f)})")
                if (
                    strict
                    and f.numeric
                    and not (
                        (isinstance(raw, int) and not isinstance(raw, bool))
                        or (isinstance(raw, str) and raw.isascii() and raw.isdigit())
                    )
                ):
                    raise ValueError(f"“{raw}” não é um número inteiro sem unidade")
                parse = _parse_number if f.numeric else _parse_category
                values[f.name] = parse(f, raw)
            except ValueError as exc:
                problems[f.name] = str(exc)
        if strict:
            for key in mapping:
                if key not in FIELD_BY_NAME:
                    problems[str(key)] = "campo desconhecido"
        for name, reason in _consistency_problems(values).items():
            problems.setdefault(name, reason)
        if problems:
            raise InvalidLaptopError(problems)
        return cls(**values)

    @classmethod
    def from_payload(cls, data: Any) -> LaptopSpec:
        """Validate a request's ``data`` object exactly as the contract demands."""
        return cls.from_mapping(data, strict=True)

    def as_strings(self) -> dict[str, str]:
        """The 13 fields in contract order, every value a string (what the API casts)."""
        return {name: str(getattr(self, name)) for name in FIELD_NAMES}

    def to_payload(self) -> dict[str, dict[str, str]]:
        """The exact request body: ``{"data": {...}}`` with string values."""
        return {"data": self.as_strings()}

    def feature_vector(self) -> list[float]:
        """The model's 30 inputs in contract order: numbers, then one-hot groups."""
        vector = [float(getattr(self, name)) for name in NUMERIC_FEATURES]
        for name in ONE_HOT_GROUPS:
            value = getattr(self, name)
            vector.extend(1.0 if value == token else 0.0 for token in FIELD_BY_NAME[name].tokens)
        return vector

    @property
    def warnings(self) -> list[str]:
        """pt-BR notes on numbers the model never saw in training (allowed, but less reliable)."""
        notes = []
        for f in FIELDS:
            value = getattr(self, f.name)
            if f.numeric and f.seen and value not in f.seen:
                seen = ", ".join(str(v) for v in f.seen)
                notes.append(
                    f"{f.label}: {value} {f.unit} não aparece nos dados de treinamento "
                    f"(valores vistos: {seen}); a estimativa pode ser menos confiável."
                )
        return notes

    def summary(self) -> str:
        """One line a clerk recognises, e.g. 'Dell · Intel Core i5 · 16 GB RAM · SSD 256 GB'."""
        processor = FIELD_BY_NAME["processor_brand"].option_label(self.processor_brand)
        if self.processor_brand != "m1":
            name = FIELD_BY_NAME["processor_name"].option_label(self.processor_name)
            processor = f"{processor} {name.split(' (')[0]}"
        parts = [
            FIELD_BY_NAME["brand"].option_label(self.brand).split(" (")[0],
            processor,
            f"{self.ram_gb} GB RAM",
        ]
        if self.ssd:
            parts.append(f"SSD {self.ssd} GB")
        if self.hdd:
            parts.append(f"HD {self.hdd} GB")
        if self.graphic_card:
            parts.append(f"vídeo {self.graphic_card} GB")
        return " · ".join(parts)


# The form lets the processor brand drive consistency: choosing Apple M1 narrows the
# brand, processor and system to "other"; Intel offers only Core models; AMD only Ryzen.
DEPENDENT_ON_PROCESSOR = ("brand", "processor_name", "os")


def allowed_tokens(name: str, processor_brand: str) -> tuple[str, ...]:
    """The tokens of ``name`` consistent with ``processor_brand``, by the validator's own rules."""
    return tuple(
        token
        for token in FIELD_BY_NAME[name].tokens
        if name not in _consistency_problems({"processor_brand": processor_brand, name: token})
    )


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


DEFAULTS: dict[str, str] = {f.name: f.default for f in FIELDS}
