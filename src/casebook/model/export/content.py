"""What a handout says: cases and the collection turned into blocks (:mod:`.blocks`).

Text is taken in the handout's language (falling back to the other one) or in
both, cleaned of unsafe characters but never escaped. Instructor-only fields
(teaching notes and the epilogue) become blocks only in the instructor edition.

Where a figure, an event or a thing said has a passage and its source an address
(``url``), its source reference (``[1]``) links to the source opened at the passage
(see :mod:`casebook.model.format.links`); the sources list links each address. The
passage's own words are never in a handout: they are the source's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from casebook.model.export.blocks import (
    Block,
    Fields,
    Handout,
    Heading,
    Item,
    Items,
    Language,
    Line,
    Linked,
    Para,
    Section,
    Table,
    Words,
)
from casebook.model.format.case import (
    Case,
    Collection,
    Event,
    Metric,
    Passage,
    Person,
    Saying,
    Source,
    citation,
    place_name,
)
from casebook.model.format.figures import change, format_amount
from casebook.model.format.links import passage_address, web_address
from casebook.model.format.text import Lang, Text, pick, strip_unsafe
from casebook.model.format.words import t
from casebook.model.load.library import Library


def build(library: Library, ids: Sequence[str], lang: Language) -> Handout:
    """The handout of the cases ``ids`` (known to the library), in that order.

    When ``ids`` are every case of the library and it has a collection, the
    handout starts with the collection's introduction, context and chapters.
    """
    builder = _Builder(library, lang)
    parts: list[Section] = []
    whole = library.collection is not None and set(ids) == set(library.cases)
    if whole and library.collection is not None:
        parts.append(builder.collection(library.collection))
    for case_id in ids:
        parts.append(builder.case(library.cases[case_id], new_page=bool(parts)))
    return Handout(builder.title(list(ids), whole), tuple(parts), lang)


def _clean(value: str) -> str:
    return strip_unsafe(value).strip()


def _suffix(words: Words, suffix: str) -> Words:
    return tuple((lang, text + suffix) for lang, text in words) if suffix else words


class _Builder:
    """Turns cases and the collection into blocks, in one language or both."""

    def __init__(self, library: Library, lang: Language) -> None:
        self.library = library
        self.lang = lang
        # The student edition's cases are already cut; guard on the edition anyway.
        self.instructor = library.edition == "instructor"
        self.langs: tuple[Lang, ...] = ("en", "zh") if lang == "both" else (lang,)
        self.cited: dict[str, Source] = {}
        """The sources of the document being built, by id."""

    # words

    def text(self, text: Text | None) -> Words:
        """A case text in the handout's language(s), falling back to the other one."""
        if text is None:
            return ()
        if isinstance(text, str):
            value = _clean(text)
            return ((None, value),) if value else ()
        en, zh = _clean(text.en), _clean(text.zh)
        if self.lang == "both":
            if en == zh:
                return ((None, en),)
            return tuple((lang, value) for lang, value in (("en", en), ("zh", zh)) if value)
        first, second = ("en", "zh") if self.lang == "en" else ("zh", "en")
        mine = en if first == "en" else zh
        return ((first, mine),) if mine else ((second, en or zh),)

    def names(self, text: Text) -> Words:
        """A name in the handout's language, then in the other one when it differs."""
        if isinstance(text, str) or self.lang == "both":
            return self.text(text)
        first: Lang = self.lang
        second: Lang = "zh" if first == "en" else "en"
        parts = [(first, _clean(pick(text, first))), (second, _clean(pick(text, second)))]
        return tuple(dict((value, (lang, value)) for lang, value in parts if value).values())

    def each(self, make: Callable[[Lang], str]) -> Words:
        """A text computed per language (dates, amounts, places, citations)."""
        values = [(lang, _clean(make(lang))) for lang in self.langs]
        values = [(lang, value) for lang, value in values if value]
        if len(values) == 2 and values[0][1] == values[1][1]:
            return ((None, values[0][1]),)
        return tuple(values)

    def ui(self, key: str, **values: object) -> Words:
        """Interface words: in English and Chinese when the handout is in both."""
        return tuple((lang, t(key, lang, **values)) for lang in self.langs)

    def title(self, ids: list[str], whole: bool) -> str:
        """The HTML title: the collection's, the case's name, or the handout and names."""
        collection = self.library.collection
        if whole and collection is not None:
            words = self.text(collection.title)
        elif len(ids) == 1:
            words = self.text(self.library.cases[ids[0]].company.name)
        elif not ids:
            words = self.ui("handout")
        else:
            names = [self.library.cases[case_id].company.name for case_id in ids]
            words = self.each(
                lambda lang: (
                    t("handout", lang)
                    + (": " if lang == "en" else "：")
                    + ("; " if lang == "en" else "；").join(pick(n, lang) for n in names)
                )
            )
        return " / ".join(text for _, text in words)

    # shared pieces

    def cite(
        self, words: Words, refs: dict[str, int], source: str | None, passage: Passage | None
    ) -> Line:
        """``words`` and the source reference `` [1]``: a link to the source opened at
        ``passage`` when there is one and the source has an address."""
        mark = _cite(refs, source)
        cited = self.cited.get(source) if source is not None else None
        address = passage_address(cited.url, passage) if cited is not None else None
        if address is None:
            return _suffix(words, mark) if words else (((None, mark.strip()),) if mark else ())
        return Linked(words, mark.strip(), address)

    def figure(self, metric: Metric, with_change: bool = True) -> Words:
        """'22 days → under 10 days (<−54.5%)' or 'more than 1,500 customers'."""

        def make(lang: Lang) -> str:
            if metric.value is not None:
                return format_amount(metric.value, metric.unit, lang)
            assert metric.before is not None and metric.after is not None
            text = (
                f"{format_amount(metric.before, metric.unit, lang)}"
                f" → {format_amount(metric.after, metric.unit, lang)}"
            )
            moved = change(metric) if with_change else None
            return f"{text} ({moved.label()})" if moved is not None else text

        return self.each(make)

    def metric_table(self, metrics: list[Metric], refs: dict[str, int]) -> Table:
        with_note = any(metric.note is not None for metric in metrics)
        head = [self.ui("metric"), self.ui("value"), self.ui("change"), self.ui("period")]
        if with_note:
            head.append(self.ui("metric_note"))
        head.append(self.ui("source"))
        rows = []
        for metric in metrics:
            moved = change(metric)
            row = [
                self.text(metric.label),
                self.figure(metric, with_change=False),
                ((None, moved.label()),) if moved is not None else (),
                self.text(metric.period),
            ]
            if with_note:
                row.append(self.text(metric.note))
            row.append(self.cite((), refs, metric.source, metric.passage))
            rows.append(tuple(row))
        return Table(tuple(head), tuple(rows), cls="metrics")

    def timeline(self, events: list[Event], refs: dict[str, int]) -> Items:
        items = []
        for event in sorted(events, key=lambda e: e.date.sort_key):
            lines = (self.cite(self.text(event.title), refs, event.source, event.passage),)
            lines += (self.text(event.detail),) if event.detail is not None else ()
            items.append(Item(self.each(event.date.label), lines))
        return Items(tuple(items), cls="timeline")

    def figure_items(self, metrics: list[Metric]) -> Items:
        items = [Item(self.text(m.label), (self.figure(m),), colon=True) for m in metrics]
        return Items(tuple(items), cls="figures")

    def citations(self, sources: list[Source]) -> Items:
        items = []
        for source in sources:
            lines: tuple[Line, ...] = (self.each(lambda lang, s=source: citation(s, lang)),)
            address = web_address(source.url)
            if address is not None and source.url is not None:
                lines += (Linked((), _clean(source.url), address),)
            items.append(Item(lines=lines))
        return Items(tuple(items), numbered=True, cls="sources")

    def bullets(self, texts: list[Text], numbered: bool = False) -> Items:
        return Items(tuple(Item(lines=(self.text(t),)) for t in texts), numbered=numbered)

    def pane(self, cls: str, key: str, *blocks: Block, level: int = 2) -> Section:
        return Section(cls, (Heading(level, self.ui(key)), *blocks))

    # the collection

    def collection(self, collection: Collection) -> Section:
        refs = {source.id: n for n, source in enumerate(collection.sources, start=1)}
        self.cited = {source.id: source for source in collection.sources}
        blocks: list[Block] = [Heading(1, self.text(collection.title))]
        if collection.subtitle is not None:
            blocks.append(Para(self.text(collection.subtitle), em=True))
        blocks.append(
            self.pane("introduction", "introduction", Para(self.text(collection.introduction)))
        )
        if collection.context:
            regions: list[Block] = [Heading(2, self.ui("context"))]
            for region in collection.context:
                parts: list[Block] = [Heading(3, self.text(region.name))]
                if region.summary is not None:
                    parts.append(Para(self.text(region.summary)))
                if region.figures:
                    parts += [
                        Heading(4, self.ui("figures")),
                        self.metric_table(region.figures, refs),
                    ]
                if region.timeline:
                    parts += [
                        Heading(4, self.ui("timeline")),
                        self.timeline(region.timeline, refs),
                    ]
                regions.append(Section("region", tuple(parts), ident=f"region-{region.id}"))
            blocks.append(Section("context", tuple(regions)))
        if collection.chapters:
            items = []
            for chapter in collection.chapters:
                cases = [self.library.cases[c] for c in chapter.cases if c in self.library.cases]
                listed = self.each(
                    lambda lang, cases=cases: ("、" if lang == "zh" else ", ").join(
                        pick(c.company.name, lang) for c in cases
                    )
                )
                lines = tuple(w for w in (listed, self.text(chapter.summary)) if w)
                items.append(Item(self.text(chapter.title), lines))
            blocks.append(self.pane("chapters", "chapters", Items(tuple(items), numbered=True)))
        if collection.sources:
            blocks.append(self.pane("sources", "sources_title", self.citations(collection.sources)))
        return Section("collection", tuple(blocks), ident=f"collection-{collection.id}")

    # a case

    def case(self, case: Case, new_page: bool) -> Section:
        refs = {source.id: n for n, source in enumerate(case.sources, start=1)}
        self.cited = {source.id: source for source in case.sources}
        blocks: list[Block] = [Heading(1, self.names(case.company.name))]
        if case.hook is not None:
            blocks.append(Para(self.text(case.hook), em=True))
        identity = self.identity(case, refs)
        if identity:
            blocks.append(Fields(identity))
        blocks.append(self.pane("summary", "summary", Para(self.text(case.summary))))
        headline = [metric for metric in case.metrics if metric.headline]
        if headline:
            blocks.append(self.pane("headline", "headline", self.figure_items(headline)))
        if case.timeline:
            blocks.append(self.pane("timeline", "timeline", self.timeline(case.timeline, refs)))
        if case.metrics:
            blocks.append(self.pane("metrics", "metrics", self.metric_table(case.metrics, refs)))
        if case.challenges:
            blocks.append(self.pane("challenges", "challenges", *self.challenges(case)))
        if case.people:
            blocks.append(self.pane("people", "people_title", *self.people(case, refs)))
        if case.sources:
            blocks.append(self.pane("sources", "sources_title", self.citations(case.sources)))
        if case.learning_objectives:
            objectives = self.bullets(case.learning_objectives)
            blocks.append(self.pane("objectives", "objectives", objectives))
        if case.discussion_questions:
            questions = self.bullets(case.discussion_questions, numbered=True)
            blocks.append(self.pane("questions", "questions", questions))
        if self.instructor:
            blocks += self.instructors(case)
        return Section(
            "case", tuple(blocks), ident=f"case-{case.id}", new_page=new_page, tag="article"
        )

    def identity(self, case: Case, refs: dict[str, int]) -> tuple[tuple[Words, Words], ...]:
        company = case.company
        rows: list[tuple[Words, Words]] = []
        if company.legal_name is not None:
            rows.append((self.ui("legal_name"), self.text(company.legal_name)))
        if company.former_names:
            names = company.former_names
            rows.append(
                (
                    self.ui("former_names"),
                    self.each(lambda lang: _listed([pick(n, lang) for n in names], lang)),
                )
            )
        if case.location is not None:
            where = case.location
            rows.append((self.ui("location"), self.each(lambda lang: place_name(where, lang))))
        if case.industry is not None:
            rows.append((self.ui("industry"), self.text(case.industry)))
        if case.recognitions:
            recognitions = case.recognitions
            rows.append(
                (
                    self.ui("recognitions"),
                    self.each(
                        lambda lang: _listed(
                            [pick(r.name, lang) + _cite(refs, r.source) for r in recognitions],
                            lang,
                        )
                    ),
                )
            )
        if case.chapter is not None:
            rows.append(
                (self.ui("chapter"), self.each(lambda lang: self.chapter_title(case, lang)))
            )
        return tuple((label, value) for label, value in rows if value)

    def chapter_title(self, case: Case, lang: Lang) -> str:
        collection = self.library.collection
        for chapter in collection.chapters if collection is not None else []:
            if chapter.id == case.chapter:
                return pick(chapter.title, lang)
        return case.chapter or ""

    def challenges(self, case: Case) -> list[Block]:
        metrics = {metric.id: metric for metric in case.metrics}
        blocks: list[Block] = []
        for number, challenge in enumerate(case.challenges, start=1):
            parts: list[Block] = [
                Heading(3, self.text(challenge.title), number=number),
                Para(self.text(challenge.problem), label=self.ui("problem")),
            ]
            if challenge.solutions:
                parts += [
                    Para((), label=self.ui("solutions")),
                    self.bullets(challenge.solutions, numbered=True),
                ]
            if challenge.outcome is not None:
                parts.append(Para(self.text(challenge.outcome), label=self.ui("outcome")))
            moved = [metrics[m] for m in challenge.metrics if m in metrics]
            if moved:
                parts += [Para((), label=self.ui("moved")), self.figure_items(moved)]
            blocks.append(Section("challenge", tuple(parts)))
        return blocks

    def people(self, case: Case, refs: dict[str, int]) -> list[Block]:
        blocks: list[Block] = []
        for person in case.people:
            parts: list[Block] = [
                Heading(3, self.names(person.name)),
                Para(_suffix(self.text(person.role), _cite(refs, person.source)), em=True),
            ]
            if person.said:
                parts += [Para((), label=self.ui("said")), self.said(person, refs)]
            blocks.append(Section("person", tuple(parts)))
        return blocks

    def said(self, person: Person, refs: dict[str, int]) -> Items:
        """What ``person`` said; a saying with a passage is followed by its source
        reference, a link to the passage, when the person's source has an address."""
        items = []
        for said in person.said:
            words = self.text(said)
            passage = said.passage if isinstance(said, Saying) else None
            line = self.cite(words, refs, person.source, passage)
            items.append(Item(lines=(line if isinstance(line, Linked) else words,)))
        return Items(tuple(items))

    def instructors(self, case: Case) -> list[Block]:
        """Teaching notes and epilogue, marked for instructors (instructor edition only)."""
        if not self.instructor:
            return []
        notes, epilogue = case.teaching_notes, case.epilogue
        blocks: list[Block] = []
        if notes is not None and notes.segments:
            total = sum(segment.minutes for segment in notes.segments)
            rows = tuple(
                (self.text(s.title), ((None, str(s.minutes)),), self.text(s.notes))
                for s in notes.segments
            )
            head = (self.ui("segment_col"), self.ui("minutes"), self.ui("segment_notes"))
            blocks += [
                Heading(3, self.ui("class_plan", n=total)),
                Table(head, rows, cls="segments"),
            ]
        if notes is not None and notes.board_plan:
            blocks.append(
                self.pane("board-plan", "board_plan", self.bullets(notes.board_plan), level=3)
            )
        if notes is not None and notes.key_points:
            blocks.append(
                self.pane("key-points", "key_points", self.bullets(notes.key_points), level=3)
            )
        if epilogue is not None:
            blocks.append(self.pane("epilogue", "epilogue", Para(self.text(epilogue)), level=3))
        if not blocks:
            return []
        top: list[Block] = [
            Heading(2, self.ui("instructors")),
            Para(self.ui("instructors_only"), em=True),
        ]
        return [Section("instructor", (*top, *blocks))]


def _cite(refs: dict[str, int], source_id: str | None) -> str:
    """' [1]' for the first source of the case; the raw id when it names none."""
    if source_id is None:
        return ""
    return f" [{refs.get(source_id, source_id)}]"


def _listed(values: Sequence[str], lang: Lang) -> str:
    return ("；" if lang == "zh" else "; ").join(values)
