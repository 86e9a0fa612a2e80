"""Where a presentation stands: the clock, the file per case, bad files, memory only."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec
import pytest

from casebook.model.load.library import load_library
from casebook.model.views.slides import build_deck
from casebook.state.presentations import (
    FOLDER,
    RESUME_GAP,
    Presentations,
    Standing,
    decode,
    file_name,
    fresh,
)

CASES = Path(__file__).resolve().parents[2] / "cases"
T0 = 1_700_000_000.0


def test_the_clock_counts_pauses_restarts_and_resets() -> None:
    clock = fresh(T0)
    assert clock.running and clock.elapsed(T0 + 90) == 90
    paused = clock.paused(T0 + 90)
    assert not paused.running and paused.elapsed(T0 + 5000) == 90
    again = paused.started(T0 + 5000)
    assert again.elapsed(T0 + 5030) == 120
    assert again.reset(T0 + 5030).elapsed(T0 + 5040) == 10  # running from 0:00
    assert paused.reset(T0 + 6000).elapsed(T0 + 7000) == 0  # paused at 0:00
    assert clock.elapsed(T0 - 100) == 0  # a clock put back never counts below zero


def test_a_running_clock_counts_the_time_away_unless_the_class_is_long_over() -> None:
    saved = msgspec.structs.replace(fresh(T0), counted=60.0, saved=T0 + 600)
    soon, stopped = saved.resumed(T0 + 900)
    assert not stopped and soon.elapsed(T0 + 900) == 960
    later, stopped = saved.resumed(T0 + 600 + RESUME_GAP + 1)
    assert stopped and not later.running
    assert later.elapsed(T0 + 10 * RESUME_GAP) == 660  # what it showed when last saved
    paused = saved.paused(T0 + 600)
    assert paused.resumed(T0 + 10 * RESUME_GAP) == (paused, False)


def test_standings_round_trip_per_case(tmp_path: Path) -> None:
    store = Presentations.open(tmp_path)
    standing = Standing(slide=5, step=2, counted=61.5, minutes=90, timer_visible=False, saved=T0)
    store.save("huayi-precision", standing)
    assert (tmp_path / FOLDER / "huayi-precision.json").is_file()
    assert Presentations.open(tmp_path).load("huayi-precision").standing == standing
    assert Presentations.open(tmp_path).load("weimai-medical").standing is None
    assert Presentations.open(tmp_path).load("weimai-medical").problem is None
    if hasattr(os, "getuid"):
        assert (tmp_path / FOLDER / "huayi-precision.json").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b'{"slide": 0}',
        b'{"slide": "5"}',
        b'{"counted": 1e308}',
        b'{"since": -1}',
        b'{"minutes": 100000}',
        b"[1, 2]",
        b"\xff\xfe",
        b"[" * 100_000,
    ],
    ids=repr,
)
def test_a_bad_file_is_a_reason_never_an_exception(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir()
    (folder / "huayi-precision.json").write_bytes(content)
    loaded = Presentations.open(tmp_path).load("huayi-precision")
    assert loaded.standing is None and loaded.problem
    with pytest.raises(ValueError):
        decode(content)


def test_a_link_or_a_folder_in_its_place_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir()
    secret = tmp_path / "secret.json"
    secret.write_bytes(msgspec.json.encode(Standing(slide=3)))
    (folder / "huayi-precision.json").symlink_to(secret)
    (folder / "weimai-medical.json").mkdir()
    store = Presentations.open(tmp_path)
    for case_id in ("huayi-precision", "weimai-medical"):
        loaded = store.load(case_id)
        assert loaded.standing is None and loaded.problem
        with pytest.raises(OSError):
            store.save(case_id, Standing())
    assert decode(secret.read_bytes()) == Standing(slide=3)  # never written through


def test_newer_fields_are_ignored() -> None:
    assert decode(b'{"slide": 2, "board": {"a": 1}}') == Standing(slide=2)


def test_file_names_are_never_paths() -> None:
    assert file_name("huayi-precision") == "huayi-precision.json"
    for odd in ("../../etc/passwd", "a/b", "x" * 300, "Upper", "", "é"):
        name = file_name(odd)
        assert "/" not in name and name.startswith("case-") and len(name) < 100


def test_in_memory_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = Presentations.in_memory()
    store.save("huayi-precision", Standing(slide=4))
    assert store.load("huayi-precision").standing == Standing(slide=4)
    assert list(tmp_path.iterdir()) == []


def test_a_saved_place_stays_valid_in_a_changed_deck() -> None:
    deck = build_deck(load_library([CASES]).cases["huayi-precision"])
    last = len(deck.slides)
    assert deck.position_of(1, 1) == 0
    assert deck.position_of(last + 10, 99) == len(deck.positions) - 1  # clamped
    for position in range(len(deck.positions)):
        step, steps = deck.step_at(position)
        assert 1 <= step <= steps
        assert deck.position_of(deck.slide_number(position), step) == position


def test_the_plan_scales_to_the_class_length() -> None:
    deck = build_deck(load_library([CASES], "instructor").cases["huayi-precision"])
    plan = deck.plan_minutes
    assert plan == 70
    end = len(deck.positions) - 1
    assert deck.planned_minutes(end) == plan
    assert deck.planned_minutes(end, 90) == 90
    assert deck.scaled(14, 90) == 18
    assert deck.scaled(14, None) == 14
    assert not deck.has_slide(0) and not deck.has_slide(len(deck.slides) + 1)
