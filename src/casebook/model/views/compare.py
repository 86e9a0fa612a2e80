"""Cases side by side: identities, headline figures, metrics aligned by kind, timelines.

``compare`` lines up two to four cases; ``merged_timeline`` puts the events of any
number of cases (and of the collection's context regions) on one time axis, which
also serves the cross-case timeline of the whole collection, filtered by owner.
"""

from __future__ import annotations

from collections.abc import Collection as Ids
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

import msgspec

from casebook.model.format.addresses import Item
from casebook.model.format.card import Chronicle
from casebook.model.format.case import Case, Collection, Event, Metric, Source, place_name
from casebook.model.format.text import Bilingual, Lang, Text, pick
from casebook.model.format.words import kind_title

MIN_CASES = 2
MAX_CASES = 4

Cell = Text | int | tuple[Text, ...] | None
"""An identity cell: a text, a count, a list (the recognitions), or None when the case
does not say."""

_IDENTITY: tuple[tuple[str, str, str], ...] = (
    ("name", "Name", "名称"),
    ("location", "Location", "地点"),
    ("industry", "Industry", "行业"),
    ("recognitions", "Recognitions", "荣誉与认定"),
    ("chapter", "Chapter", "章节"),
)


@dataclass(frozen=True)
class IdentityRow:
    """Who the companies are: one row (name, location, ...) with a cell per case."""

    key: str
    """"name", "location", "industry", "recognitions" (each case's list) or "chapter"."""
    label: Bilingual
    cells: tuple[Cell, ...]

    def cell(self, index: int, lang: Lang) -> str:
        """Cell ``index`` as text in ``lang`` ("" when the case does not say)."""
        value = self.cells[index]
        if value is None:
            return ""
        if isinstance(value, tuple):
            mark = "•" if lang == "zh" else "• "  # no space to break a Chinese line at
            return "\n".join(f"{mark}{pick(item, lang)}" for item in value)
        return str(value) if isinstance(value, int) else pick(value, lang)


@dataclass(frozen=True)
class MetricRow:
    """One kind of figure (cycle-time, headcount...) with each case's metrics of that kind."""

    kind: str
    cells: tuple[tuple[Metric, ...], ...]
    """Per case, in the order of the cases; empty when a case has none of this kind."""

    @property
    def shared_by(self) -> int:
        """How many of the cases have a metric of this kind."""
        return sum(1 for cell in self.cells if cell)

    @property
    def title(self) -> str:
        """The kind as words: 'cycle-time' → 'Cycle time'."""
        return self.title_in("en")

    def title_in(self, lang: Lang) -> str:
        """The kind as words in ``lang``: 'cycle-time' → 'Cycle time' / '生产周期'."""
        return kind_title(self.kind, lang)


@dataclass(frozen=True)
class Comparison:
    """Two to four cases side by side."""

    cases: tuple[Case, ...]
    identity: tuple[IdentityRow, ...]
    headlines: tuple[tuple[Metric, ...], ...]
    """Each case's headline figures, in its own order."""
    metrics: tuple[MetricRow, ...]
    """A row per kind found in any case; kinds more cases share come first."""
    other: tuple[tuple[Metric, ...], ...]
    """Each case's metrics that have no kind, which cannot be aligned."""

    def row(self, kind: str) -> MetricRow | None:
        """The metric row of ``kind``, if any case has one."""
        return next((row for row in self.metrics if row.kind == kind), None)


def _bilingual(en: str, zh: str) -> Text | None:
    if not en and not zh:
        return None
    return en if en == zh else Bilingual(en=en, zh=zh)


def _chapter(case: Case, collection: Collection | None) -> Text | None:
    if case.chapter is None:
        return None
    if collection is not None:
        for chapter in collection.chapters:
            if chapter.id == case.chapter:
                return chapter.title
    return case.chapter


def compare(cases: Sequence[Case], collection: Collection | None = None) -> Comparison:
    """Line up 2 to 4 distinct cases; raises ValueError for fewer, more or repeats.

    With ``collection``, chapters are shown by title rather than id.
    """
    cases = tuple(cases)
    if not MIN_CASES <= len(cases) <= MAX_CASES:
        raise ValueError(f"compare takes {MIN_CASES} to {MAX_CASES} cases, not {len(cases)}")
    ids = [case.id for case in cases]
    if len(set(ids)) != len(ids):
        raise ValueError(f"compare needs different cases, got {', '.join(ids)}")

    values: dict[str, tuple[Cell, ...]] = {
        "name": tuple(case.company.name for case in cases),
        "location": tuple(
            _bilingual(place_name(case.location, "en"), place_name(case.location, "zh"))
            for case in cases
        ),
        "industry": tuple(case.industry for case in cases),
        "recognitions": tuple(
            tuple(recognition.name for recognition in case.recognitions) or None for case in cases
        ),
        "chapter": tuple(_chapter(case, collection) for case in cases),
    }
    identity = tuple(
        IdentityRow(key, Bilingual(en=en, zh=zh), values[key]) for key, en, zh in _IDENTITY
    )

    kinds: dict[str, None] = {}  # in order of first appearance
    for case in cases:
        kinds.update((metric.kind, None) for metric in case.metrics if metric.kind)
    rows = [
        MetricRow(kind, tuple(tuple(m for m in case.metrics if m.kind == kind) for case in cases))
        for kind in kinds
    ]
    rows.sort(key=lambda row: -row.shared_by)  # stable: ties keep first appearance

    return Comparison(
        cases=cases,
        identity=identity,
        headlines=tuple(tuple(m for m in case.metrics if m.headline) for case in cases),
        metrics=tuple(rows),
        other=tuple(tuple(m for m in case.metrics if not m.kind) for case in cases),
    )


class TimelineEntry(msgspec.Struct, frozen=True, gc=False):
    """An event on a merged timeline, with whose it is (a Struct: the whole casebook's
    timeline makes thousands, quickly; untracked by the garbage collector, as it holds
    no cycles)."""

    owner: str
    """The case id, or the region id for a collection context event."""
    owner_name: Text
    """The company name, or the region name."""
    event: Event
    context: bool = False
    """True for an event of one of the collection's context regions."""
    index: int = 0
    """The event's position in its owner's own timeline."""
    item: Item = ()
    """Where the event sits in its document: ``("timeline", index)`` in a case,
    ``("context", region, "timeline", index)`` in the collection (the introduction)."""
    cited_by: tuple[tuple[str, Text], ...] = ()
    """For a context event: the cases (id, name) that tell it in their own timelines."""


_BY_DATE = attrgetter("event.date.start", "event.date.end")


def merged_timeline(
    cases: Sequence[Case | Chronicle],
    collection: Collection | None = None,
    include_context: bool = True,
) -> list[TimelineEntry]:
    """Every event of ``cases`` (and of the collection's context regions) in date order.

    Sorted by :attr:`FuzzyDate.sort_key` (start, then end); events that tie keep
    their order: the cases' in the order given, then the regions'.
    """
    entries = [
        TimelineEntry(case.id, case.company.name, event, False, index, ("timeline", index))
        for case in cases
        for index, event in enumerate(case.timeline)
    ]
    if include_context and collection is not None:
        entries += [
            TimelineEntry(
                region.id, region.name, event, True, index, ("context", number, "timeline", index)
            )
            for number, region in enumerate(collection.context)
            for index, event in enumerate(region.timeline)
        ]
    entries.sort(key=_BY_DATE)  # the events' date.sort_key, read without a Python call
    return entries


def only(entries: Sequence[TimelineEntry], owners: Ids[str]) -> list[TimelineEntry]:
    """The entries of the given owners (case or region ids), in the same order."""
    return [entry for entry in entries if entry.owner in owners]


def _source(sources: list[Source], ref: str | None) -> Source | None:
    return next((source for source in sources if source.id == ref), None)


def _same_event(
    case_event: Event, case: Case | Chronicle, event: Event, collection: Collection
) -> bool:
    """A case's event that tells a context event: the same dates, the same source and a
    passage that starts or ends where the context event's does."""
    if case_event.date.sort_key != event.date.sort_key:
        return False
    if case_event.passage is None or event.passage is None:
        return False
    source = _source(case.sources, case_event.source)
    if source is None or source != _source(collection.sources, event.source):
        return False
    mine, theirs = case_event.passage, event.passage
    return mine.start == theirs.start or mine.end == theirs.end


def timeline_once(
    cases: Sequence[Case | Chronicle], collection: Collection | None = None
) -> list[TimelineEntry]:
    """The merged timeline with each event once: a case's event that tells one of the
    context's events is left out, its case listed in the context event's ``cited_by``."""
    entries = merged_timeline(cases, collection)
    if collection is None:
        return entries
    by_id = {case.id: case for case in cases}
    told: set[int] = set()
    out: list[TimelineEntry] = []
    for entry in entries:
        if not entry.context:
            continue
        citing = [
            other
            for other in entries
            if not other.context
            and _same_event(other.event, by_id[other.owner], entry.event, collection)
        ]
        told.update(id(other) for other in citing)
    for entry in entries:
        if id(entry) in told:
            continue
        if entry.context:
            citing = [
                (other.owner, other.owner_name)
                for other in entries
                if id(other) in told
                and _same_event(other.event, by_id[other.owner], entry.event, collection)
            ]
            if citing:
                entry = msgspec.structs.replace(entry, cited_by=tuple(dict(citing).items()))
        out.append(entry)
    return out
