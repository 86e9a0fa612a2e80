"""The board's file and its Markdown (casebook.state.board), and ``casebook board export``."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import msgspec
import pytest

from casebook import cli
from casebook.model.export import GENERATED_MD
from casebook.model.format.text import Bilingual, pick
from casebook.state import board as boards
from casebook.state.board import (
    MAX_TEXT,
    Board,
    BoardLink,
    Boards,
    Column,
    Entry,
    Words,
    board_markdown,
    decode,
    plan_columns,
)
from casebook.state.paths import data_dir

CASES = Path(__file__).resolve().parents[2] / "cases"
CASE_ID = "huayi-precision"
DAY = "2025-03-04"
HOSTILE = "*bold* [link](http://x) <script>alert(1)</script> # not a heading | pipe `code`"


def at(day: str = DAY, now: float = 1_741_000_000.0, edition: str = "instructor") -> Boards:
    """The case's boards on ``day`` at ``now``."""
    found = Boards.open(CASE_ID, edition)  # type: ignore[arg-type]
    found.day = lambda: day
    found.clock = lambda: now
    return found


PLAN = [
    Bilingual(en="Left: bought; adapted", zh="左栏：买来；改造"),
    "No colon here",
    Bilingual(en="Odd: a; b", zh="奇：甲"),  # the languages split differently
]


# -- the board plan as columns --------------------------------------------------------


def test_each_board_plan_line_is_a_column_titled_before_its_colon() -> None:
    left, plain, odd = plan_columns(PLAN)
    assert left.title == Words(en="Left", zh="左栏")
    assert [e.text for e in left.entries] == [
        Words(en="bought", zh="买来"),
        Words(en="adapted", zh="改造"),
    ]
    assert all(e.planned for e in left.entries)
    assert plain.title == "" and [e.text for e in plain.entries] == ["No colon here"]
    assert odd.title == "" and [e.text for e in odd.entries] == [Words(en="Odd: a; b", zh="奇：甲")]


def test_a_student_board_starts_with_one_empty_untitled_column() -> None:
    board = boards.new_board(CASE_ID, "student", PLAN, DAY, 0.0)
    assert board.columns == (Column(id="first"),)


# -- saving ------------------------------------------------------------------------------


def test_every_change_is_in_the_file_at_once() -> None:
    store = at()
    store.current(PLAN)
    path = data_dir() / "boards" / "instructor" / CASE_ID / f"{DAY}.json"
    assert path.is_file()
    store.change(lambda b: boards.add_entry(b, "plan-0", "new", "typed"), durable=False)
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk["date"] == DAY
    assert on_disk["columns"][0]["entries"][-1] == {"id": "new", "text": "typed"}
    store.change(lambda b: boards.set_entry(b, "new", "typed\non\x1b[31m one line"))
    assert decode(path.read_bytes())[0].entry("new")[1].text == "typed on[31m one line"
    store.change(lambda b: boards.remove_entry(b, "new"))
    assert decode(path.read_bytes())[0].entry("new") is None
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0  # the user's own


def test_two_terminals_writing_one_board_keep_each_others_entries() -> None:
    first, second = at(), at()
    first.current(PLAN)
    second.current(PLAN)

    def write(store: Boards, name: str) -> None:
        for number in range(20):
            entry = f"{name}{number}"
            store.change(lambda b, e=entry: boards.add_entry(b, "plan-1", e, e), durable=False)

    threads = [
        threading.Thread(target=write, args=(s, n)) for s, n in ((first, "a"), (second, "b"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    column = at().current(PLAN).columns[1]
    assert len(column.entries) == 1 + 40
    assert second.refresh() or second.board == at().current(PLAN)


def test_todays_board_is_continued_and_an_old_one_kept_when_a_new_day_starts() -> None:
    monday = at("2025-03-03", now=1_000_000.0)
    monday.current(PLAN)
    monday.change(lambda b: boards.add_entry(b, "plan-0", "x", "monday's"))
    late = at("2025-03-04", now=1_000_000.0 + 3 * 3600)  # past midnight: the same class
    assert late.current(PLAN).entry("x") is not None
    later = at("2025-03-05", now=1_000_000.0 + 48 * 3600)
    fresh = later.current(PLAN)
    assert fresh.date == "2025-03-05" and fresh.entry("x") is None
    assert later.days() == ["2025-03-03", "2025-03-05"]


def test_an_unreadable_file_is_moved_aside_never_deleted() -> None:
    store = at()
    path = store.path(DAY)
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe garbage")
    board = store.current(PLAN)
    assert len(board.columns) == 3
    assert store.problem is not None and store.problem[0] == "board_moved"
    aside = [p for p in path.parent.iterdir() if ".unreadable-" in p.name]
    assert [p.read_bytes() for p in aside] == [b"\xff\xfe garbage"]


def test_entries_that_do_not_fit_are_left_out_and_the_file_kept_aside() -> None:
    store = at()
    good = boards.new_board(CASE_ID, "instructor", PLAN, DAY, 1.0)
    raw = json.loads(msgspec.json.encode(good))
    raw["columns"][0]["entries"].append({"id": "bad", "text": "x" * (MAX_TEXT + 1)})
    raw["columns"][0]["entries"].append({"id": "nested", "text": [[[]]]})
    raw["columns"].append("not a column")
    path = store.path(DAY)
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(raw), encoding="utf-8")
    board = store.current(PLAN)
    assert board.columns == good.columns
    assert store.problem is not None and store.problem[0] == "board_partly"
    assert store.problem[1]["n"] == 3
    assert decode(path.read_bytes())[0].columns == good.columns  # what could be read, saved


@pytest.mark.parametrize("kind", ["symlink", "fifo", "folder"])
def test_a_board_file_that_is_no_regular_file_is_never_followed(kind: str, tmp_path: Path) -> None:
    if kind == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    store = at()
    path = store.path(DAY)
    assert path is not None
    path.parent.mkdir(parents=True)
    target = tmp_path / "elsewhere.json"
    target.write_text("{}", encoding="utf-8")
    if kind == "symlink":
        path.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    store.current(PLAN)  # never blocks, never raises
    assert target.read_text(encoding="utf-8") == "{}"


def test_a_board_from_a_newer_casebook_is_shown_never_written() -> None:
    store = at()
    newer = msgspec.structs.replace(
        boards.new_board(CASE_ID, "instructor", PLAN, DAY, 1.0), version=99
    )
    path = store.path(DAY)
    assert path is not None
    path.parent.mkdir(parents=True)
    data = msgspec.json.encode(newer)
    path.write_bytes(data)
    assert store.current(PLAN).version == 99
    assert store.read_only and store.problem is not None
    with pytest.raises(boards.BoardNotSaved):
        store.change(lambda b: boards.add_entry(b, "plan-0", "x", "not saved"))
    assert store.board is not None and store.board.entry("x") is not None  # shown
    assert path.read_bytes() == data


def test_in_memory_boards_write_nothing() -> None:
    store = Boards.in_memory(CASE_ID, "instructor")
    store.current(PLAN)
    store.change(lambda b: boards.add_entry(b, "plan-0", "x", "kept"))
    assert store.current(PLAN).entry("x") is not None
    assert not data_dir().exists()


def test_the_board_link_tells_the_other_terminal_only() -> None:
    here, there = BoardLink(CASE_ID), BoardLink(CASE_ID)
    here.publish(True)
    assert here.poll() is None  # its own word
    assert there.poll() is True
    assert there.poll() is None  # said once
    there.publish(False)
    assert here.poll() is False
    here.path.write_text('{"shown": true, "seq": 1, "origin": "x", "extra": 1}')
    assert there.poll() is None  # not exactly a link state: ignored


# -- Markdown ----------------------------------------------------------------------------


def test_the_markdown_escapes_every_text() -> None:
    board = Board(
        case_id=CASE_ID,
        edition="instructor",
        date=DAY,
        columns=(
            Column(id="a", title="# Title | [x](y)", entries=(Entry(id="e", text=HOSTILE),)),
            Column(id="b", entries=(Entry(id="f", text=Words(en="1. list", zh="<b>粗</b>")),)),
            Column(id="c"),
        ),
    )
    text = board_markdown(board, "Acme *Inc* [x]", "en")
    assert text.startswith(GENERATED_MD)
    lines = text.splitlines()
    assert lines[2] == f"# Board: Acme \\*Inc\\* \\[x\\] — {DAY}"
    assert "## \\# Title \\| \\[x\\](y)" in lines
    assert (
        "- \\*bold\\* \\[link\\](http\\://x) \\<script>alert(1)\\</script> \\# not a heading"
        " \\| pipe \\`code\\`"
    ) in lines
    assert "## Column 2" in lines and "- 1\\. list" in lines
    assert "## Column 3" in lines and "_(empty)_" in lines
    chinese = board_markdown(board, "华益", "zh")
    assert "- \\<b>粗\\</b>" in chinese.splitlines()
    assert f"# 板书：华益（{DAY}）" in chinese.splitlines()


# -- casebook board export ---------------------------------------------------------------


@pytest.fixture
def saved_board() -> Boards:
    store = at()
    store.current(PLAN)
    store.change(lambda b: boards.add_entry(b, "plan-0", "h", HOSTILE))
    return store


def test_board_export_writes_the_latest_board_as_markdown(saved_board: Boards, capsys) -> None:
    argv = ["--cases", str(CASES), "board", "export", CASE_ID, "--instructor"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith(GENERATED_MD)
    assert f"# Board: Huayi Precision — {DAY}" in out
    assert "- \\*bold\\* \\[link\\](http\\://x) \\<script>" in out
    assert cli.main([*argv, "--lang", "zh"]) == 0
    assert f"# 板书：华益精密（{DAY}）" in capsys.readouterr().out


def test_board_export_to_a_file_is_the_cli_s_safe_output(
    saved_board: Boards, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "board.md"
    argv = ["--instructor", "--cases", str(CASES), "board", "export", CASE_ID, "-o", str(out)]
    assert cli.main(argv) == 0
    assert out.read_text(encoding="utf-8").startswith(GENERATED_MD)
    assert cli.main(argv) == 0  # its own output: replaced
    mine = tmp_path / "mine.md"
    mine.write_text("mine", encoding="utf-8")
    assert cli.main([*argv[:-1], str(mine)]) == 1
    assert mine.read_text(encoding="utf-8") == "mine"
    assert cli.main([*argv[:-1], str(tmp_path / "board.yaml")]) == 1
    assert "case file" in capsys.readouterr().err


def test_board_export_mistakes_are_one_line_and_exit_2(saved_board: Boards, capsys) -> None:
    base = ["--cases", str(CASES), "board", "export"]
    assert cli.main([*base, CASE_ID]) == 2  # the board is the instructor edition's
    err = capsys.readouterr().err.strip()
    assert err == (
        "casebook: no board saved for 'huayi-precision'; it has a board in the instructor"
        " edition: add --instructor"
    )
    assert cli.main([*base, "huayi", "--instructor"]) == 2
    assert capsys.readouterr().err.strip() == (
        "casebook: no valid case has id 'huayi'; did you mean huayi-precision?"
    )
    assert cli.main([*base, "weimai-medical", "--instructor"]) == 2
    assert "no board saved for 'weimai-medical' (w in its slides starts one)" in (
        capsys.readouterr().err
    )
    assert cli.main([*base, CASE_ID, "--instructor", "--date", "2025-02-30"]) == 2
    assert "not a day" in capsys.readouterr().err
    assert cli.main([*base, CASE_ID, "--instructor", "--date", "2025-03-01"]) == 2
    assert f"boards of {DAY}" in capsys.readouterr().err


def test_the_words_of_a_board_are_both_languages() -> None:
    words = Words(en="a", zh="甲")
    assert pick(words, "zh") == "甲" and pick(words, "en") == "a"
