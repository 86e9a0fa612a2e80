"""Answers to discussion questions in the store, and the prep sheet export (notes and
answers under real pane and question titles, as Markdown or HTML, hostile text escaped)."""

from __future__ import annotations

import itertools
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from casebook import cli
from casebook.model.export.html import GENERATED_HTML
from casebook.state.notes import STORE_NAME, Store, export_html, export_markdown

HOSTILE = '<script>alert("x")</script> [b]bold[/b] # not a heading\n- nor a list'
TITLES = {"acme": "Acme <Corp> #1"}
QUESTIONS = {"acme": ["Why *now*?", "What next <b>?"]}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path)


def test_answers_round_trip_and_blank_deletes(store: Store, tmp_path: Path):
    store.set_answer("acme", 1, "because")
    store.set_answer("acme", 0, "first")
    assert Store.open(tmp_path).answers_for("acme") == {0: "first", 1: "because"}
    store.set_answer("acme", 0, "  ")
    assert Store.open(tmp_path).answers_for("acme") == {1: "because"}
    with pytest.raises(ValueError):
        store.set_answer("acme", -1, "x")


def test_an_answer_does_not_change_a_store_without_answers(store: Store, tmp_path: Path):
    store.set_note("acme", "overview", "n")
    assert "answers" not in json.loads((tmp_path / STORE_NAME).read_text())


def test_unknown_answer_fields_and_bad_answers_survive_a_rewrite(tmp_path: Path):
    good = {"case_id": "acme", "question": 0, "text": "a", "updated": 1.0, "ink": "blue"}
    bad = {"case_id": "acme", "question": "first", "text": "b", "updated": 1.0}
    doc = {"version": 1, "notes": [], "answers": [good, bad]}
    (tmp_path / STORE_NAME).write_text(json.dumps(doc))
    store = Store.open(tmp_path)
    assert store.answers_for("acme") == {0: "a"}
    assert store.warning is not None and "1" in store.warning  # one record skipped
    store.set_answer("acme", 1, "new")
    written = json.loads((tmp_path / STORE_NAME).read_text())["answers"]
    assert good in written and bad in written
    assert {"case_id": "acme", "question": 1, "text": "new"}.items() <= written[1].items()


def test_served_answers_live_in_memory_only(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(tmp_path))
    store = Store.in_memory()
    store.set_answer("acme", 0, "kept here")
    assert store.answers_for("acme") == {0: "kept here"}
    assert list(tmp_path.iterdir()) == []


def headings(markdown: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [
        (t.tag, "".join(c.content for c in n.children or []))
        for t, n in itertools.pairwise(tokens)
        if t.type == "heading_open"
    ]


def test_markdown_has_real_titles_and_escapes_hostile_text(store: Store):
    store.set_note("acme", "challenges", HOSTILE)
    store.set_answer("acme", 1, HOSTILE)
    out = export_markdown(store, TITLES, "en", QUESTIONS)
    assert headings(out) == [
        ("h1", "Casebook notes"),
        ("h2", "Acme <Corp> #1"),
        ("h3", "Challenges"),
        ("h3", "Discussion questions"),
        ("h4", "2. What next <b>?"),
    ]
    tokens = MarkdownIt("commonmark").parse(out)
    assert not [t for t in tokens if t.type in {"html_block", "bullet_list_open"}]
    inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
    assert not [c for c in inline if c.type in {"html_inline", "em_open", "strong_open"}]


def test_markdown_in_chinese(store: Store):
    store.set_note("acme", "challenges", "x")
    store.set_answer("acme", 0, "y")
    out = export_markdown(store, {"acme": "艾克美"}, "zh", {"acme": ["为什么？"]})
    wanted = ["案例笔记", "艾克美", "挑战", "讨论题", "1. 为什么？"]
    assert [text for _, text in headings(out)] == wanted


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.text.append(data)


def test_html_is_printable_and_escapes_hostile_text(store: Store):
    store.set_note("acme", "challenges", HOSTILE)
    store.set_answer("acme", 0, HOSTILE)
    page = export_html(store, TITLES, "en", {"acme": ["<img src=x onerror=alert(1)>"]})
    assert page.startswith(GENERATED_HTML)
    parsed = _Collect()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "b" not in parsed.tags
    assert parsed.tags.count("h4") == 1
    text = "".join(parsed.text)
    assert "&lt;script&gt;" in page
    assert HOSTILE in text and "1. <img src=x onerror=alert(1)>" in text
    assert "Acme <Corp> #1" in text and "Challenges" in text


def test_empty_exports_say_so(store: Store):
    assert "_No notes yet._" in export_markdown(store)
    assert "还没有笔记" in export_html(store, lang="zh")


def test_cli_notes_export_html_in_chinese(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(tmp_path / "data"))
    store = Store.open()
    store.set_note("huayi-precision", "challenges", HOSTILE)
    store.set_answer("huayi-precision", 0, "答案 <b>")
    out = tmp_path / "prep.html"
    assert cli.main(["notes", "export", "--format", "html", "--lang", "zh", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith(GENERATED_HTML)
    assert "<h3>挑战</h3>" in page and "<h3>讨论题</h3>" in page
    assert "华益精密" in page and "答案 &lt;b&gt;" in page
    assert cli.main(["notes", "export", "-o", str(out)]) == 0  # its own file: replaced
    assert cli.main(["notes", "export"]) == 0
    assert "### Challenges" in capsys.readouterr().out
