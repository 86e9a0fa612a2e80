"""Drafts: the text of notes whose save failed, kept until the note is saved.

A draft is kept in memory and, where the data folder allows, in a small JSON file
of its own beside the store (``store.json.draft-…``, one per case and pane), so it
outlives the app. Nothing here raises for a folder that cannot be written or read.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import msgspec

from casebook.model.load.safe_files import read_regular, write_atomic
from casebook.state.records import clean

__all__ = ["DRAFT_LIMIT", "Drafts"]

DRAFT_LIMIT = 4 * 1024 * 1024
"""A larger draft file is not read."""


class _Draft(msgspec.Struct):
    """A draft file's contents; the case and pane guard against a name collision."""

    case_id: str
    pane: str
    text: str


class Drafts:
    """The drafts of one store: in memory only if ``store_path`` is None."""

    def __init__(self, store_path: Path | None) -> None:
        self._store_path = store_path
        self._texts: dict[tuple[str, str], str] = {}

    def keep(self, case_id: str, pane: str, text: str) -> None:
        """Keep ``text`` as the draft of this note. Never raises."""
        text = clean(text)
        self._texts[(case_id, pane)] = text
        path = self._path(case_id, pane)
        if path is None:
            return
        payload = msgspec.json.encode(_Draft(case_id, pane, text))
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, payload, mode=0o600)

    def get(self, case_id: str, pane: str) -> str | None:
        """The draft of this note, if a save of it failed."""
        key = (case_id, pane)
        path = self._path(case_id, pane)
        if key in self._texts or path is None:
            return self._texts.get(key)
        try:
            draft = msgspec.json.decode(read_regular(path, DRAFT_LIMIT), type=_Draft)
        except (OSError, msgspec.DecodeError, RecursionError):
            return None
        if (draft.case_id, draft.pane) != key:
            return None
        return draft.text

    def drop(self, case_id: str, pane: str) -> None:
        """Forget the draft of this note (it was saved). Never raises."""
        self._texts.pop((case_id, pane), None)
        path = self._path(case_id, pane)
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()

    def _path(self, case_id: str, pane: str) -> Path | None:
        if self._store_path is None:
            return None
        import hashlib  # OpenSSL's, loaded by the first draft, not at start-up

        digest = hashlib.sha256(f"{case_id}\0{pane}".encode("utf-8", "surrogatepass"))
        name = f"{self._store_path.name}.draft-{digest.hexdigest()[:16]}"
        return self._store_path.with_name(name)
