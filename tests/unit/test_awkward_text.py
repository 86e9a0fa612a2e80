"""Awkward but legitimate text loads exactly as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.model.load.loader import load_file

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def awkward():
    loaded = load_file(DATA / "awkward" / "markup-and-scripts.yaml")
    assert loaded.ok, loaded.diagnostics
    return loaded.document


def test_console_markup_is_plain_text(awkward) -> None:
    assert awkward.company.name.en == "[b]Bold[/b] & Co"
    assert awkward.hook == "[@click=app.quit]x[/]"
    assert awkward.industry == ("[link=https://example.com]link[/link] [red]red[/red] \\[escaped]")


def test_emoji_sequences_survive_whole(awkward) -> None:
    en = awkward.summary.en
    assert "🏭🤖" in en
    assert "👩\u200d🔬" in en  # a ZWJ sequence
    assert "🇨🇳" in en  # a flag: two regional indicators
    assert "👍🏽" in en  # a skin-tone modifier
    assert "${HOME} %s {0}" in en  # no interpolation of any kind


def test_cjk_and_full_width_punctuation(awkward) -> None:
    assert awkward.company.name.zh == "全角（标点）公司"
    assert awkward.summary.zh == "华益精密，“引进”红冲机器人：效率提升！？——全角\u3000空格～"
    assert awkward.learning_objectives[3] == "𠀀𪚥 (astral CJK) and ｆｕｌｌｗｉｄｔｈ"


def test_tabs_and_html_like_text(awkward) -> None:
    assert awkward.learning_objectives[0] == "tab\tinside"
    assert awkward.learning_objectives[1] == "literal\ttab inside plain text"
    assert awkward.learning_objectives[2] == "<script>alert(1)</script> & &amp; \\\\ backslash"


@pytest.mark.parametrize("length", [20_000, 200_000])
def test_very_long_lines(load_text, length: int) -> None:
    text = ("长" + "a" * 9) * (length // 10)
    loaded = load_text(f"id: long\ncompany: {{name: Long Co}}\nsummary: {text}\n")
    assert loaded.ok, loaded.diagnostics
    assert loaded.document.summary == text


def test_long_line_error_column_is_exact(load_text) -> None:
    loaded = load_text("id: long\ncompany: {name: L}\nsummary: " + "x" * 20_000 + " y: z\n")
    assert [(d.line, d.col) for d in loaded.diagnostics] == [(3, 20_000 + len("summary: ") + 3)]
    assert "mapping values are not allowed" in loaded.diagnostics[0].message


def test_bom_and_crlf_together_keep_multiline_text() -> None:
    loaded = load_file(DATA / "valid" / "bom-crlf.yaml")
    assert loaded.ok, loaded.diagnostics
    assert loaded.document.id == "bom-crlf"  # no BOM glued to the first key
    assert "\r" not in loaded.document.summary


def test_bom_crlf_and_cjk_in_every_line(load_text) -> None:
    content = "\ufeffid: cjk\r\ncompany: {name: 华益精密}\r\nsummary: |\r\n  第一行\r\n  第二行\r\n"
    loaded = load_text(content.encode("utf-8"))
    assert loaded.ok, loaded.diagnostics
    assert loaded.document.summary == "第一行\n第二行\n"


def test_errors_after_cjk_text_count_characters_not_bytes(load_text) -> None:
    loaded = load_text("id: cjk\ncompany: {name: C}\nsummary: 华益精密 x: y\n")
    # "summary: 华益精密 x" is 15 characters (but 23 bytes): the stray colon is column 16.
    assert [(d.line, d.col) for d in loaded.diagnostics] == [(3, 16)]
    assert loaded.document is None
