"""The checks of `casebook serve`, without a server: Host names, Origins, tokens, options."""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from casebook import serve
from casebook.serve import HostPolicy, origin_allowed
from casebook.served import served_session


@pytest.mark.parametrize(
    ("bind", "header", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "LOCALHOST", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "127.0.0.2:9000", True),  # a tunnel may change the port
        ("127.0.0.1", "evil.example:8000", False),  # DNS rebinding
        ("127.0.0.1", "localhost.evil.example", False),
        ("127.0.0.1", "10.0.0.5:8000", False),
        ("127.0.0.1", "", False),
        ("127.0.0.1", None, False),
        ("127.0.0.1", "127.0.0.1:8000/x", False),
        ("127.0.0.1", "user@127.0.0.1", False),
        ("127.0.0.1", "127.0.0.1:80000000", False),
        ("localhost", "127.0.0.1:8000", True),
        ("::1", "[::1]:8000", True),
        ("0.0.0.0", "192.168.1.20:8000", True),
        ("0.0.0.0", "localhost:8000", True),
        ("0.0.0.0", f"{socket.gethostname()}:8000", True),
        ("0.0.0.0", "evil.example:8000", False),
        ("192.168.1.20", "192.168.1.20:8000", True),
        ("192.168.1.20", "192.168.1.21:8000", False),
        ("192.168.1.20", "localhost:8000", False),
        ("casebook.lan", "CASEBOOK.LAN:8000", True),
        ("casebook.lan", "evil.example", False),
    ],
)
def test_host_headers(bind: str, header: str | None, allowed: bool) -> None:
    assert HostPolicy(bind).allows(header) is allowed


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (None, True),  # not a browser: it needs the token, and carries no one's cookie
        ("http://127.0.0.1:8000", True),
        ("HTTP://127.0.0.1:8000", True),
        ("https://127.0.0.1:8000", True),
        ("http://127.0.0.1:8001", False),
        ("http://localhost:8000", False),  # another origin, even on this machine
        ("http://evil.example", False),
        ("null", False),
        ("file://", False),
        ("http://127.0.0.1:8000/", False),
    ],
)
def test_websocket_origins(origin: str | None, allowed: bool) -> None:
    assert origin_allowed(origin, "127.0.0.1:8000") is allowed


def test_tokens_are_random_long_and_in_the_url() -> None:
    first = serve.options([], "student")
    second = serve.options([], "student")
    assert first.token and second.token and first.token != second.token
    assert len(first.token) >= 40
    assert first.url == f"http://127.0.0.1:8000/?token={first.token}"
    assert serve.options([], "student", no_token=True).token is None
    assert serve.options([], "student", token="x" * 12).token == "x" * 12
    assert serve.options([], "student", host="::1", port=9).url.startswith("http://[::1]:9/")
    assert serve.options([], "student", host="0.0.0.0").url.startswith("http://127.0.0.1:")


def test_tokens_compare_in_full() -> None:
    assert serve.tokens_match("a" * 20, "a" * 20)
    assert not serve.tokens_match("a" * 19, "a" * 20)
    assert not serve.tokens_match(None, "a" * 20)
    assert not serve.tokens_match("é" * 20, "a" * 20)


def test_option_values() -> None:
    assert serve.sessions_argument("1") == 1
    assert serve.sessions_argument("1000") == 1000
    for bad in ("0", "1001", "-1", "ten", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            serve.sessions_argument(bad)
    assert serve.token_argument("abc-DEF_123.~x") == "abc-DEF_123.~x"
    for bad in ("short", "has space in it", "semi;colon;token", "x" * 257):
        with pytest.raises(argparse.ArgumentTypeError):
            serve.token_argument(bad)


def test_sessions_run_the_same_casebook(tmp_path: Path) -> None:
    command = serve.session_command([tmp_path], "instructor")
    assert command[1:4] == ["-c", serve.SESSION_BOOT, "--cases"]
    assert command[4] == str(tmp_path.resolve())
    assert command[-1] == "--instructor"
    assert "--instructor" not in serve.session_command([], "student")


def test_served_sessions_are_known_by_the_environment() -> None:
    assert served_session({serve.SERVED_ENV: "1"})
    assert not served_session({})
    assert not served_session({serve.SERVED_ENV: "0"})
    assert serve.is_loopback("localhost") and serve.is_loopback("127.0.0.1")
    assert not serve.is_loopback("0.0.0.0") and serve.is_wildcard("0.0.0.0")
    assert serve.is_wildcard("::") and not serve.is_wildcard("10.0.0.1")


def test_terminal_sizes_from_browsers_are_bounded() -> None:
    assert serve._cells(120, 80) == 120
    assert serve._cells("40", 80) == 40
    assert serve._cells(10**9, 80) == serve.MAX_CELLS
    assert serve._cells(0, 80) == 1
    for bad in (None, "wide", "-5", 1.5, True, [3]):
        assert serve._cells(bad, 80) == 80


@pytest.mark.slow
def test_a_session_runs_no_code_from_the_working_folder(tmp_path: Path) -> None:
    # A file named like the package in the folder the server runs in must not be imported.
    planted = tmp_path / "casebook"
    planted.mkdir()
    marker = tmp_path / "PLANTED-CODE-RAN"
    for name in ("__init__.py", "__main__.py", "cli.py"):
        (planted / name).write_text(f"open({str(marker)!r}, 'w').close()\n")
    command = [*serve.session_command([], "student")[:3], "--version"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("casebook ")
    assert not marker.exists()
    # The check can fail: plain ``-m casebook`` from that folder runs the planted code.
    subprocess.run([sys.executable, "-m", "casebook"], cwd=tmp_path, timeout=60, check=False)
    assert marker.exists()
