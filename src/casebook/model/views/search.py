"""Full-text search across every case and the collection, in both languages at once.

The index holds every text a student can see, each with where it lives: the entry
(a case id, or ``INTRO_ID`` for the collection), the pane and the item the UI scrolls
to. Texts are folded (compatibility forms, case, accents, spaces) and joined with a
separator no folded text holds into two long strings, one of ASCII texts and one of
the rest, so that a query is a few ``str.find`` calls at C speed, each occurrence
placed in its text by bisection: never a Python loop over hundreds of thousands of
texts. A query that finds fewer hits than its limit leaves behind the texts that hold
it, so the next keystroke (which extends it) looks only there.

Folding, per character:

* NFKD compatibility decomposition, then casefold (so full-width ``ＲＯＢＯＴ``, ``１２``
  and ``，`` match ``robot``, ``12`` and ``,``; ``Robot`` matches ``robot``);
* combining marks dropped (``Zhōngchéng`` matches ``zhongcheng``);
* whitespace, control and invisible format characters dropped (``机器 人`` matches
  ``机器人`` and ``hotforging`` matches ``hot forging``).

Folding a character never depends on its neighbours, which keeps the way back from
a folded offset to an offset in the original text exact: hits highlight the
original text.

Teaching notes and epilogues are indexed in the instructor edition only, under the
teaching pane that shows them (``addresses.TEACHING``); the student edition has no such
pane, and its library holds no such text.
"""

from __future__ import annotations

import functools
import heapq
import operator
import re
import threading
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress
from typing import Final

from casebook.model.format.addresses import INTRO_ID, TEACHING, Item
from casebook.model.format.case import Case, Collection, Event, Metric, Source, citation, place_name
from casebook.model.format.figures import change, format_amount
from casebook.model.format.text import LANGS, UNSAFE_CHARS, Bilingual, Lang, Text
from casebook.model.load.library import Library, card_in, unkept_cases
from casebook.model.mapped import Mapped
from casebook.model.views.shown import chapter_cases, headline_figures

SEPARATOR: Final = "\x00"
"""Joins folded texts; folding drops control characters, so no query or text holds it."""

_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cc", "Cf", "Zs", "Zl", "Zp"})


def _dropped(char: str) -> bool:
    """Characters search ignores: spaces, accents and other marks, controls, invisibles."""
    return (
        char.isspace()
        or unicodedata.combining(char) != 0
        or unicodedata.category(char) in _DROPPED_CATEGORIES
    )


def _fold_char(char: str) -> str:
    """The folding of one character; folding a text folds each character on its own."""
    normalize = unicodedata.normalize
    return "".join(
        c for c in normalize("NFKD", normalize("NFKD", char).casefold()) if not _dropped(c)
    )


class _FoldTable(dict[int, "str | None"]):
    """A ``str.translate`` table filled on first use: code point → folded text.

    Characters that fold to nothing map to None rather than "", which keeps
    ``str.translate`` on its fast path for ASCII text.
    """

    def __missing__(self, code: int) -> str | None:
        folded = _fold_char(chr(code)) or None
        self[code] = folded
        return folded


_FOLD = _FoldTable()


_GROUPING = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
"""A thousands separator, once folded: a comma between a digit and exactly three digits
(full-width ``，`` and digits fold to ASCII first; spaces are dropped anyway)."""


def _ungroup(folded: str) -> str:
    """``folded`` without thousands separators, so 1,500, 1 500 and １，５００ find 1500."""
    return _GROUPING.sub("", folded) if "," in folded else folded


def fold(text: str) -> str:
    """``text`` as the index compares it: compatibility forms, case, accents, spaces and
    digit grouping folded."""
    return _ungroup(text.translate(_FOLD))


_TERMS = re.compile(r'"([^"]*)"?|([^\s"]+)')
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\uff02": '"', "\u300c": '"', "\u300d": '"'})


_SPACED_DIGITS = re.compile(r"(?<=\d)[ \u00a0\u2009\u202f\u3000](?=\d{3}(?!\d))")
"""A space grouping digits in a query (1 500): the number stays one word."""


def terms(query: str) -> list[str]:
    """The folded terms of a query: each word, or each "quoted phrase", once.

    A hit is a text that holds every term, in any order.
    """
    found: list[str] = []
    query = _SPACED_DIGITS.sub("", query.translate(_QUOTES))
    for match in _TERMS.finditer(query):
        phrase, word = match.groups()
        needle = fold(phrase if phrase is not None else word)
        if needle and needle not in found:
            found.append(needle)
    return found


def _folded_len(char: str) -> int:
    return len(_FOLD[ord(char)] or "")


_ASCII_DROPS = {code: None for code in (*range(1, 0x21), 0x7F)}
"""ASCII characters folding drops, but for NUL, kept as the separator in :func:`fold_all`."""
_JOINER = "\ue000"
"""Joins non-ASCII texts for :func:`fold_all`: private use, so folding keeps it as it is."""


@functools.cache
def _late_drops() -> re.Pattern[str]:
    """What whole-string folding must still drop once whitespace is gone.

    Every BMP character that folding drops and that is not whitespace, plus every
    astral character (rare: decided one at a time). Built on first use (tens of ms).
    """
    codes = [code for code in range(0x10000) if _dropped(chr(code)) and not chr(code).isspace()]
    ranges: list[str] = []
    first = last = codes[0]
    for code in [*codes[1:], -1]:
        if code == last + 1:
            last = code
            continue
        ranges.append(re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else ""))
        first = last = code
    return re.compile("[" + "".join(ranges) + "\U00010000-\U0010ffff]+")


def _keep(match: re.Match[str]) -> str:
    return "".join(c for c in match.group() if not _dropped(c))


def _fold_joined(texts: list[str], ascii_only: bool) -> str:
    """``SEPARATOR.join(fold(t) for t in texts)``, folding all texts at once.

    ``ascii_only`` says the texts are all ASCII. Whole-string folding with C-speed
    string operations gives the same result as folding character by character:
    every step works per character, and the only reordering Unicode normalization
    does (of combining marks) concerns characters that are dropped anyway.
    """
    joiner = SEPARATOR if ascii_only else _JOINER
    joined = joiner.join(texts)
    if joined.count(joiner) != len(texts) - 1:  # a text holds the joiner itself
        return SEPARATOR.join([fold(text) for text in texts])
    if ascii_only:
        return _ungroup(joined.lower().translate(_ASCII_DROPS))
    normalize = unicodedata.normalize
    joined = "".join(normalize("NFKD", normalize("NFKD", joined).casefold()).split())
    return _ungroup(_late_drops().sub(_keep, joined).replace(_JOINER, SEPARATOR))


def fold_all(texts: list[str]) -> list[str]:
    """``[fold(t) for t in texts]``, several times faster on many texts."""
    folded = [""] * len(texts)
    for ascii_only in (True, False):
        ids = [i for i, text in enumerate(texts) if text.isascii() is ascii_only]
        if ids:
            parts = _fold_joined([texts[i] for i in ids], ascii_only).split(SEPARATOR)
            for i, part in zip(ids, parts, strict=True):
                folded[i] = part
    return folded


_MAYBE_ODD = re.compile(
    "[^\x21-\x7e\u2013\u2014\u2018-\u201d\u3001-\u3003\u3008-\u3011"
    "\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]"
)
"""Every character that may not fold to exactly one character (the class lists only
characters known to: printable ASCII, CJK ideographs, common CJK and full-width
punctuation)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a query: where it lives and the matched span of the original text."""

    entry_id: str
    """A case id, or ``INTRO_ID`` for the collection."""
    pane: str
    """One of ``casebook.model.format.addresses.PANES``."""
    item: Item
    """Path of the item to scroll to, e.g. ``("metrics", 2)`` or
    ``("challenges", 1, "solutions", 0)``; collection items start with
    ``"context"`` (regions) or ``"chapters"``."""
    text: str
    """The original string (never folded)."""
    start: int
    end: int
    """``text[start:end]`` is the match in the original string."""
    field: str = ""
    """Which text of the item matched: ``"title"``, ``"detail"``, ``"date"``, ``"figure"``..."""
    lang: Lang | None = None
    """The language of ``text``, or None when the same string shows in both."""
    spans: tuple[tuple[int, int], ...] = ()
    """Every matched span of ``text`` (each word of a several-word query), in order;
    empty when ``(start, end)`` is the only one."""

    def all_spans(self) -> tuple[tuple[int, int], ...]:
        return self.spans or ((self.start, self.end),)

    @property
    def matched(self) -> str:
        return self.text[self.start : self.end]

    def snippet(self, width: int = 60) -> tuple[str, int, int]:
        """A one-line window of at most ``width`` terminal cells around the match.

        Returns the snippet (with "…" where the text is cut; line breaks shown as
        spaces) and the span of the match inside it.
        """
        spans = self.all_spans()  # from the first matched word to the last
        return _snippet(self.text, spans[0][0], spans[-1][1], width)


def _cells(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _snippet(text: str, start: int, end: int, width: int) -> tuple[str, int, int]:
    width = max(width, 3)
    size = len(text)

    def room(a: int, b: int, used: int) -> int:
        """Cells left when text[a:b] (``used`` cells) is shown, with its ellipses."""
        return width - used - (a > 0) - (b < size)

    a = b = start
    used = 0
    # The match first, cut when it alone is too wide.
    while b < end and room(a, b + 1, used) >= _cells(text[b]):
        used += _cells(text[b])
        b += 1
    grew = b == end
    # Then context, a character at a time on each side (after the match first).
    while grew:
        grew = False
        if b < size and room(a, b + 1, used) >= _cells(text[b]):
            used += _cells(text[b])
            b += 1
            grew = True
        if a > 0 and room(a - 1, b, used) >= _cells(text[a - 1]):
            a -= 1
            used += _cells(text[a])
            grew = True
    prefix = "…" if a > 0 else ""
    # One character for one, so the span stays right: line breaks and anything unsafe
    # for a terminal become spaces.
    body = UNSAFE_CHARS.sub(" ", "".join(" " if c.isspace() else c for c in text[a:b]))
    offset = len(prefix) + start - a
    return prefix + body + ("…" if b < size else ""), offset, offset + min(b, end) - start


_Record = tuple[str, str, Item, str, "Lang | None"]
"""entry id, pane, item, field, lang."""


_Place = tuple[str, Item, str, "Lang | None"]
"""pane, item, field, lang."""


class _Collector:
    """Gathers (record, text) pairs in reading order. A record is kept as its entry and
    its place, one object for each place: a library's cases have the same places over
    and over (146,000 texts of 2,000 cases: 12 MiB as tuples of five, 2.5 MiB so)."""

    def __init__(self) -> None:
        self.entries: list[str] = []
        self.places: list[_Place] = []
        self._shared: dict[_Place, _Place] = {}
        self.texts: list[str] = []
        self.dates: dict[str, Text | None] = {}  # a date's labels, by how it is written

    @property
    def records(self) -> Sequence[_Record]:
        """Each text's record, made when read (holding the entries and places, not this)."""
        entries, places = self.entries, self.places
        return Mapped(range(len(entries)), lambda index: (entries[index], *places[index]))

    def _keep(self, entry: str, place: _Place, text: str) -> None:
        self.entries.append(entry)
        self.places.append(self._shared.setdefault(place, place))
        self.texts.append(text)

    def add(self, entry: str, pane: str, item: Item, field: str, text: Text | None) -> None:
        if not text:
            return
        if isinstance(text, str):
            self._keep(entry, (pane, item, field, None), text)
        elif text.en and text.zh and text.en != text.zh:
            self._keep(entry, (pane, item, field, "en"), text.en)
            self._keep(entry, (pane, item, field, "zh"), text.zh)
        else:  # one string shown in both languages
            self._keep(entry, (pane, item, field, None), text.en or text.zh)

    def add_each(
        self, entry: str, pane: str, item: Item, field: str, values: dict[Lang, str]
    ) -> None:
        """Language-specific renderings (dates, figures): one text when they agree."""
        self.add(entry, pane, item, field, _bilingual(values["en"], values["zh"]))


def _bilingual(en: str, zh: str) -> Text | None:
    if not en and not zh:
        return None
    return en if en == zh else Bilingual(en=en, zh=zh)


def _event(out: _Collector, entry: str, item: Item, event: Event) -> None:
    date = event.date
    if date.text not in out.dates:
        out.dates[date.text] = _bilingual(date.label("en"), date.label("zh"))
    out.add(entry, "timeline", item, "date", out.dates[date.text])
    out.add(entry, "timeline", item, "title", event.title)
    out.add(entry, "timeline", item, "detail", event.detail)


def _figure(out: _Collector, entry: str, pane: str, item: Item, metric: Metric) -> None:
    """A metric's label, amounts and change: where it lives, and wherever else it shows
    (headline figures on an overview, the figures a challenge moved)."""
    out.add(entry, pane, item, "label", metric.label)
    for quantity in (metric.value, metric.before, metric.after):
        if quantity is not None:
            shown = {lang: format_amount(quantity, metric.unit, lang) for lang in LANGS}
            out.add_each(entry, pane, item, "figure", shown)
    moved = change(metric)
    if moved is not None:
        out.add(entry, pane, item, "change", moved.label())


def _metric(out: _Collector, entry: str, item: Item, metric: Metric) -> None:
    pane = "metrics"
    _figure(out, entry, pane, item, metric)
    out.add(entry, pane, item, "source", metric.source)
    out.add(entry, pane, item, "unit", metric.unit)
    out.add(entry, pane, item, "period", metric.period)
    out.add(entry, pane, item, "note", metric.note)


def _sources(out: _Collector, entry: str, sources: list[Source]) -> None:
    for index, source in enumerate(sources):
        cited = {lang: citation(source, lang) for lang in LANGS}
        out.add_each(entry, "people", ("sources", index), "citation", cited)
        out.add(entry, "people", ("sources", index), "url", source.url)


def _outlets(
    out: _Collector,
    entry: str,
    pane: str,
    items: Sequence[tuple[Item, Metric | Event]],
    sources: list[Source],
    where: Item | None = None,
) -> None:
    """The citation of each source that ``items`` of ``pane`` point into with a passage,
    once: the pane shows it as where they come from (under ``where``, or the first such
    item). The passage's own words are never indexed: they are the source's, read at run
    time from an author's copy, not the case's."""
    cited = {source.id: source for source in sources}
    first: dict[str, Item] = {}
    for item, thing in items:
        if thing.passage is not None and thing.source in cited:
            first.setdefault(thing.source, item)
    for source_id, item in first.items():
        shown = {lang: citation(cited[source_id], lang) for lang in LANGS}
        out.add_each(entry, pane, item if where is None else where, "source", shown)


def _case(out: _Collector, case: Case, chapters: dict[str, Text]) -> None:
    # Teaching notes and the epilogue are instructor-only: see _teaching.
    entry = case.id
    pane = "overview"
    company = case.company
    out.add(entry, pane, ("company", "name"), "name", company.name)
    out.add(entry, pane, ("company", "legal_name"), "legal_name", company.legal_name)
    for index, name in enumerate(company.former_names):
        out.add(entry, pane, ("company", "former_names", index), "former_names", name)
    places = {lang: place_name(case.location, lang) for lang in LANGS}
    out.add_each(entry, pane, ("location",), "location", places)
    out.add(entry, pane, ("industry",), "industry", case.industry)
    for index, recognition in enumerate(case.recognitions):
        out.add(entry, pane, ("recognitions", index), "recognitions", recognition.name)
    if case.chapter is not None:
        out.add(entry, pane, ("chapter",), "chapter", chapters.get(case.chapter))
    for metric in headline_figures(case.metrics):
        _figure(out, entry, pane, ("metrics", case.metrics.index(metric)), metric)
    out.add(entry, pane, ("hook",), "hook", case.hook)
    out.add(entry, pane, ("summary",), "summary", case.summary)

    for index, event in enumerate(case.timeline):
        _event(out, entry, ("timeline", index), event)
    events = [(("timeline", index), event) for index, event in enumerate(case.timeline)]
    _outlets(out, entry, "timeline", events, case.sources)

    for index, metric in enumerate(case.metrics):
        _metric(out, entry, ("metrics", index), metric)
    metrics = [(("metrics", index), metric) for index, metric in enumerate(case.metrics)]
    _outlets(out, entry, "metrics", metrics, case.sources, ("metrics", "sources"))

    pane = "challenges"
    metrics = {metric.id: metric for metric in case.metrics}
    for index, challenge in enumerate(case.challenges):
        item: Item = ("challenges", index)
        out.add(entry, pane, item, "title", challenge.title)
        out.add(entry, pane, item, "problem", challenge.problem)
        for number, solution in enumerate(challenge.solutions):
            out.add(entry, pane, (*item, "solutions", number), "solutions", solution)
        out.add(entry, pane, item, "outcome", challenge.outcome)
        for number, metric_id in enumerate(challenge.metrics):
            if metric_id in metrics:
                _figure(out, entry, pane, (*item, "metrics", number), metrics[metric_id])

    pane = "people"
    for index, person in enumerate(case.people):
        item = ("people", index)
        out.add(entry, pane, item, "name", person.name)
        out.add(entry, pane, item, "role", person.role)
        for number, said in enumerate(person.said):
            out.add(entry, pane, (*item, "said", number), "said", said)
    _sources(out, entry, case.sources)

    pane = "discussion"
    for index, objective in enumerate(case.learning_objectives):
        out.add(entry, pane, ("learning_objectives", index), "learning_objectives", objective)
    for index, question in enumerate(case.discussion_questions):
        out.add(entry, pane, ("discussion_questions", index), "discussion_questions", question)


def _teaching(out: _Collector, case: Case) -> None:
    """What the teaching pane shows (the instructor edition's alone)."""
    entry, pane = case.id, TEACHING
    notes = case.teaching_notes
    if notes is not None:
        for index, segment in enumerate(notes.segments):
            item: Item = ("teaching_notes", "segments", index)
            out.add(entry, pane, item, "title", segment.title)
            out.add(entry, pane, item, "notes", segment.notes)
        for point in notes.key_points:
            out.add(entry, pane, ("teaching_notes", "key_points"), "key_points", point)
        for line in notes.board_plan:
            out.add(entry, pane, ("teaching_notes", "board_plan"), "board_plan", line)
    out.add(entry, pane, ("epilogue",), "epilogue", case.epilogue)


def _collection(out: _Collector, collection: Collection, library: Library) -> None:
    entry, pane = INTRO_ID, "overview"
    out.add(entry, pane, ("title",), "title", collection.title)
    out.add(entry, pane, ("subtitle",), "subtitle", collection.subtitle)
    out.add(entry, pane, ("introduction",), "introduction", collection.introduction)
    for index, region in enumerate(collection.context):
        out.add(entry, pane, ("context", index), "name", region.name)
        out.add(entry, pane, ("context", index), "summary", region.summary)
        for metric in headline_figures(region.figures):
            item = ("context", index, "figures", region.figures.index(metric))
            _figure(out, entry, pane, item, metric)
    for index, chapter in enumerate(collection.chapters):
        out.add(entry, pane, ("chapters", index), "title", chapter.title)
        named, _more = chapter_cases(chapter, library)
        for case_id in named:
            name = card_in(library.cases, case_id).company.name  # decoding no case
            out.add(entry, pane, ("chapters", index), "cases", name)
        out.add(entry, pane, ("chapters", index), "summary", chapter.summary)
    for index, region in enumerate(collection.context):
        if region.timeline:  # each event is marked with its region's name
            out.add(entry, "timeline", ("context", index), "region", region.name)
        for number, event in enumerate(region.timeline):
            _event(out, entry, ("context", index, "timeline", number), event)
        events = [(("context", index, "timeline", n), e) for n, e in enumerate(region.timeline)]
        _outlets(out, entry, "timeline", events, collection.sources)
    for index, region in enumerate(collection.context):
        if region.figures:  # under its region's name
            out.add(entry, "metrics", ("context", index, "figures"), "region", region.name)
        for number, metric in enumerate(region.figures):
            _metric(out, entry, ("context", index, "figures", number), metric)
        where: Item = ("context", index, "figures")
        figures = [((*where, number), metric) for number, metric in enumerate(region.figures)]
        _outlets(out, entry, "metrics", figures, collection.sources, (*where, "sources"))
    _sources(out, entry, collection.sources)


class _Shelf:
    """Folded texts joined into one haystack; ``members[k]`` is the index of its k-th text."""

    __slots__ = ("find", "haystack", "members", "starts")

    def __init__(self, texts: list[str], members: array[int], ascii_only: bool) -> None:
        self.members = members
        own = list(map(texts.__getitem__, members))
        self.haystack = _fold_joined(own, ascii_only) if members else ""
        # starts[k] is where text k begins; each text is followed by SEPARATOR. Arrays:
        # a large library's texts are a hundred thousand numbers, not objects.
        lengths = map(len, self.haystack.split(SEPARATOR)) if members else iter(())
        self.starts = array(
            "Q", map(operator.add, accumulate(lengths, initial=0), range(len(members)))
        )
        self.find = self.haystack.find

    def holds(self, index: int) -> int | None:
        """Where text ``index`` sits among this shelf's texts, if it is here."""
        k = bisect_left(self.members, index)
        return k if k < len(self.members) and self.members[k] == index else None

    def folded(self, k: int) -> str:
        end = self.starts[k + 1] - 1 if k + 1 < len(self.starts) else len(self.haystack)
        return self.haystack[self.starts[k] : end]

    def holders(self, needle: str) -> Iterator[tuple[int, str]]:
        """Each text holding ``needle`` with its folded form, in order: one ``find``
        per such text, lazily (a search stops once it has enough)."""
        find, starts, members = self.find, self.starts, self.members
        position = find(needle)
        while position >= 0:
            k = bisect_right(starts, position) - 1
            yield members[k], self.folded(k)
            if k + 1 >= len(starts):
                return
            position = find(needle, starts[k + 1])

    def occurrences(
        self, needle: str, limit: int, upto: int | None = None
    ) -> list[tuple[int, int]]:
        """Up to ``limit`` (text index, folded offset) pairs in order, in texts up to ``upto``."""
        find, starts, members, step = self.find, self.starts, self.members, len(needle)
        end = len(self.haystack)
        if upto is not None:
            k = bisect_right(members, upto)
            end = starts[k] if k < len(starts) else end
        found: list[tuple[int, int]] = []
        position = find(needle, 0, end)
        while position >= 0:
            k = bisect_right(starts, position) - 1
            found.append((members[k], position - starts[k]))
            if len(found) >= limit:
                break
            position = find(needle, position + step, end)
        return found


_DIGIT_COMMA = re.compile("[0-9\uff10-\uff19][,\uff0c]")
"""Where a thousands separator may be (others fold to digits too, but rarely hold one)."""


class _Offsets:
    """How the folded form of one text lines up with the original, to map spans back.

    Only characters that do not fold to exactly one character are listed: their
    original offsets, where their folding starts, how long it is, and the running
    difference (folded minus original offset) just after each.
    """

    __slots__ = ("folded_at", "length", "original", "shift")

    def __init__(self, text: str) -> None:
        odd = [
            (match.start(), length)
            for match in _MAYBE_ODD.finditer(text)
            if (length := _folded_len(match.group())) != 1
        ]
        self._place(odd)
        if _DIGIT_COMMA.search(text):
            # Thousands separators fold to nothing: found in the folded text, each is
            # one original character (a comma) whose folding is dropped.
            unjoined = text.translate(_FOLD)
            commas = [(self.start(m.start()), 0) for m in _GROUPING.finditer(unjoined)]
            if commas:
                self._place(sorted(odd + commas))

    def _place(self, odd: list[tuple[int, int]]) -> None:
        self.original: list[int] = []
        self.folded_at: list[int] = []
        self.length: list[int] = []
        self.shift: list[int] = []
        shift = 0
        for position, length in odd:
            self.original.append(position)
            self.folded_at.append(position + shift)
            self.length.append(length)
            shift += length - 1
            self.shift.append(shift)

    def start(self, folded: int) -> int:
        """The original offset of the character whose folding holds offset ``folded``."""
        k = bisect_right(self.folded_at, folded) - 1
        if k < 0:
            return folded
        if folded < self.folded_at[k] + self.length[k]:
            return self.original[k]
        return folded - self.shift[k]

    def end(self, folded: int) -> int:
        """The first original offset whose folding reaches (exclusive) offset ``folded``."""
        k = bisect_left(self.folded_at, folded) - 1
        if k < 0:
            return folded
        if folded <= self.folded_at[k] + self.length[k]:
            return self.original[k] + 1
        return folded - self.shift[k]


_REMEMBERED = 64
"""How many recent complete results :meth:`SearchIndex.search` keeps to narrow the next."""


class SearchIndex:
    """Every text the panes of a library's edition show, folded into one string for fast search.

    Build it once per load with :meth:`build` (and again on reload); then call
    :meth:`search` on every keystroke. Searching is safe from several threads.

    ASCII texts live in one haystack (one byte per character), the rest in another,
    so a Chinese query never scans the English texts. A query
    that finds fewer than ``limit`` hits leaves behind the (few) texts holding it, so
    the next keystroke, which extends it, looks only in those.
    """

    def __init__(self, records: Sequence[_Record], texts: list[str]) -> None:
        self._records = records
        self._texts = texts
        is_ascii = list(map(str.isascii, texts))
        narrow = array("Q", compress(range(len(texts)), is_ascii))
        wide = array("Q", compress(range(len(texts)), map(operator.not_, is_ascii)))
        self._narrow = _Shelf(texts, narrow, ascii_only=True)
        self._wide = _Shelf(texts, wide, ascii_only=False)
        self._offsets: dict[int, _Offsets] = {}
        self._holders: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    @classmethod
    def build(cls, library: Library) -> SearchIndex:
        """Index the collection (as ``INTRO_ID``) and every case, in reading order.

        Teaching notes and epilogues only in the instructor edition, where the
        teaching pane shows them; never in the student edition.
        """
        out = _Collector()
        chapters: dict[str, Text] = {}
        if library.collection is not None:
            _collection(out, library.collection, library)
            chapters = {chapter.id: chapter.title for chapter in library.collection.chapters}
        teaching = library.edition == "instructor"
        for case in unkept_cases(library.cases):
            _case(out, case, chapters)
            if teaching:
                _teaching(out, case)
        return cls(out.records, out.texts)

    def __len__(self) -> int:
        """How many texts are indexed."""
        return len(self._texts)

    def texts(self) -> Iterator[tuple[str, str, Item, str]]:
        """(entry id, pane, item, original text) of every indexed text, in order."""
        for (entry, pane, item, _field, _lang), text in zip(
            self._records, self._texts, strict=True
        ):
            yield entry, pane, item, text

    def forget(self) -> None:
        """Drop what earlier searches left behind to speed up the next (for benchmarks)."""
        with self._lock:
            self._holders.clear()

    def search(self, query: str, limit: int = 200) -> list[Hit]:
        """Occurrences of ``query``: in reading order of entries, then panes, then position.

        Matching ignores case, width (full-width forms), accents and all whitespace, in
        the text and in the query alike; at most ``limit`` hits are returned.
        """
        needles = terms(query)
        if not needles or limit <= 0:
            return []
        if len(needles) > 1:
            return self._search_all(needles, limit)
        needle = needles[0]
        candidates = self._candidates(needle)
        if candidates is None:
            found, complete = self._scan(needle, limit)
        else:
            found, complete = self._scan_texts(candidates, needle), True
        if complete:
            self._remember(needle, sorted({index for index, _ in found}))
        size = len(needle)
        return [self._hit(index, offset, offset + size) for index, offset in found[:limit]]

    def _search_all(self, needles: list[str], limit: int) -> list[Hit]:
        """Texts holding every one of ``needles`` (in any order), one hit per text.

        The longest needle (likely the rarest) picks the texts, lazily and in reading
        order; the others are looked for in those texts only, until ``limit`` hits.
        With a non-ASCII needle only the non-ASCII texts can match.
        """
        ordered = sorted(needles, key=len, reverse=True)
        driver, others = ordered[0], ordered[1:]
        wide_only = not all(needle.isascii() for needle in ordered)
        candidates = self._candidates(driver)
        texts: Iterator[tuple[int, str]]
        if candidates is not None:
            texts = ((index, self._folded(index)) for index in candidates)
        elif wide_only or not driver.isascii():
            texts = self._wide.holders(driver)
        else:
            shelves = (self._narrow.holders(driver), self._wide.holders(driver))
            texts = heapq.merge(*shelves, key=operator.itemgetter(0))
        hits: list[Hit] = []
        held: list[int] = []
        for index, folded in texts:
            if driver not in folded:
                continue
            held.append(index)
            if not all(needle in folded for needle in others):
                continue
            spans = sorted(
                (position, position + len(needle))
                for needle in ordered
                for position in _positions(folded, needle)
            )
            hits.append(self._hit_spans(index, spans))
            if len(hits) >= limit:
                return hits
        if not wide_only or candidates is not None:  # every holder of the driver seen
            self._remember(driver, held)
        return hits

    def _folded(self, index: int) -> str:
        k = self._narrow.holds(index)
        return self._narrow.folded(k) if k is not None else self._wide_folded(index)

    def _hit_spans(self, index: int, spans: list[tuple[int, int]]) -> Hit:
        """One hit on text ``index`` for every folded span, the first as its start and end."""
        each = [self._hit(index, start, end) for start, end in spans]
        merged: list[tuple[int, int]] = []
        for hit in each:  # sorted; overlapping words highlight as one
            if merged and hit.start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hit.end))
            else:
                merged.append((hit.start, hit.end))
        first = each[0]
        return Hit(
            first.entry_id,
            first.pane,
            first.item,
            first.text,
            merged[0][0],
            merged[0][1],
            first.field,
            first.lang,
            tuple(merged),
        )

    def _scan(self, needle: str, limit: int) -> tuple[list[tuple[int, int]], bool]:
        """Occurrences in the haystacks, and whether they are all of them."""
        if not needle.isascii():
            found = self._wide.occurrences(needle, limit)
            return found, len(found) < limit
        found = self._narrow.occurrences(needle, limit)
        # Wide texts after the last narrow hit cannot make the first ``limit``.
        upto = found[-1][0] if len(found) >= limit else None
        more = self._wide.occurrences(needle, limit, upto)
        complete = len(found) < limit and len(more) < limit
        return sorted(found + more), complete

    def _scan_texts(self, candidates: list[int], needle: str) -> list[tuple[int, int]]:
        """Every occurrence in the given texts (only ever a few hundred of them)."""
        found: list[tuple[int, int]] = []
        step = len(needle)
        for index in candidates:
            folded = self._folded(index)
            position = folded.find(needle)
            while position >= 0:
                found.append((index, position))
                position = folded.find(needle, position + step)
        return found

    def _wide_folded(self, index: int) -> str:
        k = self._wide.holds(index)
        assert k is not None
        return self._wide.folded(k)

    def _candidates(self, needle: str) -> list[int] | None:
        """The fewest texts known to hold every occurrence of ``needle``, if known."""
        with self._lock:
            exact = self._holders.get(needle)
            if exact is not None:
                return exact
            known = [texts for part, texts in self._holders.items() if part in needle]
        return min(known, key=len) if known else None

    def _remember(self, needle: str, holders: list[int]) -> None:
        with self._lock:
            self._holders.pop(needle, None)
            self._holders[needle] = holders
            while len(self._holders) > _REMEMBERED:
                del self._holders[next(iter(self._holders))]

    def _hit(self, index: int, start: int, end: int) -> Hit:
        entry, pane, item, field, lang = self._records[index]
        text = self._texts[index]
        offsets = self._offsets.get(index)
        if offsets is None:
            if len(self._offsets) >= 4096:
                self._offsets.clear()
            offsets = self._offsets[index] = _Offsets(text)
        first, last = offsets.start(start), offsets.end(end)
        # Keep accents that follow the match with it.
        while last < len(text) and unicodedata.combining(text[last]):
            last += 1
        return Hit(entry, pane, item, text, first, last, field, lang)


def _positions(folded: str, needle: str) -> Iterator[int]:
    """Where ``needle`` occurs in ``folded``, without overlaps."""
    position = folded.find(needle)
    while position >= 0:
        yield position
        position = folded.find(needle, position + len(needle))


def search_notes(query: str, notes: Sequence[tuple[str, str, str]], limit: int = 50) -> list[Hit]:
    """The reader's own notes, ``(entry id, pane, text)``, that hold every term of
    ``query``: one hit per note (``field="note"``), every term highlighted."""
    needles = terms(query)
    if not needles:
        return []
    hits: list[Hit] = []
    for entry, pane, text in notes:
        index = SearchIndex([(entry, pane, (), "note", None)], [text])
        found = index.search(query, limit=1)
        if found and len(needles) == 1:
            every = index.search(query, limit=1000)
            spans = tuple((hit.start, hit.end) for hit in every)
            hit = found[0]
            found = [Hit(hit.entry_id, hit.pane, (), text, hit.start, hit.end, "note", None, spans)]
        hits += found
        if len(hits) >= limit:
            break
    return hits
