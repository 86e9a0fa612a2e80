"""The places file: where the reader left off, read once, written at most once a second."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casebook.state.places import PLACES_LIMIT, PLACES_NAME, Place, Places


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_a_place_is_written_then_read_back(directory):
    place = Place(entry="acme", pane="people", scroll=7.0, lang="zh", theme="nord")
    places = Places.open(directory)
    assert places.last == Place() and places.warning is None
    assert places.remember(place)
    again = Places.open(directory)
    assert again.last == place and again.warning is None


def test_at_most_one_write_a_second_and_the_rest_on_flush(directory):
    clock = Clock()
    places = Places.open(directory, clock=clock)
    assert places.remember(Place(entry="a"))
    assert not places.remember(Place(entry="b"))  # too soon: kept for later
    assert json.loads((directory / PLACES_NAME).read_text())["entry"] == "a"
    assert places.pending
    clock.now += 1
    assert places.remember(Place(entry="c"))
    assert not places.remember(Place(entry="c"))  # unchanged: nothing to write
    clock.now += 0.1
    places.remember(Place(entry="d"))
    assert places.flush()  # on exit
    assert Places.open(directory).last.entry == "d"


@pytest.mark.parametrize(
    "raw",
    [b"{", b"[1, 2]", b'{"scroll": "far"}', b"\xff\xfe", b'{"entry": 3}'],
)
def test_an_unreadable_file_starts_afresh_and_is_replaced(directory, raw):
    directory.mkdir()
    (directory / PLACES_NAME).write_bytes(raw)
    places = Places.open(directory)
    assert places.last == Place()
    assert places.warning
    assert places.remember(Place(entry="acme"))
    assert Places.open(directory).last.entry == "acme"


def test_a_file_too_large_or_not_a_file_is_not_read(directory):
    directory.mkdir()
    (directory / PLACES_NAME).write_bytes(b" " * (PLACES_LIMIT + 1) + b"{}")
    assert Places.open(directory).warning
    (directory / PLACES_NAME).unlink()
    (directory / PLACES_NAME).mkdir()
    places = Places.open(directory)
    assert places.warning and places.last == Place()
    assert not places.remember(Place(entry="acme"))  # cannot write over a folder: no raise


def test_unknown_fields_are_written_back(directory):
    directory.mkdir()
    (directory / PLACES_NAME).write_text(json.dumps({"entry": "a", "future": [1]}))
    places = Places.open(directory)
    places.remember(Place(entry="b"))
    assert json.loads((directory / PLACES_NAME).read_text())["future"] == [1]
