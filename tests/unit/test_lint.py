"""Author warnings: one fixture per rule, exact positions, and no false positives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook.model.author.template import case_template
from casebook.model.load import lint as lint_module
from casebook.model.load.lint import CODES, PRESENT_LIMITS, lint
from casebook.model.load.loader import load_file, read_text

REPO = Path(__file__).resolve().parents[2]
LINT = REPO / "tests" / "data" / "lint"
BUNDLED = sorted((REPO / "cases").glob("*.yaml"))

QUESTIONS = "discussion_questions: [{en: A?, zh: 甲？}, {en: B?, zh: 乙？}, {en: C?, zh: 丙？}]\n"
"""Three questions, so that a case built in a test is not also warned for too few."""


def warnings_for(path: Path) -> list:
    loaded = load_file(path, path.name)
    assert loaded.ok, [str(d) for d in loaded.diagnostics]
    return lint(loaded, read_text(path), path.name)


def warned(found: list) -> list[tuple[str, int, int]]:
    return [(d.message.split(":", 1)[0], d.line, d.col) for d in found]


def lint_text(load_text, text: str) -> list:
    loaded = load_text(text)
    assert loaded.ok, [str(d) for d in loaded.diagnostics]
    return lint(loaded, text, "case.yaml")


# -- one fixture per rule -------------------------------------------------------------

FIXTURES = {
    "missing-translation.yaml": [("missing-translation", 4, 9)],
    "missing-source.yaml": [("missing-source", 14, 5)],
    "hidden-comment.yaml": [("hidden-comment", 16, 17)],
    "event-order.yaml": [("event-order", 10, 11)],
    "long-paragraph.yaml": [("long-paragraph", 6, 7)],
    "few-questions.yaml": [("few-questions", 22, 1)],
    "collection.yaml": [("missing-source", 15, 9), ("event-order", 22, 15)],
    "missing-passage.yaml": [("missing-passage", 14, 5)],
    "template-text.yaml": [
        ("template-text", 8, 17),
        ("template-text", 11, 27),
        ("template-text", 15, 17),
    ],
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_each_fixture_gives_its_warning_at_its_position(name: str) -> None:
    found = warnings_for(LINT / name)
    assert warned(found) == FIXTURES[name], [str(d) for d in found]
    for diagnostic in found:
        assert diagnostic.severity == "warning"
        assert diagnostic.path == name
        assert str(diagnostic).startswith(f"{name}:{diagnostic.line}:{diagnostic.col}: warning: ")


def test_the_fixtures_base_is_clean() -> None:
    # Every fixture is this file with one change, so each warning comes from that change.
    assert warnings_for(LINT / "clean.yaml") == []


def test_every_rule_has_a_fixture() -> None:
    seen = {code for expected in FIXTURES.values() for code, _, _ in expected}
    assert seen == set(CODES)


def test_messages_explain_the_fix() -> None:
    messages = {
        d.message.split(":", 1)[0]: d.message for d in warnings_for(LINT / "collection.yaml")
    }
    assert "'platforms'" in messages["missing-source"]
    assert "'early 2022' is earlier than '2022-09'" in messages["event-order"]
    (comment,) = warnings_for(LINT / "hidden-comment.yaml")
    assert "ends at 'Staff'" in comment.message
    assert "'# of the plant'" in comment.message
    (long,) = warnings_for(LINT / "long-paragraph.yaml")
    assert "709 characters" in long.message and "700" in long.message
    (few,) = warnings_for(LINT / "few-questions.yaml")
    assert "only 2 discussion questions" in few.message


# -- no false positives -----------------------------------------------------------------


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_bundled_cases_give_no_warnings(path: Path) -> None:
    assert [str(d) for d in warnings_for(path)] == []


def test_there_are_bundled_cases_to_check() -> None:
    assert len(BUNDLED) >= 5


def test_the_template_gives_no_warnings_but_its_example_wording(load_text) -> None:
    found = lint_text(load_text, case_template("x"))
    assert found and {d.message.split(":", 1)[0] for d in found} == {"template-text"}


def test_a_file_that_did_not_load_gets_no_warnings(load_text) -> None:
    text = "id: x\ncompany: {name: {en: X}}\nsummary: 1\n"
    loaded = load_text(text)
    assert not loaded.ok
    assert lint(loaded, text) == []


def test_the_path_is_shown_by_default(load_text, minimal) -> None:
    loaded = load_text(minimal)
    (few,) = lint(loaded, minimal)
    assert few.path == str(loaded.path)


# -- (a) missing translations -------------------------------------------------------------


def test_an_empty_language_is_pointed_at(load_text) -> None:
    text = 'id: x\ncompany: {name: Co}\nsummary:\n  en: Fine.\n  zh: ""\n' + QUESTIONS
    found = lint_text(load_text, text)
    assert warned(found) == [("missing-translation", 5, 7)]
    assert "no Chinese (zh) text" in found[0].message


def test_plain_strings_and_registered_names_need_no_translation(load_text) -> None:
    text = (
        "id: x\ncompany:\n  name: Co\n  legal_name: {zh: 某某有限公司}\n"
        "  former_names: [{zh: 旧名}]\nsummary: Plain text serves both languages.\n" + QUESTIONS
    )
    assert lint_text(load_text, text) == []


def test_nested_texts_are_checked(load_text) -> None:
    text = (
        "id: x\ncompany: {name: Co}\nsummary: S\n"
        "metrics:\n  - id: m\n    label: L\n    value: {value: 1, wording: {en: one}}\n"
        "    source: s\n    passage: {start: one}\nsources: [{id: s, outlet: O}]\n" + QUESTIONS
    )
    assert warned(lint_text(load_text, text)) == [("missing-translation", 7, 32)]


# -- (c) hidden comments ------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "industry: Valves  # two spaces: a comment",
        "industry: Valves    # more spaces",
        'industry: "Valves # quoted"',
        "industry: 'Valves # quoted'",
        "industry: Valves#not-a-comment",
        "# industry: Valves # commented out",
        "industry: |-\n  Valves # in a block scalar",
    ],
)
def test_deliberate_comments_and_quoted_hashes_are_fine(load_text, line: str) -> None:
    text = f"id: x\ncompany: {{name: Co}}\nsummary: S\n{line}\n" + QUESTIONS
    assert lint_text(load_text, text) == []


def test_a_one_space_hash_after_a_number_is_a_comment(load_text) -> None:
    # YAML cut nothing that was text: 12 is the number the author meant.
    text = (
        "id: x\ncompany: {name: Co}\nsummary: S\nmetrics:\n  - id: m\n    label: L\n"
        "    value: 12 # percent\n    source: s\n    passage: {start: 12 percent}\n"
        "sources: [{id: s, outlet: O}]\n" + QUESTIONS
    )
    assert lint_text(load_text, text) == []


def test_the_hash_is_found_after_multiline_and_chinese_text(load_text) -> None:
    text = (
        "id: x\ncompany: {name: Co}\nsummary:\n  en: first line\n    second # third\n"
        "  zh: 中文 # 注释\n" + QUESTIONS
    )
    assert warned(lint_text(load_text, text)) == [
        ("hidden-comment", 5, 12),
        ("hidden-comment", 6, 10),
    ]


def test_positions_hold_with_windows_line_ends(load_text) -> None:
    text = f"id: x\ncompany: {{name: Co}}\nsummary: Price # of units\n{QUESTIONS}"
    found = lint_text(load_text, text.replace("\n", "\r\n"))
    assert warned(found) == [("hidden-comment", 3, 16)]


# -- (d) event order ------------------------------------------------------------------------


def test_equal_and_overlapping_dates_are_in_order(load_text) -> None:
    # Dates sort by when they start, then by when they end (FuzzyDate.sort_key).
    events = ["2017", "2017", "late 1990s", "2004-2008"]
    in_order = ["late 1990s", "1996", "2004-2008", "2005", "2005"]
    text = "id: x\ncompany: {name: Co}\nsummary: S\ntimeline:\n" + "".join(
        f"  - {{date: {d}, title: T}}\n" for d in in_order
    )
    assert lint_text(load_text, text + QUESTIONS) == []
    text = "id: x\ncompany: {name: Co}\nsummary: S\ntimeline:\n" + "".join(
        f"  - {{date: {d}, title: T}}\n" for d in events
    )
    found = lint_text(load_text, text + QUESTIONS)
    assert warned(found) == [("event-order", 7, 12)]


def test_a_year_inside_a_range_above_it_is_earlier(load_text) -> None:
    text = "id: x\ncompany: {name: Co}\nsummary: S\ntimeline:\n" + "".join(
        f"  - {{date: {d}, title: T}}\n" for d in ["2004-2008", "2004"]
    )
    assert warned(lint_text(load_text, text + QUESTIONS)) == [("event-order", 6, 12)]


# -- (e) long paragraphs ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_limit_is_inclusive(load_text, lang: str) -> None:
    limit = PRESENT_LIMITS[lang]
    char = "a" if lang == "en" else "字"

    def summary(size: int) -> str:
        return f"id: x\ncompany: {{name: Co}}\nsummary: {{{lang}: {char * size}}}\n" + QUESTIONS

    assert not [d for d in lint_text(load_text, summary(limit)) if "long-paragraph" in d.message]
    found = [d for d in lint_text(load_text, summary(limit + 1)) if "long-paragraph" in d.message]
    assert len(found) == 1
    assert f"({lang}) is {limit + 1} characters, over the {limit}" in found[0].message


def test_the_limits_are_as_documented() -> None:
    assert PRESENT_LIMITS == {"en": 700, "zh": 350}


def test_paragraphs_are_counted_separately(load_text) -> None:
    paragraph = "x" * 400
    text = (
        f"id: x\ncompany: {{name: Co}}\nsummary: |-\n  {paragraph}\n\n  {paragraph}\n" + QUESTIONS
    )
    assert lint_text(load_text, text) == []


def test_a_plain_chinese_string_uses_the_chinese_limit(load_text) -> None:
    text = "id: x\ncompany: {name: Co}\nsummary: S\nepilogue: " + "字" * 351 + "\n" + QUESTIONS
    assert warned(lint_text(load_text, text)) == [("long-paragraph", 4, 11)]


def test_challenges_and_event_details_are_checked(load_text) -> None:
    long = "y" * 701
    text = (
        "id: x\ncompany: {name: Co}\nsummary: S\n"
        f"timeline: [{{date: 2000, title: T, detail: {long}}}]\n"
        f"challenges:\n  - title: T\n    problem: P\n    solutions: [{long}]\n"
        f"    outcome: {long}\n" + QUESTIONS
    )
    assert warned(lint_text(load_text, text)) == [
        ("long-paragraph", 4, 43),
        ("long-paragraph", 8, 17),
        ("long-paragraph", 9, 14),
    ]


def test_other_texts_are_not_held_to_the_limit(load_text) -> None:
    text = "id: x\ncompany: {name: Co}\nsummary: S\nhook: " + "z" * 900 + "\n" + QUESTIONS
    assert lint_text(load_text, text) == []


# -- (f) few questions ------------------------------------------------------------------------


def test_a_case_without_questions_is_warned_at_its_start(load_text, minimal) -> None:
    found = lint_text(load_text, minimal)
    assert warned(found) == [("few-questions", 1, 1)]
    assert "no discussion questions" in found[0].message


def test_rules_are_small_functions_named_in_codes() -> None:
    assert len(lint_module.DOCUMENT_RULES) + len(lint_module.TEXT_RULES) == len(CODES)


# -- (h) text left from the template ----------------------------------------------------


@pytest.fixture
def fresh_examples():
    """``template_examples`` read afresh (it is cached), and again after the test."""
    lint_module.template_examples.cache_clear()
    yield
    lint_module.template_examples.cache_clear()


def test_a_fresh_template_names_every_example_text(load_text) -> None:
    text = case_template("x")
    found = lint_text(load_text, text)
    lines = text.splitlines()
    # Each warning is at a text of the template, and names it.
    for diagnostic in found:
        assert diagnostic.message.startswith("template-text: "), str(diagnostic)
        assert "the template's example wording" in diagnostic.message
        line = lines[diagnostic.line - 1]
        assert not line.lstrip().startswith("#")
        assert line[diagnostic.col - 1 :].split(",")[0].split("}")[0].strip()
    at = {(d.line, d.col): d.message for d in found}
    company = next(n for n, line in enumerate(lines, 1) if line.startswith("  name: {en: Company"))
    assert "'Company name'" in at[(company, 14)] and "'公司简称'" in at[(company, 32)]
    # Every line of the template with a text on it is warned of, but the unit's.
    texty = {
        n
        for n, line in enumerate(lines, 1)
        if not line.lstrip().startswith("#") and re.search(r"\b(en|zh|start|end): ", line)
    }
    unit = next(n for n, line in enumerate(lines, 1) if line.lstrip().startswith("unit:"))
    assert {d.line for d in found} == texty - {unit}
    messages = "\n".join(at.values())
    assert "'first words'" in messages and "'last words'" in messages  # a passage's words


def test_the_examples_come_from_the_template_commented_fields_too() -> None:
    examples = lint_module.template_examples()
    # Commented-out fields of the template (city, legal name, epilogue) are examples too.
    assert {
        "company name",
        "公司简称",
        "city",
        "公司全称",
        "what happened next",
        "first words",
    } <= examples
    # Real values are not: a unit in days, a class segment called "Opening", ids.
    assert not {"days", "天", "opening", "导入", "article", "first-metric", "under"} & examples


def test_the_examples_follow_the_template_when_it_changes(monkeypatch, fresh_examples) -> None:
    from casebook.model.author import template

    monkeypatch.setattr(
        template,
        "case_template",
        lambda case_id: (
            f"id: {case_id}\n# A prose comment: {{en: not an example}}\n"
            "company:\n  name: {en: Brand new wording, zh: 全新示例}\n"
            "  # city: {en: Commented city, zh: 注释城市}  # a comment\n"
            "unit: {en: hours, zh: 小时}\n"
        ),
    )
    assert lint_module.template_examples() == {
        "brand new wording",
        "全新示例",
        "commented city",
        "注释城市",
    }


@pytest.mark.parametrize(
    ("value", "warned"),
    [
        ('"TODO: the year it opened"', "holds 'TODO'"),
        ("Write this TODO", "holds 'TODO'"),
        ("待填：成立", "holds '待填'"),
        ("Company name", "example wording"),
        ("company   NAME", "example wording"),
        ('"  Company name "', "example wording"),
        ("公司简称", "example wording"),
        ("TODOS and MASTODONS", None),
        ("Company name Ltd", None),
        ("The company", None),
    ],
)
def test_placeholders_and_example_wording(load_text, value: str, warned: str | None) -> None:
    text = f"id: x\ncompany:\n  name: {value}\nsummary: S\n" + QUESTIONS
    found = lint_text(load_text, text)
    if warned is None:
        assert found == []
    else:
        (diagnostic,) = found
        assert (diagnostic.line, diagnostic.col) == (3, 9)
        assert diagnostic.message.startswith("template-text: ") and warned in diagnostic.message


def test_keys_and_non_text_values_are_not_template_text(load_text) -> None:
    # 'industry' is an example text, but here it is a key; 2017 is a date, not text.
    text = "id: x\ncompany: {name: Co}\nindustry: Valves\nsummary: S\n" + QUESTIONS
    assert lint_text(load_text, text) == []


def test_a_scaffold_from_another_case_names_its_placeholders(load_text) -> None:
    from casebook.model.author.scaffold import scaffold_from

    case = load_file(BUNDLED[1]).document
    text = scaffold_from(case, "new-case")
    found = lint_text(load_text, text)
    assert len(found) > 20
    # Every warning is of template text (past the first 100, one line counts the rest).
    assert all(d.message.startswith(("template-text: ", "… and ")) for d in found)
    assert any("holds 'TODO'" in d.message for d in found)
    assert any("holds '待填'" in d.message for d in found)


def test_every_text_is_looked_at_once(load_text, monkeypatch) -> None:
    # Linear: one set lookup per text, however many texts and examples there are.
    items = "".join(f"  - {{en: Question {n}?, zh: 问题{n}？}}\n" for n in range(3000))
    text = "id: x\ncompany: {name: Co}\nsummary: S\ndiscussion_questions:\n" + items
    looked: list[str] = []
    normal = lint_module._normal
    monkeypatch.setattr(lint_module, "_normal", lambda v: looked.append(v) or normal(v))
    assert lint_text(load_text, text) == []
    assert len(looked) == 3 + 2 * 3000  # x, Co, S and each question's two texts


# -- validate --strict on a fresh file (the command, in process) ---------------------------


def test_validate_strict_lists_the_template_text_of_a_new_file(tmp_path: Path, capsys) -> None:
    from casebook import cli

    assert cli.main(["new", "fresh", "--dir", str(tmp_path)]) == 0
    capsys.readouterr()
    path = tmp_path / "fresh.yaml"
    assert cli.main(["validate", str(path)]) == 0  # only --strict warns
    assert "template-text" not in capsys.readouterr().out
    assert cli.main(["validate", "--strict", str(path)]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "template-text" in line]
    assert len(lines) >= 20
    text = path.read_text(encoding="utf-8").splitlines()
    company = next(n for n, line in enumerate(text, 1) if line.startswith("  name: {en: Company"))
    assert f"{path}:{company}:14: warning: template-text: 'Company name'" in out
    assert f"{path}:{company}:32: warning: template-text: '公司简称'" in out
    for line in lines:
        assert re.match(rf"{re.escape(str(path))}:\d+:\d+: warning: template-text: ", line)


def test_validate_strict_is_clean_once_the_template_text_is_replaced(
    tmp_path: Path, capsys
) -> None:
    from casebook import cli

    assert cli.main(["new", "fresh", "--dir", str(tmp_path)]) == 0
    path = tmp_path / "fresh.yaml"
    text = path.read_text(encoding="utf-8")
    for n, example in enumerate(sorted(lint_module.template_examples(), key=len, reverse=True)):
        text = re.sub(rf"(?<=: ){re.escape(example)}(?=[,}}\n])", f"Our text {n}", text, flags=re.I)
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    cli.main(["validate", "--strict", str(path)])
    assert "template-text" not in capsys.readouterr().out
