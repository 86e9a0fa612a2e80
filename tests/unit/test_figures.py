"""Figures: numbers as a reader expects them, and changes as sure as their sources."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from casebook.model.format.case import Amount, Metric
from casebook.model.format.figures import Change, change, format_amount, format_number
from casebook.model.format.text import Bilingual


def pair(before, after) -> Metric:
    return Metric(id="m", label="L", before=before, after=after)


def under(value: float) -> Amount:
    return Amount(value=value, qualifier="under")


def over(value: float) -> Amount:
    return Amount(value=value, qualifier="over")


def about(value: float) -> Amount:
    return Amount(value=value, qualifier="about")


# -- change ------------------------------------------------------------------------


def test_22_days_to_under_10() -> None:
    moved = change(pair(22, under(10)))
    assert moved.delta == -12
    assert moved.percent == pytest.approx(-12 / 22 * 100)  # -54.54...
    assert moved.percent == pytest.approx(-54.545, abs=1e-3)
    assert moved.bound == "under"  # "under 10" after: the drop is at least this big
    assert moved.label() == "<−54.5%"


def test_8_days_to_under_3() -> None:
    moved = change(pair(8, under(3)))
    assert (moved.delta, moved.percent, moved.bound) == (-5, -62.5, "under")
    assert moved.label() == "<−62.5%"


def test_large_growth_reads_as_a_ratio() -> None:
    moved = change(pair(2, 300))
    assert moved.ratio == 150
    assert moved.bound == "exact"
    assert moved.label() == "×150"


def test_ratio_starts_at_double() -> None:
    assert change(pair(1, 2)).label() == "×2"
    assert change(pair(100, 199)).label() == "+99%"


@pytest.mark.parametrize(
    ("before", "after", "bound"),
    [
        (10, 5, "exact"),
        (10, under(5), "under"),  # after lower than stated: change lower
        (10, over(5), "over"),
        (under(10), 5, "over"),  # before lower than stated: change higher
        (over(10), 5, "under"),
        (over(10), under(5), "under"),  # both push the change down
        (under(10), over(5), "over"),  # both push it up
        (under(10), under(5), "about"),  # they pull apart: no safe direction
        (over(10), over(5), "about"),
        (about(10), 5, "about"),
        (10, about(5), "about"),
        (about(10), under(5), "about"),
        (Amount(value=8, to=12), 5, "about"),
        (10, Amount(value=4, to=6), "about"),
        (-10, Amount(value=-5, to=0), "about"),  # a range ending at zero is still a range
        (Amount(value=10, qualifier="exact"), Amount(value=5, qualifier="exact"), "exact"),
    ],
)
def test_bound_follows_the_qualifiers(before, after, bound: str) -> None:
    assert change(pair(before, after)).bound == bound


@pytest.mark.parametrize(
    ("before", "after", "label"),
    [
        (100, 120, "+20%"),
        (100, 80, "−20%"),
        (10, 10, "±0%"),
        (5, 0, "−100%"),  # no ratio to zero
        (0, 5, "+5"),  # no percentage from zero: the plain difference
        (0, -5, "−5"),
        (3, 3.5, "+16.7%"),
        (about(100), 80, "≈−20%"),
        (100, over(150), ">+50%"),
        (100, under(300), "<×3"),
        (3, under(1), "<−66.6%"),  # a bound rounds the safe way: −66.67 is under −66.6
        (3, over(1), ">−66.7%"),
        (-5, 5, "+200%"),  # a rise from a negative start is a rise
        (-5, -10, "×2"),
    ],
)
def test_change_labels(before, after, label: str) -> None:
    assert change(pair(before, after)).label() == label


def test_no_change_for_a_single_value() -> None:
    assert change(Metric(id="m", label="L", value=3)) is None


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=-10_000, max_value=10_000),
    st.integers(min_value=-10_000, max_value=10_000),
    st.sampled_from(["exact", "under", "over", "about"]),
    st.sampled_from(["exact", "under", "over", "about"]),
)
@example(-2001, -2002, "exact", "exact")  # −0.05%: no "±0%" for a change
@example(-1001, -1000, "under", "exact")  # above +0.0999%: ">+0.09%"
def test_label_sign_follows_the_direction_of_change(b: int, a: int, qb: str, qa: str) -> None:
    moved = change(pair(Amount(value=b, qualifier=qb), Amount(value=a, qualifier=qa)))
    label = moved.label()
    assert isinstance(moved, Change)
    assert moved.delta == a - b
    if "×" in label:
        assert moved.ratio is not None
        assert moved.ratio >= 2
    elif a > b:
        assert "+" in label
    elif a < b:
        assert "−" in label
    else:
        assert "±" in label


# -- numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [
        (1500, "1,500", "1500"),
        (160_000_000, "160 million", "1.6亿"),
        (1.6e8, "160 million", "1.6亿"),
        (1_900_000, "1.9 million", "190万"),
        (2_500_000_000, "2.5 billion", "25亿"),
        (15_000, "15,000", "1.5万"),
        (10_000, "10,000", "1万"),
        (12_345, "12,345", "12345"),
        (123_456_789, "123,456,789", "123456789"),
        (1234.5, "1,234.5", "1234.5"),
        (0.5, "0.5", "0.5"),
        (12.0, "12", "12"),
        (0, "0", "0"),
        (-1500, "-1,500", "-1500"),
        (-160_000_000, "-160 million", "-1.6亿"),
    ],
)
def test_format_number(value: float, en: str, zh: str) -> None:
    assert format_number(value, "en") == en
    assert format_number(value, "zh") == zh


DAYS = Bilingual(en="days", zh="天")


@pytest.mark.parametrize(
    ("quantity", "unit", "en", "zh"),
    [
        (10, DAYS, "10 days", "10天"),
        (under(10), DAYS, "under 10 days", "不到10天"),
        (
            over(1500),
            Bilingual(en="customers", zh="家客户"),
            "more than 1,500 customers",
            "超过1500家客户",
        ),
        (about(160_000_000), None, "about 160 million", "约1.6亿"),
        (Amount(value=10, to=20), DAYS, "10–20 days", "10–20天"),
        (12, "%", "12%", "12%"),
        (
            Amount(value=0.5, wording=Bilingual(en="about half", zh="约一半")),
            DAYS,
            "about half",
            "约一半",
        ),
    ],
)
def test_format_amount(quantity, unit, en: str, zh: str) -> None:
    assert format_amount(quantity, unit, "en") == en
    assert format_amount(quantity, unit, "zh") == zh


LIMIT = 10**15
EXTREMES = [0, 1, -1, LIMIT, -LIMIT, 1e15, -1e15, 1e-300, -1e-300, 5e-324, 1e-293, 0.5]


@settings(max_examples=300, deadline=None)
@given(
    b=st.one_of(st.sampled_from(EXTREMES), st.floats(-1e15, 1e15), st.integers(-LIMIT, LIMIT)),
    a=st.one_of(st.sampled_from(EXTREMES), st.floats(-1e15, 1e15), st.integers(-LIMIT, LIMIT)),
    qb=st.sampled_from(["exact", "under", "over", "about"]),
    qa=st.sampled_from(["exact", "under", "over", "about"]),
)
@example(b=1e-300, a=LIMIT, qb="exact", qa="under")  # a ratio past a float's range
@example(b=1e-293, a=1e15, qb="exact", qa="over")  # a ratio that overflows when rounded
def test_any_valid_numbers_format_and_change_without_error(b, a, qb: str, qa: str) -> None:
    # Every number validation lets through (|x| <= 10**15) can be shown.
    metric = Metric(
        id="m",
        label="L",
        before=Amount(value=b, qualifier=qb),
        after=Amount(value=a, qualifier=qa),
    )
    found = change(metric)
    assert found is not None
    label = found.label()
    assert len(label) < 40, label
    for lang in ("en", "zh"):
        assert format_amount(metric.before, "days", lang)  # type: ignore[arg-type]
        assert format_amount(metric.after, None, lang)  # type: ignore[arg-type]


def test_a_change_from_almost_nothing_is_told_by_its_delta() -> None:
    metric = Metric(id="m", label="L", before=1e-300, after=Amount(value=LIMIT, qualifier="under"))
    found = change(metric)
    assert found is not None
    assert (found.percent, found.ratio) == (None, None)
    assert found.label() == "<+1000000000000000"
