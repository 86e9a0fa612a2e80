"""The browser join page as rendered (no browser): nothing fetched from elsewhere, its
inline script and style allowed by its own policy, both languages, hostile text escaped."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import markupsafe
import pytest

from casebook.model.classroom import join_page
from casebook.model.classroom.slide_text import question_text, slide_text
from casebook.model.format.case import Case
from casebook.model.format.words import t
from casebook.model.load.loader import load_file
from casebook.model.views.slides import build_deck

NONCE = "n0nce-Abc_123"
HOSTILE = "<script>alert(1)</script> & \"q\" 'a' [bold]x[/] </title>{{ 7*7 }}"


def render(title: str = "Monday class", lang: str = "en") -> str:
    return join_page.render(
        code="A" * 16, title=title, lang=lang, nonce=NONCE, max_name=40, max_answer=2000
    )  # type: ignore[arg-type]


def words_of(page: str) -> dict[str, dict[str, str]]:
    block = re.search(r'<script type="application/json" id="words">(.*?)</script>', page, re.S)
    assert block
    return json.loads(block[1])


def script_of(page: str) -> str:
    code = re.search(rf'<script nonce="{NONCE}">(.*?)</script>', page, re.S)
    assert code
    return code[1]


def test_nothing_is_fetched_from_elsewhere() -> None:
    page = render()
    assert re.findall(r"(?:https?:)?//[A-Za-z0-9]", page) == []
    assert re.findall(r"@import|url\(", page) == []
    assert re.findall(r'\b(?:src|href)="([^"]*)"', page) == ["data:,"]  # the empty icon


def test_the_policy_allows_its_own_inline_script_and_style_only() -> None:
    page = render()
    tags = re.findall(r"<(script|style)\b([^>]*)>", page)
    assert [tag for tag, attributes in tags if f'nonce="{NONCE}"' in attributes] == [
        "style",
        "script",
    ]
    assert [attrs for tag, attrs in tags if "nonce" not in attrs] == [
        ' type="application/json" id="words"'  # data, never run
    ]
    assert " style=" not in page and " on" not in re.sub(
        r"<script.*?</script>", "", page, flags=re.S
    )
    policy = join_page.policy(NONCE, "127.0.0.1:8000")
    rules = dict(rule.strip().split(" ", 1) for rule in policy.split(";"))
    assert rules["script-src"] == rules["style-src"] == f"'nonce-{NONCE}'"
    assert rules["default-src"] == "'self'" and rules["frame-ancestors"] == "'none'"
    assert "127.0.0.1:8000" in rules["connect-src"] and "*" not in policy


def test_the_script_sets_text_never_html() -> None:
    script = script_of(render())
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert "textContent" in script


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_word_of_the_page_is_there_in_both_languages(lang: str) -> None:
    words = words_of(render(lang=lang))
    assert set(words) == {"en", "zh"}
    for each in ("en", "zh"):
        assert set(words[each]) == set(join_page.WORDS)
        assert all(text.strip() for text in words[each].values())
    assert words["en"]["join_switch"] == "中文" and words["zh"]["join_switch"] == "English"
    assert words["zh"]["join_title"] == "加入课堂"
    assert f'<html lang="{lang}">' in render(lang=lang)
    assert "</" not in json.dumps(words)  # the data block cannot close itself


def test_every_refusal_the_server_sends_can_be_said_in_the_page_language() -> None:
    server = Path(join_page.__file__).with_name("server.py").read_text(encoding="utf-8")
    sent = set(re.findall(r"\bt\(\s*\"(refused_\w+)\"", server))
    assert sent and sent <= set(join_page.REFUSALS)


def _reason(text: str, lang: str) -> list[str]:
    """The page's ``reason()``: which refusals a reason text in the class's language fits."""
    fits = []
    for key in join_page.REFUSALS:
        whole = t(key, lang)  # type: ignore[arg-type]
        before, number, after = whole.partition("{n}")
        if text.startswith(before) and text.endswith(after) if number else text == whole:
            fits.append(key)
    return fits


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_refusal_is_known_again_from_its_text(lang: str) -> None:
    for key in join_page.REFUSALS:
        assert _reason(t(key, lang, n=40), lang) == [key]  # type: ignore[arg-type]


def test_a_hostile_title_is_text() -> None:
    page = render(HOSTILE)
    assert "<script>alert" not in page and "</title>{{" not in page and "49" not in page
    assert page.count(str(markupsafe.escape(HOSTILE))) == 2  # the window's title, the heading
    assert "[bold]x[/]" in page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_for_no_class_says_so_in_both_languages(lang: str) -> None:
    page = join_page.not_found(lang)  # type: ignore[arg-type]
    assert f'<html lang="{lang}">' in page and "<script" not in page and "<style" not in page
    for each in ("en", "zh"):
        assert html.escape(t("join_no_class", each)) in page  # type: ignore[arg-type]


HOSTILE_CASE = """id: hostile
company: {name: "<b>Evil</b> Co"}
summary: "<img src=x onerror=alert(1)>"
timeline:
  - {date: 2019-03, title: "<script>alert(2)</script>"}
challenges:
  - title: "[red]Costs[/red] & <i>more</i>"
    problem: {en: "Costs rose <b>fast</b>.", zh: 成本<b>上升</b>。}
    solutions: [Cut waste]
discussion_questions:
  - {en: "Which? </script>", zh: 哪个？, choices: ["<b>Speed</b>", "[b]Price[/b]"]}
"""


def test_case_text_goes_to_the_page_as_it_is_written(tmp_path: Path) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_CASE, encoding="utf-8")
    loaded = load_file(path)
    assert loaded.ok, loaded.diagnostics
    case = loaded.document
    assert isinstance(case, Case)
    deck = build_deck(case, "student")
    texts = [slide_text(deck, number, 9) for number in range(1, len(deck.slides) + 1)]
    said = [line.en for text in texts for line in [text.title, *text.lines]]
    assert "[red]Costs[/red] & <i>more</i>" in said
    assert "Problem: Costs rose <b>fast</b>." in said
    assert any("<script>alert(2)</script>" in line for line in said)
    asked, choices = question_text(case, 1)
    assert asked.en == "Which? </script>" and [c.en for c in choices] == [
        "<b>Speed</b>",
        "[b]Price[/b]",
    ]
