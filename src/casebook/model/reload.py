"""Reloading a library after its files change, keeping the last good version of broken ones."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import msgspec

from casebook.model.library import Library, _in_reading_order, case_files, held, load_library

CASE_SUFFIXES = (".yaml", ".yml")


class Reloaded(msgspec.Struct, frozen=True):
    """A fresh library, and the ids of cases shown from their last good version."""

    library: Library
    stale: frozenset[str] = msgspec.field(default_factory=frozenset)


def reload_library(previous: Library, paths: Iterable[Path]) -> Reloaded:
    """Load ``paths`` again; a case whose file broke keeps its last good version, as stale.

    New files appear and deleted files disappear; only a file that still exists but no
    longer loads keeps its old case on screen, while its problems are reported.
    """
    library = load_library(paths, previous.edition)
    broken = {loaded.path.resolve() for loaded in library.files if not loaded.ok}
    paths_before: dict[str, Path] = {}  # the first file of each id, as path_of finds it
    for loaded in previous.files:
        if loaded.case_id is not None:
            paths_before.setdefault(loaded.case_id, loaded.path)
    stale: set[str] = set()
    kept = held(library.cases)
    for case_id, case in held(previous.cases).items():
        path = paths_before.get(case_id)
        if case_id in kept or path is None or path.resolve() not in broken:
            continue
        kept[case_id] = case
        stale.add(case_id)
    library.cases = _in_reading_order(kept, library.collection)
    return Reloaded(library, frozenset(stale))


MTIME_SLACK = 1.0
"""Seconds: file systems store modification times coarsely, so a file written just
before a library was read counts as possibly changed since."""


def changed_since(library: Library, paths: Iterable[Path]) -> bool:
    """Whether the case files under ``paths`` may differ from those ``library`` read:
    a file added or removed, or one modified since (a cheap check, one ``stat`` a file)."""
    files, _ = case_files(list(paths))
    if {f.path for f in library.files} != set(files):
        return True
    since = library.read_at - MTIME_SLACK
    for path in files:
        try:
            if path.stat().st_mtime >= since:
                return True
        except OSError:
            return True
    return False


def is_case_file(path: str) -> bool:
    """Whether a changed path is one the library reads (for the file watcher)."""
    name = Path(path).name
    return name.endswith(CASE_SUFFIXES) and not name.startswith(".")
