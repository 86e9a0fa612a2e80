"""Reloading a library after its files change, keeping the last good version of broken ones."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

import msgspec

from casebook.model.format.addresses import CASE_SUFFIXES
from casebook.model.load.library import Library, _in_reading_order, _listed, held, load_library


class Reloaded(msgspec.Struct, frozen=True):
    """A fresh library, and the ids of cases shown from their last good version."""

    library: Library
    stale: frozenset[str] = msgspec.field(default_factory=frozenset)


def reload_library(previous: Library, paths: Iterable[Path]) -> Reloaded:
    """Load ``paths`` again; a case whose file broke keeps its last good version, as stale.

    New files appear and deleted files disappear; only a file that still exists but no
    longer loads keeps its old case on screen, while its problems are reported: through
    any number of broken saves in a row (``Library.kept`` remembers where it came from).
    """
    library = load_library(paths, previous.edition)
    broken = {same_file(loaded.path) for loaded in library.files if not loaded.ok}
    paths_before: dict[str, Path] = {}  # the first file of each id, else the stale one's
    for loaded in previous.files:
        if loaded.case_id is not None:
            paths_before.setdefault(loaded.case_id, loaded.path)
    for case_id, path in previous.kept.items():  # stale already: broken before
        paths_before.setdefault(case_id, path)
    stale: set[str] = set()
    kept = held(library.cases)
    for case_id, case in held(previous.cases).items():
        path = paths_before.get(case_id)
        if case_id in kept or path is None or same_file(path) not in broken:
            continue
        kept[case_id] = case
        stale.add(case_id)
        library.kept[case_id] = path
    library.cases = _in_reading_order(kept, library.collection)
    return Reloaded(library, frozenset(stale))


def same_file(path: Path) -> str:
    """A key that is the same for two spellings of one file, as far as can be told;
    never raises (a symlink loop or a vanished folder is its own spelling)."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError, RuntimeError):
        return str(path)


def folder_names(folders: Sequence[Path]) -> frozenset[str]:
    """The names a file watcher may report ``folders`` by (absolute, and resolved):
    when one of them is reported deleted, the watcher has lost it."""
    names: set[str] = set()
    for folder in folders:
        names.add(same_file(folder))
        try:
            names.add(os.path.abspath(folder))  # noqa: PTH100 (a name, not a resolved path)
        except (OSError, ValueError):  # the current folder is gone
            continue
    return frozenset(names)


FolderIdentity = tuple[int, int] | None


def folder_identities(paths: Sequence[Path]) -> tuple[FolderIdentity, ...]:
    """Which folder each of ``paths`` is now (device and inode), None where there is none.

    A file watcher watches a folder, not a name: when a folder is deleted and made
    again, or renamed away and back, this changes, and the watcher must start again."""
    found: list[FolderIdentity] = []
    for path in paths:
        try:
            info = path.stat()
        except (OSError, ValueError):
            found.append(None)
            continue
        found.append((info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None)
    return tuple(found)


MTIME_SLACK = 1.0
"""Seconds: file systems store modification times coarsely, so a file written just
before a library was read counts as possibly changed since."""


def changed_since(library: Library, paths: Iterable[Path]) -> bool:
    """Whether the case files under ``paths`` may differ from those ``library`` read:
    a file added or removed, or one modified since (a cheap check, one ``stat`` a file)."""
    files, _, unreadable = _listed(list(paths))
    # Compared as the strings both were listed by (``_listed``), no Path or copy made: a
    # Path and a string a file, on both sides, took 2,000 files' watcher 0.7 MiB more.
    listed = set(map(os.fspath, files))
    listed.update(os.fspath(folder.path) for folder in unreadable)
    if {loaded.path_text for loaded in library.files} != listed:
        return True
    since = library.read_at - MTIME_SLACK
    for path in files:
        try:
            if os.stat(path).st_mtime >= since:  # noqa: PTH116 (a string path: no Path built)
                return True
        except OSError:
            return True
    return False


def is_case_file(path: str) -> bool:
    """Whether a changed path is one the library reads (for the file watcher)."""
    name = Path(path).name
    return name.endswith(CASE_SUFFIXES) and not name.startswith(".")
