"""One copy of each idea (issue #13): each name, number and word is defined in one place
and imported everywhere else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import casebook
from casebook.actions import APP_ACTIONS, EXPLORER_ACTIONS, PRESENT_ACTIONS
from casebook.model.format import addresses
from casebook.model.format.addresses import CASE_SUFFIXES, INTRO_ID, PANES
from casebook.model.format.text import LANGS
from casebook.model.format.words import _WORDS, t

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "src" / "casebook"
HOME = Path(addresses.__file__).resolve()


def sources() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("the intro id", re.escape(repr(INTRO_ID)[1:-1])),
        ("the pane names", r"""["']overview["'],\s*["']timeline["'],\s*["']metrics["']"""),
        ("the case file suffixes", r"""\(\s*["']\.yaml["'],\s*["']\.yml["']\s*\)"""),
        ("the item path type", r"tuple\[str \| int, \.\.\.\]"),
    ],
)
def test_defined_once_in_the_model(what: str, pattern: str) -> None:
    found = [
        f"{path.relative_to(REPO)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in sources()
        for text in [path.read_text(encoding="utf-8")]
        for match in re.finditer(pattern, text)
    ]
    assert found == [f"{HOME.relative_to(REPO)}:{_line_of(pattern)}"], what


def _line_of(pattern: str) -> int:
    text = HOME.read_text(encoding="utf-8")
    match = re.search(pattern, text)
    assert match is not None
    return text[: match.start()].count("\n") + 1


def test_the_addresses_hold_together() -> None:
    assert len(set(PANES)) == len(PANES) == 6
    assert all(suffix.startswith(".") for suffix in CASE_SUFFIXES)
    assert not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", INTRO_ID)  # never a case id


@pytest.mark.parametrize("lang", LANGS)
def test_every_pane_has_its_names_in_both_languages(lang: str) -> None:
    for pane in PANES:
        assert t(pane, lang) and t(f"{pane}_short", lang)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", LANGS)
def test_every_action_says_what_it_does_in_words(lang: str) -> None:
    for action in (*APP_ACTIONS, *EXPLORER_ACTIONS, *PRESENT_ACTIONS):
        for key in (action.label, action.about, action.footer_label, action.palette_label):
            assert key is None or key in _WORDS, (action.action, key)
        assert action.help(lang)  # type: ignore[arg-type]
    helps = [a.help(lang) for a in PRESENT_ACTIONS]  # type: ignore[arg-type]
    assert len(set(helps)) == len(helps)


def test_every_word_is_in_both_languages() -> None:
    for key, (en, zh) in _WORDS.items():
        assert en.strip() and zh.strip(), key


def test_the_screens_say_nothing_in_english_only() -> None:
    """No "English if lang is en else Chinese" choices outside the words."""
    either = re.compile(
        r"""["'](?!(?:en|zh)["'])[^"']*["']\s+if\s+(?:self\.)?lang\s*==\s*["']en["']\s+else"""
    )
    found = [
        str(path.relative_to(REPO))
        for folder in ("screens", "widgets")
        for path in sorted((SOURCE / folder).rglob("*.py"))
        if either.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_one_version_number() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    project = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    assert not re.search(r"^version\s*=", project, re.MULTILINE)
    assert re.search(r'^dynamic\s*=\s*\["version"\]', project, re.MULTILINE)
    hatch = pyproject.split("[tool.hatch.version]", 1)[1].split("\n[", 1)[0]
    assert re.search(r'^path\s*=\s*"src/casebook/__init__.py"', hatch, re.MULTILINE)
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", casebook.__version__)
