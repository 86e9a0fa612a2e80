"""The link between the audience screen and a presenter console: one small state file.

Both sides write the presentation's state (position, blackout, start time) to a
JSON file in the user's runtime directory, and poll it for the other side's
changes. Nothing touches the network; the file is replaced atomically.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import uuid
from pathlib import Path

ENV_RUNTIME_DIR = "CASEBOOK_RUNTIME_DIR"


def runtime_dir() -> Path:
    """Where live presentation state goes: $CASEBOOK_RUNTIME_DIR, the runtime dir, or tmp."""
    override = os.environ.get(ENV_RUNTIME_DIR)
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and Path(xdg).is_dir():
        return Path(xdg) / "casebook"
    user = getattr(os, "getuid", lambda: "user")()
    return Path(tempfile.gettempdir()) / f"casebook-{user}"


class PresenterLink:
    """Publishes this side's state and picks up the other side's, by sequence number."""

    def __init__(self, case_id: str, directory: Path | None = None) -> None:
        self.path = (directory or runtime_dir()) / f"present-{case_id}.json"
        self.seq = 0
        self.origin = uuid.uuid4().hex
        self._seen: int | None = None

    def publish(self, state: dict[str, object]) -> None:
        """Write ``state`` for the other side; a failure to write only loses the sync."""
        self.seq += 1
        payload = json.dumps({**state, "seq": self.seq, "origin": self.origin})
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".present-")
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(payload)
            Path(tmp).replace(self.path)
            self._seen = self.path.stat().st_mtime_ns

    def poll(self) -> dict[str, object] | None:
        """The other side's newer state, if the file changed since last seen."""
        try:
            stamp = self.path.stat().st_mtime_ns
        except OSError:
            return None
        if stamp == self._seen:
            return None
        self._seen = stamp
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(state, dict) or state.get("origin") == self.origin:
            return None
        seq = state.get("seq")
        if not isinstance(seq, int):
            return None
        self.seq = max(self.seq, seq)
        return state
