"""The presenter link's state file is outside data: bad content, odd files and shared
folders never crash, hang or hijack a presentation."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from casebook.state import presenter_link
from casebook.state.presenter_link import PresenterLink, decode_state, private_dir

GOOD = {"position": 3, "blackout": False, "started": 1_700_000_000.5, "seq": 7, "origin": "other"}

posix_only = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")


def _link(tmp_path: Path) -> PresenterLink:
    folder = tmp_path / "run"
    return PresenterLink("demo", folder)


def _write(link: PresenterLink, data: bytes | str) -> None:
    """Replace the state file as the other side would (a new inode each time)."""
    tmp = link.path.with_suffix(".new")
    tmp.write_bytes(data.encode() if isinstance(data, str) else data)
    tmp.replace(link.path)


def test_the_other_sides_state_is_picked_up_once(tmp_path: Path):
    link = _link(tmp_path)
    assert link.problem is None
    _write(link, json.dumps(GOOD))
    # What an older casebook wrote: the clock running, no class length.
    assert link.poll() == {**GOOD, "paused": False, "elapsed": 0.0, "minutes": 0}
    assert link.poll() is None  # unchanged since
    assert link.seq == 7


def test_the_clock_and_the_class_length_go_across(tmp_path: Path):
    front, back = PresenterLink("demo", tmp_path / "run"), PresenterLink("demo", tmp_path / "run")
    clock = {"paused": True, "elapsed": 125.5, "minutes": 90}
    front.publish({"position": 2, "blackout": False, "started": 10.0, **clock})
    got = back.poll()
    assert got is not None and {key: got[key] for key in clock} == clock


def test_two_sides_follow_each_other_and_ignore_their_own_writes(tmp_path: Path):
    front, back = PresenterLink("demo", tmp_path / "run"), PresenterLink("demo", tmp_path / "run")
    front.publish({"position": 2, "blackout": True, "started": 10.0})
    assert front.poll() is None
    got = back.poll()
    assert got is not None and (got["position"], got["blackout"], got["started"]) == (2, True, 10.0)
    info = os.lstat(front.path)
    assert stat.S_IMODE(info.st_mode) & 0o077 == 0, "the state file is private"


def _raw(**fields: str) -> str:
    """A state object whose fields are the given raw JSON texts (the rest valid)."""
    raw = {k: json.dumps(v) for k, v in GOOD.items()} | fields
    return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in raw.items() if v != "-") + "}"


DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE = {
    "NaN": _raw(started="NaN"),
    "Infinity": _raw(started="Infinity"),
    "-Infinity": _raw(started="-Infinity"),
    "1e400": _raw(started="1e400"),
    "400 digits": _raw(position="9" * 400),
    "400-digit seq": _raw(seq="9" * 400),
    "400-digit float": _raw(started="9" * 400 + ".5"),
    "negative position": _raw(position="-1"),
    "deep nesting in a field": _raw(position=DEEP),
    "deep nesting in an extra key": _raw(x=DEEP),
    "deep nesting at the top": DEEP,
    "unclosed nesting": '{"position": ' + "{" * 50_000,
    "a string position": _raw(position='"1"'),
    "a float position": _raw(position="1.5"),
    "an int blackout": _raw(blackout="1"),
    "a bool seq": _raw(seq="true"),
    "a long origin": _raw(origin=json.dumps("o" * 1000)),
    "a missing field": _raw(started="-"),
    "an unknown field": _raw(z="1"),
    "a negative elapsed": _raw(elapsed="-1"),
    "a string paused": _raw(paused='"yes"'),
    "a class of a year": _raw(minutes="525600"),
    "a list": "[1, 2, 3]",
    "a number": "42",
    "null": "null",
    "not JSON": "position=1",
    "trailing junk": json.dumps(GOOD) + "x",
    "not UTF-8": b'{"position": 1, "origin": "\xff\xfe"}',
    "empty": "",
}


@pytest.mark.parametrize("content", HOSTILE.values(), ids=HOSTILE.keys())
def test_bad_state_is_ignored_without_an_exception(tmp_path: Path, content: str | bytes):
    link = _link(tmp_path)
    _write(link, content)
    assert link.poll() is None
    assert link.seq == 0
    data = content.encode() if isinstance(content, str) else content
    assert decode_state(data) is None


def test_a_state_file_too_large_is_not_read(tmp_path: Path):
    link = _link(tmp_path)
    padded = json.dumps(GOOD)[:-1] + "," + " " * presenter_link.STATE_LIMIT + "}"
    _write(link, padded)
    assert link.poll() is None


@posix_only
def test_a_fifo_at_the_state_path_does_not_block(tmp_path: Path):
    link = _link(tmp_path)
    os.mkfifo(link.path)
    begun = time.monotonic()
    assert link.poll() is None
    assert time.monotonic() - begun < 10  # a hang guard: a blocked read never returns
    link.publish({"position": 1, "blackout": False, "started": 1.0})  # refused, no block
    assert stat.S_ISFIFO(os.lstat(link.path).st_mode)


@posix_only
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_symlink_to_dev_zero_is_not_followed(tmp_path: Path):
    link = _link(tmp_path)
    link.path.symlink_to("/dev/zero")
    begun = time.monotonic()
    assert link.poll() is None
    assert time.monotonic() - begun < 10  # a hang guard: a blocked read never returns
    link.publish({"position": 1, "blackout": False, "started": 1.0})  # never through the link
    assert link.path.is_symlink()


def test_a_symlink_to_a_valid_state_file_is_not_followed(tmp_path: Path):
    link = _link(tmp_path)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps(GOOD))
    link.path.symlink_to(elsewhere)
    assert link.poll() is None


# -- the runtime folder -------------------------------------------------------


@posix_only
def test_a_missing_runtime_folder_is_created_private(tmp_path: Path):
    link = PresenterLink("demo", tmp_path / "a" / "run")
    assert link.problem is None
    assert stat.S_IMODE(os.lstat(tmp_path / "a" / "run").st_mode) == 0o700


@posix_only
@pytest.mark.parametrize("mode", [0o777, 0o755, 0o750, 0o701, 0o1777])
def test_a_runtime_folder_open_to_others_is_refused(tmp_path: Path, mode: int):
    folder = tmp_path / "run"
    folder.mkdir()
    folder.chmod(mode)
    link = PresenterLink("demo", folder)
    assert link.problem is not None and "open to other users" in link.problem
    # The link is off: nothing written, nothing read.
    link.publish({"position": 1, "blackout": False, "started": 1.0})
    assert not link.path.exists()
    link.path.write_text(json.dumps(GOOD))
    assert link.poll() is None


@posix_only
def test_a_runtime_folder_of_another_user_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.lstat(folder).st_uid + 1)
    link = PresenterLink("demo", folder)
    assert link.problem is not None and "another user" in link.problem
    link.publish({"position": 1, "blackout": False, "started": 1.0})
    assert not link.path.exists()


@posix_only
def test_a_runtime_folder_that_is_a_link_or_a_file_is_refused(tmp_path: Path):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "run").symlink_to(real)
    assert "symbolic link" in (PresenterLink("demo", tmp_path / "run").problem or "")
    (tmp_path / "file").write_text("")
    assert "not a folder" in (PresenterLink("demo", tmp_path / "file").problem or "")


@posix_only
def test_the_shared_tmp_fallback_of_another_user_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Without XDG_RUNTIME_DIR, /tmp/casebook-<uid> made 0777 by someone else is not used."""
    monkeypatch.delenv(presenter_link.ENV_RUNTIME_DIR, raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(presenter_link.tempfile, "gettempdir", lambda: str(tmp_path))
    squatted = tmp_path / f"casebook-{os.getuid()}"
    squatted.mkdir()
    squatted.chmod(0o777)
    assert presenter_link.runtime_dir() == squatted
    link = PresenterLink("demo")
    assert link.problem is not None
    with pytest.raises(OSError):
        private_dir(squatted)


def test_xdg_runtime_dir_is_used_when_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(presenter_link.ENV_RUNTIME_DIR, raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert presenter_link.runtime_dir() == tmp_path / "casebook"
    monkeypatch.setenv("XDG_RUNTIME_DIR", "relative/dir")
    assert presenter_link.runtime_dir() != Path("relative/dir") / "casebook"
