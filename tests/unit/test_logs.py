"""casebook's log: nowhere by default, to a private file with --log or CASEBOOK_LOG."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from casebook import cli, logs
from casebook.model.load.library import load_library

CASES = Path(__file__).resolve().parents[2] / "cases"


@pytest.fixture(autouse=True)
def _unconfigured() -> Iterator[None]:
    """Each test leaves the casebook logger with no handler and no level, and its file
    closed."""
    yield
    logs.configure(None)
    logger = logging.getLogger(logs.ROOT)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)


def _cache_in_the_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file where the cache folder should be: every cache write fails."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(blocker / "cache"))


def test_a_failed_cache_write_is_in_the_log_with_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _cache_in_the_way(tmp_path, monkeypatch)
    monkeypatch.setattr(cli, "_schema", lambda *args: load_library([CASES]) and 0)
    log = tmp_path / "casebook.log"
    assert cli.main(["--log", str(log), "schema"]) == 0
    text = log.read_text(encoding="utf-8")
    assert "INFO casebook.cli: casebook" in text
    assert "casebook.model.load.cache: cache" in text and "not written" in text
    assert "Traceback" in text and "NotADirectoryError" in text
    assert "not written" not in capsys.readouterr().err
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_the_environment_names_the_log_and_it_is_appended_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "casebook.log"
    log.write_text("earlier\n", encoding="utf-8")
    monkeypatch.setenv(logs.ENV_LOG, str(log))
    assert cli.main(["schema", "-o", str(tmp_path / "schema.json")]) == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "earlier"
    assert "casebook.cli: casebook" in lines[1] and lines[1].endswith(": schema")


def test_the_option_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(logs.ENV_LOG, str(tmp_path / "env.log"))
    assert cli.main(["--log", str(tmp_path / "option.log"), "schema"]) == 0
    assert (tmp_path / "option.log").exists()
    assert not (tmp_path / "env.log").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no symlinks or FIFOs here")
@pytest.mark.parametrize("kind", ["symlink", "dangling", "fifo", "folder"])
def test_a_log_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "elsewhere.log"
    log = tmp_path / "casebook.log"
    if kind == "symlink":
        target.write_text("theirs\n", encoding="utf-8")
        log.symlink_to(target)
    elif kind == "dangling":
        log.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(log)
    else:
        log.mkdir()
    assert cli.main(["--log", str(log), "schema"]) == cli.EXIT_INVALID
    assert "casebook:" in capsys.readouterr().err
    assert not target.exists() or target.read_text(encoding="utf-8") == "theirs\n"


def test_by_default_nothing_is_printed(tmp_path: Path) -> None:
    # A fresh process: casebook's warnings and errors reach neither stderr nor stdout
    # (Python would print them on stderr, over the app's screen, with no handler).
    code = (
        "import logging, sys\n"
        "from casebook import cli\n"
        "cli._schema = lambda *args: logging.getLogger('casebook.x').error('boom') or 0\n"
        "sys.exit(cli.main(['schema']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert (done.stdout, done.stderr) == ("", "")


def test_serve_prints_warnings_when_there_is_no_log(capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure(None, warnings_to_stderr=True)
    logging.getLogger("casebook.serve").warning("a session ended")
    logging.getLogger("casebook.serve").info("chatter")
    assert capsys.readouterr().err == "casebook.serve: a session ended\n"


def test_configuring_again_replaces_the_handlers(tmp_path: Path) -> None:
    logs.configure(tmp_path / "a.log")
    logs.configure(tmp_path / "b.log")
    logging.getLogger("casebook.x").debug("to b")
    logs.configure(None)
    logging.getLogger("casebook.x").warning("nowhere")
    assert "to b" not in (tmp_path / "a.log").read_text(encoding="utf-8")
    assert "to b" in (tmp_path / "b.log").read_text(encoding="utf-8")
    assert len(logging.getLogger(logs.ROOT).handlers) == 1  # the NullHandler


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [(["--log", "validate"], None), (["--lo", "x", "validate"], "validate"), (["--log=x"], None)],
)
def test_the_log_option_takes_a_value(argv: list[str], wanted: str | None) -> None:
    assert cli._command_in(argv) == wanted
