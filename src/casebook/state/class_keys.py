"""A student's identity in each live class joined, so that a restarted ``casebook join``
rejoins as the same student (the same answers, the same name).

One small JSON file in the data folder (``classes.json``, mode 0600) maps each class code
to the key the server gave and the case it teaches. It is written whole or not at all
(:func:`write_atomic`); a file that is not a regular file of at most :data:`LIMIT` bytes,
or does not decode strictly, is ignored (the student then joins as someone new). Only the
:data:`KEPT` most recent classes are kept.

This module is plain Python: no Textual.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec import Meta

from casebook.model.load.safe_files import read_regular, write_atomic
from casebook.state.paths import data_dir

FILE_NAME = "classes.json"
LIMIT = 64 * 1024
"""The largest file read: :data:`KEPT` classes take under 20 KB."""
KEPT = 100

_Key = Annotated[str, Meta(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class Joined(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A class joined: the student's key in it, its case, and when it was last joined."""

    student: _Key
    case_id: Annotated[str, Meta(max_length=200)] = ""
    joined: Annotated[float, Meta(ge=0, le=1e11)] = 0.0


_Classes = dict[_Key, Joined]
_decoder = msgspec.json.Decoder(_Classes)


class ClassKeys:
    """The classes joined, by class code, in ``directory`` (default: the data folder)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.path = (directory if directory is not None else data_dir()) / FILE_NAME

    def _read(self) -> _Classes:
        try:
            return _decoder.decode(read_regular(self.path, LIMIT))
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return {}

    def get(self, code: str) -> Joined | None:
        """The class ``code`` as last joined here, if it was."""
        return self._read().get(code)

    def remember(self, code: str, student: str, case_id: str) -> bool:
        """Keep ``student``'s key in class ``code``; False when it could not be written (a
        folder that cannot be written is no reason to stop the class: the student would
        only rejoin as someone new after a restart)."""
        classes = self._read()
        known = classes.get(code)
        if known is not None and (known.student, known.case_id) == (student, case_id):
            return True  # a reconnect: nothing new to keep
        classes[code] = Joined(student, case_id, time.time())
        recent = sorted(classes.items(), key=lambda item: item[1].joined)[-KEPT:]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(self.path, msgspec.json.encode(dict(recent)), mode=0o600)
        except OSError:
            return False
        return True
