"""Where items come from, as the model tells the app (``model.views.origins``), what
search finds of it, and how the source texts reach the app from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from casebook import cli
from casebook.model.format.case import Passage, citation
from casebook.model.load import provenance
from casebook.model.load.library import load_library
from casebook.model.load.provenance import Sources, Span
from casebook.model.views.origins import SHOWN_MAX, Origins, shown_words
from casebook.model.views.search import SearchIndex

DATA = Path(__file__).resolve().parents[1] / "data" / "passages"
CASES = DATA / "cases"
REPORT = DATA / "sources" / "report.txt"
PAGE = "https://example.org/news/mill-report?id=7#top"


@pytest.fixture(scope="module")
def library():
    return load_library([CASES])


@pytest.fixture
def mill(library):
    return library.cases["river-mill"]


def texts(**files: Path) -> Sources:
    return Sources.from_options([f"{key}={path}" for key, path in files.items()], environ={})


def test_an_item_with_a_passage_has_its_source_address_and_words(mill) -> None:
    origins = Origins(mill, texts(report=REPORT))
    metric = mill.metrics[0]
    origin = origins.of(metric.source, metric.passage)
    assert origin is not None
    assert origin.source is mill.sources[0] and origin.passage is metric.passage
    assert origin.address == f"{PAGE}:~:text=Output%20per%20worker,to%2030%20tonnes"
    assert origin.words == "Output per worker rose, year-on-year, from 12 tonnes to 30 tonnes"


def test_without_the_text_the_words_are_left_out(mill) -> None:
    metric = mill.metrics[0]
    for origins in (Origins(mill), Origins(mill, texts())):
        origin = origins.of(metric.source, metric.passage)
        assert origin is not None and origin.words is None and origin.address is not None


def test_no_passage_or_no_source_no_origin(mill) -> None:
    origins = Origins(mill, texts(report=REPORT))
    staff = mill.metrics[2]
    assert staff.passage is None and origins.of(staff.source, staff.passage) is None
    assert origins.of(None, Passage(start="x")) is None
    assert origins.of("nowhere", Passage(start="x")) is None
    assert origins.said("report", "a plain saying") is None
    person = mill.people[0]
    said = origins.said(person.source, person.said[0])
    assert said is not None and said.words is not None and said.words.startswith("We had")


def test_a_source_without_an_address_has_no_link(mill) -> None:
    looms = mill.metrics[3]
    origin = Origins(mill, texts(report=REPORT)).of(looms.source, looms.passage)
    assert origin is not None and origin.address is None and origin.words is None


def test_a_passage_not_found_or_an_unreadable_text_shows_no_words(mill, tmp_path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("nothing of the report here\n", encoding="utf-8")
    metric = mill.metrics[0]
    origin = Origins(mill, texts(report=other)).of(metric.source, metric.passage)
    assert origin is not None and origin.words is None
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe not utf-8 \x80")
    origins = Origins(mill, texts(report=broken))
    for _ in range(2):  # tried once, then left alone
        origin = origins.of(metric.source, metric.passage)
        assert origin is not None and origin.words is None
    assert origins._unreadable == {"report"}


def test_shown_words_are_one_line_without_spaces_inside_chinese() -> None:
    text = "a\n  b\tc\n\n中文\n文本 and\n中"
    assert shown_words(text, Span(0, len(text))) == "a b c 中文文本 and 中"
    long = "字" * (SHOWN_MAX + 50)
    shown = shown_words(long, Span(0, len(long)))
    assert len(shown) == SHOWN_MAX and shown.endswith("…")


# -- search ------------------------------------------------------------------------------


def test_search_finds_the_outlet_where_the_panes_show_it(library) -> None:
    index = SearchIndex.build(library)
    mill = library.cases["river-mill"]
    for lang in ("en", "zh"):
        hits = index.search(citation(mill.sources[0], lang))
        assert [(h.entry_id, h.pane, h.item) for h in hits] == [
            ("river-mill", "timeline", ("timeline", 0)),  # the first event from it
            ("river-mill", "metrics", ("metrics", "sources")),  # where the figures come from
            ("river-mill", "people", ("sources", 0)),  # the sources
        ]
    # The notes have a passage for a figure only: the metrics and people panes show them.
    hits = index.search(citation(mill.sources[1], "en"))
    assert [h.pane for h in hits] == ["metrics", "people"]
    # The address, as the people pane shows it.
    assert [(h.pane, h.item) for h in index.search("example.org/news")] == [
        ("people", ("sources", 0))
    ]


def test_search_never_indexes_the_sources_words(library) -> None:
    index = SearchIndex.build(library)
    for words in ("year-on-year", "best money", "创下建厂", "brothers & a cousin"):
        assert index.search(words) == [], words


# -- the command line --------------------------------------------------------------------


class Opened:
    """A stand-in for ``make_app``: what the app would have been given."""

    def __init__(self) -> None:
        self.options: dict = {}

    def __call__(self, *args, **options):
        self.options = options
        return self

    def run(self) -> None:
        pass


@pytest.fixture
def opened(monkeypatch) -> Opened:
    import casebook.app

    fake = Opened()
    monkeypatch.setattr(casebook.app, "make_app", fake)
    return fake


def test_the_app_gets_the_source_texts_named(opened, monkeypatch, tmp_path) -> None:
    assert cli.main(["--cases", str(CASES), "--no-watch", "--source", f"report={REPORT}"]) == 0
    sources = opened.options["sources"]
    assert sources.files == {"report": REPORT} and sources.folder is None
    monkeypatch.setenv("CASEBOOK_SOURCES", str(tmp_path))
    assert cli.main(["--cases", str(CASES), "--no-watch", "present", "river-mill"]) == 0
    assert opened.options["sources"].folder == tmp_path
    assert opened.options["present"] == "river-mill"


def test_without_source_texts_the_app_gets_none(opened) -> None:
    assert cli.main(["--cases", str(CASES), "--no-watch"]) == 0
    assert opened.options["sources"] is None


def test_a_bad_source_is_a_usage_error(opened, capsys, tmp_path) -> None:
    argv = ["--cases", str(CASES), "--no-watch", "--source"]
    assert cli.main([*argv, "report"]) == 2
    assert "give ID=PATH" in capsys.readouterr().err
    assert cli.main([*argv, f"report={tmp_path / 'missing.txt'}"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert opened.options == {}


def test_a_served_session_gets_no_source_texts(opened, monkeypatch) -> None:
    monkeypatch.setenv("CASEBOOK_SERVED", "1")
    assert cli.main(["--cases", str(CASES), "--no-watch", "--source", f"report={REPORT}"]) == 0
    assert opened.options["sources"] is None


def test_the_app_names_the_sources_folder_as_the_checks_do() -> None:
    assert cli._ENV_SOURCES == provenance.ENV_SOURCES


def test_the_app_starts_without_the_passage_checks_when_no_text_is_named() -> None:
    del sys.modules["casebook.model.load.provenance"]
    try:
        assert cli._app_sources(None) is None and cli._app_sources([]) is None
        assert "casebook.model.load.provenance" not in sys.modules
    finally:
        sys.modules["casebook.model.load.provenance"] = provenance
