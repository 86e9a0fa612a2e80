"""The class record: every event kept in SQLite as it happens, resumed after a crash, and
exported with students' hostile text kept as text."""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook.model.classroom.record import (
    SCHEMA_VERSION,
    ClassRecord,
    RecordError,
    StudentRow,
    classes_of_group,
    export_classes,
    list_classes,
    record_path,
)
from casebook.state.paths import ENV_VAR

HOSTILE_NAME = '=HYPERLINK("http://x")<script>*a*|b'
HOSTILE_ANSWER = "[click](javascript:alert(1)) <img src=x onerror=alert(1)> # h1 @SUM(A1)"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "classes.sqlite3"


def new_class(path: Path, clock: Clock, title: str = "MBA 1", **kw: object) -> ClassRecord:
    values: dict[str, object] = dict(case_id="acme", title=title, lang="en", code="c" * 16)
    values.update(host="127.0.0.1", port=8765)
    values.update(kw)
    return ClassRecord.create(path, clock=clock, **values)  # type: ignore[arg-type]


def test_record_path_is_in_the_data_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert record_path() == tmp_path / "classes.sqlite3"


def test_a_new_record_is_private_in_wal_mode(path: Path, clock: Clock) -> None:
    record = new_class(path, clock)
    assert (path.stat().st_mode & 0o777) == 0o600
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    assert (record.case_id, record.title, record.lang, record.code) == (
        "acme",
        "MBA 1",
        "en",
        "c" * 16,
    )
    assert (record.host, record.port, record.started) == ("127.0.0.1", 8765, clock.now)
    record.close()


def test_every_event_is_kept_and_read_back(path: Path, clock: Clock) -> None:
    record = new_class(path, clock)
    record.joined("s1", "Ann", "h1", "terminal")
    clock.tick(10)
    record.joined("s2", "Bo", "h2", "browser")
    record.slide(3, 2)
    assert record.state() == (3, 2, None)
    record.question(1, True)
    assert record.state() == (3, 2, 1)
    assert record.answer("s1", 1, "first", None) == 1
    assert record.answer("s1", 1, "second", 2) == 2
    assert record.answer("s2", 1, "mine", None) == 1
    record.contribution("s1", 3)
    record.contribution("s1", 1)
    record.contribution("s2", None)
    record.called("s2")
    record.board("the board")
    clock.tick(50)
    record.left("s2")
    clock.tick(60)
    record.question(1, False)
    assert record.state() == (3, 2, None)
    assert record.students() == [
        StudentRow("s1", "Ann", "h1", "terminal"),
        StudentRow("s2", "Bo", "h2", "browser"),
    ]
    assert record.latest_answers() == {("s1", 1): ("second", 2, 2), ("s2", 1): ("mine", None, 1)}
    ann, bo = record.participation()
    assert (ann.name, ann.contributions, ann.quality, ann.answers, ann.calls) == (
        "Ann",
        2,
        2.0,
        1,
        0,
    )
    assert ann.seconds == 120  # still connected: counted to now
    assert (bo.contributions, bo.quality, bo.calls, bo.seconds) == (1, None, 1, 50)
    assert bo.first_join == ann.first_join + 10
    record.end()
    record.close()
    (summary,) = list_classes(path)
    assert (summary.class_id, summary.participants, summary.answers) == (record.class_id, 2, 2)
    assert summary.ended == clock.now


def test_a_reconnect_starts_a_new_interval(path: Path, clock: Clock) -> None:
    record = new_class(path, clock)
    record.joined("s1", "Ann", "h1", "terminal")
    clock.tick(30)
    record.left("s1")
    clock.tick(100)  # away: not counted
    record.joined("s1", "Ann", "h1", "terminal")
    clock.tick(20)
    record.joined("s1", "Ann", "h1", "terminal")  # a reconnect before the old one was seen to drop
    clock.tick(10)
    (ann,) = record.participation()
    assert ann.seconds == 60
    assert len(record.students()) == 1
    record.close()


def test_resume_reuses_the_class_and_closes_crashed_connections(path: Path, clock: Clock) -> None:
    record = new_class(path, clock, port=9001)
    record.joined("s1", "Ann", "h1", "terminal")
    clock.tick(40)
    record.slide(2, 1)
    record.question(2, True)
    record.answer("s1", 2, "kept", None)
    class_id = record.class_id
    record.close()  # as if killed: no end, s1 still "connected"
    clock.tick(1000)
    again = ClassRecord.resume(path, clock=clock)
    assert (again.class_id, again.code, again.host, again.port) == (
        class_id,
        "c" * 16,
        "127.0.0.1",
        9001,
    )
    assert again.state() == (2, 1, 2)
    assert again.latest_answers() == {("s1", 2): ("kept", None, 1)}
    (ann,) = again.participation()
    assert ann.seconds == 40  # the crashed connection ends at the last event, not now
    assert again.answer("s1", 2, "revised", None) == 2
    again.close()
    assert ClassRecord.resume(path, class_id, clock=clock).class_id == class_id


def test_resume_picks_the_latest_class_not_ended(path: Path, clock: Clock) -> None:
    first = new_class(path, clock)
    clock.tick(60)
    second = new_class(path, clock, title="MBA 2")
    clock.tick(60)
    third = new_class(path, clock, title="MBA 3")
    third.end()
    for record in (first, second, third):
        record.close()
    assert ClassRecord.resume(path).class_id == second.class_id
    assert len({first.class_id, second.class_id, third.class_id}) == 3


def test_resume_refuses_what_it_cannot_find(path: Path, clock: Clock) -> None:
    with pytest.raises(RecordError, match="no class recorded"):
        ClassRecord.resume(path)
    record = new_class(path, clock)
    record.end()
    record.close()
    with pytest.raises(RecordError, match="every recorded class has ended"):
        ClassRecord.resume(path)
    with pytest.raises(RecordError, match="no class 'nope'"):
        ClassRecord.resume(path, "nope")


def test_a_newer_schema_is_refused(path: Path, clock: Clock) -> None:
    new_class(path, clock).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(RecordError, match="newer casebook"):
        ClassRecord.resume(path)
    with pytest.raises(RecordError, match="newer casebook"):
        list_classes(path)


def test_a_symlinked_record_is_refused(path: Path, tmp_path: Path, clock: Clock) -> None:
    elsewhere = tmp_path / "elsewhere.sqlite3"
    new_class(elsewhere, clock).close()
    path.parent.mkdir(mode=0o700)
    path.symlink_to(elsewhere)
    with pytest.raises(RecordError, match="symbolic link"):
        new_class(path, clock)
    with pytest.raises(RecordError, match="symbolic link"):
        list_classes(path)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX modes")
def test_a_folder_others_can_write_is_refused(path: Path, clock: Clock) -> None:
    path.parent.mkdir(mode=0o700)
    path.parent.chmod(0o777)
    with pytest.raises(RecordError, match="writable by other users"):
        new_class(path, clock)


def test_a_file_that_is_no_record_is_refused(path: Path) -> None:
    path.parent.mkdir(mode=0o700)
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(RecordError, match="not a class record"):
        list_classes(path)


def test_no_record_lists_nothing(path: Path) -> None:
    assert list_classes(path) == []
    assert classes_of_group(path, "x") == []
    assert not path.exists()


def hostile_class(path: Path, clock: Clock) -> ClassRecord:
    record = new_class(path, clock, title="<b>MBA</b> | *1*")
    record.joined("s1", HOSTILE_NAME, "h1", "terminal")
    record.slide(1, 1)
    record.question(1, True)
    record.answer("s1", 1, HOSTILE_ANSWER, None)
    clock.tick(5)
    record.answer("s1", 1, "-2+3", 1)
    record.board("<script>alert(1)</script>\n# not a heading")
    clock.tick(55)
    record.end()
    record.close()
    return record


def test_markdown_export_escapes_hostile_text(path: Path, clock: Clock) -> None:
    record = hostile_class(path, clock)
    text = export_classes(path, [record.class_id], "md")
    assert not re.search(r"(?<!\\)<", text)  # no raw HTML: every < escaped
    assert "\\<script>" in text and "\\<img" in text
    assert "\\[click\\](javascript:alert(1))" in text  # no link
    assert "\\=HYPERLINK" in text and "\\*a\\*\\|b" in text
    assert "\\# not a heading" in text
    assert "revision 1" in text and "revision 2, choice 1" in text
    assert "slide 1, step 1" in text and "opened for answers" in text


def test_html_export_escapes_hostile_text(path: Path, clock: Clock) -> None:
    record = hostile_class(path, clock)
    text = export_classes(path, [record.class_id], "html")
    assert text.startswith("<!doctype html>")
    assert "<script>" not in text and "<img" not in text and "<b>MBA" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_html_export_in_chinese(path: Path, clock: Clock) -> None:
    record = hostile_class(path, clock)
    text = export_classes(path, [record.class_id], "html", "zh")
    assert 'lang="zh-Hans"' in text and "参与者" in text and "第 2 版" in text


def test_csv_neutralises_formulas(path: Path, clock: Clock) -> None:
    record = new_class(path, clock)
    for index, name in enumerate(["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "plain"]):
        record.joined(f"s{index}", name, f"h{index}", "terminal")
    record.end()
    record.close()
    rows = list(csv.reader(io.StringIO(export_classes(path, [record.class_id], "csv"))))
    names = [row[0] for row in rows[1:]]
    assert names == ["'=1+1", "'+cmd", "'-2", "'@SUM(A1)", "'\tx", "plain"]


def test_gradebook_of_two_classes_of_one_group(path: Path, clock: Clock) -> None:
    first = new_class(path, clock, title="Strategy")
    first.joined("a", "Ann", "h", "terminal")
    first.joined("b", "Bo", "h", "browser")
    first.contribution("a", 3)
    first.contribution("a", 2)
    first.called("b")
    first.question(1, True)
    first.answer("b", 1, "x", None)
    first.answer("b", 1, "y", None)  # a revision: still one answer
    clock.tick(120)
    first.end()
    first.close()
    clock.tick(86_400)
    new_class(path, clock, title="Other").close()
    second = new_class(path, clock, title="Strategy")
    second.joined("c", "Cy", "h", "terminal")
    second.joined("a2", "Ann", "h", "terminal")
    second.contribution("a2", None)
    clock.tick(60)
    second.end()
    second.close()
    group = classes_of_group(path, "Strategy")
    assert group == [first.class_id, second.class_id]
    rows = list(csv.reader(io.StringIO(export_classes(path, group, "csv"))))
    header, *body = rows
    assert header[0] == "Name" and len(header) == 1 + 2 * 5
    assert header[1] == f"{first.class_id} Contributions"
    assert header[6] == f"{second.class_id} Contributions"
    by_name = {row[0]: row[1:] for row in body}
    assert by_name["Ann"] == ["2", "2.5", "0", "0", "2.0", "1", "", "0", "0", "1.0"]
    assert by_name["Bo"] == ["0", "", "1", "1", "2.0", "", "", "", "", ""]
    assert by_name["Cy"] == ["", "", "", "", "", "0", "", "0", "0", "1.0"]


def test_export_of_an_unknown_class_is_refused(path: Path, clock: Clock) -> None:
    new_class(path, clock).close()
    with pytest.raises(RecordError, match="no class 'nope'"):
        export_classes(path, ["nope"], "md")


WRITER = """
import sys
from pathlib import Path
from casebook.model.classroom.record import ClassRecord
record = ClassRecord.create(Path(sys.argv[1]), case_id="acme", title="t", lang="en",
                            code="c" * 16, host="127.0.0.1", port=1)
for n in range(40):
    record.joined(f"s{n}", f"student {n}", "h", "terminal")
record.question(1, True)
count = 0
while True:
    for n in range(40):
        record.answer(f"s{n}", 1, f"answer {count}", None)
        count += 1
        print(count, flush=True)  # acknowledged only once committed
"""


@pytest.mark.slow
def test_a_killed_writer_loses_no_acknowledged_answer(path: Path) -> None:
    path.parent.mkdir(mode=0o700)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    acknowledged = 0
    deadline = time.monotonic() + 60
    while acknowledged < 500 and time.monotonic() < deadline:
        acknowledged = int(writer.stdout.readline())
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert acknowledged >= 500
    record = ClassRecord.resume(path)
    db = sqlite3.connect(path)
    (kept,) = db.execute("SELECT count(*) FROM answers").fetchone()
    db.close()
    assert kept >= acknowledged
    assert len(record.latest_answers()) == 40
    (summary,) = list_classes(path)
    assert summary.participants == 40
    record.close()
