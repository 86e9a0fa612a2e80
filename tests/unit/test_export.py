"""Handouts: Markdown and HTML exports of cases, for students and instructors.

The golden files in ``tests/data/golden/`` hold the expected handouts of the
bundled huayi-precision case. After an intended change to the handout, rewrite
them and review the diff::

    CASEBOOK_UPDATE_GOLDEN=1 pytest tests/unit/test_export.py
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import markdown_it
import pytest
import yaml

from casebook.model.export import GENERATED_HTML, UnknownCase, escape_md, escape_md_text, export
from casebook.model.format.text import both, pick
from casebook.model.load.library import load_library
from casebook.state.notes import Store, export_markdown

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "cases"
GOLDEN = REPO / "tests" / "data" / "golden"
UPDATE = os.environ.get("CASEBOOK_UPDATE_GOLDEN") == "1"
BUNDLED = ["zhejiang-zhongcheng", "huayi-precision", "jingfeng-technology", "weimai-medical"]
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source"}


@pytest.fixture(scope="module")
def student():
    return load_library([CASES])


@pytest.fixture(scope="module")
def instructor():
    return load_library([CASES], edition="instructor")


class Page(HTMLParser):
    """Tags (with attributes), text outside <style> and <title>, and the title."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ends: list[str] = []
        self.chunks: list[str] = []
        self.title = ""
        self.style = ""
        self.doctype = ""
        self._open: list[str] = []
        self.feed(source)
        self.close()

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag) -> None:
        self.ends.append(tag)
        assert self._open and self._open[-1] == tag, f"</{tag}> closes {self._open[-1:]}"
        self._open.pop()

    def handle_data(self, data) -> None:
        where = self._open[-1] if self._open else ""
        if where == "title":
            self.title += data
        elif where == "style":
            self.style += data
        else:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        """All visible text, whitespace collapsed."""
        return " ".join("".join(self.chunks).split())

    def count(self, tag: str, cls: str | None = None) -> int:
        return sum(
            1
            for name, attrs in self.tags
            if name == tag and (cls is None or cls in (attrs.get("class") or "").split())
        )

    def with_class(self, cls: str) -> int:
        return sum(1 for _, attrs in self.tags if cls in (attrs.get("class") or "").split())


def flat(text: str) -> str:
    return " ".join(text.split())


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.exists(), f"no golden file {name}; write it with CASEBOOK_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs; if intended, rerun with CASEBOOK_UPDATE_GOLDEN=1"


def instructor_texts(case) -> list[tuple[str, str]]:
    """Every instructor-only text of a case as (language, text)."""
    texts = []
    notes = case.teaching_notes
    fields = [case.epilogue]
    if notes is not None:
        for segment in notes.segments:
            fields += [segment.title, segment.notes]
        fields += notes.board_plan + notes.key_points
    for field in fields:
        if field is None:
            continue
        for lang in ("en", "zh"):
            texts.append((lang, pick(field, lang)))
    return texts


# -- golden handouts -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "both"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_huayi_handout_matches_golden(student, fmt, lang) -> None:
    out = export(student, ["huayi-precision"], fmt, lang)
    check_golden(f"huayi-precision.{lang}.{fmt}", out)


def test_huayi_instructor_handout_matches_golden(instructor) -> None:
    out = export(instructor, ["huayi-precision"], "md", "en")
    check_golden("huayi-precision.instructor.en.md", out)


@pytest.mark.parametrize("lang", ["en", "both"])
def test_html_handout_is_one_self_contained_print_ready_page(student, lang) -> None:
    source = export(student, ["huayi-precision"], "html", lang)
    page = Page(source)
    assert source.startswith("<!doctype html>")
    assert page.doctype.lower() == "doctype html"
    assert page.count("html") == 1 and page.count("head") == 1 and page.count("body") == 1
    assert page.tags[0] == ("html", {"lang": "en"})
    assert ("meta", {"charset": "utf-8"}) in page.tags
    assert page.count("title") == 1 and "Huayi Precision" in page.title
    # Self-contained: no scripts, no external assets; no links out (the bundled cases
    # record no source's address: see test_passage_links_in_html for those).
    for tag in ("script", "link", "img", "iframe", "object", "embed", "base", "a"):
        assert page.count(tag) == 0, tag
    for _, attrs in page.tags:
        assert "src" not in attrs and "style" not in attrs
        assert not any(name.startswith("on") for name in attrs)
        assert not (attrs.get("href") or "").startswith("http")
    assert "src=" not in source and 'href="http' not in source and "@import" not in source
    assert "url(" not in page.style and "@font-face" not in page.style
    # Print-ready.
    assert page.count("style") == 1
    for rule in ("@media print", "break-before: page", "page-break-before: always"):
        assert rule in page.style
    assert "break-inside: avoid" in page.style and "PingFang SC" in page.style
    # The metrics table: one row per metric, labels in the first column.
    case = student.cases["huayi-precision"]
    assert page.count("table", "metrics") == 1
    metrics_table = source.split('<table class="metrics">', 1)[1].split("</table>", 1)[0]
    rows = Page(f"<table>{metrics_table}</table>")
    assert rows.count("tr") == len(case.metrics) + 1  # the header row and one per metric
    for metric in case.metrics:
        assert pick(metric.label, "en") in rows.text
    assert "22 days → under 10 days" in page.text
    assert "under 10 days" in page.text and "<−54.5%" in page.text
    assert len(page.ends) == len([t for t, _ in page.tags if t not in VOID])
    if lang == "both":
        assert "时间线" in page.text and "10天以下" in page.text
        assert ("span", {"class": "alt", "lang": "zh-Hans"}) in page.tags


def test_every_pane_is_in_the_handout(student) -> None:
    case = student.cases["huayi-precision"]
    out = export(student, ["huayi-precision"], "md", "en")
    for heading in (
        "## Summary",
        "## Headline figures",
        "## Timeline",
        "## Metrics",
        "## Challenges",
        "## People",
        "## Sources",
        "## Learning objectives",
        "## Discussion questions",
    ):
        assert f"\n{heading}\n" in out
    assert "**Registered name:** 浙江华益精密机械有限公司" in out
    assert "**Location:** Zhuji, Zhejiang" in out
    assert "**Chapter:** Robots and connected machines: going digital" in out
    row = "| Production cycle, non-standard products | 22 days → under 10 days | <−54.5% |"
    assert row in out
    assert "### 1. A forging job that was hard to fill" in out
    assert "Wang Yajing, Chen Wenjing (correspondent). CCDI and NSC website, 2022." in out
    for question in case.discussion_questions:
        assert escape_md(pick(question, "en")) in out
    assert "For instructors" not in out


def test_fuzzy_dates_stay_fuzzy_and_ranges_read_as_ranges(student) -> None:
    out = export(student, ["zhejiang-zhongcheng"], "md", "both")
    assert "**late 1990s / 1990年代末**" in out
    assert "**2004–2008 / 2004–2008年**" in out
    html = Page(export(student, ["zhejiang-zhongcheng"], "html", "en")).text
    assert "late 1990s" in html and "2004–2008" in html


def test_chinese_handout(student) -> None:
    source = export(student, ["huayi-precision"], "html", "zh")
    page = Page(source)
    assert page.tags[0] == ("html", {"lang": "zh-Hans"})
    assert "华益精密" in page.title
    assert "时间线" in page.text and "Timeline" not in page.text
    assert "22天 → 10天以下" in page.text
    md = export(student, ["huayi-precision"], "md", "zh")
    assert "**注册名称：** 浙江华益精密机械有限公司" in md


# -- students never see instructor text ------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("case_id", BUNDLED)
def test_student_handout_holds_no_instructor_text(student, instructor, case_id, fmt, lang):
    texts = instructor_texts(instructor.cases[case_id])
    assert texts, f"{case_id} has no teaching notes to check"
    shown = {"en": ["en"], "zh": ["zh"], "both": ["en", "zh"]}[lang]

    def rendered(out: str) -> str:
        return out if fmt == "md" else Page(out).text

    def form(text: str) -> str:
        return escape_md(text) if fmt == "md" else flat(text)

    for_students = rendered(export(student, [case_id], fmt, lang))
    for_instructors = rendered(export(instructor, [case_id], fmt, lang))
    assert "For instructors" not in for_students and "教师专用" not in for_students
    for text_lang, text in texts:
        assert form(text) not in for_students, f"student handout shows {text!r}"
        assert flat(text) not in for_students
        if text_lang in shown:
            assert form(text) in for_instructors, f"instructor handout lacks {text!r}"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_student_library_holding_notes_still_hides_them(instructor, fmt) -> None:
    # Belt and braces: even if a student-edition library somehow kept the notes.
    leaky = dataclasses.replace(instructor, edition="student")
    out = export(leaky, list(leaky.cases), fmt, "both")
    for case in leaky.cases.values():
        assert case.teaching_notes is not None
        for _, text in instructor_texts(case):
            assert escape_md(text) not in out and flat(text) not in flat(out)


def test_instructor_handout_marks_the_instructor_section(instructor) -> None:
    source = export(instructor, ["huayi-precision"], "html", "both")
    page = Page(source)
    assert page.count("section", "instructor") == 1
    assert "For instructors / 教师专用" in page.text
    assert "Class plan (70 min)" in page.text
    assert page.count("table", "segments") == 1
    instructor_part = source.split('<section class="instructor">', 1)[1]
    assert "Epilogue" in instructor_part and "Key points" in instructor_part
    assert "Board plan" in instructor_part


# -- case text is never markup ---------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "</table>",
    "| pipe |",
    "# heading",
    "[link](http://x)",
    "**bold**",
    "`code`",
    '" onmouseover="alert(2)',
    "[b]x[/b]",
    "&amp; &#60;",
    "- item",
    "1. first",
    "> quote",
    "<!-- comment -->",
    "www.example.com and https://example.com",
    "~~struck~~ $x$ _under_ a\\b",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")

    def text(n: int) -> dict[str, str]:
        return {"en": HOSTILE[n % len(HOSTILE)], "zh": HOSTILE[(n + 1) % len(HOSTILE)]}

    case = {
        "id": "hostile",
        "company": {"name": text(0), "legal_name": text(3), "former_names": [text(5)]},
        "location": {"province": text(1), "city": text(2)},
        "industry": text(4),
        "recognitions": [{"name": text(6), "source": "article"}],
        "hook": text(7),
        "summary": {"en": "\n\n".join(HOSTILE), "zh": "\n".join(HOSTILE)},
        "timeline": [{"date": 2017, "title": text(8), "detail": text(9), "source": "article"}],
        "metrics": [
            {
                "id": "m",
                "label": text(10),
                "before": 22,
                "after": {"value": 10, "qualifier": "under", "wording": text(11)},
                "unit": text(12),
                "period": text(13),
                "note": text(14),
                "headline": True,
                "source": "article",
            }
        ],
        "challenges": [
            {
                "title": text(15),
                "problem": text(0),
                "solutions": [text(1), text(2)],
                "outcome": text(3),
                "metrics": ["m"],
            }
        ],
        "people": [{"name": text(4), "role": text(5), "said": [text(6)], "source": "article"}],
        "sources": [{"id": "article", "outlet": text(7), "authors": [text(8)], "title": text(9)}],
        "learning_objectives": [text(n) for n in range(len(HOSTILE))],
        "discussion_questions": [text(n) for n in range(len(HOSTILE))],
        "teaching_notes": {
            "segments": [{"title": text(10), "minutes": 5, "notes": text(11)}],
            "board_plan": [text(12)],
            "key_points": [text(13)],
        },
        "epilogue": text(14),
    }
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    library = load_library([path], edition="instructor")
    assert library.diagnostics == [], [str(d) for d in library.diagnostics]
    return library


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_hostile_text_is_literal_text_in_html(hostile, lang) -> None:
    source = export(hostile, ["hostile"], "html", lang)
    page = Page(source)
    assert page.count("script") == 0 and page.count("a") == 0
    assert page.count("table") == len([t for t in page.ends if t == "table"])
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)
    for text in HOSTILE:
        assert flat(text) in page.text
    assert "<script>" not in source and "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    # Quotes are escaped too (&#34; is markupsafe's spelling of &quot;): no attribute breaks.
    assert '" onmouseover="' not in source and "&#34; onmouseover=&#34;" in source
    assert "[b]x[/b]" in page.text and "<!-- comment -->" in page.text


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_hostile_text_is_escaped_in_markdown(hostile, lang) -> None:
    out = export(hostile, ["hostile"], "md", lang)
    assert not re.search(r"(?<!\\)<(script|/table|!--)", out)
    assert not re.search(r"(?<!\\)\[link", out)
    for line in out.splitlines():
        assert not re.match(r"\s*#+ heading", line), line
        assert not re.match(r"\s*(> quote|- item|1\. first)", line), line
        assert not line.startswith("<")
    # Every table row keeps its column count: a case's pipe never splits a cell.
    tables = [b.splitlines() for b in out.split("\n\n") if b.startswith("| ")]
    assert len(tables) == 2  # the metrics and the class plan
    for table in tables:
        cells = {re.sub(r"\\.", "", line).count("|") for line in table}
        assert cells == {table[0].count("|")}, table


@pytest.mark.parametrize("lang", ["en", "both"])
def test_hostile_markdown_renders_as_the_literal_text(hostile, lang) -> None:
    # markdown-it-py with linkify comes with textual (markdown-it-py[linkify]).
    md = markdown_it.MarkdownIt("commonmark", {"linkify": True})
    md.enable(["table", "strikethrough", "linkify"])
    source = md.render(export(hostile, ["hostile"], "md", lang))
    page = Page(f"<div>{source}</div>")
    for tag in ("script", "a", "code", "img", "s", "blockquote", "hr"):
        assert page.count(tag) == 0, tag
    # Headings and lists come only from the handout's own structure.
    assert page.count("h1") == 1 and page.count("table") == 2
    for text in HOSTILE:
        assert flat(text) in page.text, text
    for name, _ in page.tags:
        assert name in {"div", "h1", "h2", "h3", "p", "em", "strong", "ul", "ol", "li", "br"} | {
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
        }, name


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words", "plain words"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("2) not a list", "2\\) not a list"),
        ("- no", "\\- no"),
        ("+ no", "\\+ no"),
        ("> no", "\\> no"),
        ("=== no", "\\=== no"),
        ("---", "\\---"),
        ("12.5% and 2017. -5% +3", "12.5% and 2017. -5% +3"),
        ("a | b", "a \\| b"),
        ("*a* _b_ `c` ~d~ [e](f)", "\\*a\\* \\_b\\_ \\`c\\` \\~d\\~ \\[e\\](f)"),
        ("<b> <!-- x --> < 10 a > b", "\\<b> \\<!-- x --> < 10 a > b"),
        ("&amp; &#60; R&D", "\\&amp; &\\#60; R&D"),
        ("see http://x.org or www.x.org", "see http\\://x.org or www\\.x.org"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines\n\n  and\ttabs ", "two lines and tabs"),
        ("bell\x07 and \u202eRLO", "bell and RLO"),
    ],
)
def test_escape_md(text, escaped) -> None:
    assert escape_md(text) == escaped


# -- the whole casebook ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_all_cases_start_with_the_collection(student, fmt) -> None:
    collection = student.collection
    out = export(student, list(student.cases), fmt, "en")
    intro = flat(pick(collection.introduction, "en"))
    first_case = pick(student.cases[BUNDLED[0]].company.name, "en")
    if fmt == "md":
        title = escape_md(pick(collection.title, "en"))
        assert out.startswith(f"[//]: # (generated by casebook)\n\n# {title}\n")
        assert escape_md(intro) in out
        assert out.index(escape_md(intro)) < out.index(f"# {first_case}")
        assert out.count("\n---\n") == len(student.cases)
        assert "## Context" in out and "## Chapters" in out
    else:
        page = Page(out)
        assert page.title == pick(collection.title, "en")
        assert page.text.index(intro) < page.text.index(first_case)
        assert page.count("section", "collection") == 1
        assert page.count("article", "case") == len(student.cases)
        # Every case starts a new printed page.
        assert page.count("article", "new-page") == len(student.cases)
        assert page.with_class("new-page") == len(student.cases)
        for region in collection.context:
            assert pick(region.name, "en") in page.text
        for chapter in collection.chapters:
            assert pick(chapter.title, "en") in page.text
        assert "8,997 firms" in page.text and "more than 40,000" in page.text


def test_some_cases_in_the_given_order_without_the_collection(student) -> None:
    out = export(student, ["weimai-medical", "huayi-precision"], "html", "en")
    page = Page(out)
    assert page.count("section", "collection") == 0
    assert page.text.index("Weimai") < page.text.index("Huayi Precision")
    assert page.with_class("new-page") == 1  # the second case starts a new page
    assert "Introduction" not in page.text


def test_unknown_case_names_the_known_ids(student) -> None:
    with pytest.raises(UnknownCase) as caught:
        export(student, ["huayi-precision", "nope"], "md")
    assert isinstance(caught.value, KeyError)
    assert caught.value.case_id == "nope"
    message = str(caught.value)
    assert "'nope'" in message
    for case_id in BUNDLED:
        assert case_id in message


def test_unknown_format_or_language_is_refused(student) -> None:
    with pytest.raises(ValueError, match="format"):
        export(student, ["huayi-precision"], "pdf")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="language"):
        export(student, ["huayi-precision"], "md", "fr")  # type: ignore[arg-type]


def test_export_is_deterministic(student) -> None:
    ids = list(student.cases)
    assert export(student, ids, "html", "both") == export(student, ids, "html", "both")


def test_the_model_does_not_import_textual_nor_jinja2_until_html_is_asked() -> None:
    # Markdown handouts and exported notes need no template engine (jinja2 takes
    # about 0.1 s to import); the first HTML handout imports it.
    code = (
        "import pathlib, sys, casebook.model.export as e, casebook.state.notes;"
        "print('textual' in sys.modules, 'jinja2' in sys.modules);"
        "from casebook.model.load.library import load_library;"
        "e.export(load_library([pathlib.Path('cases')]), ['huayi-precision'], 'html');"
        "print('jinja2' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.split() == ["False", "False", "True"]


def test_the_template_and_style_sheet_are_package_files() -> None:
    # The wheel ships what the package holds: the page must come from package data.
    templates = resources.files("casebook.model.export") / "templates"
    for name in ("handout.html.j2", "blocks.html.j2", "handout.css"):
        assert (templates / name).is_file(), name
    assert (
        templates.joinpath("handout.html.j2").read_text(encoding="utf-8").startswith(GENERATED_HTML)
    )


def test_the_style_sheet_is_inlined_as_written(student) -> None:
    css = (resources.files("casebook.model.export") / "templates" / "handout.css").read_text(
        encoding="utf-8"
    )
    source = export(student, ["huayi-precision"], "html", "en")
    assert f"<style>\n{css}</style>\n" in source  # not escaped: "Segoe UI" keeps its quotes


# -- one Markdown escaper, for handouts and notes -----------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_notes_and_handouts_escape_a_line_alike(text) -> None:
    assert "\n" not in text
    assert escape_md_text(text) == escape_md(text)


def test_escape_md_text_keeps_lines_paragraphs_and_indentation() -> None:
    text = "  # one\r\n<b>two</b>\n\n\n\tthree \x07"
    assert (
        escape_md_text(text)
        == "\u00a0\u00a0\\# one\\\n\\<b>two\\</b>\n\n\n\u00a0\u00a0\u00a0\u00a0three"
    )


@pytest.mark.parametrize(("lang", "heading"), [("en", "### Challenges"), ("zh", "### 挑战")])
def test_exported_notes_head_panes_by_their_names(tmp_path, lang, heading) -> None:
    store = Store.open(tmp_path)
    store.set_note("acme", "challenges", "*mine*")
    store.set_note("acme", "odd|pane", "x")
    out = export_markdown(store, {"acme": "Acme"}, lang=lang)
    assert f"\n{heading}\n\n\\*mine\\*\n" in out
    assert "\n### odd\\|pane\n" in out  # an unknown pane keeps its id, escaped


def test_both_languages_show_each_text_once_when_they_agree(student) -> None:
    out = export(student, ["huayi-precision"], "md", "both")
    # "12%" is the same in both languages, so it is not repeated.
    assert "**Drop in energy use per unit of product / 单位产品能耗降幅:** 12%\n" in out
    for text in both(student.cases["huayi-precision"].summary):
        assert escape_md(text) in out
