"""The preferences file: the reader's language and theme, kept apart from their place."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from casebook.cli import _merge_after, _parser
from casebook.place_keeping import open_preferences
from casebook.state.places import PLACES_NAME, Places
from casebook.state.preferences import (
    PREFERENCES_LIMIT,
    PREFERENCES_NAME,
    Preferences,
    PreferencesFile,
)


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_preferences_are_written_then_read_back(directory):
    preferences = PreferencesFile.open(directory)
    assert preferences.last == Preferences() and preferences.warning is None
    assert not (directory / PREFERENCES_NAME).exists()  # nothing chosen: nothing written
    assert preferences.change(lang="zh")
    assert preferences.change(theme="nord")
    assert not preferences.change(theme="nord")  # unchanged: not written again
    path = directory / PREFERENCES_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = PreferencesFile.open(directory)
    assert again.last == Preferences(lang="zh", theme="nord") and again.warning is None


@pytest.mark.parametrize(
    "raw",
    [b"{", b"[1]", b'{"lang": "fr"}', b'{"theme": 3}', b"\xff\xfe", b" " * PREFERENCES_LIMIT],
)
def test_an_unreadable_file_gives_the_defaults_and_one_message(directory, raw):
    directory.mkdir()
    (directory / PREFERENCES_NAME).write_bytes(raw)
    preferences = PreferencesFile.open(directory)
    assert preferences.last == Preferences()
    assert preferences.warning and str(directory) in preferences.warning
    assert preferences.change(lang="zh")  # and the next change replaces it
    assert PreferencesFile.open(directory).last.lang == "zh"


def test_a_link_is_not_followed_nor_written_through(directory, tmp_path):
    directory.mkdir()
    target = tmp_path / "elsewhere.json"
    target.write_text(json.dumps({"lang": "zh"}))
    (directory / PREFERENCES_NAME).symlink_to(target)
    preferences = PreferencesFile.open(directory)
    assert preferences.last == Preferences() and preferences.warning
    assert not preferences.change(lang="en")  # refused: never written through a link
    assert json.loads(target.read_text()) == {"lang": "zh"}


def test_unknown_fields_are_kept(directory):
    directory.mkdir()
    path = directory / PREFERENCES_NAME
    path.write_text(json.dumps({"lang": "en", "font": {"size": 3}}))
    preferences = PreferencesFile.open(directory)
    assert preferences.last == Preferences(lang="en")
    assert preferences.change(lang="zh")
    assert json.loads(path.read_text()) == {"lang": "zh", "theme": None, "font": {"size": 3}}


def test_a_folder_in_the_way_is_said_and_never_raises(directory):
    (directory / PREFERENCES_NAME).mkdir(parents=True)
    preferences = PreferencesFile.open(directory)
    assert preferences.warning
    assert not preferences.change(lang="zh")


def test_the_language_and_theme_of_an_older_places_file_seed_the_preferences_once(directory):
    directory.mkdir()
    (directory / PLACES_NAME).write_text(
        json.dumps({"entry": "acme", "pane": "people", "lang": "zh", "theme": "nord"})
    )
    preferences = open_preferences(directory, Places.open(directory))
    assert preferences.last == Preferences(lang="zh", theme="nord")
    assert json.loads((directory / PREFERENCES_NAME).read_text())["lang"] == "zh"
    preferences.change(lang="en")
    again = open_preferences(directory, Places.open(directory))  # seeded once, not again
    assert again.last == Preferences(lang="en", theme="nord")


def test_nothing_to_seed_writes_nothing(directory):
    directory.mkdir()
    (directory / PLACES_NAME).write_text(json.dumps({"entry": "acme"}))
    assert open_preferences(directory, Places.open(directory)).last == Preferences()
    assert not (directory / PREFERENCES_NAME).exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["--lang", "zh"],
        ["--lang=zh", "--fresh"],
        ["present", "acme", "--lang", "zh"],
        ["--lang", "zh", "present", "acme"],
        ["validate", "--lang", "zh"],
    ],
)
def test_lang_is_a_global_option_before_or_after_the_command(argv):
    args = _merge_after(_parser(argv).parse_args(argv))
    assert args.ui_lang == "zh"


def test_lang_keeps_its_own_meaning_in_export():
    argv = ["--lang", "zh", "export", "--all", "--lang", "both"]
    args = _merge_after(_parser(argv).parse_args(argv))
    assert (args.ui_lang, args.lang) == ("zh", "both")
    assert _merge_after(_parser([]).parse_args([])).ui_lang is None


def test_no_file_is_read_or_made_where_there_is_no_folder(tmp_path):
    missing = tmp_path / "no" / "such"
    preferences = PreferencesFile.open(missing)
    assert preferences.last == Preferences() and preferences.warning is None
    assert not missing.exists()
