"""Validation: every problem of a file at once, each as ``path:line:col: message``."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from casebook.model.format.case import Case, Collection
from casebook.model.load.diagnostics import Diagnostic
from casebook.model.load.loader import LoadedFile, load_file

DATA = Path(__file__).resolve().parent.parent / "data"
HEAD = "id: checked\ncompany: {name: Checked Co}\nsummary: Checked.\n"
"""A valid start of a case: three lines, so an added key starts on line 4."""


def found(loaded: LoadedFile) -> list[tuple[int, int, str]]:
    assert loaded.document is None
    assert not loaded.ok
    return [(d.line, d.col, d.message) for d in loaded.diagnostics]


def one(loaded: LoadedFile) -> tuple[int, int, str]:
    problems = found(loaded)
    assert len(problems) == 1, problems
    return problems[0]


# -- all problems at once ---------------------------------------------------------


def test_many_problems_are_all_reported_with_their_lines(monkeypatch) -> None:
    monkeypatch.chdir(DATA / "invalid")
    loaded = load_file(Path("many-problems.yaml"), "many-problems.yaml")
    date_help = "is not a date: write a date as 2017"
    expected = [
        (1, 1, "missing required key 'company'"),
        (1, 5, "'Not_A_Slug' is not a valid id"),
        (2, 1, "unknown key 'compnay'; did you mean 'company'?"),
        (3, 10, "give the text in en, zh or both"),
        (4, 7, "expected text or {en: ..., zh: ...}, got the number 42"),
        (6, 11, "'2017-13' is not a real date (bad month number 13"),
        (8, 11, "range '2010-2004' ends before it starts"),
        (10, 11, f"'sometime' {date_help}"),
        (12, 11, "'2017-02-30' is not a real date (day is out of range for month)"),
        (14, 5, "missing required key 'date'"),
        (16, 5, "give either value, or before and after, not both"),
        (20, 5, "metric 'half-pair' needs 'after'"),
        (25, 12, "'to' must not be below 'value'"),
        (28, 34, "'undr' is not one of exact, under, over, about; did you mean 'under'?"),
        (31, 12, "expected a number or a mapping (amount), got text"),
        (32, 15, "expected true or false, got text"),
        (33, 23, "expected a list, got text"),
    ]
    problems = found(loaded)
    assert [(line, col) for line, col, _ in problems] == [(line, col) for line, col, _ in expected]
    for (_, _, message), (_, _, start) in zip(problems, expected, strict=True):
        assert message.startswith(start), (message, start)
    # The line numbers point at what the messages talk about in the file itself.
    lines = (DATA / "invalid" / "many-problems.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[5].strip() == "- date: 2017-13"
    assert lines[27].strip().endswith("qualifier: undr}")


def test_diagnostics_print_as_path_line_col_message() -> None:
    loaded = load_file(DATA / "invalid" / "many-problems.yaml", "shown/as.yaml")
    pattern = re.compile(r"^shown/as\.yaml:(\d+):(\d+): (.+)$")
    for diagnostic in loaded.diagnostics:
        match = pattern.match(str(diagnostic))
        assert match, str(diagnostic)
        assert (int(match[1]), int(match[2])) == (diagnostic.line, diagnostic.col)
    assert loaded.diagnostics == sorted(loaded.diagnostics)


def test_diagnostic_without_position_prints_just_the_path() -> None:
    assert str(Diagnostic("a.yaml", 0, 0, "not a regular file")) == "a.yaml: not a regular file"
    assert str(Diagnostic("a.yaml", 3, 0, "m")) == "a.yaml:3:1: m"
    assert str(Diagnostic("a.yaml", 3, 2, "m", "warning")) == "a.yaml:3:2: warning: m"


def test_yaml_problems_and_validation_problems_come_together(load_text) -> None:
    # A duplicate key (found while reading) and an unknown key (found by validation).
    problems = found(load_text(HEAD + "hook: a\nhook: b\nzzz: 1\n"))
    assert [(line, col) for line, col, _ in problems] == [(5, 1), (6, 1)]
    assert problems[0][2] == "duplicate key 'hook' (lines 4 and 5)"
    assert problems[1][2].startswith("unknown key 'zzz'; allowed: kind, id, company")


# -- structure ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "col", "message"),
    [
        ("compnay: x\n", 1, "unknown key 'compnay'; did you mean 'company'?"),
        ("sumary: x\n", 1, "unknown key 'sumary'; did you mean 'summary'?"),
        ("metrics: [{id: m, label: L, value: 1, lable: x}]\n", 39, "did you mean 'label'?"),
        ("timeline: [{date: 2017, title: T, detials: x}]\n", 35, "did you mean 'detail'?"),
        ("hook: {eng: x}\n", 8, "unknown key 'eng'; did you mean 'en'?"),
        ("hook: {en: x, zn: y}\n", 15, "unknown key 'zn'; allowed: en, zh"),
        ("hook: {fr: x}\n", 8, "unknown key 'fr'; allowed: en, zh"),
        ("zzz: 1\n", 1, "allowed: kind, id, company, location"),
    ],
)
def test_unknown_keys_suggest_the_nearest(load_text, extra: str, col: int, message: str) -> None:
    line, column, text = one(load_text(HEAD + extra))
    assert (line, column) == (4, col)
    assert message in text


@pytest.mark.parametrize(
    ("extra", "col", "message"),
    [
        ("hook: 42\n", 7, "expected text or {en: ..., zh: ...}, got the number 42"),
        ("hook: true\n", 7, "expected text or {en: ..., zh: ...}, got true (true/false)"),
        ("hook: [a]\n", 7, "expected text or {en: ..., zh: ...}, got a list"),
        ("timeline: x\n", 11, "expected a list, got text"),
        ("metrics: [1]\n", 11, "expected a mapping (metric), got the number 1"),
        ("location: here\n", 11, "expected a mapping (location), got text"),
        (
            "metrics: [{id: m, label: L, value: '12'}]\n",
            36,
            "expected a number or a mapping (amount), got text",
        ),
        (
            "metrics: [{id: m, label: L, value: 1, headline: 1}]\n",
            49,
            "expected true or false, got the number 1",
        ),
        ("sources: [{id: s, outlet: O, year: '2022'}]\n", 36, "expected a whole number, got text"),
        ("timeline: [{date: 2017.5, title: T}]\n", 19, "expected a date, got float"),
        ("timeline: [{date: true, title: T}]\n", 19, "expected a date, got bool"),
        ("timeline: [{date: ~, title: T}]\n", 19, "expected a date, got NoneType"),
        ("kind: bogus\n", 7, "unknown kind 'bogus'; a file is a 'case' or a 'collection'"),
        (
            "teaching_notes: {segments: [{title: T, minutes: 0}]}\n",
            49,
            "expected a whole number of at least 1, got the number 0",
        ),
        (
            "teaching_notes: {segments: [{title: T, minutes: 1.5}]}\n",
            49,
            "expected a whole number, got the number 1.5",
        ),
    ],
)
def test_wrong_types_say_what_was_expected(load_text, extra: str, col: int, message: str) -> None:
    assert one(load_text(HEAD + extra)) == (4, col, message)


@pytest.mark.parametrize(
    ("content", "position", "key"),
    [
        ("company: {name: X}\nsummary: S\n", (1, 1), "id"),
        ("id: x\nsummary: S\n", (1, 1), "company"),
        ("id: x\ncompany: {name: X}\n", (1, 1), "summary"),
        ("id: x\ncompany: {legal_name: X}\nsummary: S\n", (2, 10), "name"),
        (HEAD + "metrics:\n  - {id: m, value: 1}\n", (5, 5), "label"),
        (HEAD + "challenges:\n  - {title: T, problem: P}\n", (5, 5), "solutions"),
        (HEAD + "sources:\n  - id: s\n", (5, 5), "outlet"),
        ("kind: collection\nid: c\ntitle: T\n", (1, 1), "introduction"),
    ],
)
def test_missing_required_keys(load_text, content: str, position: tuple, key: str) -> None:
    assert one(load_text(content)) == (*position, f"missing required key {key!r}")


@pytest.mark.parametrize(
    "slug", ["Upper", "under_score", "double--hyphen", "-lead", "trail-", "中文"]
)
def test_bad_slugs_are_refused(load_text, slug: str) -> None:
    content = f"id: {slug}\ncompany: {{name: X}}\nsummary: S\n"
    assert one(load_text(content)) == (
        1,
        5,
        f"{slug!r} is not a valid id: use lower-case letters, digits and hyphens",
    )


@pytest.mark.parametrize("slug", ["a", "a1", "huayi-precision", "2024-report"])
def test_good_slugs_load(load_text, slug: str) -> None:
    assert load_text(f"id: {slug}\ncompany: {{name: X}}\nsummary: S\n").ok


@pytest.mark.parametrize("slug", ["abc\\n", "abc\\r\\n", "abc\\n\\n", "\\nabc"])
def test_an_id_with_a_newline_at_either_end_is_refused(load_text, slug: str) -> None:
    # Python's "$" also matches before a last newline: the pattern must not.
    loaded = load_text(f'id: "{slug}"\ncompany: {{name: X}}\nsummary: S\n')
    assert not loaded.ok
    assert any("is not a valid id" in message for _, _, message in found(loaded))


def test_the_id_pattern_ends_at_the_very_end_in_python_and_in_the_json_schema() -> None:
    from casebook.model.format.case import SLUG_PATTERN

    assert re.search(SLUG_PATTERN, "abc") and not re.search(SLUG_PATTERN, "abc\n")
    assert "\\Z" not in SLUG_PATTERN  # JavaScript, which editors check the schema with, has none


@pytest.mark.parametrize(
    ("qualifier", "hint"),
    [("undr", "; did you mean 'under'?"), ("abuot", "; did you mean 'about'?"), ("roughly", "")],
)
def test_bad_qualifier_suggests_one(load_text, qualifier: str, hint: str) -> None:
    content = (
        HEAD
        + f"metrics:\n  - id: m\n    label: L\n    value: {{value: 5, qualifier: {qualifier}}}\n"
    )
    line, col, message = one(load_text(content))
    assert (line, col) == (7, 34)
    assert message == f"{qualifier!r} is not one of exact, under, over, about{hint}"


# -- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2017-13", "'2017-13' is not a real date (bad month number 13; must be 1-12)"),
        ("2017-00", "'2017-00' is not a real date (bad month number 0; must be 1-12)"),
        ('"2017-02-29"', "'2017-02-29' is not a real date (day is out of range for month)"),
        ("2017-04-31", "'2017-04-31' is not a real date (day is out of range for month)"),
        ("2010-2004", "range '2010-2004' ends before it starts"),
        ("2018-03 to 2017-09", "range '2018-03 to 2017-09' ends before it starts"),
        ("late 2010s to 1990s", "range 'late 2010s to 1990s' ends before it starts"),
        ("sometime", "'sometime' is not a date: write a date as 2017"),
        ("17", "'17' is not a date: write a date as 2017"),
        ("1995s", "'1995s' is not a date"),
        ("very late 1990s", "'very late 1990s' is not a date"),
    ],
)
def test_bad_dates(load_text, date: str, message: str) -> None:
    line, col, text = one(load_text(HEAD + f"timeline:\n  - date: {date}\n    title: T\n"))
    assert (line, col) == (5, 11)
    assert text.startswith(message)


@pytest.mark.parametrize(
    "date",
    [
        "2017",
        "2017-09",
        '"2017-09-14"',
        "2017-09-14",
        "2004-2008",
        "late 1990s",
        "1990s",
        "mid 2010",
    ],
)
def test_good_dates_load(load_text, date: str) -> None:
    loaded = load_text(HEAD + f"timeline:\n  - date: {date}\n    title: T\n")
    assert loaded.ok, loaded.diagnostics
    assert loaded.document.timeline[0].date.text == date.strip('"')


# -- metrics and amounts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("value: 1, before: 2", "give either value, or before and after, not both"),
        ("value: 1, before: 2, after: 3", "give either value, or before and after, not both"),
        ("value: 1, after: 3", "give either value, or before and after, not both"),
        ("before: 2", "metric 'm' needs 'after'"),
        ("after: 2", "metric 'm' needs 'before'"),
        ("unit: days", "metric 'm' needs 'value'"),
    ],
)
def test_metric_needs_value_or_a_before_after_pair(load_text, fields: str, message: str) -> None:
    assert one(load_text(HEAD + f"metrics:\n  - {{id: m, label: L, {fields}}}\n")) == (
        5,
        5,
        message,
    )


def test_amount_range_must_not_run_backwards(load_text) -> None:
    content = HEAD + "metrics:\n  - {id: m, label: L, value: {value: 5, to: 3}}\n"
    # Reported at the amount: the rule is about both of its numbers.
    assert one(load_text(content)) == (5, 30, "'to' must not be below 'value'")


def test_amount_range_may_be_a_single_point(load_text) -> None:
    content = HEAD + "metrics:\n  - {id: m, label: L, value: {value: 5, to: 5}}\n"
    assert load_text(content).ok


# -- bilingual text -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ['{en: ""}', "{}", "{en: '', zh: ''}", '{zh: ""}'])
def test_empty_bilingual_text_is_refused(load_text, text: str) -> None:
    assert one(load_text(HEAD + f"hook: {text}\n")) == (4, 7, "give the text in en, zh or both")


@pytest.mark.parametrize("text", ["{en: x}", "{zh: 中文}", '{en: "", zh: 中文}', "{en: a, zh: b}"])
def test_bilingual_text_needs_only_one_language(load_text, text: str) -> None:
    assert load_text(HEAD + f"hook: {text}\n").ok


# -- control characters ----------------------------------------------------------------------


ESCAPES = [
    (r"\r", "control character carriage return is not allowed in text"),
    (r"\e", "control character escape is not allowed in text"),
    (r"\x1b", "control character escape is not allowed in text"),
    (r"\u001b", "control character escape is not allowed in text"),
    (r"\0", "control character NUL is not allowed in text"),
    (r"\a", "control character U+0007 is not allowed in text"),
    (r"\b", "control character U+0008 is not allowed in text"),
    (r"\v", "control character U+000B is not allowed in text"),
    (r"\f", "control character U+000C is not allowed in text"),
    (r"\x7f", "control character DEL is not allowed in text"),
    (r"\x85", "control character U+0085 is not allowed in text"),
    (r"\N", "control character U+0085 is not allowed in text"),
    (r"\u0085", "control character U+0085 is not allowed in text"),
    (r"\x9b", "control character U+009B is not allowed in text"),
    (r"\u202e", "control character U+202E is not allowed in text"),
    (r"\u202a", "control character U+202A is not allowed in text"),
    (r"\u2066", "control character U+2066 is not allowed in text"),
]


# Four valid lines, then a line with "BAD" where the escaped text goes: line 5, column col.
CONTROL_FIELDS = {
    "summary": ("id: c\ncompany: {name: C}\nhook: Fine.\nindustry: Fine.\nsummary: BAD\n", 10),
    "hook": ("id: c\ncompany: {name: C}\nsummary: Fine.\nindustry: Fine.\nhook: BAD\n", 7),
    "bilingual zh": ("id: c\ncompany: {name: C}\nsummary: S\nhook:\n  zh: BAD\n", 7),
    "list item": ("id: c\ncompany: {name: C}\nsummary: S\nlearning_objectives:\n  - BAD\n", 5),
}


@pytest.mark.parametrize(("escape", "message"), ESCAPES)
@pytest.mark.parametrize("field", sorted(CONTROL_FIELDS))
def test_escaped_control_characters_are_errors_at_their_line(
    load_text, escape: str, message: str, field: str
) -> None:
    template, col = CONTROL_FIELDS[field]
    assert one(load_text(template.replace("BAD", f'"bad {escape} text"'))) == (5, col, message)


def test_control_field_templates_are_valid_without_the_escape(load_text) -> None:
    for template, _ in CONTROL_FIELDS.values():
        assert load_text(template.replace("BAD", '"good text"')).ok


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("\x1b", "control character escape is not allowed in text"),
        ("\x7f", "control character DEL is not allowed in text"),
        ("\x07", "control character U+0007 is not allowed in text"),
        ("\x9b", "control character U+009B is not allowed in text"),
        ("\x85", "control character U+0085 is not allowed in text"),
        ("\u202e", "control character U+202E is not allowed in text"),
    ],
)
@pytest.mark.parametrize("quoted", [False, True])
def test_raw_control_characters_are_errors_at_their_position(
    load_text, raw: str, message: str, quoted: bool
) -> None:
    value = f'"日本 {raw}x"' if quoted else f"日本 {raw}x"
    content = "id: raw\ncompany: {name: Raw Co}\nhook: fine\nsummary: " + value + "\n"
    line, col, text = one(load_text(content))
    assert text == message
    assert line == 4
    # Characters YAML itself refuses are reported where they are (columns count characters,
    # not bytes); the bidi override is valid YAML and is reported at the start of its text.
    at_char = len("summary: 日本 ") + 1 + quoted
    assert col == (len("summary: ") + 1 if raw == "\u202e" else at_char)


def test_raw_control_character_in_a_comment_is_refused_too(load_text) -> None:
    line, col, message = one(load_text(HEAD + "# note \x1b[31m\n"))
    assert (line, col, message) == (4, 8, "control character escape is not allowed in text")


def test_control_character_fixture_reports_every_one() -> None:
    loaded = load_file(DATA / "hostile" / "control-escapes.yaml")
    lines = (DATA / "hostile" / "control-escapes.yaml").read_text(encoding="utf-8").splitlines()
    problems = found(loaded)
    flagged = [line for line, _, _ in problems]
    # Every line with a control escape is flagged, and only those: not the tab and newline.
    assert flagged == [3, 4, 5, 7, 8, 9, 10, 11, 12, 13]
    assert "fine: tab" in lines[13]
    assert all(message.startswith("control character ") for _, _, message in problems)


@pytest.mark.parametrize(
    ("name", "position", "char"),
    [
        ("control-raw-escape.yaml", (3, 14), "escape"),
        ("control-raw-del.yaml", (3, 12), "DEL"),
        ("control-raw-c1.yaml", (3, 12), "U+009B"),
        ("control-raw-nel.yaml", (3, 12), "U+0085"),
        ("control-raw-bidi.yaml", (3, 10), "U+202E"),
    ],
)
def test_raw_control_fixtures(name: str, position: tuple[int, int], char: str) -> None:
    assert one(load_file(DATA / "hostile" / name)) == (
        *position,
        f"control character {char} is not allowed in text",
    )


def test_raw_nel_never_silently_becomes_a_space(load_text) -> None:
    # libyaml folds a raw NEL in a quoted string into a space; the loader must refuse it.
    loaded = load_text(HEAD.replace("summary: Checked.", 'summary: "a\x85b"'))
    assert loaded.document is None
    assert [d.line for d in loaded.diagnostics] == [3]


def test_tab_and_newline_are_allowed(load_text) -> None:
    loaded = load_text(HEAD + 'hook: "tab\\there\\nnewline"\n')
    assert loaded.ok
    assert loaded.document.hook == "tab\there\nnewline"


# -- references and ids ------------------------------------------------------------------


def test_unknown_references_and_duplicate_ids() -> None:
    problems = found(load_file(DATA / "invalid" / "unknown-refs.yaml"))
    assert problems == [
        (5, 30, "no source has id 'artcle'; did you mean 'article'?"),  # recognition
        (8, 49, "no source has id 'nowhere'"),  # timeline
        (10, 54, "no source has id 'articel'; did you mean 'article'?"),  # metric
        (11, 10, "metric id 'cycle-time' is used twice"),
        (16, 27, "no metric has id 'cycle-tme'; did you mean 'cycle-time'?"),  # challenge
        (16, 38, "no metric has id 'output'"),
        (18, 41, "no source has id 'interview'"),  # person
        (21, 10, "source id 'article' is used twice"),
    ]


def test_references_are_checked_only_once_the_structure_is_valid(load_text) -> None:
    # A structural error stops the reference checks: no noise about sources.
    content = HEAD + "timeline:\n  - {date: 2017, title: T, source: nowhere}\nzzz: 1\n"
    problems = found(load_text(content))
    assert len(problems) == 1
    assert "unknown key 'zzz'" in problems[0][2]


def test_collection_problems() -> None:
    assert found(load_file(DATA / "invalid" / "collection-problems.yaml")) == [
        (9, 49, "no source has id 'stats'"),
        (10, 14, "figure id 'gdp' is used twice"),
        (15, 9, "chapter id 'one' is used twice"),
        (17, 13, "case 'beta' is already in another chapter"),
    ]


# -- valid documents ---------------------------------------------------------------------


def test_full_fixture_loads_every_field() -> None:
    loaded = load_file(DATA / "valid" / "full.yaml")
    assert loaded.ok, loaded.diagnostics
    case = loaded.document
    assert isinstance(case, Case)
    assert case.company.name.zh == "全案例有限公司"
    assert case.summary.en == "A folded summary over two lines."
    assert [event.date.precision for event in case.timeline] == [
        "decade",
        "range",
        "day",
        "month",
        "year",
    ]
    assert case.metrics[0].after.qualifier == "under"
    assert case.teaching_notes.segments[0].minutes == 10
    assert len(case.discussion_questions) == 3


def test_collection_is_chosen_by_kind(load_text) -> None:
    loaded = load_text("kind: collection\nid: book\ntitle: T\nintroduction: I\n")
    assert loaded.ok
    assert isinstance(loaded.document, Collection)


@pytest.mark.parametrize(
    ("kind", "tip"),
    [
        ("colection", "did you mean 'collection'?"),
        ("cases", "did you mean 'case'?"),
        ("lecture", "a file is a 'case' or a 'collection'"),
    ],
)
def test_an_unknown_kind_is_the_one_problem_reported(load_text, kind: str, tip: str) -> None:
    # Which fields to check cannot be known: no list of a case's missing keys follows.
    content = f"id: x\ntitle: A collection\nkind: {kind}\nchapters: []\n"
    assert one(load_text(content)) == (3, 7, f"unknown kind {kind!r}; {tip}")


# -- numbers ------------------------------------------------------------------------

AT_MOST = "expected a number of at most 1000000000000000"
AT_LEAST = "expected a number of at least -1000000000000000"


@pytest.mark.parametrize(
    ("extra", "col", "message"),
    [
        # 2**64: it used to validate, then crash the cache writer and the handouts
        ("metrics: [{id: m, label: L, before: 1, after: 18446744073709551616}]\n", 47, AT_MOST),
        ("metrics: [{id: m, label: L, value: 1000000000000001}]\n", 36, AT_MOST),
        ("metrics: [{id: m, label: L, value: -1000000000000001}]\n", 36, AT_LEAST),
        ("metrics: [{id: m, label: L, value: 1.5e15}]\n", 36, AT_MOST),
        ("metrics: [{id: m, label: L, value: -2e300}]\n", 36, AT_LEAST),
        ("metrics: [{id: m, label: L, before: 1e16, after: 1}]\n", 37, AT_MOST),
        ("metrics: [{id: m, label: L, value: {value: 1e16}}]\n", 44, AT_MOST),
        ("metrics: [{id: m, label: L, value: {value: 1, to: 1e16}}]\n", 51, AT_MOST),
        ("metrics: [{id: m, label: L, value: 0x7fffffffffffffffff}]\n", 36, AT_MOST),
        (
            "sources: [{id: s, outlet: O, year: 20222}]\n",
            36,
            "expected a whole number of at most 9999",
        ),
        ("sources: [{id: s, outlet: O, year: 0}]\n", 36, "expected a whole number of at least 1"),
        (
            "teaching_notes: {segments: [{title: T, minutes: 1441}]}\n",
            49,
            "expected a whole number of at most 1440, got the number 1441",
        ),
        ("timeline: [{date: 18446744073709551616, title: T}]\n", 19, "'18446744073709551616'"),
    ],
)
def test_numbers_out_of_range_are_errors_at_their_position(
    load_text, extra: str, col: int, message: str
) -> None:
    line, column, said = one(load_text(HEAD + extra))
    assert (line, column) == (4, col)
    assert said.startswith(message), said


def test_numbers_at_the_limits_load(load_text) -> None:
    extra = (
        "metrics:\n"
        "  - {id: a, label: A, before: -1000000000000000, after: 1000000000000000}\n"
        "  - {id: b, label: B, value: {value: -1e15, to: 1.0e15}}\n"
        "sources: [{id: s, outlet: O, year: 9999}]\n"
        "teaching_notes: {segments: [{title: T, minutes: 1440}]}\n"
    )
    loaded = load_text(HEAD + extra)
    assert loaded.ok, loaded.diagnostics


@pytest.mark.parametrize(
    "number", ["9" * 5000, "-" + "1" * 5000, "0x" + "f" * 5000, "1" * 101, "0o" + "7" * 200]
)
def test_integers_with_thousands_of_digits_are_errors_not_crashes(load_text, number: str) -> None:
    # int() of a 5,000-digit string raises ValueError (sys.set_int_max_str_digits)
    text = HEAD + f"metrics:\n  - id: m\n    label: L\n    value: {number}\n"
    started = time.process_time()
    loaded = load_text(text)
    assert time.process_time() - started < 10, "a hang guard, not a timing"
    assert one(loaded) == (7, 12, f"a number of {len(number)} digits is far too large")


@pytest.mark.parametrize("number", ["9" * 5000 + ".5", "1.0e400", "-" + "9" * 400 + ".0"])
def test_floats_too_large_for_a_float_are_one_error(load_text, number: str) -> None:
    text = HEAD + f"metrics:\n  - id: m\n    label: L\n    value: {number}\n"
    assert one(load_text(text)) == (7, 12, "the number is far too large")


def test_an_integer_of_a_hundred_digits_is_a_range_error_not_a_digits_one(load_text) -> None:
    number = "1" * 100
    text = HEAD + f"metrics:\n  - id: m\n    label: L\n    value: {number}\n"
    assert one(load_text(text)) == (7, 12, f"{AT_MOST}, got the number {number}")
