"""The contract table and LaptopSpec: exact tokens out, every problem reported, the course bugs caught."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from client.errors import InvalidLaptopError, PricingError
from client.laptop import (
    DEFAULTS,
    FEATURE_NAMES,
    FIELD_BY_NAME,
    FIELD_NAMES,
    FIELDS,
    LaptopSpec,
)

GOLDEN = {
    "brand": "dell",
    "processor_brand": "intel",
    "processor_name": "core i5",
    "os": "windows",
    "weight": "casual",
    "warranty": "2",
    "touchscreen": "0",
    "ram_gb": "16",
    "hdd": "0",
    "ssd": "256",
    "graphic_card": "8",
    "ram_type": "ddr4",
    "os_bit": "64",
}


def test_table_is_the_contract():
    assert tuple(GOLDEN) == FIELD_NAMES
    assert FIELD_BY_NAME["weight"].tokens == ("casual", "gaming", "thinnlight")
    assert FIELD_BY_NAME["processor_name"].tokens == (
        "core i3",
        "core i5",
        "core i7",
        "other",
        "ryzen 5",
        "ryzen 7",
    )
    assert len(FEATURE_NAMES) == 30
    assert FEATURE_NAMES[:5] == ("ram_gb", "ssd", "hdd", "graphic_card", "warranty")
    assert FEATURE_NAMES[5:10] == tuple(f"brand={b}" for b in ("asus", "dell", "hp", "lenovo", "other"))
    assert FEATURE_NAMES[-2:] == ("os_bit=32", "os_bit=64")
    for f in FIELDS:
        assert f.label and f.help and f.group
        if not f.numeric:
            assert set(f.token_labels) == set(f.tokens)
            assert set(f.aliases.values()) <= set(f.tokens)


def test_golden_payload_is_exactly_the_contract_example():
    spec = LaptopSpec.from_mapping(GOLDEN)
    assert spec.to_payload() == {"data": GOLDEN}
    assert LaptopSpec.from_payload(GOLDEN) == spec
    assert LaptopSpec.from_mapping(DEFAULTS) == spec


def _consistent_base(name: str, token: str) -> dict[str, str]:
    base = dict(GOLDEN)
    base[name] = token
    if name == "processor_brand":
        base["processor_name"] = {"amd": "ryzen 5", "intel": "core i5", "m1": "other"}[token]
    if name == "processor_name" and token.startswith("ryzen"):
        base["processor_brand"] = "amd"
    if base["processor_brand"] == "m1":
        base.update(brand="other", os="other", processor_name="other")
    return base


@pytest.mark.parametrize(
    ("name", "token"),
    [(f.name, t) for f in FIELDS if not f.numeric for t in f.tokens],
)
def test_every_token_reaches_the_payload_exactly(name, token):
    spec = LaptopSpec.from_mapping(_consistent_base(name, token))
    payload = spec.to_payload()["data"]
    assert payload[name] == token
    assert all(isinstance(v, str) for v in payload.values())
    vector = spec.feature_vector()
    assert vector[FEATURE_NAMES.index(f"{name}={token}")] == 1.0
    group = [i for i, n in enumerate(FEATURE_NAMES) if n.startswith(f"{name}=")]
    assert sum(vector[i] for i in group) == 1.0


@pytest.mark.parametrize(("name", "value"), [(f.name, v) for f in FIELDS if f.numeric for v in f.seen])
def test_every_seen_number_is_sent_as_its_string(name, value):
    mapping = dict(GOLDEN, **{name: value})
    if name == "ssd" and value == 0:
        mapping["hdd"] = "1024"
    spec = LaptopSpec.from_mapping(mapping)
    assert spec.to_payload()["data"][name] == str(value)
    assert spec.feature_vector()[FEATURE_NAMES.index(name)] == float(value)
    assert spec.warnings == []


@pytest.mark.parametrize(
    ("name", "typed", "token"),
    [
        ("processor_name", "Core i5 ", "core i5"),  # the course's trailing space
        ("processor_name", "CORE  I7", "core i7"),
        ("weight", "thinlight", "thinnlight"),  # the course's single n
        ("weight", "Thinlight", "thinnlight"),
        ("weight", "ThinNlight", "thinnlight"),
        ("touchscreen", 1, "1"),  # the course sent an int
        ("touchscreen", True, "1"),
        ("touchscreen", "Sim", "1"),
        ("touchscreen", "Não", "0"),
        ("os_bit", "64 bits", "64"),
        ("os_bit", "32-bit", "32"),
        ("os_bit", 64, "64"),
        ("brand", "DELL", "dell"),
        ("brand", "Acer", "other"),
        ("os", "Mac", "other"),
        ("ram_type", "LPDDR4X", "other"),
    ],
)
def test_what_people_type_becomes_the_exact_token(name, typed, token):
    mapping = dict(GOLDEN, **{name: typed})
    assert LaptopSpec.from_mapping(mapping).to_payload()["data"][name] == token


@pytest.mark.parametrize(
    ("name", "typed", "number"),
    [
        ("ram_gb", "8 GB", 8),
        ("ram_gb", 8, 8),
        ("ram_gb", 8.0, 8),
        ("ssd", "1 TB", 1024),
        ("warranty", "No warranty", 0),
    ],
)
def test_numbers_with_units(name, typed, number):
    assert getattr(LaptopSpec.from_mapping(dict(GOLDEN, **{name: typed})), name) == number


def test_brand_overwritten_by_processor_name_is_rejected():
    """The course app sent the processor name as the brand."""
    with pytest.raises(InvalidLaptopError) as caught:
        LaptopSpec.from_mapping(dict(GOLDEN, brand="core i5"))
    assert set(caught.value.problems) == {"brand"}
    assert "não é uma opção válida" in caught.value.problems["brand"]


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidLaptopError) as caught:
        LaptopSpec.from_mapping({"brand": "outra coisa", "ram_gb": "-4", "warranty": "5", "weight": "", "ssd": "abc"})
    problems = caught.value.problems
    assert {"brand", "ram_gb", "warranty", "weight", "ssd", "hdd", "os_bit"} <= set(problems)
    assert problems["ram_gb"] == "não pode ser negativo"
    assert problems["weight"] == "campo obrigatório não informado"
    assert "máximo" in problems["warranty"]
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, PricingError)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"processor_brand": "m1", "processor_name": "other", "os": "other"}, "brand"),
        ({"processor_brand": "m1", "brand": "other", "os": "other"}, "processor_name"),
        ({"processor_brand": "m1", "brand": "other", "processor_name": "other"}, "os"),
        ({"processor_brand": "amd"}, "processor_name"),  # core i5 with AMD
        ({"processor_name": "ryzen 5"}, "processor_name"),  # Ryzen with Intel
        ({"ram_gb": "0"}, "ram_gb"),
        ({"ssd": "0", "hdd": "0"}, "ssd"),
    ],
)
def test_consistency_and_sanity_rules(changes, field):
    with pytest.raises(InvalidLaptopError) as caught:
        LaptopSpec.from_mapping(dict(GOLDEN, **changes))
    assert field in caught.value.problems


def test_apple_m1_is_valid_when_consistent():
    spec = LaptopSpec.from_mapping(
        dict(GOLDEN, processor_brand="Apple M1", processor_name="M1", brand="Apple", os="macOS")
    )
    assert (spec.brand, spec.processor_brand, spec.processor_name, spec.os) == (
        "other",
        "m1",
        "other",
        "other",
    )
    assert spec.summary().startswith("Outra · Apple M1 ·")


def test_numbers_outside_training_are_allowed_with_a_warning():
    spec = LaptopSpec.from_mapping(dict(GOLDEN, ram_gb="64", graphic_card="16"))
    assert len(spec.warnings) == 2
    assert "64 GB" in spec.warnings[0] and "treinamento" in spec.warnings[0]


def test_strict_payload_refuses_what_the_lenient_reader_corrects():
    with pytest.raises(InvalidLaptopError) as caught:
        LaptopSpec.from_payload(dict(GOLDEN, weight="thinlight", touchscreen=1, ram_gb="16 GB", extra="x"))
    assert set(caught.value.problems) == {"weight", "touchscreen", "ram_gb", "extra"}
    assert LaptopSpec.from_payload(dict(GOLDEN, ram_gb=16)).ram_gb == 16


def test_spec_is_frozen_and_summarised():
    spec = LaptopSpec.from_mapping(GOLDEN)
    with pytest.raises(AttributeError):
        spec.brand = "hp"  # type: ignore[misc]
    assert spec.summary() == "Dell · Intel Core i5 · 16 GB RAM · SSD 256 GB · vídeo 8 GB"


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from([t for f in FIELDS for t in f.tokens] + ["8 GB", "1 TB", "Sim", "64 bits", "-0"]),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@given(
    st.one_of(
        st.dictionaries(st.sampled_from([*FIELD_NAMES, "extra", ""]), _values, max_size=16),
        st.fixed_dictionaries({n: _values for n in FIELD_NAMES}),
        _values,
    ),
    st.booleans(),
)
def test_from_mapping_raises_nothing_but_invalid_laptop_error(mapping, strict):
    try:
        spec = LaptopSpec.from_mapping(mapping, strict=strict)
    except InvalidLaptopError as exc:
        assert exc.problems and all(isinstance(v, str) and v for v in exc.problems.values())
        return
    payload = spec.to_payload()["data"]
    for f in FIELDS:
        assert payload[f.name] in f.tokens if not f.numeric else payload[f.name].isdigit()


def test_no_combination_of_tokens_breaks_the_feature_vector():
    categorical = [f for f in FIELDS if not f.numeric]
    count = 0
    for combo in itertools.product(*(f.tokens for f in categorical)):
        mapping = dict(GOLDEN, **{f.name: t for f, t in zip(categorical, combo, strict=True)})
        try:
            vector = LaptopSpec.from_mapping(mapping).feature_vector()
        except InvalidLaptopError:
            continue
        count += 1
        assert len(vector) == 30 and sum(vector[5:]) == len(categorical)
    assert count > 100
