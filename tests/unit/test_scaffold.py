"""casebook new ID --from OTHER: another case's structure, none of its text, loading clean."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec
import pytest

from casebook.model.author.comments import comment
from casebook.model.author.scaffold import placeholder_dates, scaffold_from
from casebook.model.author.template import case_template
from casebook.model.format.case import Amount, Case, Company, Event, Question
from casebook.model.format.dates import parse_date
from casebook.model.format.schema import MODELINE, field_docs
from casebook.model.format.text import Bilingual, both
from casebook.model.load.lint import lint
from casebook.model.load.loader import load_file

REPO = Path(__file__).resolve().parents[2]
BUNDLED = [
    path
    for path in sorted((REPO / "cases").glob("*.yaml"))
    if isinstance(load_file(path).document, Case)
]


def scaffolded(tmp_path: Path, case: Case, new_id: str = "new-case"):
    text = scaffold_from(case, new_id)
    path = tmp_path / f"{new_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return text, load_file(path, path.name)


def shape(case: Case) -> dict[str, object]:
    """Everything about a case's structure that a scaffold keeps."""

    def quantity(value: object) -> object:
        if value is None or not isinstance(value, Amount):
            return value is not None
        return ("amount", value.to is not None, value.qualifier, value.wording is not None)

    notes = case.teaching_notes
    return {
        "company": (case.company.legal_name is not None, len(case.company.former_names)),
        "location": case.location is not None
        and tuple(
            getattr(case.location, part) is not None for part in ("province", "city", "district")
        ),
        "optional": tuple(
            getattr(case, name) is not None for name in ("industry", "hook", "epilogue")
        ),
        "chapter": case.chapter,
        "recognitions": [r.source for r in case.recognitions],
        "timeline": [(e.date.precision, e.detail is not None, e.source) for e in case.timeline],
        "metrics": [
            (
                m.id,
                quantity(m.value),
                quantity(m.before),
                quantity(m.after),
                m.unit is not None,
                m.period is not None,
                m.kind,
                m.headline,
                m.note is not None,
                m.source,
            )
            for m in case.metrics
        ],
        "challenges": [
            (len(c.solutions), c.outcome is not None, c.metrics) for c in case.challenges
        ],
        "people": [(len(p.said), p.source) for p in case.people],
        "sources": [
            (s.id, len(s.authors), s.year is not None, s.title is not None, s.note is not None)
            for s in case.sources
        ],
        "objectives": len(case.learning_objectives),
        "questions": [
            len(q.choices) if isinstance(q, Question) else -1 for q in case.discussion_questions
        ],
        "teaching": notes is not None
        and (
            [(s.minutes, s.notes is not None) for s in notes.segments],
            len(notes.board_plan),
            len(notes.key_points),
        ),
    }


def prose(value: object) -> set[str]:
    """Every text in a case that is long enough to be its own writing."""
    found: set[str] = set()
    if isinstance(value, (str, Bilingual)):
        found.update(s for s in both(value) if len(s) >= 12)
    elif isinstance(value, list):
        for item in value:
            found |= prose(item)
    elif hasattr(value, "__struct_fields__"):
        for name in value.__struct_fields__:
            if name not in ("id", "kind", "chapter", "source", "metrics"):
                found |= prose(getattr(value, name))
    return found


def test_there_are_bundled_cases() -> None:
    assert len(BUNDLED) >= 4


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_the_scaffold_loads_clean_with_no_warnings(tmp_path: Path, path: Path) -> None:
    original = load_file(path).document
    text, loaded = scaffolded(tmp_path, original)
    assert loaded.ok, [str(d) for d in loaded.diagnostics]
    assert loaded.diagnostics == []
    assert loaded.document.id == "new-case"
    # Its only warnings are of the placeholders left to replace (--strict lists them).
    found = [str(d) for d in lint(loaded, text)]
    assert found and all("template-text: " in d or ": … and " in d for d in found), found


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_the_scaffold_keeps_the_structure(tmp_path: Path, path: Path) -> None:
    original = load_file(path).document
    _, loaded = scaffolded(tmp_path, original)
    assert shape(loaded.document) == shape(original)


def test_the_scaffold_keeps_how_many_choices_a_question_offers(tmp_path: Path) -> None:
    """A question students answer by choice in a live class stays one, with as many
    choices (placeholders), beside a question answered in their own words."""
    original = load_file(BUNDLED[0]).document
    first, *rest = original.discussion_questions
    offered = Question(
        en="Which matters more?",
        zh="哪个更重要？",
        choices=[Bilingual(en=f"Option {n}", zh=f"选项{n}") for n in range(1, 4)],
    )
    case = msgspec.structs.replace(original, discussion_questions=[offered, first, *rest])
    text, loaded = scaffolded(tmp_path, case)
    assert loaded.ok and loaded.diagnostics == [], [str(d) for d in loaded.diagnostics]
    assert shape(loaded.document) == shape(case)
    asked = loaded.document.discussion_questions[0]
    assert isinstance(asked, Question) and len(asked.choices) == 3
    assert "Option 1" not in text and "选项1" not in text.replace("选项1.", "")
    assert "# " + comment("Question.choices")[:40] in text  # said what choices are


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_the_scaffold_holds_none_of_the_original_text(tmp_path: Path, path: Path) -> None:
    original = load_file(path).document
    text, loaded = scaffolded(tmp_path, original)
    texts = prose(original)
    assert len(texts) > 50  # the check has something to look for
    assert sorted(t for t in texts if t in text) == []
    for name in both(original.company.name):
        assert name not in text
    assert original.summary not in (loaded.document.summary,)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_the_scaffold_sets_numbers_and_dates_to_placeholders(tmp_path: Path, path: Path) -> None:
    original = load_file(path).document
    _, loaded = scaffolded(tmp_path, original)
    for metric in loaded.document.metrics:
        for quantity in (metric.value, metric.before, metric.after):
            if quantity is not None:
                amount = quantity if isinstance(quantity, Amount) else Amount(value=quantity)
                assert amount.value == 0
                assert amount.to in (None, 0)
    years = [event.date.start.year for event in loaded.document.timeline]
    assert all(2000 <= year < 2100 for year in years), years
    original_dates = {event.date.text for event in original.timeline}
    assert not original_dates & {event.date.text for event in loaded.document.timeline}


def test_the_scaffold_starts_with_the_modeline_and_comments_every_field(tmp_path: Path) -> None:
    original = load_file(REPO / "cases" / "zhejiang-zhongcheng.yaml").document
    text, _ = scaffolded(tmp_path, original)
    assert text.splitlines()[0] == MODELINE
    keys = set(re.findall(r"^[ -]*([a-z_]+):", text, flags=re.MULTILINE))
    # A comment after the field, or (when too long for the line) on the lines above it.
    beside = r"^[ -]*([a-z_]+):(?:.*\S)? {2,}# \S"
    above = r"^ *# [^\n]*\n[ -]*([a-z_]+):"
    commented = {
        key for pattern in (beside, above) for key in re.findall(pattern, text, re.MULTILINE)
    }
    assert {"id", "timeline", "metrics", "qualifier", "wording", "minutes"} <= keys
    assert keys - commented == set()


@pytest.mark.parametrize(
    "field", ["Case.id", "Case.metrics", "Person.said", "Case.discussion_questions"]
)
def test_template_and_scaffold_comment_a_field_in_its_schema_words(
    tmp_path: Path, field: str
) -> None:
    original = load_file(REPO / "cases" / "huayi-precision.yaml").document
    text, _ = scaffolded(tmp_path, original)
    description = field_docs()[field]
    assert description.lower().startswith(comment(field).lower())
    assert f"# {comment(field)}" in case_template("x")
    assert f"# {comment(field)}" in text


def comments_on_fields(written: str) -> list[str]:
    """The comments below the header: after a field, or on lines of their own (joined)."""
    found: list[str] = []
    above: list[str] = []
    for line in written.split("\n\n", 1)[1].splitlines():
        body, _, after = line.rpartition("  # ")
        if body.strip():
            found.append(after)
        elif line.lstrip().startswith("# ") and not re.match(r" *# +(- |\{|[a-z_]+:)", line):
            above.append(line.lstrip()[2:])
            continue
        if above:
            found.append(" ".join(above).removesuffix(":"))
            above = []
    return found


def test_every_comment_is_a_field_description(tmp_path: Path) -> None:
    original = load_file(REPO / "cases" / "zhejiang-zhongcheng.yaml").document
    text, _ = scaffolded(tmp_path, original)
    known = {comment(key) for key, text in field_docs().items() if "." in key and text}
    for written in (text, case_template("x")):
        notes = comments_on_fields(written)
        assert len(notes) > 20
        assert [note for note in notes if note not in known] == []


def test_ids_and_chapter_are_kept(tmp_path: Path) -> None:
    original = load_file(REPO / "cases" / "huayi-precision.yaml").document
    _, loaded = scaffolded(tmp_path, original)
    case = loaded.document
    assert case.chapter == original.chapter == "digital-transformation"
    assert [m.id for m in case.metrics] == [m.id for m in original.metrics]
    assert [s.id for s in case.sources] == [s.id for s in original.sources]
    assert case.challenges[0].metrics == original.challenges[0].metrics


def test_placeholders_are_visible_in_both_languages(tmp_path: Path) -> None:
    original = load_file(REPO / "cases" / "weimai-medical.yaml").document
    _, loaded = scaffolded(tmp_path, original)
    name = loaded.document.company.name
    assert isinstance(name, Bilingual)
    assert name.en.startswith("TODO: ")
    assert name.zh.startswith("待填：")


def test_the_template_case_scaffolds_too(tmp_path: Path) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(case_template("x"), encoding="utf-8")
    original = load_file(source).document
    _, loaded = scaffolded(tmp_path, original, "y")
    assert loaded.ok, [str(d) for d in loaded.diagnostics]
    assert shape(loaded.document) == shape(original)


def test_a_bare_case_scaffolds(tmp_path: Path) -> None:
    original = Case(id="bare", company=Company(name="B"), summary="S")
    text, loaded = scaffolded(tmp_path, original)
    assert loaded.ok, [str(d) for d in loaded.diagnostics]
    assert "timeline" not in text


@pytest.mark.parametrize("bad", ["New Case", "", "-x", "a_b"])
def test_an_invalid_new_id_is_refused(bad: str) -> None:
    original = load_file(REPO / "cases" / "huayi-precision.yaml").document
    with pytest.raises(ValueError, match="not a valid id"):
        scaffold_from(original, bad)


def events(*dates: str) -> list[Event]:
    return [Event(date=parse_date(d), title="T") for d in dates]


def test_placeholder_dates_keep_precision_and_order() -> None:
    originals = ["late 1990s", "1996", "2004-2008", "late 2010", "2012-03", "2014-05-06", "2010s"]
    found = placeholder_dates(events(*originals))
    assert [parse_date(d).precision for d in found] == [parse_date(d).precision for d in originals]
    keys = [parse_date(d).sort_key for d in found]
    assert keys == sorted(keys)
    assert found[0] == "late 2000s"
    assert found[3].startswith("late ")
    assert found[-1].endswith("0s")


def test_placeholder_dates_start_at_2000() -> None:
    assert placeholder_dates(events("2017", "2018", "2019")) == ["2000", "2001", "2002"]
