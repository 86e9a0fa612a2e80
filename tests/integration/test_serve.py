"""`casebook serve` answers browsers on loopback, and stops when asked."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_on_loopback_and_stops() -> None:
    port = _free_port()
    command = [sys.executable, "-m", "casebook", "--cases", str(ROOT / "cases"), "serve"]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        status, page = None, ""
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                    status, page = reply.status, reply.read().decode()
            except OSError:
                assert server.poll() is None, "serve exited before answering"
                time.sleep(0.2)
        assert status == 200
        assert "casebook" in page
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert server.returncode is not None


def test_serve_rejects_a_bad_port() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "casebook", "serve", "--port", "99999"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "not a port number" in result.stderr
    assert "Traceback" not in result.stderr
