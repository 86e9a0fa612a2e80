"""Handouts: cases as Markdown or as one self-contained, print-ready HTML file.

``export(library, case_ids, fmt, lang)`` builds each case (and, for the whole
casebook, the collection's introduction, context and chapters) once as a small
tree of blocks, then writes that tree as Markdown or HTML, so both formats hold
the same content.

Case text is data, never markup: in Markdown it goes through :func:`escape_md`,
in HTML through :func:`html.escape`. Instructor-only fields (teaching notes and
the epilogue) appear only when the library is the instructor edition. The
output holds no timestamps, so the same library always gives the same bytes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from casebook.model.case import Case, Collection, Event, Metric, Source, citation, place_name
from casebook.model.figures import change, format_amount
from casebook.model.library import Library
from casebook.model.text import Lang, Text, pick, strip_unsafe
from casebook.model.words import t

Format = Literal["md", "html"]
Language = Literal["en", "zh", "both"]
FORMATS: tuple[Format, ...] = ("md", "html")
LANGUAGES: tuple[Language, ...] = ("en", "zh", "both")
SUFFIXES: dict[Format, str] = {"md": ".md", "html": ".html"}


class UnknownCase(KeyError):
    """No case in the library has this id."""

    def __init__(self, case_id: str, known: Sequence[str] = ()) -> None:
        super().__init__(case_id)
        self.case_id = case_id
        self.known = list(known)

    def __str__(self) -> str:
        known = ", ".join(self.known) if self.known else "none"
        return f"no case has id {self.case_id!r}; known ids: {known}"


def export(library: Library, case_ids: Sequence[str], fmt: Format, lang: Language = "en") -> str:
    """The handout of ``case_ids`` (in that order) as Markdown or HTML.

    When ``case_ids`` are every case of the library and it has a collection, the
    handout starts with the collection's introduction, context and chapters.
    Raises :class:`UnknownCase` for an id the library does not hold.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    ids = [case_ids] if isinstance(case_ids, str) else list(dict.fromkeys(case_ids))
    for case_id in ids:
        if case_id not in library.cases:
            raise UnknownCase(case_id, list(library.cases))
    build = _Builder(library, lang)
    parts: list[_Section] = []
    whole = library.collection is not None and set(ids) == set(library.cases)
    if whole and library.collection is not None:
        parts.append(build.collection(library.collection))
    for case_id in ids:
        parts.append(build.case(library.cases[case_id], new_page=bool(parts)))
    if fmt == "md":
        return _Markdown(lang).document(parts)
    return _Html(lang).document(build.title(ids, whole), parts)


# -- Markdown escaping -------------------------------------------------------------------

# Characters that are markup wherever they stand (emphasis, code, links, tables,
# headings' closing #, strikethrough, math, e-mail autolinks) and the backslash.
_MD_ALWAYS = re.compile(r"([\\`*_\[\]#|~$@])")
_MD_TAG = re.compile(r"<(?=[A-Za-z/!?])")  # an HTML tag, comment or autolink
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # &amp; &#60;
_MD_URL = re.compile(r"(?<=[A-Za-z]):(?=//)")  # GFM autolinks: http://
_MD_WWW = re.compile(r"(?<=www)\.", re.IGNORECASE)  # GFM autolinks: www.
_MD_LINE_START = re.compile(r"^([=>]|[-+](?=[-+\s]|$))")  # lists, rules, underlines, quotes
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")  # ordered lists


def escape_md(text: str) -> str:
    """Case text as one line of CommonMark/GFM that renders as exactly that text.

    Unsafe characters are removed and every run of whitespace (newlines included)
    becomes one space, so the text cannot break out of a table cell, list item or
    heading; anything that could start markup or raw HTML is backslash-escaped.
    """
    flat = " ".join(strip_unsafe(text).split())
    out = _MD_ALWAYS.sub(r"\\\1", flat)
    out = _MD_TAG.sub(r"\\<", out)
    out = _MD_ENTITY.sub(r"\\&", out)
    out = _MD_URL.sub(r"\\:", out)
    out = _MD_WWW.sub(r"\\.", out)
    out = _MD_LINE_START.sub(r"\\\1", out)
    return _MD_ORDERED.sub(r"\1\\\2", out)


# -- interface words ---------------------------------------------------------------------


# -- the block tree ----------------------------------------------------------------------

Part = tuple[Lang | None, str]
"""A text in one language (None: the same in every language)."""
Words = tuple[Part, ...]
"""A text in the handout's language(s): one part, or English then Chinese."""


@dataclass(frozen=True)
class _Heading:
    level: int
    text: Words
    number: int | None = None


@dataclass(frozen=True)
class _Para:
    text: Words
    label: Words = ()
    em: bool = False


@dataclass(frozen=True)
class _Item:
    lead: Words = ()
    lines: tuple[Words, ...] = ()
    colon: bool = False  # "Lead: line" rather than "Lead — line"


@dataclass(frozen=True)
class _List:
    items: tuple[_Item, ...]
    numbered: bool = False
    cls: str = ""


@dataclass(frozen=True)
class _Fields:
    rows: tuple[tuple[Words, Words], ...]


@dataclass(frozen=True)
class _Table:
    head: tuple[Words, ...]
    rows: tuple[tuple[Words, ...], ...]
    cls: str = ""


@dataclass(frozen=True)
class _Section:
    cls: str
    blocks: tuple[_Block, ...]
    ident: str = ""
    new_page: bool = False
    tag: str = "section"


_Block = _Heading | _Para | _List | _Fields | _Table | _Section


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

    def metric_table(self, metrics: list[Metric], refs: dict[str, int]) -> _Table:
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
            cite = _cite(refs, metric.source).strip()
            row.append(((None, cite),) if cite else ())
            rows.append(tuple(row))
        return _Table(tuple(head), tuple(rows), cls="metrics")

    def timeline(self, events: list[Event], refs: dict[str, int]) -> _List:
        items = []
        for event in sorted(events, key=lambda e: e.date.sort_key):
            lines = (_suffix(self.text(event.title), _cite(refs, event.source)),)
            lines += (self.text(event.detail),) if event.detail is not None else ()
            items.append(_Item(self.each(event.date.label), lines))
        return _List(tuple(items), cls="timeline")

    def figure_items(self, metrics: list[Metric]) -> _List:
        items = [_Item(self.text(m.label), (self.figure(m),), colon=True) for m in metrics]
        return _List(tuple(items), cls="figures")

    def citations(self, sources: list[Source]) -> _List:
        items = [_Item(lines=(self.each(lambda lang, s=s: citation(s, lang)),)) for s in sources]
        return _List(tuple(items), numbered=True, cls="sources")

    def bullets(self, texts: list[Text], numbered: bool = False) -> _List:
        return _List(tuple(_Item(lines=(self.text(t),)) for t in texts), numbered=numbered)

    def pane(self, cls: str, key: str, *blocks: _Block, level: int = 2) -> _Section:
        return _Section(cls, (_Heading(level, self.ui(key)), *blocks))

    # the collection

    def collection(self, collection: Collection) -> _Section:
        refs = {source.id: n for n, source in enumerate(collection.sources, start=1)}
        blocks: list[_Block] = [_Heading(1, self.text(collection.title))]
        if collection.subtitle is not None:
            blocks.append(_Para(self.text(collection.subtitle), em=True))
        blocks.append(
            self.pane("introduction", "introduction", _Para(self.text(collection.introduction)))
        )
        if collection.context:
            regions: list[_Block] = [_Heading(2, self.ui("context"))]
            for region in collection.context:
                parts: list[_Block] = [_Heading(3, self.text(region.name))]
                if region.summary is not None:
                    parts.append(_Para(self.text(region.summary)))
                if region.figures:
                    parts += [
                        _Heading(4, self.ui("figures")),
                        self.metric_table(region.figures, refs),
                    ]
                if region.timeline:
                    parts += [
                        _Heading(4, self.ui("timeline")),
                        self.timeline(region.timeline, refs),
                    ]
                regions.append(_Section("region", tuple(parts), ident=f"region-{region.id}"))
            blocks.append(_Section("context", tuple(regions)))
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
                items.append(_Item(self.text(chapter.title), lines))
            blocks.append(self.pane("chapters", "chapters", _List(tuple(items), numbered=True)))
        if collection.sources:
            blocks.append(self.pane("sources", "sources_title", self.citations(collection.sources)))
        return _Section("collection", tuple(blocks), ident=f"collection-{collection.id}")

    # a case

    def case(self, case: Case, new_page: bool) -> _Section:
        refs = {source.id: n for n, source in enumerate(case.sources, start=1)}
        blocks: list[_Block] = [_Heading(1, self.names(case.company.name))]
        if case.hook is not None:
            blocks.append(_Para(self.text(case.hook), em=True))
        identity = self.identity(case, refs)
        if identity:
            blocks.append(_Fields(identity))
        blocks.append(self.pane("summary", "summary", _Para(self.text(case.summary))))
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
        return _Section(
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

    def challenges(self, case: Case) -> list[_Block]:
        metrics = {metric.id: metric for metric in case.metrics}
        blocks: list[_Block] = []
        for number, challenge in enumerate(case.challenges, start=1):
            parts: list[_Block] = [
                _Heading(3, self.text(challenge.title), number=number),
                _Para(self.text(challenge.problem), label=self.ui("problem")),
            ]
            if challenge.solutions:
                parts += [
                    _Para((), label=self.ui("solutions")),
                    self.bullets(challenge.solutions, numbered=True),
                ]
            if challenge.outcome is not None:
                parts.append(_Para(self.text(challenge.outcome), label=self.ui("outcome")))
            moved = [metrics[m] for m in challenge.metrics if m in metrics]
            if moved:
                parts += [_Para((), label=self.ui("moved")), self.figure_items(moved)]
            blocks.append(_Section("challenge", tuple(parts)))
        return blocks

    def people(self, case: Case, refs: dict[str, int]) -> list[_Block]:
        blocks: list[_Block] = []
        for person in case.people:
            parts: list[_Block] = [
                _Heading(3, self.names(person.name)),
                _Para(_suffix(self.text(person.role), _cite(refs, person.source)), em=True),
            ]
            if person.said:
                parts += [_Para((), label=self.ui("said")), self.bullets(person.said)]
            blocks.append(_Section("person", tuple(parts)))
        return blocks

    def instructors(self, case: Case) -> list[_Block]:
        """Teaching notes and epilogue, marked for instructors (instructor edition only)."""
        if not self.instructor:
            return []
        notes, epilogue = case.teaching_notes, case.epilogue
        blocks: list[_Block] = []
        if notes is not None and notes.segments:
            total = sum(segment.minutes for segment in notes.segments)
            rows = tuple(
                (self.text(s.title), ((None, str(s.minutes)),), self.text(s.notes))
                for s in notes.segments
            )
            head = (self.ui("segment_col"), self.ui("minutes"), self.ui("segment_notes"))
            blocks += [
                _Heading(3, self.ui("class_plan", n=total)),
                _Table(head, rows, cls="segments"),
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
            blocks.append(self.pane("epilogue", "epilogue", _Para(self.text(epilogue)), level=3))
        if not blocks:
            return []
        top: list[_Block] = [
            _Heading(2, self.ui("instructors")),
            _Para(self.ui("instructors_only"), em=True),
        ]
        return [_Section("instructor", (*top, *blocks))]


def _cite(refs: dict[str, int], source_id: str | None) -> str:
    """' [1]' for the first source of the case; the raw id when it names none."""
    if source_id is None:
        return ""
    return f" [{refs.get(source_id, source_id)}]"


def _listed(values: Sequence[str], lang: Lang) -> str:
    return ("；" if lang == "zh" else "; ").join(values)


# -- Markdown ----------------------------------------------------------------------------


def _md_inline(words: Words) -> str:
    return " / ".join(escape_md(text) for _, text in words)


def _md_paragraphs(words: Words) -> list[str]:
    out = []
    for _, text in words:
        out += [escape_md(p) for p in re.split(r"\n[^\S\n]*\n", text) if p.strip()]
    return out


class _Markdown:
    """Blocks as CommonMark/GFM: pipe tables, no raw HTML."""

    def __init__(self, lang: Language) -> None:
        self.colon = "：" if lang == "zh" else ":"

    def document(self, parts: list[_Section]) -> str:
        chunks: list[str] = []
        for part in parts:
            self.block(part, chunks)
        return "\n\n".join(chunks) + "\n"

    def block(self, block: _Block, out: list[str]) -> None:
        if isinstance(block, _Section):
            if block.new_page:
                out.append("---")
            for child in block.blocks:
                self.block(child, out)
        elif isinstance(block, _Heading):
            number = f"{block.number}. " if block.number is not None else ""
            out.append("#" * block.level + " " + number + _md_inline(block.text))
        elif isinstance(block, _Para):
            out += self.para(block)
        elif isinstance(block, _Fields):
            items = tuple(_Item(label, (value,), colon=True) for label, value in block.rows)
            out.append(self.items(_List(items)))
        elif isinstance(block, _List):
            if block.items:
                out.append(self.items(block))
        elif isinstance(block, _Table):
            out.append(self.table(block))

    def para(self, para: _Para) -> list[str]:
        paragraphs = _md_paragraphs(para.text)
        if para.em:
            paragraphs = [f"*{p}*" for p in paragraphs]
        if para.label:
            label = f"**{_md_inline(para.label)}{self.colon}**"
            first = f"{label} {paragraphs[0]}" if paragraphs else label
            paragraphs = [first, *paragraphs[1:]]
        return paragraphs

    def items(self, block: _List) -> str:
        rows = []
        for number, item in enumerate(block.items, start=1):
            marker = f"{number}. " if block.numbered else "- "
            lines = [escape_md(text) for words in item.lines for _, text in words]
            lines = [line for line in lines if line]
            if item.lead:
                lead = f"**{_md_inline(item.lead)}{self.colon if item.colon else ''}**"
                joiner = " " if item.colon else " — "
                lines = [lead + joiner + lines[0], *lines[1:]] if lines else [lead]
            if lines:
                # A backslash at the end of a line is a hard line break.
                rows.append(marker + ("\\\n" + " " * len(marker)).join(lines))
        return "\n".join(rows)

    def table(self, table: _Table) -> str:
        def row(cells: Sequence[Words]) -> str:
            return "| " + " | ".join(_md_inline(cell) for cell in cells) + " |"

        lines = [row(table.head), "|" + " --- |" * len(table.head)]
        lines += [row(cells) for cells in table.rows]
        return "\n".join(lines)


# -- HTML --------------------------------------------------------------------------------

_HTML_LANG: dict[str, str] = {"en": "en", "zh": "zh-Hans"}

_FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", '
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)
_CJK_FONTS = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, sans-serif'
)

_CSS = f"""\
html {{ color: #111; background: #fff; }}
body {{ font-family: {_FONTS}; font-size: 16px; line-height: 1.6;
  max-width: 50rem; margin: 0 auto; padding: 2rem 1.25rem; }}
:lang(zh) {{ font-family: {_CJK_FONTS}; line-height: 1.75; }}
h1 {{ font-size: 1.75rem; line-height: 1.3; margin: 0 0 .25rem; }}
h2 {{ font-size: 1.25rem; margin: 2rem 0 .5rem; padding-bottom: .2rem;
  border-bottom: 1px solid #bbb; }}
h3 {{ font-size: 1.05rem; margin: 1.25rem 0 .4rem; }}
h4 {{ font-size: .95rem; margin: 1rem 0 .3rem; }}
p {{ margin: .4rem 0; }}
.alt {{ color: #444; }}
.sep {{ color: #888; }}
p.alt, .line.alt {{ margin-top: .15rem; }}
.line {{ display: block; }}
.em {{ font-style: italic; }}
ul, ol {{ padding-left: 1.6rem; margin: .4rem 0; }}
li {{ margin: .25rem 0; }}
table {{ border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }}
th, td {{ border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
thead th {{ background: #eee; }}
table.fields th {{ width: 11rem; background: #f6f6f6; font-weight: 600; }}
table.metrics td:nth-child(3) {{ white-space: nowrap; }}
.case, .collection {{ margin-bottom: 3rem; }}
.new-page {{ break-before: page; page-break-before: always; }}
.instructor {{ border: 2px solid #a33; border-radius: 4px; padding: 0 1rem .75rem;
  margin-top: 2rem; }}
.instructor > h2 {{ color: #a33; border-bottom-color: #a33; }}
@media screen {{
  .new-page {{ border-top: 3px double #999; padding-top: 2rem; }}
}}
@media print {{
  html {{ background: none; }}
  body {{ max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }}
  .case, .collection {{ margin-bottom: 0; }}
  .new-page {{ border: 0; padding-top: 0; }}
  h1, h2, h3, h4 {{ break-after: avoid; page-break-after: avoid; }}
  tr, li, table.fields {{ break-inside: avoid; page-break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  thead th, table.fields th {{ background: none; }}
  .alt {{ color: #333; }}
}}
@page {{ margin: 18mm 16mm; }}
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


class _Html:
    """Blocks as one self-contained HTML page: no scripts, links or external assets."""

    def __init__(self, lang: Language) -> None:
        self.base: Lang = "en" if lang == "both" else lang
        self.colon = "：" if lang == "zh" else ":"

    def document(self, title: str, parts: list[_Section]) -> str:
        body: list[str] = []
        for part in parts:
            self.block(part, body)
        return (
            "<!doctype html>\n"
            f'<html lang="{_HTML_LANG[self.base]}">\n'
            "<head>\n"
            '<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_esc(title)}</title>\n"
            f"<style>\n{_CSS}</style>\n"
            "</head>\n"
            "<body>\n"
            "<main>\n" + "".join(body) + "</main>\n</body>\n</html>\n"
        )

    def attrs(self, lang: Lang | None, cls: str = "") -> str:
        out = f' class="{cls}"' if cls else ""
        if lang is not None and lang != self.base:
            out += f' lang="{_HTML_LANG[lang]}"'
        return out

    def inline(self, words: Words) -> str:
        out = []
        for index, (lang, text) in enumerate(words):
            cls = "alt" if index else ""
            attrs = self.attrs(lang, cls)
            text = _esc(" ".join(text.split()))
            out.append(f"<span{attrs}>{text}</span>" if attrs else text)
        return '<span class="sep"> / </span>'.join(out)

    def lines(self, words: Words, first: bool = True) -> str:
        """Each language on its own line (the first inline when ``first``)."""
        out = []
        for index, (lang, text) in enumerate(words):
            classes = [] if first and index == 0 else ["line"]
            classes += ["alt"] if index else []
            attrs = self.attrs(lang, " ".join(classes))
            text = _esc(" ".join(text.split()))
            out.append(f"<span{attrs}>{text}</span>" if attrs else text)
        # A newline between lines keeps them apart when the page is read as plain text.
        return "\n".join(out)

    def block(self, block: _Block, out: list[str]) -> None:
        if isinstance(block, _Section):
            cls = block.cls + (" new-page" if block.new_page else "")
            ident = f' id="{_esc(block.ident)}"' if block.ident else ""
            out.append(f'<{block.tag} class="{cls}"{ident}>\n')
            for child in block.blocks:
                self.block(child, out)
            out.append(f"</{block.tag}>\n")
        elif isinstance(block, _Heading):
            number = f"{block.number}. " if block.number is not None else ""
            out.append(f"<h{block.level}>{number}{self.inline(block.text)}</h{block.level}>\n")
        elif isinstance(block, _Para):
            out += self.para(block)
        elif isinstance(block, _Fields):
            out.append('<table class="fields">\n<tbody>\n')
            for label, value in block.rows:
                out.append(
                    f'<tr><th scope="row">{self.inline(label)}</th>'
                    f"<td>{self.lines(value)}</td></tr>\n"
                )
            out.append("</tbody>\n</table>\n")
        elif isinstance(block, _List):
            if block.items:
                out.append(self.items(block))
        elif isinstance(block, _Table):
            out.append(self.table(block))

    def para(self, para: _Para) -> list[str]:
        out = []
        label = f"<strong>{self.inline(para.label)}{self.colon}</strong>" if para.label else ""
        for index, (lang, text) in enumerate(para.text):
            for paragraph in re.split(r"\n[^\S\n]*\n", text):
                if not paragraph.strip():
                    continue
                classes = " ".join(
                    c for c in ("em" if para.em else "", "alt" if index else "") if c
                )
                body = _esc(" ".join(paragraph.split()))
                if label:
                    body, label = f"{label} {body}", ""
                out.append(f"<p{self.attrs(lang, classes)}>{body}</p>\n")
        if label:
            out.append(f'<p class="label">{label}</p>\n')
        return out

    def items(self, block: _List) -> str:
        tag = "ol" if block.numbered else "ul"
        cls = f' class="{block.cls}"' if block.cls else ""
        out = [f"<{tag}{cls}>\n"]
        for item in block.items:
            lines = [words for words in item.lines if words]
            parts = []
            if item.lead:
                colon = self.colon if item.colon else ""
                lead = f"<strong>{self.inline(item.lead)}{colon}</strong>"
                parts.append(lead + (" " if item.colon else " — ") if lines else lead)
            body = "\n".join(self.lines(words, first=i == 0) for i, words in enumerate(lines))
            if parts or body:
                out.append("<li>" + "".join(parts) + body + "</li>\n")
        out.append(f"</{tag}>\n")
        return "".join(out)

    def table(self, table: _Table) -> str:
        cls = f' class="{table.cls}"' if table.cls else ""
        out = [f"<table{cls}>\n<thead>\n<tr>"]
        out += [f'<th scope="col">{self.inline(cell)}</th>' for cell in table.head]
        out.append("</tr>\n</thead>\n<tbody>\n")
        for row in table.rows:
            out.append("<tr>" + "".join(f"<td>{self.lines(cell)}</td>" for cell in row))
            out.append("</tr>\n")
        out.append("</tbody>\n</table>\n")
        return "".join(out)
