"""A new case file with another case's structure and none of its text.

``casebook new ID --from OTHER`` starts an author from a case they like the
shape of: the same number of events, figures, challenges and questions, each
text a visible placeholder ("TODO: ..." / "待填：...") that still validates, so
the file loads from the first save and the app shows where the gaps are.
Ids (metrics, sources) and the chapter are kept so links still resolve;
numbers become 0 and dates a neutral year of the same precision, in order.
"""

from __future__ import annotations

import json
import re
from datetime import date

from casebook.model.format.case import (
    SLUG_PATTERN,
    Amount,
    Case,
    Challenge,
    Event,
    Metric,
    Person,
    Quantity,
    Source,
    TeachingNotes,
)
from casebook.model.format.dates import FuzzyDate, parse_date
from casebook.model.format.schema import MODELINE

PLACEHOLDER_EN = "TODO: "
PLACEHOLDER_ZH = "待填："
PLACEHOLDER_YEAR = 2000
"""The first placeholder date's year; later events count up from it, in order."""

_COMMENT_COLUMN = 36
_PART = re.compile(r"^(early|mid|late)\s+", re.IGNORECASE)

# One short comment per field, shown where the field first appears. Wording
# follows the template's comments (template.py) and the schema's descriptions.
_NOTES: dict[str, str] = {
    "id": "unique; lower-case letters, digits and hyphens",
    "company": "the company's names",
    "company.name": "short name",
    "company.legal_name": "full registered name, when the source gives it",
    "company.former_names": "earlier names, if any",
    "location": "only what the source states",
    "location.province": "province",
    "location.city": "city",
    "location.district": "district, county or zone",
    "industry": "what the company makes or does",
    "recognitions": "awards and designations the source states",
    "recognitions.name": "the award or designation",
    "chapter": "the collection chapter this case illustrates",
    "hook": "one line that makes a student want to read on",
    "summary": "two to four sentences on who the company is and what the case is about",
    "timeline": 'dates: 2017, 2017-09, "2017-09-14", 2004-2008, late 1990s',
    "timeline.date": "as precise as the source",
    "timeline.title": "what happened, in a line",
    "timeline.detail": "more on what happened",
    "metrics": "give value, or before and after (the change is computed)",
    "metrics.id": "short id that challenges link to",
    "metrics.label": "what is measured",
    "metrics.value": "one figure; a plain number is exact",
    "metrics.before": "the figure before",
    "metrics.after": "the figure after",
    "amount.value": "the number itself, in the metric's unit",
    "amount.to": "upper end when the source gives a range",
    "amount.qualifier": "exact, under, over or about",
    "amount.wording": "the source's own phrasing, unit included",
    "metrics.unit": "days, %, yuan, people...",
    "metrics.period": "when the figure holds",
    "metrics.kind": "to line metrics up when comparing cases",
    "metrics.headline": "show among the big figures",
    "metrics.note": "anything else a reader needs",
    "source": "the id of an entry in sources",
    "challenges": "problem, what was done about it, what came of it",
    "challenges.title": "the challenge in a few words",
    "challenges.problem": "what stood in the way",
    "challenges.solutions": "what the company did",
    "challenges.outcome": "what came of it",
    "challenges.metrics": "ids of the metrics it moved",
    "people": "people the source quotes",
    "people.name": "name in pinyin",
    "people.role": "role",
    "people.said": "paraphrase; never copy a quotation",
    "sources": "where facts come from; facts cite them by id",
    "sources.id": "short id that facts cite",
    "sources.outlet": "who published it",
    "sources.authors": "authors and correspondents",
    "sources.year": "year of publication",
    "sources.title": "title, when known",
    "sources.note": "anything else a reader needs",
    "learning_objectives": "what a student should be able to do after the case",
    "discussion_questions": "at least three, to make a class argue",
    "teaching_notes": "for instructors only (never shown in the student edition)",
    "segments": "the class plan, with minutes for the timer",
    "segments.title": "what this part of the class is",
    "segments.minutes": "planned length in minutes",
    "segments.notes": "what to do in it",
    "board_plan": "what goes on the board",
    "key_points": "what students should take away",
    "epilogue": "what happened next; for instructors only",
}


def scaffold_from(case: Case, new_id: str) -> str:
    """The text of a new case ``new_id`` with ``case``'s structure and placeholder text."""
    if not re.fullmatch(SLUG_PATTERN, new_id):
        raise ValueError(f"{new_id!r} is not a valid id: use lower-case letters, digits, hyphens")
    out = _Writer()
    out.raw(MODELINE)
    out.raw(f"# A new case with the structure of {case.id}: replace every TODO and 待填 text,")
    out.raw("# every 0 and every date, with what your source says.")
    out.raw("# Every text field is either plain text or {en: ..., zh: ...}.")
    out.raw(f"# Check your work with: casebook validate --strict {new_id}.yaml")
    out.blank()
    out.line(0, f"id: {new_id}", "id")
    out.blank()
    _company(out, case)
    _location(out, case)
    if case.industry is not None:
        out.line(0, f"industry: {_text('industry', '行业')}", "industry")
    if case.recognitions:
        out.line(0, "recognitions:", "recognitions")
        for number, recognition in enumerate(case.recognitions, 1):
            out.line(
                2, f"- name: {_text(f'recognition {number}', f'认定{number}')}", "recognitions.name"
            )
            _source(out, 4, recognition.source)
    if case.chapter is not None:
        out.line(0, f"chapter: {case.chapter}", "chapter")
    if case.hook is not None:
        out.line(0, f"hook: {_text('one-line hook', '一句话引子')}", "hook")
    out.blank()
    out.line(0, f"summary: {_text('summary', '案例概述')}", "summary")
    _timeline(out, case.timeline)
    _metrics(out, case.metrics)
    _challenges(out, case.challenges)
    _people(out, case.people)
    _sources(out, case.sources)
    _text_list(out, "learning_objectives", case.learning_objectives, ("objective", "学习目标"))
    _text_list(out, "discussion_questions", case.discussion_questions, ("question", "讨论题"))
    _teaching_notes(out, case.teaching_notes)
    if case.epilogue is not None:
        out.blank()
        out.line(0, f"epilogue: {_text('epilogue', '后续')}", "epilogue")
    return out.text()


class _Writer:
    """Lines of YAML, each field's comment written the first time the field appears."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.noted: set[str] = set()

    def raw(self, line: str) -> None:
        self.lines.append(line)

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def line(self, indent: int, body: str, topic: str | None = None) -> None:
        text = " " * indent + body
        if topic is not None and topic not in self.noted:
            self.noted.add(topic)
            # Two or more spaces before '#': one space would read as part of the text.
            text = text.ljust(_COMMENT_COLUMN - 2) + "  # " + _NOTES[topic]
        self.lines.append(text)

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


def _quote(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _text(en: str, zh: str) -> str:
    """A bilingual placeholder as a flow mapping."""
    return f"{{en: {_quote(PLACEHOLDER_EN + en)}, zh: {_quote(PLACEHOLDER_ZH + zh)}}}"


def _source(out: _Writer, indent: int, ref: str | None) -> None:
    if ref is not None:
        out.line(indent, f"source: {ref}", "source")


def _company(out: _Writer, case: Case) -> None:
    company = case.company
    out.line(0, "company:", "company")
    out.line(2, f"name: {_text('company name', '公司简称')}", "company.name")
    if company.legal_name is not None:
        out.line(2, f"legal_name: {_text('registered name', '公司全称')}", "company.legal_name")
    if company.former_names:
        out.line(2, "former_names:", "company.former_names")
        for number, _ in enumerate(company.former_names, 1):
            out.line(4, f"- {_text(f'former name {number}', f'曾用名{number}')}")
    out.blank()


def _location(out: _Writer, case: Case) -> None:
    location = case.location
    if location is None:
        return
    parts = [
        ("province", location.province, "省份"),
        ("city", location.city, "城市"),
        ("district", location.district, "区县或园区"),
    ]
    if all(value is None for _, value, _ in parts):
        out.line(0, "location: {}", "location")
        return
    out.line(0, "location:", "location")
    for name, value, zh in parts:
        if value is not None:
            out.line(2, f"{name}: {_text(name, zh)}", f"location.{name}")
    out.blank()


def placeholder_dates(events: list[Event]) -> list[str]:
    """A neutral date per event, each as precise as the original, in timeline order."""
    found: list[str] = []
    year = PLACEHOLDER_YEAR
    previous: tuple[date, date] | None = None
    for event in events:
        while True:
            if event.date.precision == "decade" and year % 10:
                year += 10 - year % 10
            text = _date_like(event.date, year)
            key = parse_date(text).sort_key
            if previous is None or key >= previous:
                break
            year += 1
        found.append(text)
        previous = key
        year += 1
    return found


def _date_like(original: FuzzyDate, year: int) -> str:
    part = _PART.match(original.text)
    prefix = f"{part[1].lower()} " if part else ""
    precision = original.precision
    if precision == "month":
        return f"{year}-01"
    if precision == "day":
        return f"{year}-01-01"
    if precision == "decade":
        return f"{prefix}{year}s"
    if precision == "part":
        return f"{prefix}{year}"
    if precision == "range":
        return f"{year}-{year + 1}"
    return str(year)


def _timeline(out: _Writer, events: list[Event]) -> None:
    if not events:
        return
    out.blank()
    out.line(0, "timeline:", "timeline")
    dates = placeholder_dates(events)
    for number, (event, when) in enumerate(zip(events, dates, strict=True), 1):
        shown = when if when.isdigit() else _quote(when)
        out.line(2, f"- date: {shown}", "timeline.date")
        out.line(4, f"title: {_text(f'event {number}', f'事件{number}')}", "timeline.title")
        if event.detail is not None:
            detail = _text(f"event {number} detail", f"事件{number}详情")
            out.line(4, f"detail: {detail}", "timeline.detail")
        _source(out, 4, event.source)


def _metrics(out: _Writer, metrics: list[Metric]) -> None:
    if not metrics:
        return
    out.blank()
    out.line(0, "metrics:", "metrics")
    for number, metric in enumerate(metrics, 1):
        out.line(2, f"- id: {metric.id}", "metrics.id")
        out.line(4, f"label: {_text(f'figure {number}', f'指标{number}')}", "metrics.label")
        for name in ("value", "before", "after"):
            quantity = getattr(metric, name)
            if quantity is not None:
                _quantity(out, name, quantity, number)
        if metric.unit is not None:
            out.line(4, f"unit: {_text('unit', '单位')}", "metrics.unit")
        if metric.period is not None:
            out.line(4, f"period: {_text('when it holds', '时期')}", "metrics.period")
        if metric.kind is not None:
            out.line(4, f"kind: {metric.kind}", "metrics.kind")
        if metric.headline:
            out.line(4, "headline: true", "metrics.headline")
        if metric.note is not None:
            out.line(4, f"note: {_text('note', '备注')}", "metrics.note")
        _source(out, 4, metric.source)


def _quantity(out: _Writer, name: str, quantity: Quantity, number: int) -> None:
    if not isinstance(quantity, Amount):
        out.line(4, f"{name}: 0", f"metrics.{name}")
        return
    out.line(4, f"{name}:", f"metrics.{name}")
    out.line(6, "value: 0", "amount.value")
    if quantity.to is not None:
        out.line(6, "to: 0", "amount.to")
    if quantity.qualifier != "exact":
        out.line(6, f"qualifier: {quantity.qualifier}", "amount.qualifier")
    if quantity.wording is not None:
        wording = _text(f"figure {number} as the source words it", f"原文说法{number}")
        out.line(6, f"wording: {wording}", "amount.wording")


def _challenges(out: _Writer, challenges: list[Challenge]) -> None:
    if not challenges:
        return
    out.blank()
    out.line(0, "challenges:", "challenges")
    for n, challenge in enumerate(challenges, 1):
        out.line(2, f"- title: {_text(f'challenge {n}', f'挑战{n}')}", "challenges.title")
        out.line(4, f"problem: {_text(f'problem {n}', f'问题{n}')}", "challenges.problem")
        out.line(4, "solutions:", "challenges.solutions")
        for step, _ in enumerate(challenge.solutions, 1):
            out.line(6, f"- {_text(f'solution {n}.{step}', f'措施{n}.{step}')}")
        if challenge.outcome is not None:
            out.line(4, f"outcome: {_text(f'outcome {n}', f'结果{n}')}", "challenges.outcome")
        if challenge.metrics:
            out.line(4, f"metrics: [{', '.join(challenge.metrics)}]", "challenges.metrics")


def _people(out: _Writer, people: list[Person]) -> None:
    if not people:
        return
    out.blank()
    out.line(0, "people:", "people")
    for number, person in enumerate(people, 1):
        out.line(2, f"- name: {_text(f'person {number}', f'人物{number}')}", "people.name")
        out.line(4, f"role: {_text(f'role {number}', f'职务{number}')}", "people.role")
        if person.said:
            out.line(4, "said:", "people.said")
            for point, _ in enumerate(person.said, 1):
                said = _text(f"what they said, in our words ({point})", f"转述{point}")
                out.line(6, f"- {said}")
        _source(out, 4, person.source)


def _sources(out: _Writer, sources: list[Source]) -> None:
    if not sources:
        return
    out.blank()
    out.line(0, "sources:", "sources")
    for source in sources:
        out.line(2, f"- id: {source.id}", "sources.id")
        out.line(4, f"outlet: {_text('publisher', '发布方')}", "sources.outlet")
        if source.authors:
            out.line(4, "authors:", "sources.authors")
            for number, _ in enumerate(source.authors, 1):
                out.line(6, f"- {_text(f'author {number}', f'作者{number}')}")
        if source.year is not None:
            out.line(4, f"year: {PLACEHOLDER_YEAR}", "sources.year")
        if source.title is not None:
            out.line(4, f"title: {_text('title', '标题')}", "sources.title")
        if source.note is not None:
            out.line(4, f"note: {_text('note', '备注')}", "sources.note")


def _text_list(out: _Writer, key: str, items: list, words: tuple[str, str]) -> None:
    if not items:
        return
    out.blank()
    out.line(0, f"{key}:", key)
    en, zh = words
    for number, _ in enumerate(items, 1):
        out.line(2, f"- {_text(f'{en} {number}', f'{zh}{number}')}")


def _teaching_notes(out: _Writer, notes: TeachingNotes | None) -> None:
    if notes is None:
        return
    out.blank()
    if not (notes.segments or notes.board_plan or notes.key_points):
        out.line(0, "teaching_notes: {}", "teaching_notes")
        return
    out.line(0, "teaching_notes:", "teaching_notes")
    if notes.segments:
        out.line(2, "segments:", "segments")
        for number, segment in enumerate(notes.segments, 1):
            title = _text(f"part {number} of the class", f"环节{number}")
            out.line(4, f"- title: {title}", "segments.title")
            out.line(6, f"minutes: {segment.minutes}", "segments.minutes")
            if segment.notes is not None:
                out.line(6, f"notes: {_text(f'notes {number}', f'说明{number}')}", "segments.notes")
    for key, items, en, zh in (
        ("board_plan", notes.board_plan, "board", "板书"),
        ("key_points", notes.key_points, "key point", "要点"),
    ):
        if items:
            out.line(2, f"{key}:", key)
            for number, _ in enumerate(items, 1):
                out.line(4, f"- {_text(f'{en} {number}', f'{zh}{number}')}")
