"""The real ``casebook`` command in a pseudo-terminal, for tests that watch or kill it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

CASES = Path(__file__).resolve().parents[1] / "cases"
WAIT = 30.0
"""The most any one condition is waited for, in seconds."""
ESCAPES = re.compile(
    rb"\x1b\[[0-9;:?<>=$]*[ -/]*[@-~]"  # control sequences
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # operating system commands
    rb"|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)


class Terminal:
    """``casebook --cases CASES --no-watch *args`` in a pseudo-terminal of ``rows`` by
    ``cols``: keys written to it, its output read as it comes (a full pty would block the
    app) and kept. With ``data``, the command keeps its data there (else the test's)."""

    def __init__(
        self, *args: str, rows: int = 24, cols: int = 80, data: Path | None = None
    ) -> None:
        import pty

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
        if data is not None:
            env["CASEBOOK_DATA_DIR"] = str(data)
        command = [sys.executable, "-m", "casebook", "--cases", str(CASES), "--no-watch"]
        self.process = subprocess.Popen(
            [*command, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.args = args
        self.master = master
        self._output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self._output += data

    def mark(self) -> int:
        """Where the output is now: :meth:`text` from here shows only what comes after."""
        with self._lock:
            return len(self._output)

    def text(self, since: int = 0) -> str:
        """The output from ``since``, without the terminal's escape sequences."""
        with self._lock:
            data = bytes(self._output[since:])
        return ESCAPES.sub(b"", data).decode(errors="replace")

    def wait(self, condition: Callable[[], object], what: str, wait: float = WAIT) -> None:
        """Poll ``condition`` until it holds, for at most ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what} on {self.args}")
            time.sleep(0.05)

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def kill(self) -> None:
        """SIGKILL the command and wait for it."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=WAIT)

    def close(self) -> None:
        self.kill()
        os.close(self.master)
        self._reader.join(timeout=5)
