"""Cases side by side: identities, headline figures, metrics aligned by kind, timelines.

``compare`` lines up two to four cases; ``merged_timeline`` puts the events of any
number of cases (and of the collection's context regions) on one time axis, which
also serves the cross-case timeline of the whole collection, filtered by owner.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Collection as Ids
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

import msgspec

from casebook.model.format.addresses import Item
from casebook.model.format.card import Chronicle
from casebook.model.format.case import Case, Collection, Event, Metric, Source, place_name
from casebook.model.format.dates import FuzzyDate
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
    events, _ = AllEvents.build(cases, collection)
    by_id = {case.id: case for case in cases}
    return [events.entry(number, by_id.__getitem__) for number in range(len(events))]


class AllEvents:
    """The events of many cases (and of a collection's context) on one axis, each once,
    as :func:`timeline_once` lists them; kept as a few numbers an event (whose it is,
    where in its owner's timeline) and its date: what an axis of thousands of events
    needs until it shows one, which :meth:`entry` reads again from its case."""

    def __init__(self, collection: Collection | None) -> None:
        self.owners: list[tuple[str, Text]] = []
        """Each case's, then each context region's id and name (an event's owner is a
        position here)."""
        self.dates: list[FuzzyDate] = []
        """Each event's date, in the axis's order."""
        self.cited: dict[int, tuple[tuple[str, Text], ...]] = {}
        """The cases (ids and names) that tell a context event, by its position."""
        self.owner = array("I")
        """Each event's owner (a position in ``owners``), in the axis's order."""
        self._index = array("I")
        self._region = array("i")
        self._collection = collection

    def __len__(self) -> int:
        return len(self.dates)

    @classmethod
    def build(
        cls,
        cases: Iterable[Case | Chronicle],
        collection: Collection | None = None,
        measure: Callable[[TimelineEntry], Sequence[int]] | None = None,
    ) -> tuple[AllEvents, list[array[int]]]:
        """The events of ``cases`` and of the collection's context, each case looked at
        once (thousands are never held at once), and the numbers ``measure`` gives each
        event (widths, say), an array per number, in the axis's order (sorted by date:
        start, then end; ties as given, the cases' events before the regions')."""
        given = cls(collection)  # in the order given, sorted below
        measured: list[array[int]] = []

        def add(entry: TimelineEntry, owner: int, region: int) -> None:
            given.owner.append(owner)
            given._index.append(entry.index)
            given._region.append(region)
            given.dates.append(entry.event.date)
            if measure is not None:
                numbers = measure(entry)
                if not measured:
                    measured.extend(array("l") for _ in numbers)
                for kept, number in zip(measured, numbers, strict=True):
                    kept.append(number)

        context = _context_events(collection)
        by_date: dict[tuple[date, date], list[int]] = {}
        for number, (_region, _index, event) in enumerate(context):
            by_date.setdefault(event.date.sort_key, []).append(number)
        told: dict[int, dict[str, Text]] = {}
        for case in cases:
            owner = len(given.owners)
            given.owners.append((case.id, case.company.name))
            for index, event in enumerate(case.timeline):
                tells = [
                    number
                    for number in by_date.get(event.date.sort_key, ())
                    if _same_event(event, case, context[number][2], collection)  # type: ignore[arg-type]  # a context has a collection
                ]
                for number in tells:
                    told.setdefault(number, {}).setdefault(case.id, case.company.name)
                if not tells:
                    item = ("timeline", index)
                    add(
                        TimelineEntry(case.id, case.company.name, event, False, index, item),
                        owner,
                        -1,
                    )
        first_region = len(given.owners)
        if collection is not None:
            given.owners += [(region.id, region.name) for region in collection.context]
        for number, (region, index, event) in enumerate(context):
            cited = tuple(told.get(number, {}).items())
            if cited:
                given.cited[len(given)] = cited
            owner_id, name = given.owners[first_region + region]
            item = ("context", region, "timeline", index)
            entry = TimelineEntry(owner_id, name, event, True, index, item, cited)
            add(entry, first_region + region, region)
        # By date (one number each: start, then end, as days), ties as given.
        keys = array(
            "q", (when.start.toordinal() << 22 | when.end.toordinal() for when in given.dates)
        )
        order = sorted(range(len(keys)), key=keys.__getitem__)
        found = cls(collection)
        found.owners = given.owners
        found.owner = array("I", (given.owner[row] for row in order))
        found._index = array("I", (given._index[row] for row in order))
        found._region = array("i", (given._region[row] for row in order))
        found.dates = [given.dates[row] for row in order]
        found.cited = {at: given.cited[row] for at, row in enumerate(order) if row in given.cited}
        return found, [array("l", (numbers[row] for row in order)) for numbers in measured]

    def entry(self, number: int, case: Callable[[str], Case | Chronicle]) -> TimelineEntry:
        """The event at ``number`` on the axis, its case's events read from ``case(id)``
        (a case that no longer has it, changed since: an untitled event on its date)."""
        owner_id, name = self.owners[self.owner[number]]
        index, region = self._index[number], self._region[number]
        if region < 0:
            timeline = case(owner_id).timeline
            if index < len(timeline):
                event = timeline[index]
            else:
                event = Event(date=self.dates[number], title="")
            return TimelineEntry(owner_id, name, event, False, index, ("timeline", index))
        assert self._collection is not None  # a region's event: it has a context
        event = self._collection.context[region].timeline[index]
        item = ("context", region, "timeline", index)
        return TimelineEntry(owner_id, name, event, True, index, item, self.cited.get(number, ()))


def _context_events(collection: Collection | None) -> list[tuple[int, int, Event]]:
    """Each event of the collection's context: its region's position, its own, and it."""
    if collection is None:
        return []
    return [
        (number, index, event)
        for number, region in enumerate(collection.context)
        for index, event in enumerate(region.timeline)
    ]
