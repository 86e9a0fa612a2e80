"""Filters for the case list: by chapter, industry and region, alone or combined.

Industries and regions are compared on their English text (the Chinese when a
text has no English), ignoring case and runs of spaces; the bilingual text is
kept for display. A region is the province-level place of a case: its province,
or its city when that city is itself province-level (Beijing, Shanghai...).
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from casebook.model.format.card import Card
from casebook.model.format.case import Case, Collection
from casebook.model.format.text import Lang, Text, pick
from casebook.model.load.library import Library, cards

PROVINCE_LEVEL_CITIES = frozenset(
    {
        "beijing",
        "shanghai",
        "tianjin",
        "chongqing",
        "hong kong",
        "macao",
        "macau",
        "北京",
        "北京市",
        "上海",
        "上海市",
        "天津",
        "天津市",
        "重庆",
        "重庆市",
        "香港",
        "香港特别行政区",
        "澳门",
        "澳门特别行政区",
    }
)
"""Cities (English names folded to lower case, and Chinese names) that are province-level."""

_WORDS: dict[str, tuple[str, str]] = {
    "chapter": ("Chapter", "章节"),
    "industry": ("Industry", "行业"),
    "region": ("Region", "地区"),
    "all": ("All cases", "全部案例"),
}


def _word(key: str, lang: Lang) -> str:
    en, zh = _WORDS[key]
    return zh if lang == "zh" else en


def key_of(value: Text | str | None) -> str:
    """The value a facet compares: English (else Chinese) text, case and spacing folded."""
    return " ".join(pick(value, "en").split()).casefold()


def region_of(case: Case | Card) -> Text | None:
    """The province-level place of a case: its province, or a province-level city."""
    location = case.location
    if location is None:
        return None
    if location.province is not None:
        return location.province
    city = location.city
    if city is None:
        return None
    names = {key_of(city), *(" ".join(pick(city, lang).split()) for lang in ("en", "zh"))}
    return city if names & PROVINCE_LEVEL_CITIES else None


def chapters_of(case: Case | Card, collection: Collection | None = None) -> tuple[str, ...]:
    """The chapters a case is in: the one it names, and any the collection lists it under."""
    found = [case.chapter] if case.chapter else []
    if collection is not None:
        found += _listings(collection).get(case.id, [])
    return tuple(dict.fromkeys(found))


_listed: tuple[Collection | None, dict[str, tuple[str, ...]]] = (None, {})
"""The last collection asked about, and the chapters it lists each case under."""


def _listings(collection: Collection) -> dict[str, tuple[str, ...]]:
    """The chapters ``collection`` lists each case under, by case id (worked out once per
    collection: looking through every chapter for every case costs a 2,000-case filter
    most of its time; tuples, not lists: thousands are kept)."""
    global _listed
    if _listed[0] is not collection:
        found: dict[str, tuple[str, ...]] = {}
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # thousands of cases, few lists
        for chapter in collection.chapters:
            for case_id in chapter.cases:
                listing = (*found.get(case_id, ()), chapter.id)
                found[case_id] = shared.setdefault(listing, listing)
        _listed = (collection, found)
    return _listed[1]


class Choice(msgspec.Struct, frozen=True):
    """One value a filter can take, with its label and how many cases have it."""

    value: str
    """What a :class:`Filters` field holds: a chapter id, or an industry or region key."""
    label: Text
    count: int

    def text(self, lang: Lang) -> str:
        return pick(self.label, lang)


class Facets(msgspec.Struct, frozen=True):
    """What the cases of a library can be filtered by."""

    chapters: tuple[Choice, ...] = ()
    """In the collection's order, then chapters only cases name, by id."""
    industries: tuple[Choice, ...] = ()
    regions: tuple[Choice, ...] = ()
    """Industries and regions by their English (else Chinese) name."""

    def label(self, facet: str, value: str, lang: Lang) -> str:
        """The display text of ``value`` for ``facet`` ("chapter", "industry", "region")."""
        choices = {"chapter": self.chapters, "industry": self.industries, "region": self.regions}
        wanted = value if facet == "chapter" else key_of(value)
        for choice in choices[facet]:
            if choice.value == wanted:
                return choice.text(lang)
        return value


class Filters(msgspec.Struct, frozen=True):
    """A combination of filters; None means "any", so ``Filters()`` matches every case."""

    chapter: str | None = None
    """A chapter id."""
    industry: str | None = None
    region: str | None = None
    """English (else Chinese) names, compared ignoring case and spacing."""

    @property
    def active(self) -> bool:
        return any(value is not None for value in (self.chapter, self.industry, self.region))

    def describe(self, lang: Lang, facets: Facets | None = None) -> str:
        """'Chapter: Going digital · Region: Zhejiang', or 'All cases' when nothing is set.

        With ``facets``, values are shown by their labels in ``lang``.
        """
        parts = []
        colon = "：" if lang == "zh" else ": "
        for name in ("chapter", "industry", "region"):
            value = getattr(self, name)
            if value is None:
                continue
            shown = facets.label(name, value, lang) if facets is not None else value
            parts.append(f"{_word(name, lang)}{colon}{shown}")
        return " · ".join(parts) if parts else _word("all", lang)


def matches(case: Case | Card, filters: Filters, collection: Collection | None = None) -> bool:
    """Whether ``case`` passes every filter that is set.

    With ``collection``, a case is also in the chapters that list it.
    """
    if filters.chapter is not None and filters.chapter not in chapters_of(case, collection):
        return False
    if filters.industry is not None and (
        case.industry is None or key_of(case.industry) != key_of(filters.industry)
    ):
        return False
    if filters.region is not None:
        region = region_of(case)
        if region is None or key_of(region) != key_of(filters.region):
            return False
    return True


def filter_cases(library: Library, filters: Filters) -> list[str]:
    """Ids of the cases that pass ``filters``, in reading order (from their cards: no
    case is decoded)."""
    collection = library.collection
    return [card.id for card in cards(library.cases) if matches(card, filters, collection)]


class _Tally(msgspec.Struct):
    labels: dict[str, Text] = msgspec.field(default_factory=dict)
    counts: dict[str, int] = msgspec.field(default_factory=dict)

    def add(self, value: str, label: Text) -> None:
        self.labels.setdefault(value, label)
        self.counts[value] = self.counts.get(value, 0) + 1

    def choices(self, order: Iterable[str]) -> tuple[Choice, ...]:
        return tuple(Choice(v, self.labels[v], self.counts[v]) for v in order)


def facets(library: Library) -> Facets:
    """The chapters, industries and regions found among the library's cases."""
    chapters, industries, regions = _Tally(), _Tally(), _Tally()
    collection = library.collection
    titles: dict[str, Text] = {c.id: c.title for c in collection.chapters} if collection else {}
    for case in cards(library.cases):
        for chapter in chapters_of(case, collection):
            chapters.add(chapter, titles.get(chapter, chapter))
        if case.industry is not None and key_of(case.industry):
            industries.add(key_of(case.industry), case.industry)
        region = region_of(case)
        if region is not None and key_of(region):
            regions.add(key_of(region), region)
    listed = [chapter_id for chapter_id in titles if chapter_id in chapters.counts]
    unlisted = sorted(set(chapters.counts) - set(listed))
    return Facets(
        chapters=chapters.choices([*listed, *unlisted]),
        industries=industries.choices(sorted(industries.counts)),
        regions=regions.choices(sorted(regions.counts)),
    )
