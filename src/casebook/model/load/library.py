"""The library: every case and the collection from the active case directories."""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from casebook.model.format.addresses import CASE_SUFFIXES
from casebook.model.format.card import Card, Chronicle, card_of, chronicle_of, shared
from casebook.model.format.case import Case, Collection
from casebook.model.format.edition import Edition, for_edition
from casebook.model.format.text import one_line
from casebook.model.load.cache import load_files_cached
from casebook.model.load.diagnostics import Diagnostic, capped, cut
from casebook.model.load.loader import (
    Load,
    LoadedFile,
    _Unreadable,
    load_file,
    locate_problems,
    read_text,
)
from casebook.model.load.validate import Path as DataPath
from casebook.model.load.validate import Problem

ENV_PATH = "CASEBOOK_PATH"


def bundled_cases_dir() -> Path:
    """The casebook shipped with the package (or the checkout's ``cases/`` in development)."""
    package = Path(__file__).resolve().parents[2]
    installed = package / "bundled_cases"
    if installed.is_dir():
        return installed
    return package.parent.parent / "cases"


def case_dirs(
    cli_dirs: Sequence[Path] = (),
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> list[Path]:
    """Active case dirs: ``--cases`` > ``CASEBOOK_PATH`` > ``./cases`` > the bundled cases."""
    if cli_dirs:
        return list(cli_dirs)
    environ = os.environ if environ is None else environ
    from_env = [Path(p) for p in environ.get(ENV_PATH, "").split(os.pathsep) if p.strip()]
    if from_env:
        return from_env
    local = (cwd or Path.cwd()) / "cases"
    if local.is_dir():
        return [local]
    return [bundled_cases_dir()]


def display_path(path: Path) -> str:
    """A path as a person wants to read it: relative to here when it is below here."""
    if not path.is_absolute():  # as it is: a relative path is never relative to a folder
        return one_line(str(path))
    try:
        shown = str(path.relative_to(_folder(os.getcwd())))  # noqa: PTH109 (a cache key)
    except ValueError:
        shown = str(path)
    return one_line(shown)


@functools.lru_cache(maxsize=4)
def _folder(name: str) -> Path:
    return Path(name)


def case_files(paths: Sequence[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The case files named by files and folders (folders searched recursively), each
    once; and the problems met: paths that do not exist, folders that cannot be read."""
    found, missing, unreadable = _listed(paths)
    missing += [diagnostic for folder in unreadable for diagnostic in folder.diagnostics]
    return [Path(path) for path in found], missing


def _listed(
    paths: Sequence[Path],
) -> tuple[list[str | Path], list[Diagnostic], list[LoadedFile]]:
    """``case_files``, where files found in folders are plain strings: a large library
    is listed without building (and later hashing) a ``Path`` per file. A folder that
    cannot be listed comes as a failed "file" of its own, so that it counts as invalid."""
    found: list[str | Path] = []
    missing: list[Diagnostic] = []
    unreadable: list[LoadedFile] = []

    def cannot_list(error: OSError) -> None:
        where = Path(error.filename) if error.filename else path
        why = error.strerror or str(error)
        message = f"cannot read this folder ({why}); the case files in it were not checked"
        unreadable.append(LoadedFile(where, None, [Diagnostic(display_path(where), 0, 0, message)]))

    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path, onerror=cannot_list):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                folder = os.path.join(root, "")  # noqa: PTH118 (then + name: a join, faster)
                found += [
                    folder + name  # no Path built per file
                    for name in sorted(files)
                    if name.endswith(CASE_SUFFIXES) and not name.startswith(".")
                ]
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            missing.append(Diagnostic(display_path(path), 0, 0, "no such file or folder"))
    if len(paths) > 1:  # a file named twice, or a folder inside another
        found = list(dict.fromkeys(Path(path) for path in found))
        unreadable = list({folder.path: folder for folder in unreadable}.values())
    return found, missing, unreadable


Held = Case | Callable[[], Case]
"""A case as a library holds it: decoded, or a call that decodes it."""


class Cases(Mapping[str, Case]):
    """Cases by id, in reading order; each decoded (from the cache) when first looked up.

    Listing ids, counting and membership never decode anything, so a large library
    opens at the cost of the cases it shows.
    """

    def __init__(self, held: Mapping[str, Held] | None = None) -> None:
        self._held: dict[str, Held] = dict(held or {})

    def __getitem__(self, case_id: str) -> Case:
        found = self._held[case_id]
        if not isinstance(found, Case):
            found = self._held[case_id] = found()
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._held

    def held(self) -> dict[str, Held]:
        """Every case as held, decoded or not (to reorder or merge without decoding)."""
        return dict(self._held)

    def card(self, case_id: str) -> Card:
        """The card of case ``case_id``, without decoding the case when it is not yet."""
        found = self._held[case_id]
        return found.card if isinstance(found, _CaseOf) else card_of(self[case_id])

    def chronicle(self, case_id: str) -> Chronicle:
        """The chronicle of case ``case_id``, without decoding the case when it is not yet
        (made anew each time: the timeline that asks keeps what it makes of them)."""
        found = self._held[case_id]
        return found.chronicle if isinstance(found, _CaseOf) else chronicle_of(self[case_id])


def held(cases: Mapping[str, Case]) -> dict[str, Held]:
    """``cases`` as held, without decoding any."""
    return cases.held() if isinstance(cases, Cases) else dict(cases)


def card_in(cases: Mapping[str, Case], case_id: str) -> Card:
    """The card of case ``case_id`` of ``cases`` (a library's, decoding nothing)."""
    return cases.card(case_id) if isinstance(cases, Cases) else card_of(cases[case_id])


def cards(cases: Mapping[str, Case]) -> Iterator[Card]:
    """The card of every case of ``cases``, in order (a library's, decoding nothing)."""
    return (card_in(cases, case_id) for case_id in cases)


def chronicle_in(cases: Mapping[str, Case], case_id: str) -> Chronicle:
    """The chronicle of case ``case_id`` of ``cases`` (a library's, decoding nothing)."""
    return cases.chronicle(case_id) if isinstance(cases, Cases) else chronicle_of(cases[case_id])


def unkept_cases(cases: Mapping[str, Case]) -> Iterator[Case]:
    """Every case of ``cases``, in order; one not decoded yet (a library's) is decoded for
    the caller only, and not kept: what reads all of thousands once (the search index)
    leaves them as they were."""
    if not isinstance(cases, Cases):
        yield from cases.values()
        return
    for found in cases.held().values():
        if isinstance(found, Case):
            yield found
        else:
            yield found.unkept() if isinstance(found, _CaseOf) else found()


def chronicles(cases: Mapping[str, Case]) -> Iterator[Chronicle]:
    """The chronicle of every case of ``cases``, in order (a library's, decoding nothing)."""
    return (chronicle_in(cases, case_id) for case_id in cases)


@dataclass(repr=False)
class Library:
    """Cases in reading order, the collection, and every diagnostic of the loaded files.

    Its ``repr`` counts them: whatever names a library (a worker's description, a log
    line) must not decode and print thousands of cases (a dataclass's repr of 2,000
    cached cases took a second, and decoded them all)."""

    files: list[LoadedFile] = field(default_factory=list)
    cases: Mapping[str, Case] = field(default_factory=dict)
    collection: Collection | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    edition: Edition = "student"
    read_at: float = 0.0
    """When its files were listed (``time.time()``): a later change is not in it."""
    kept: dict[str, Path] = field(default_factory=dict)
    """Cases shown from the last good version of a file that no longer loads (stale):
    each case's id and that file."""

    def __repr__(self) -> str:
        return (
            f"Library({len(self.files)} files, {len(self.cases)} cases, "
            f"{len(self.diagnostics)} problems, edition={self.edition!r})"
        )


def load_library(
    paths: Iterable[Path],
    edition: Edition = "student",
    *,
    cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    parse_at_most: int | None = None,
    part: int | None = None,
    load: Load | None = None,
) -> Library:
    """Load every case file under ``paths``; bad files become diagnostics, never exceptions.

    The library's cases are cut to ``edition``: the student edition holds no teaching
    notes or epilogues, so nothing built on it (screens, search, exports) can show them.
    Unchanged valid files come from the cache (see ``casebook.model.load.cache``) unless
    ``cache`` is False or ``CASEBOOK_NO_CACHE`` is set; many files to parse are shared
    with worker processes (``casebook.model.load.parallel``). ``progress(parsed, total)`` is
    called in this thread as files are parsed (files taken from the cache are not); an
    exception it raises stops the load (no other file is parsed) and comes out of it.
    With ``parse_at_most``, it raises ``cache.TooManyToParse`` rather than parse more
    files than that (the caller may then load in the background). With ``part``, only
    the first that many files listed are loaded: a part of the library, without
    diagnostics (they are known once every file is read; see :func:`load_in_parts`).
    ``load`` parses a file (default ``load_file``; or one that knows some answers
    already, see ``casebook.model.load.head_start``).
    """
    read_at = time.time()
    paths = list(paths)
    files, missing, unreadable = _listed(paths)
    if part is not None:
        files, missing, unreadable = files[:part], [], []
    loaded_files = load_files_cached(
        files,
        display_path,
        use_cache=cache,
        progress=progress,
        parse_at_most=parse_at_most,
        load=load,
    )
    if unreadable:  # folders that could not be listed count as invalid files
        loaded_files = [*loaded_files, *unreadable]
    library = Library(files=loaded_files, edition=edition, read_at=read_at)
    library.diagnostics.extend(missing)
    owners: dict[str, LoadedFile] = {}
    collections: list[LoadedFile] = []
    flags = _Flags()
    for loaded in library.files:
        case_id = loaded.case_id  # read without decoding a cached case
        if case_id is None:
            if isinstance(loaded.document, Collection):
                collections.append(loaded)
            continue
        if case_id in owners:
            first = owners[case_id]
            flags.add(first, ("id",), f"id {case_id!r} is also used by {_shown(loaded)}")
            flags.add(loaded, ("id",), f"id {case_id!r} is also used by {_shown(first)}")
            continue
        owners[case_id] = loaded
    if collections:
        library.collection = collections[0].document  # type: ignore[assignment]
        for extra in collections[1:]:
            message = f"a second collection file; the first is {_shown(collections[0])}"
            flags.add(extra, ("kind",), message)
        _check_chapters(collections[0], owners, flags)
    elif owners:
        _check_chapters_beside(paths, owners, flags)
    flags.apply()
    seen: dict[object, object] = {}  # what the cards share (see ``card.shared``)
    unordered: dict[str, Held] = {
        case_id: _CaseOf(loaded, edition, seen) for case_id, loaded in owners.items()
    }
    library.cases = _in_reading_order(unordered, library.collection)
    if part is None:
        for loaded in library.files:
            library.diagnostics.extend(loaded.diagnostics)
        library.diagnostics = cut(library.diagnostics)
    return library


FIRST_PART = 60
"""At most this many files a large library loads first, shown while the rest loads."""


def first_part(rows: int) -> int:
    """How many files a large library loads first for a screen ``rows`` high: as many as
    its case list shows entries (two rows each), and one more, at most ``FIRST_PART``
    (the fewer, the sooner the first page: each is parsed before it is drawn)."""
    return max(1, min(FIRST_PART, rows // 2 + 1))


def load_in_parts(
    paths: Iterable[Path],
    edition: Edition = "student",
    *,
    first: int,
    cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    load: Load | None = None,
) -> Iterator[Library]:
    """A large library in two parts: the first ``first`` files listed (enough to fill a
    case list's first page, loaded at once), then the whole library, which holds the very
    same case objects as the first part for the cases in both (a case being read is not
    rebuilt) and counts as read when the first part was (a file changed meanwhile is
    caught up with). ``progress`` counts the first part's files as done; ``load`` parses
    a file (see :func:`load_library`)."""
    paths = list(paths)
    shown_first = load_library(paths, edition, cache=cache, part=first, load=load)
    yield shown_first
    if progress is not None:
        counted = progress

        def progress(done: int, total: int) -> None:
            counted(min(done + first, total), total)

    whole = load_library(paths, edition, cache=cache, progress=progress, load=load)
    cases = held(whole.cases)
    shown = held(shown_first.cases)
    cases.update((case_id, shown[case_id]) for case_id in cases.keys() & shown.keys())
    whole.cases = _in_reading_order(cases, whole.collection)
    whole.read_at = shown_first.read_at
    yield whole


class _CaseOf:
    """A file's case as an edition may see it, made once, whichever library asks first
    (a reload keeps a broken file's last good case: the very same object)."""

    __slots__ = ("_card", "_case", "_edition", "_loaded", "_seen")  # a library holds thousands

    def __init__(self, loaded: LoadedFile, edition: Edition, seen: dict[object, object]) -> None:
        self._loaded, self._edition, self._seen = loaded, edition, seen
        self._case: Case | None = None
        self._card: Card | None = None

    @property
    def card(self) -> Card:
        """The case's card (the same in every edition), without decoding the case; what
        it shares with the library's other cards, shared."""
        if self._card is None:
            self._card = shared(self._loaded.card, self._seen)
        return self._card

    @property
    def chronicle(self) -> Chronicle:
        """The case's chronicle (the same in every edition): made from the case when it
        is decoded already, else without decoding it, its company its card's (kept)."""
        if self._case is not None:
            return chronicle_of(self._case)
        found = self._loaded.chronicle
        card = self._card
        if card is not None and found.company == card.company:
            found = msgspec.structs.replace(found, company=card.company)
        return found

    def unkept(self) -> Case:
        """The case, decoded for the caller only when it is not yet (and then not kept)."""
        if self._case is not None:
            return self._case
        return for_edition(self._loaded.unkept_document(), self._edition)  # type: ignore[arg-type, return-value]

    def __call__(self) -> Case:
        if self._case is None:
            self._case = for_edition(self._loaded.document, self._edition)  # type: ignore[arg-type, assignment]
        return self._case  # type: ignore[return-value]


def _shown(loaded: LoadedFile) -> str:
    return display_path(loaded.path)


class _Flags:
    """Library-level problems of files (an id used twice, a chapter naming no case...),
    added to each file's diagnostics at once: each file is read and positioned in once."""

    def __init__(self) -> None:
        self.found: dict[int, tuple[LoadedFile, list[Problem]]] = {}

    def add(self, loaded: LoadedFile, where: DataPath, message: str) -> None:
        self.found.setdefault(id(loaded), (loaded, []))[1].append(Problem(where, message))

    def apply(self) -> None:
        for loaded, problems in self.found.values():
            try:
                text = read_text(loaded.path)
            except _Unreadable:  # gone or changed since it loaded: problems at 0:0
                text = ""
            located = locate_problems(text, problems, _shown(loaded))
            loaded.diagnostics = capped([*loaded.diagnostics, *located])


def _check_chapters(
    collection_file: LoadedFile, owners: dict[str, LoadedFile], flags: _Flags
) -> None:
    collection = collection_file.document
    assert isinstance(collection, Collection)
    for index, chapter in enumerate(collection.chapters):
        for position, case_id in enumerate(chapter.cases):
            if case_id not in owners:
                where = ("chapters", index, "cases", position)
                flags.add(collection_file, where, f"no valid case has id {case_id!r}")
    _check_case_chapters(collection, "the collection", owners.items(), flags)


def _check_case_chapters(
    collection: Collection,
    named: str,
    cases: Iterable[tuple[str, LoadedFile]],
    flags: _Flags,
) -> None:
    """Each case's ``chapter`` against ``collection`` (called ``named`` in messages): a
    chapter it has, and the one that lists the case if one does."""
    placed = {case_id: chapter.id for chapter in collection.chapters for case_id in chapter.cases}
    chapter_ids = dict.fromkeys(chapter.id for chapter in collection.chapters)
    for case_id, loaded in cases:
        chapter = loaded.case_chapter
        if chapter is None:
            continue
        if chapter not in chapter_ids:
            flags.add(loaded, ("chapter",), _no_chapter(named, chapter, chapter_ids))
        elif placed.get(case_id, chapter) != chapter:
            message = f"{named} lists this case under chapter {placed[case_id]!r}"
            flags.add(loaded, ("chapter",), message)


MAX_CHAPTERS_LISTED = 20
"""The most chapter ids a "no chapter" message lists."""


def _no_chapter(named: str, chapter: str, chapter_ids: dict[str, None]) -> str:
    """``named`` has no chapter ``chapter``: the message lists the ones it has."""
    from casebook.model.load.validate import close_match

    ids = list(chapter_ids)
    if not ids:
        return f"{named} has no chapter {chapter!r}; it has no chapters"
    hint = close_match(chapter, ids[:1000], cutoff=0.75)
    tip = f"did you mean {hint!r}? " if hint else ""
    shown = ", ".join(ids[:MAX_CHAPTERS_LISTED])
    if len(ids) > MAX_CHAPTERS_LISTED:
        shown += f" and {len(ids) - MAX_CHAPTERS_LISTED} more"
    return f"{named} has no chapter {chapter!r}; {tip}its chapters are: {shown}"


def _check_chapters_beside(
    paths: Sequence[Path], owners: dict[str, LoadedFile], flags: _Flags
) -> None:
    """With no collection among the files loaded, the chapter of each case file named
    by itself is checked against the collection file in the same folder, if there is
    one: that file is read (as safely as any case file) for this check only, never
    loaded into the library, and its own problems are not reported here."""
    named = {path.absolute() for path in paths if not path.is_dir()}
    if not named:
        return
    found: dict[Path, tuple[Collection, str] | None] = {}
    for case_id, loaded in owners.items():
        if loaded.case_chapter is None or loaded.path.absolute() not in named:
            continue
        folder = loaded.path.absolute().parent
        if folder not in found:
            found[folder] = collection_beside(loaded.path)
        beside = found[folder]
        if beside is not None:
            collection, shown = beside
            where = f"the collection in {shown}"
            _check_case_chapters(collection, where, [(case_id, loaded)], flags)


_COLLECTION_KIND = re.compile(r"""^kind:[ \t]*["']?collection["']?[ \t]*(?:#.*)?$""", re.M)
"""A top-level ``kind: collection`` line: a file without one is no collection."""


def collection_beside(path: Path) -> tuple[Collection, str] | None:
    """The collection in the folder of case file ``path`` and its name as shown, or
    None when the folder holds no valid collection file. The files are found as the
    library finds case files (``.yaml``/``.yml``, not hidden), the first by name wins,
    and each is read as the loader reads a case file (a regular file, under the size
    cap, strict YAML)."""
    folder = path.parent
    try:
        names = sorted(
            entry.name
            for entry in os.scandir(folder)
            if entry.name.endswith(CASE_SUFFIXES) and not entry.name.startswith(".")
        )
    except OSError:
        return None
    for name in names:
        candidate = folder / name
        if candidate.name == path.name:
            continue
        try:
            text = read_text(candidate)
        except _Unreadable:
            continue
        if not _COLLECTION_KIND.search(text):
            continue
        loaded = load_file(candidate)
        if isinstance(loaded.document, Collection) and loaded.ok:
            return loaded.document, display_path(candidate)
        return None  # the first collection file is the collection: it does not load
    return None


def _in_reading_order(cases: dict[str, Held], collection: Collection | None) -> Cases:
    """Cases in the collection's chapter order, then the rest by id (none decoded)."""
    order: list[str] = []
    if collection is not None:
        order = [case_id for chapter in collection.chapters for case_id in chapter.cases]
    ordered = {case_id: cases[case_id] for case_id in order if case_id in cases}
    ordered.update((case_id, cases[case_id]) for case_id in sorted(cases) if case_id not in ordered)
    return Cases(ordered)


def library_warnings(
    library: Library, progress: Callable[[int, int], None] | None = None
) -> list[Diagnostic]:
    """Author warnings (lint) for every file of ``library`` that loaded cleanly.

    ``progress(checked, total)`` is called after each such file (a few milliseconds
    each: thousands take seconds); an exception it raises stops the check and comes out."""
    from casebook.model.load.lint import lint

    clean = [loaded for loaded in library.files if loaded.ok]
    found: list[Diagnostic] = []
    for checked, loaded in enumerate(clean, start=1):
        try:
            text = read_text(loaded.path)
        except _Unreadable:  # gone or changed since it loaded: nothing to warn of
            pass
        else:
            found += lint(loaded, text, display_path(loaded.path))
        if progress is not None:
            progress(checked, len(clean))
    return found
