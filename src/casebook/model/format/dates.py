"""Dates with honest precision: a year, a month, a day, a range or a fuzzy period."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from casebook.model.format.text import Lang

Precision = Literal["year", "month", "day", "decade", "part", "range"]

DATE_HELP = (
    "write a date as 2017, 2017-09, 2017-09-14, a range 2004-2008, "
    "or a fuzzy period such as 'late 1990s', '1990s' or 'early 2010'"
)

_POINT = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_FUZZY = re.compile(r"^(?:(early|mid|late)\s+)?(\d{3}0s|\d{4})$")
_RANGE = re.compile(r"^(.+?)\s*(?:–|—|\.\.|\bto\b|(?<=\d{4})-(?=\d{4}$))\s*(.+)$")
_MONTHS_EN = [
    "",
    *["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
]
"""English month abbreviations whatever the locale (``calendar``'s follow it)."""
_PART_ZH = {"early": "初", "mid": "中", "late": "末"}
_PART_ZH_DECADE = {"early": "初", "mid": "中期", "late": "末"}
# early, mid and late as (first month, last month) of a year, or first and last
# year offsets within a decade.
_PART_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_PART_YEARS = {"early": (0, 4), "mid": (3, 7), "late": (5, 9)}


class FuzzyDate:
    """A point or period in time, kept exactly as precise as its source.

    A plain class, not a dataclass, so that msgspec hands raw values to the
    format's ``dec_hook`` instead of expecting a mapping. Never changed once made: one
    is shared by every event of that date (see :func:`parse_date`).
    """

    __slots__ = ("end", "precision", "start", "text")

    def __init__(self, start: date, end: date, precision: Precision, text: str) -> None:
        self.start, self.end, self.precision, self.text = start, end, precision, text

    def __repr__(self) -> str:
        return f"FuzzyDate({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FuzzyDate) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[date, date, str]:
        return (self.start, self.end, self.precision)

    @property
    def sort_key(self) -> tuple[date, date]:
        """Orders dates by when they start, then by when they end."""
        return (self.start, self.end)

    def label(self, lang: Lang) -> str:
        """How the date reads to a person, never more precise than it is."""
        return _label(self.text, lang)


def _last_day(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"bad month number {month}; must be 1-12")
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - timedelta(days=1)).day


def _point(text: str) -> FuzzyDate | None:
    match = _POINT.match(text)
    if match:
        year = int(match[1])
        if match[2] is None:
            return FuzzyDate(date(year, 1, 1), date(year, 12, 31), "year", text)
        month = int(match[2])
        if match[3] is None:
            end = date(year, month, _last_day(year, month))
            return FuzzyDate(date(year, month, 1), end, "month", text)
        day = date(year, month, int(match[3]))
        return FuzzyDate(day, day, "day", text)
    match = _FUZZY.match(text.lower())
    if not match:
        return None
    part, body = match[1], match[2]
    if body.endswith("s"):
        decade = int(body[:-1])
        first, last = _PART_YEARS[part] if part else (0, 9)
        return FuzzyDate(date(decade + first, 1, 1), date(decade + last, 12, 31), "decade", text)
    year = int(body)
    first, last = _PART_MONTHS[part] if part else (1, 12)
    return FuzzyDate(date(year, first, 1), date(year, last, _last_day(year, last)), "part", text)


@lru_cache(maxsize=4096, typed=True)
def parse_date(value: int | str) -> FuzzyDate:
    """Parse a date as an author writes it; raise ValueError with a hint if it is not one.

    Kept: thousands of events share a few hundred dates, and a cache read checks each
    one (the date made is shared, and never changed)."""
    text = " ".join(str(value).split())
    try:
        single = _point(text)
        match = _RANGE.match(text) if single is None else None
        first, last = (_point(match[1]), _point(match[2])) if match else (None, None)
    except ValueError as error:  # "day is out of range for month" and the like
        raise ValueError(f"{text!r} is not a real date ({error})") from None
    if single is not None:
        return single
    if first is not None and last is not None:
        if last.end < first.start:
            raise ValueError(f"range {text!r} ends before it starts")
        return FuzzyDate(first.start, last.end, "range", text)
    raise ValueError(f"{text!r} is not a date: {DATE_HELP}")


def _label(text: str, lang: Lang) -> str:
    match = _RANGE.match(text)
    if match and _POINT.match(text) is None and _FUZZY.match(text.lower()) is None:
        first, last = _label(match[1], lang), _label(match[2], lang)
        if lang == "zh":
            return f"{first.removesuffix('年')}–{last}"
        return f"{first}–{last}"
    point = _POINT.match(text)
    if point:
        year, month, day = point[1], point[2], point[3]
        if lang == "zh":
            return (
                f"{year}年"
                + (f"{int(month)}月" if month else "")
                + (f"{int(day)}日" if day else "")
            )
        if day:
            return f"{int(day)} {_MONTHS_EN[int(month)]} {year}"
        return f"{_MONTHS_EN[int(month)]} {year}" if month else year
    fuzzy = _FUZZY.match(text.lower())
    if fuzzy is None:
        return text
    part, body = fuzzy[1], fuzzy[2]
    if lang == "en":
        return f"{part} {body}" if part else body
    if body.endswith("s"):
        return f"{body[:-1]}年代" + (_PART_ZH_DECADE[part] if part else "")
    return f"{body}年" + (_PART_ZH[part] if part else "")
