"""Figures: amounts as precise as their source, and the change between two of them."""

from __future__ import annotations

import math
from typing import Literal

import msgspec

from casebook.model.format.case import MAX_NUMBER, Amount, Metric, Quantity
from casebook.model.format.text import Lang, Text, pick

Bound = Literal["exact", "under", "over", "about"]
_MARK = {"exact": "", "under": "<", "over": ">", "about": "≈"}
"""Qualifier marks, written against their number so a line never breaks between them."""
_WORD = {
    "en": {"exact": "", "under": "under ", "over": "more than ", "about": "about "},
    "zh": {"exact": "", "under": "不到", "over": "超过", "about": "约"},
}


def amount(quantity: Quantity) -> Amount:
    """Any quantity as an Amount (a bare number is exact)."""
    if isinstance(quantity, Amount):
        return quantity
    return Amount(value=quantity)


def format_number(value: float, lang: Lang) -> str:
    """A number as a reader expects it: 1,500 / 160 million in English; 1500 / 1.6亿 in Chinese."""
    if lang == "zh":
        for size, word in ((100_000_000, "亿"), (10_000, "万")):
            if abs(value) >= size and value % (size // 100) == 0:
                return f"{_trim(value / size)}{word}"
        return _trim(value)
    for size, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if abs(value) >= size and value % (size // 100) == 0:
            return f"{_trim(value / size)} {word}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value):,}"


def _trim(value: float, digits: int = 2) -> str:
    return f"{value:.{max(digits, 2)}f}".rstrip("0").rstrip(".")


def format_amount(quantity: Quantity, unit: Text | None, lang: Lang) -> str:
    """'under 10 days', 'more than 1,500 customers', or the source's wording when it has one."""
    item = amount(quantity)
    if item.wording is not None:
        return pick(item.wording, lang)
    text = format_number(item.value, lang)
    if item.to is not None:
        text += "–" + format_number(item.to, lang)
    text = _WORD[lang][item.qualifier] + text
    unit_text = pick(unit, lang)
    if not unit_text:
        return text
    joiner = "" if lang == "zh" or unit_text == "%" else " "
    return f"{text}{joiner}{unit_text}"


class Change(msgspec.Struct, frozen=True):
    """How a figure moved from before to after, and how sure that is.

    ``bound`` says where the true change lies against the computed one: a drop
    from 22 to "under 10" days is a change of -54.5 % or more, so ``under``.
    """

    delta: float
    percent: float | None
    ratio: float | None
    bound: Bound

    def label(self) -> str:
        """'<−54.5%', '×150', '≈+20%': the change as a reader scans it, in one unbreakable word.

        Bounds are rounded so they stay true: "under x" rounds up, "over x" down.
        """
        if self.ratio is not None and self.ratio >= 2:
            return f"{_MARK[self.bound]}×{_trim(self._rounded(self.ratio))}"
        value, suffix = (self.delta, "") if self.percent is None else (self.percent, "%")
        digits = 1
        rounded = self._rounded(value)
        while rounded == 0 and value != 0 and digits < 6:  # a small change keeps its sign
            digits += 1
            rounded = self._rounded(value, digits)
        sign = "+" if rounded > 0 else "−" if rounded < 0 else "±"
        return f"{_MARK[self.bound]}{sign}{_trim(abs(rounded), digits)}{suffix}"

    def _rounded(self, value: float, digits: int = 1) -> float:
        scale = 10**digits
        if self.bound == "under":
            return math.ceil(value * scale) / scale
        if self.bound == "over":
            return math.floor(value * scale) / scale
        return round(value, digits)


def change(metric: Metric) -> Change | None:
    """The change of a before/after metric, computed, never typed by an author."""
    if metric.before is None or metric.after is None:
        return None
    before, after = amount(metric.before), amount(metric.after)
    delta = after.value - before.value
    # Against the size of the start, so a rise from a negative start is still a rise.
    percent = delta / abs(before.value) * 100 if before.value else None
    ratio = after.value / before.value if before.value and after.value / before.value > 0 else None
    # From a start near zero (1e-300), both can run past any number a reader can use,
    # or past a float's range; the change is then told by its delta alone.
    percent = percent if percent is not None and abs(percent) <= MAX_NUMBER else None
    ratio = ratio if ratio is not None and ratio <= MAX_NUMBER else None
    return Change(delta, percent, ratio, _bound(before, after))


def _bound(before: Amount, after: Amount) -> Bound:
    ranged = before.to is not None or after.to is not None  # a "to" of 0 is a range too
    if "about" in (before.qualifier, after.qualifier) or ranged:
        return "about"
    # A lower "after" or a higher "before" both push the change down.
    pushes = {
        {"under": -1, "over": 1}.get(after.qualifier, 0),
        {"under": 1, "over": -1}.get(before.qualifier, 0),
    } - {0}
    if not pushes:
        return "exact"
    if len(pushes) > 1:
        return "about"
    return "under" if pushes == {-1} else "over"
