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

from casebook.model.author.comments import comment, commented
from casebook.model.format.case import (
    SLUG_PATTERN,
    Amount,
    Asked,
    Case,
    Challenge,
    Event,
    Metric,
    Passage,
    Person,
    Quantity,
    Question,
    Saying,
    Source,
    TeachingNotes,
)
from casebook.model.format.dates import FuzzyDate, parse_date
from casebook.model.format.schema import MODELINE
from casebook.model.format.text import TEXT_HELP

PLACEHOLDER_EN = "TODO: "
PLACEHOLDER_ZH = "待填："
PLACEHOLDER_YEAR = 2000
"""The first placeholder date's year; later events count up from it, in order."""

_PART = re.compile(r"^(early|mid|late)\s+", re.IGNORECASE)


def scaffold_from(case: Case, new_id: str) -> str:
    """The text of a new case ``new_id`` with ``case``'s structure and placeholder text."""
    if not re.fullmatch(SLUG_PATTERN, new_id):
        raise ValueError(f"{new_id!r} is not a valid id: use lower-case letters, digits, hyphens")
    out = _Writer()
    out.raw(MODELINE)
    out.raw(f"# A new case with the structure of {case.id}: replace every TODO and 待填 text,")
    out.raw("# every 0 and every date, with what your source says.")
    out.raw(f"# {TEXT_HELP}")
    out.raw(f"# Check your work with: casebook validate --strict {new_id}.yaml")
    out.blank()
    out.line(0, f"id: {new_id}", "Case.id")
    out.blank()
    _company(out, case)
    _location(out, case)
    if case.industry is not None:
        out.line(0, f"industry: {_text('industry', '行业')}", "Case.industry")
    if case.recognitions:
        out.line(0, "recognitions:", "Case.recognitions")
        for number, recognition in enumerate(case.recognitions, 1):
            out.line(
                2, f"- name: {_text(f'recognition {number}', f'认定{number}')}", "Recognition.name"
            )
            _source(out, 4, recognition.source)
    if case.chapter is not None:
        out.line(0, f"chapter: {case.chapter}", "Case.chapter")
    if case.hook is not None:
        out.line(0, f"hook: {_text('one-line hook', '一句话引子')}", "Case.hook")
    out.blank()
    out.line(0, f"summary: {_text('summary', '案例概述')}", "Case.summary")
    _timeline(out, case.timeline)
    _metrics(out, case.metrics)
    _challenges(out, case.challenges)
    _people(out, case.people)
    _sources(out, case.sources)
    _text_list(out, "learning_objectives", case.learning_objectives, ("objective", "学习目标"))
    _questions(out, case.discussion_questions)
    _teaching_notes(out, case.teaching_notes)
    if case.epilogue is not None:
        out.blank()
        out.line(0, f"epilogue: {_text('epilogue', '后续')}", "Case.epilogue")
    return out.text()


class _Writer:
    """Lines of YAML, each field's comment (see :mod:`.comments`) written the first time
    the field, or another with the same comment, appears."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.noted: set[str] = set()

    def raw(self, line: str) -> None:
        self.lines.append(line)

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def line(self, indent: int, body: str, field: str | None = None) -> None:
        """One line; ``field`` ("Metric.unit") is the field it writes, to comment."""
        text = " " * indent + body
        if field is not None and comment(field) not in self.noted:
            self.noted.add(comment(field))
            self.lines += commented(text, field)
        else:
            self.lines.append(text)

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


def _quote(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _text(en: str, zh: str) -> str:
    """A bilingual placeholder as a flow mapping."""
    return f"{{en: {_quote(PLACEHOLDER_EN + en)}, zh: {_quote(PLACEHOLDER_ZH + zh)}}}"


def _passage(passage: Passage) -> str:
    """A placeholder passage, with an end where the original has one."""
    end = f", end: {_quote(PLACEHOLDER_EN + 'last words')}" if passage.end is not None else ""
    return f"{{start: {_quote(PLACEHOLDER_EN + 'first words')}{end}}}"


def _source(out: _Writer, indent: int, ref: str | None) -> None:
    if ref is not None:
        out.line(indent, f"source: {ref}", "Event.source")


def _company(out: _Writer, case: Case) -> None:
    company = case.company
    out.line(0, "company:", "Case.company")
    out.line(2, f"name: {_text('company name', '公司简称')}", "Company.name")
    if company.legal_name is not None:
        out.line(2, f"legal_name: {_text('registered name', '公司全称')}", "Company.legal_name")
    if company.former_names:
        out.line(2, "former_names:", "Company.former_names")
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
        out.line(0, "location: {}", "Case.location")
        return
    out.line(0, "location:", "Case.location")
    for name, value, zh in parts:
        if value is not None:
            out.line(2, f"{name}: {_text(name, zh)}", f"Location.{name}")
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
    out.line(0, "timeline:", "Case.timeline")
    dates = placeholder_dates(events)
    for number, (event, when) in enumerate(zip(events, dates, strict=True), 1):
        shown = when if when.isdigit() else _quote(when)
        out.line(2, f"- date: {shown}", "Event.date")
        out.line(4, f"title: {_text(f'event {number}', f'事件{number}')}", "Event.title")
        if event.detail is not None:
            detail = _text(f"event {number} detail", f"事件{number}详情")
            out.line(4, f"detail: {detail}", "Event.detail")
        _source(out, 4, event.source)
        if event.passage is not None:
            out.line(4, f"passage: {_passage(event.passage)}", "Event.passage")


def _metrics(out: _Writer, metrics: list[Metric]) -> None:
    if not metrics:
        return
    out.blank()
    out.line(0, "metrics:", "Case.metrics")
    for number, metric in enumerate(metrics, 1):
        out.line(2, f"- id: {metric.id}", "Metric.id")
        out.line(4, f"label: {_text(f'figure {number}', f'指标{number}')}", "Metric.label")
        for name in ("value", "before", "after"):
            quantity = getattr(metric, name)
            if quantity is not None:
                _quantity(out, name, quantity, number)
        if metric.unit is not None:
            out.line(4, f"unit: {_text('unit', '单位')}", "Metric.unit")
        if metric.period is not None:
            out.line(4, f"period: {_text('when it holds', '时期')}", "Metric.period")
        if metric.kind is not None:
            out.line(4, f"kind: {metric.kind}", "Metric.kind")
        if metric.headline:
            out.line(4, "headline: true", "Metric.headline")
        if metric.note is not None:
            out.line(4, f"note: {_text('note', '备注')}", "Metric.note")
        _source(out, 4, metric.source)
        if metric.passage is not None:
            out.line(4, f"passage: {_passage(metric.passage)}", "Metric.passage")


def _quantity(out: _Writer, name: str, quantity: Quantity, number: int) -> None:
    if not isinstance(quantity, Amount):
        out.line(4, f"{name}: 0", f"Metric.{name}")
        return
    out.line(4, f"{name}:", f"Metric.{name}")
    out.line(6, "value: 0", "Amount.value")
    if quantity.to is not None:
        out.line(6, "to: 0", "Amount.to")
    if quantity.qualifier != "exact":
        out.line(6, f"qualifier: {quantity.qualifier}", "Amount.qualifier")
    if quantity.wording is not None:
        wording = _text(f"figure {number} as the source words it", f"原文说法{number}")
        out.line(6, f"wording: {wording}", "Amount.wording")


def _challenges(out: _Writer, challenges: list[Challenge]) -> None:
    if not challenges:
        return
    out.blank()
    out.line(0, "challenges:", "Case.challenges")
    for n, challenge in enumerate(challenges, 1):
        out.line(2, f"- title: {_text(f'challenge {n}', f'挑战{n}')}", "Challenge.title")
        out.line(4, f"problem: {_text(f'problem {n}', f'问题{n}')}", "Challenge.problem")
        out.line(4, "solutions:", "Challenge.solutions")
        for step, _ in enumerate(challenge.solutions, 1):
            out.line(6, f"- {_text(f'solution {n}.{step}', f'措施{n}.{step}')}")
        if challenge.outcome is not None:
            out.line(4, f"outcome: {_text(f'outcome {n}', f'结果{n}')}", "Challenge.outcome")
        if challenge.metrics:
            out.line(4, f"metrics: [{', '.join(challenge.metrics)}]", "Challenge.metrics")


def _people(out: _Writer, people: list[Person]) -> None:
    if not people:
        return
    out.blank()
    out.line(0, "people:", "Case.people")
    for number, person in enumerate(people, 1):
        out.line(2, f"- name: {_text(f'person {number}', f'人物{number}')}", "Person.name")
        out.line(4, f"role: {_text(f'role {number}', f'职务{number}')}", "Person.role")
        if person.said:
            out.line(4, "said:", "Person.said")
            for point, saying in enumerate(person.said, 1):
                said = _text(f"what they said, in our words ({point})", f"转述{point}")
                if isinstance(saying, Saying) and saying.passage is not None:
                    said = f"{said[:-1]}, passage: {_passage(saying.passage)}}}"
                out.line(6, f"- {said}", "Saying.passage" if "passage" in said else None)
        _source(out, 4, person.source)


def _sources(out: _Writer, sources: list[Source]) -> None:
    if not sources:
        return
    out.blank()
    out.line(0, "sources:", "Case.sources")
    for source in sources:
        out.line(2, f"- id: {source.id}", "Source.id")
        out.line(4, f"outlet: {_text('publisher', '发布方')}", "Source.outlet")
        if source.authors:
            out.line(4, "authors:", "Source.authors")
            for number, _ in enumerate(source.authors, 1):
                out.line(6, f"- {_text(f'author {number}', f'作者{number}')}")
        if source.year is not None:
            out.line(4, f"year: {PLACEHOLDER_YEAR}", "Source.year")
        if source.title is not None:
            out.line(4, f"title: {_text('title', '标题')}", "Source.title")
        if source.note is not None:
            out.line(4, f"note: {_text('note', '备注')}", "Source.note")


def _text_list(out: _Writer, key: str, items: list, words: tuple[str, str]) -> None:
    if not items:
        return
    out.blank()
    out.line(0, f"{key}:", f"Case.{key}")
    en, zh = words
    for number, _ in enumerate(items, 1):
        out.line(2, f"- {_text(f'{en} {number}', f'{zh}{number}')}")


def _questions(out: _Writer, questions: list[Asked]) -> None:
    """The discussion questions, each with as many placeholder choices as it offers."""
    if not questions:
        return
    out.blank()
    out.line(0, "discussion_questions:", "Case.discussion_questions")
    for number, question in enumerate(questions, 1):
        choices = question.choices if isinstance(question, Question) else []
        if not choices:
            out.line(2, f"- {_text(f'question {number}', f'讨论题{number}')}")
            continue
        out.line(2, f"- en: {_quote(f'{PLACEHOLDER_EN}question {number}')}")
        out.line(4, f"zh: {_quote(f'{PLACEHOLDER_ZH}讨论题{number}')}")
        out.line(4, "choices:", "Question.choices")
        for choice, _ in enumerate(choices, 1):
            out.line(6, f"- {_text(f'choice {number}.{choice}', f'选项{number}.{choice}')}")


def _teaching_notes(out: _Writer, notes: TeachingNotes | None) -> None:
    if notes is None:
        return
    out.blank()
    if not (notes.segments or notes.board_plan or notes.key_points):
        out.line(0, "teaching_notes: {}", "Case.teaching_notes")
        return
    out.line(0, "teaching_notes:", "Case.teaching_notes")
    if notes.segments:
        out.line(2, "segments:", "TeachingNotes.segments")
        for number, segment in enumerate(notes.segments, 1):
            title = _text(f"part {number} of the class", f"环节{number}")
            out.line(4, f"- title: {title}", "Segment.title")
            out.line(6, f"minutes: {segment.minutes}", "Segment.minutes")
            if segment.notes is not None:
                out.line(6, f"notes: {_text(f'notes {number}', f'说明{number}')}", "Segment.notes")
    for key, items, en, zh in (
        ("board_plan", notes.board_plan, "board", "板书"),
        ("key_points", notes.key_points, "key point", "要点"),
    ):
        if items:
            out.line(2, f"{key}:", f"TeachingNotes.{key}")
            for number, _ in enumerate(items, 1):
                out.line(4, f"- {_text(f'{en} {number}', f'{zh}{number}')}")
