"""Where each presentation stands, so that a class can be left and picked up again.

Per case, one small JSON file in ``data_dir()/presentations/`` (``CASE_ID.json``)
holds a :class:`Standing`: the slide and the step reached, the clock (the seconds it
had counted before its current run, and since when it runs, unless it is paused),
whether the clock is shown, and the class length the trainer set. It is written
whole or not at all (:func:`write_atomic`) at every move, so a terminal closed or a
process killed mid-class loses nothing.

A running clock goes on counting while the slides are left and across a restart (the
class went on meanwhile), unless the standing was last saved more than
:data:`RESUME_GAP` seconds ago: then the class is over, and the clock resumes paused
at what it showed then.

Every file is outside data: it is read only when it is a regular file of at most
:data:`LIMIT` bytes and decoded strictly (bounded numbers); one that is not is
ignored, with the reason, and the presentation starts fresh. A served session keeps
its standings in memory (:meth:`Presentations.in_memory`): nothing is written on the
server.

This module is plain Python: no Textual.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec import Meta

from casebook.model.load.safe_files import read_regular, remove_stale_temporaries, write_atomic
from casebook.state.paths import data_dir

__all__ = [
    "FOLDER",
    "LIMIT",
    "RESUME_GAP",
    "Loaded",
    "Presentations",
    "Standing",
    "file_name",
]

FOLDER = "presentations"
"""The folder of standings inside the data folder."""
LIMIT = 16 * 1024
"""The largest standing file read; a real one is under 200 bytes."""
RESUME_GAP = 4 * 3600.0
"""Seconds after which a saved running clock is taken to have stopped with the class."""
MAX_STEPS = 100_000
MAX_SECONDS = 7 * 24 * 3600.0
MAX_MINUTES = 24 * 60
MAX_TIME = 1e11
"""Unix times above this (year 5138) are not times."""

_SAFE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class Standing(msgspec.Struct, frozen=True, kw_only=True):
    """Where one presentation stands."""

    slide: Annotated[int, Meta(ge=1, le=MAX_STEPS)] = 1
    """The slide reached (1-based)."""
    step: Annotated[int, Meta(ge=1, le=MAX_STEPS)] = 1
    """How many of its steps are shown."""
    counted: Annotated[float, Meta(ge=0, le=MAX_SECONDS)] = 0.0
    """Seconds the clock had counted before its current run."""
    since: Annotated[float, Meta(ge=0, le=MAX_TIME)] | None = None
    """When the clock's current run started (Unix time); ``None`` while it is paused."""
    minutes: Annotated[int, Meta(ge=1, le=MAX_MINUTES)] | None = None
    """The class length the trainer set; ``None``: the teaching plan's own."""
    timer_visible: bool = True
    saved: Annotated[float, Meta(ge=0, le=MAX_TIME)] = 0.0
    """When this was saved (Unix time)."""

    @property
    def running(self) -> bool:
        return self.since is not None

    def elapsed(self, now: float) -> float:
        """Seconds on the clock at ``now`` (never negative, even if the clock went back)."""
        run = max(0.0, now - self.since) if self.since is not None else 0.0
        return min(MAX_SECONDS, self.counted + run)

    def paused(self, now: float) -> Standing:
        """The clock stopped at what it shows at ``now``."""
        if self.since is None:
            return self
        return msgspec.structs.replace(self, counted=self.elapsed(now), since=None)

    def started(self, now: float) -> Standing:
        """The clock running again from what it shows."""
        if self.since is not None:
            return self
        return msgspec.structs.replace(self, since=now)

    def reset(self, now: float) -> Standing:
        """The clock back at 0:00, running or paused as it was."""
        return msgspec.structs.replace(self, counted=0.0, since=now if self.running else None)

    def resumed(self, now: float) -> tuple[Standing, bool]:
        """This standing, read back at ``now``; and whether its running clock was stopped
        because it was saved more than :data:`RESUME_GAP` seconds ago (at what it
        showed when saved)."""
        if self.since is None or now - self.saved <= RESUME_GAP:
            return self, False
        return self.paused(max(self.since, self.saved)), True


_DECODER = msgspec.json.Decoder(Standing)


def decode(data: bytes) -> Standing:
    """The standing in ``data``; ``ValueError`` when it is not one (unknown fields, kept
    by a newer casebook, are ignored)."""
    try:
        return _DECODER.decode(data)
    except (msgspec.DecodeError, RecursionError) as error:
        raise ValueError(str(error)) from None


def fresh(now: float) -> Standing:
    """A presentation not started before: the first slide, the clock running from ``now``."""
    return Standing(since=now, saved=now)


def file_name(case_id: str) -> str:
    """The file of ``case_id``'s standing: its id when that is a short slug (as every
    valid case id is), else a digest of it (never a path)."""
    if _SAFE_NAME.fullmatch(case_id) and len(case_id) <= 100:
        return f"{case_id}.json"
    return "case-" + hashlib.sha256(case_id.encode("utf-8", "surrogatepass")).hexdigest() + ".json"


@dataclass(frozen=True)
class Loaded:
    """What :meth:`Presentations.load` found: a standing, or none and maybe why."""

    standing: Standing | None
    problem: str | None = None
    """Why a saved standing could not be read (the presentation starts fresh)."""


class Presentations:
    """The standings of every presented case: in files, or in memory only."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        """Where the files are; ``None`` keeps everything in memory."""
        self._memory: dict[str, Standing] = {}
        self._swept: set[str] = set()

    @classmethod
    def open(cls, directory: Path | None = None) -> Presentations:
        """The standings in ``directory`` (default: the user's data folder)."""
        return cls((directory if directory is not None else data_dir()) / FOLDER)

    @classmethod
    def in_memory(cls) -> Presentations:
        """Standings that live as long as this object (a served session's)."""
        return cls(None)

    def path(self, case_id: str) -> Path | None:
        return self.folder / file_name(case_id) if self.folder is not None else None

    def load(self, case_id: str) -> Loaded:
        """The saved standing of ``case_id``; none when there is none, or, with the
        reason, when the file cannot be read or is not a standing."""
        path = self.path(case_id)
        if path is None:
            return Loaded(self._memory.get(case_id))
        try:
            data = read_regular(path, LIMIT)
        except FileNotFoundError:
            return Loaded(None)
        except OSError as error:
            return Loaded(None, str(error) or type(error).__name__)
        try:
            return Loaded(decode(data))
        except ValueError as error:
            return Loaded(None, f"{path}: {error}")

    def save(self, case_id: str, standing: Standing) -> None:
        """Keep ``standing`` for ``case_id``; raises ``OSError`` when it cannot be written."""
        path = self.path(case_id)
        if path is None:
            self._memory[case_id] = standing
            return
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.name not in self._swept:  # what writers killed mid-write left, once
            self._swept.add(path.name)
            with contextlib.suppress(OSError):
                remove_stale_temporaries(path.parent, path.name)
        write_atomic(path, msgspec.json.encode(standing), mode=0o600, durable=False)


def now() -> float:
    """The time the clocks count in (Unix time): one place for tests to replace."""
    return time.time()
