"""Classes of the record written out: Markdown or HTML (everything that happened), or CSV
(a gradebook: one row per student, a set of columns per class).

Names, answers and the board are hostile text: Markdown escapes them with the project's
one escaper, HTML through jinja2's autoescape, and CSV neutralises cells a spreadsheet
would read as a formula (a leading ``'``).
"""

from __future__ import annotations

import csv
import io
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from casebook.model.classroom.record import (
    Participation,
    RecordError,
    _class_row,
    _last_event,
    participation,
    reading,
)
from casebook.model.export.markdown import GENERATED_MD, escape_md, escape_md_text
from casebook.model.format.words import t

Lang = Literal["en", "zh"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a cell starts that a spreadsheet would run as a formula (OWASP's list)."""


@dataclass
class QuestionView:
    """A question: when it opened and closed, and every answer with its revisions."""

    heading: str
    events: list[tuple[str, str]] = field(default_factory=list)
    answers: list[tuple[str, str, str]] = field(default_factory=list)
    """(name, "time, revision, choice", text)."""


@dataclass
class ClassView:
    """One class as text to write: every value plain, escaped by the writer."""

    heading: str
    facts: list[tuple[str, str]]
    columns: list[str]
    participants: list[list[str]]
    slides: list[tuple[str, str]]
    questions: list[QuestionView]
    board: str | None
    grades: list[Participation]


def export(path: Path, class_ids: Sequence[str], fmt: str, lang: Lang | None) -> str:
    """The classes ``class_ids`` in ``fmt``; :class:`RecordError` for an unknown id."""
    with reading(path) as db:
        if db is None:
            raise RecordError(f"no class recorded yet ({path} does not exist)")
        rows = [_class_row(db, class_id) for class_id in class_ids]
        if lang is None:
            lang = "zh" if rows and rows[0][3] == "zh" else "en"
        views = [_view(db, row, lang) for row in rows]
    if fmt == "csv":
        return gradebook(views, [row[0] for row in rows], lang)
    if fmt == "html":
        from casebook.model.export.html import class_record_page

        return class_record_page(views, lang)
    return markdown(views, lang)


def _clock(moment: float | None, day: bool = False) -> str:
    if moment is None:
        return ""
    return time.strftime("%Y-%m-%d %H:%M" if day else "%H:%M:%S", time.localtime(moment))


def _view(db: sqlite3.Connection, row: tuple, lang: Lang) -> ClassView:
    class_id, case_id, title, _lang, _code, _host, _port, started, ended = row
    until = ended if ended is not None else _last_event(db, class_id)
    grades = participation(db, class_id, until)
    names = {grade.student: grade.name for grade in grades}
    intervals: dict[str, list[str]] = {}
    for student, joined, left in db.execute(
        "SELECT student, joined, left FROM connections WHERE class_id = ? ORDER BY joined",
        (class_id,),
    ):
        intervals.setdefault(student, []).append(f"{_clock(joined)}–{_clock(left)}")
    clients = dict(
        db.execute("SELECT id, client FROM students WHERE class_id = ?", (class_id,)).fetchall()
    )
    participants = [
        [
            grade.name,
            t(f"record_{clients[grade.student]}", lang)
            if clients[grade.student] in ("terminal", "browser")
            else clients[grade.student],
            ", ".join(intervals.get(grade.student, ())),
            str(grade.contributions),
            _quality(grade.quality),
            str(grade.answers),
            str(grade.calls),
            _minutes(grade.seconds),
        ]
        for grade in grades
    ]
    slides = [
        (_clock(at), t("record_slide_step", lang, slide=slide, step=step))
        for at, slide, step in db.execute(
            "SELECT at, slide, step FROM slides WHERE class_id = ? ORDER BY rowid", (class_id,)
        )
    ]
    questions: dict[int, QuestionView] = {}

    def asked(number: int) -> QuestionView:
        return questions.setdefault(number, QuestionView(t("record_question", lang, n=number)))

    for at, number, opened in db.execute(
        "SELECT at, question, opened FROM questions WHERE class_id = ? ORDER BY rowid",
        (class_id,),
    ):
        asked(number).events.append(
            (_clock(at), t("record_opened" if opened else "record_closed", lang))
        )
    for student, number, revision, at, text, choice in db.execute(
        "SELECT student, question, revision, at, text, choice FROM answers WHERE class_id = ? "
        "ORDER BY question, at, revision",
        (class_id,),
    ):
        meta = [_clock(at), t("record_revision", lang, n=revision)]
        if choice is not None:
            meta.append(t("record_choice", lang, n=choice))
        asked(number).answers.append((names.get(student, student), ", ".join(meta), text))
    board = db.execute(
        "SELECT text FROM boards WHERE class_id = ? ORDER BY rowid DESC LIMIT 1", (class_id,)
    ).fetchone()
    facts = [
        (t("record_class_id", lang), class_id),
        (t("record_case", lang), case_id),
        (t("record_started", lang), _clock(started, day=True)),
        (t("record_ended", lang), _clock(ended, day=True) or t("record_not_ended", lang)),
    ]
    columns = [
        t(key, lang)
        for key in (
            "record_name",
            "record_client",
            "record_connected",
            "record_contributions",
            "record_quality",
            "record_answers",
            "record_calls",
            "record_minutes",
        )
    ]
    return ClassView(
        heading=t("record_heading", lang, title=title),
        facts=facts,
        columns=columns,
        participants=participants,
        slides=slides,
        questions=[questions[number] for number in sorted(questions)],
        board=board[0] if board else None,
        grades=grades,
    )


def _quality(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}"


# ---- Markdown ---------------------------------------------------------------------------


def markdown(views: Sequence[ClassView], lang: Lang) -> str:
    """The classes as Markdown: every value from the record escaped."""
    out = [GENERATED_MD]
    none = t("record_none", lang)
    for view in views:
        out.append(f"# {escape_md(view.heading)}\n")
        out.extend(f"- {escape_md(label)}: {escape_md(value)}" for label, value in view.facts)
        out.append(f"\n## {t('record_participants', lang)}\n")
        if view.participants:
            out.append("| " + " | ".join(escape_md(column) for column in view.columns) + " |")
            out.append("|" + "---|" * len(view.columns))
            out.extend(
                "| " + " | ".join(escape_md(cell) for cell in row) + " |"
                for row in view.participants
            )
        else:
            out.append(none)
        out.append(f"\n## {t('record_slides', lang)}\n")
        out.extend(f"- {when} — {escape_md(what)}" for when, what in view.slides)
        if not view.slides:
            out.append(none)
        out.append(f"\n## {t('record_questions', lang)}\n")
        if not view.questions:
            out.append(none)
        for question in view.questions:
            out.append(f"### {escape_md(question.heading)}\n")
            out.extend(f"- {when} — {escape_md(what)}" for when, what in question.events)
            if question.events and question.answers:
                out.append("")
            out.extend(
                f"- **{escape_md(name)}** ({escape_md(meta)}): {escape_md(text)}"
                for name, meta, text in question.answers
            )
            out.append("")
        if view.board is not None:
            out.append(f"## {t('record_board', lang)}\n")
            out.append(escape_md_text(view.board))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# ---- CSV ----------------------------------------------------------------------------------


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ``'`` before a formula's start."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def gradebook(views: Sequence[ClassView], class_ids: Sequence[str], lang: Lang) -> str:
    """One row per student (by name, across the classes), and for each class its
    contributions, mean quality, answers, calls and minutes connected."""
    keys = (
        "record_contributions",
        "record_quality",
        "record_answers",
        "record_calls",
        "record_minutes",
    )
    header = [t("record_name", lang)] + [
        f"{class_id} {t(key, lang)}" for class_id in class_ids for key in keys
    ]
    rows: dict[str, list[str]] = {}
    for index, view in enumerate(views):
        for grade in view.grades:
            row = rows.setdefault(grade.name, [grade.name] + [""] * (len(keys) * len(views)))
            start = 1 + index * len(keys)
            row[start : start + len(keys)] = [
                str(grade.contributions),
                _quality(grade.quality),
                str(grade.answers),
                str(grade.calls),
                _minutes(grade.seconds),
            ]
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows.values())
    return stream.getvalue()
