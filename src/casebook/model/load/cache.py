"""A cache of validated case files, so that a large library opens without parsing YAML.

Only files that loaded with no diagnostics at all are cached: their validated
documents, encoded with msgspec's MessagePack and decoded straight back into the
same structs. A case is decoded only when first used (its id and chapter are read
at once): a library of thousands opens without decoding the cases it does not show.

A cache file is never trusted (anyone who can write the cache folder can forge one,
checksum included): decoding runs the format's own validation (msgspec's types,
bounds and patterns), parses every date again from its text, and applies the
loader's other checks (no unsafe characters in any text; ids unique, references
resolved). A cached case that fails them is parsed from its file instead, and the
cache file removed, to be rebuilt by the next load.

Every folder of case files has one cache file in :func:`cache_dir`
(``$CASEBOOK_CACHE_DIR`` if set, else the platform's user cache folder), named
after the folder's resolved path. An entry is used only when its file's size,
mtime, ctime and inode are exactly those it was cached with; anything else, and
any cache that is not exactly what this version wrote (another
:data:`FORMAT_VERSION`, casebook or msgspec version, another source of the
modules that turn a file into a document, another folder, a bad checksum,
garbage, a truncated or unreadable file, anything but a regular file), is ignored:
the files are parsed again and the cache rewritten, atomically (a temporary file,
then ``os.replace``). The cache never changes what a load returns, only how fast,
and never raises: what cannot be read or written is logged (``logging``, this
module's logger) and done without.

A cache file holds an index (each file's stamp, case id and chapter, and where its
case's parts are), then each case's parts, still encoded: its card, its chronicle and
the case. The index is read whole at once; a case's parts are read from the file, held
open, when one is first used, and checked against their checksum: a library of
thousands keeps in memory only what it shows. Nothing is mapped: a mapped file cut
short by someone else kills the process (SIGBUS) when a page past its new end is
touched; a read past it just fails (the case is then parsed from its file).

A file changed less than :data:`RACY_NS` before a load began is not cached: its
timestamps cannot yet tell it from a later edit in the same clock tick.

``CASEBOOK_NO_CACHE=1`` (or ``use_cache=False``, ``load_library(..., cache=False)``)
turns the cache off: what must re-check every file (``casebook validate``) uses that.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import stat
import time
import zlib
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import msgspec

from casebook import __version__
from casebook.model.format import card, case, dates, text
from casebook.model.format.card import Card, Chronicle, card_of, chronicle_of
from casebook.model.format.case import Case, Collection, Company
from casebook.model.format.text import UNSAFE_CHARS, describe_unsafe
from casebook.model.load import codec, diagnostics, loader, validate
from casebook.model.load.loader import Load, LoadedFile, load_file
from casebook.model.load.safe_files import OpenFile, remove_stale_temporaries, write_atomic

logger = logging.getLogger(__name__)

FORMAT_VERSION = 6
"""Bump when the case format, the loader or the validation changes what a file becomes."""

ENV_DIR = "CASEBOOK_CACHE_DIR"
ENV_OFF = "CASEBOOK_NO_CACHE"
SUFFIX = ".msgpack"

MAX_BYTES = 1 << 30
"""A larger cache file is not read (about 200,000 cases' worth)."""

RACY_NS = 2_000_000_000
"""Files changed this recently (ns) before a load are parsed but not cached."""

VERSION = f"{FORMAT_VERSION} casebook {__version__} msgspec {msgspec.__version__}"


_SOURCES = (
    *(
        module.__file__
        for module in (card, case, codec, dates, diagnostics, loader, text, validate)
    ),
    str(Path(__file__).with_name("yamlsafe.py")),  # not imported: it imports PyYAML
    __file__,
)
"""The sources that decide what a file becomes: editing one (or this one) invalidates
every cache, even if nobody bumps FORMAT_VERSION."""
_CHECKSUM_BYTES = 4
_LENGTH_BYTES = 8
_MANY = 100
"""Parsing more files than this at once pauses the garbage collector (see below)."""
_PARALLEL = 100
"""Parsing at least this many files at once shares them with worker processes
(``casebook.model.load.parallel``)."""

Stamp = tuple[int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode) of a file: an entry holds only while they do."""


_Size = Annotated[int, msgspec.Meta(ge=0)]


class _Place(msgspec.Struct, array_like=True, frozen=True, gc=False):
    """Where a case's parts lie after a cache file's index: its card, its chronicle and the
    case, encoded (MessagePack), one after the other, read and checked together when one
    is first used (reading the index neither walks nor holds them); their sizes, and
    their checksum."""

    at: _Size
    card: _Size
    chronicle: _Size
    document: _Size
    checksum: Annotated[int, msgspec.Meta(ge=0, lt=1 << 32)]


_UNPLACED = _Place(0, 0, 0, 0, 0)
"""The place of an entry not yet written (``_write`` places it)."""


class _CaseEntry(msgspec.Struct, array_like=True, gc=False):
    name: str
    stamp: Stamp
    case_id: str
    chapter: str | None
    place: _Place = _UNPLACED
    """Where its case's parts are: all a cached case keeps of its entry once loaded."""


Parts = tuple[bytes, bytes, bytes]
"""A case's card, chronicle and document, encoded, as a cache file holds them."""


class _CollectionEntry(msgspec.Struct, array_like=True):
    name: str
    stamp: Stamp
    document: Collection


_Entry = _CaseEntry | _CollectionEntry


class _Cache:
    """A cache file, held open, to read its cases' parts from, and where each cached case's
    parts are (its entries are not kept: each cached case keeps the number of its place)."""

    def __init__(self, file: OpenFile, start: int) -> None:
        self._file = file
        self._start = start
        self._places = array("Q")
        """Five numbers a place (see ``_Place``): thousands of numbers, not of objects."""

    def keep(self, place: _Place) -> int:
        """Keep ``place``; the number to read its parts by (see :meth:`parts_of`)."""
        self._places.extend(msgspec.structs.astuple(place))
        return len(self._places) // 5 - 1

    def parts_of(self, number: int) -> Parts:
        """The parts at the place kept as ``number`` (as :meth:`parts`)."""
        return self.parts(_Place(*self._places[5 * number : 5 * number + 5]))

    def parts(self, place: _Place) -> Parts:
        """The card, chronicle and document at ``place``, encoded, as written: ``OSError``
        when the file no longer has them, ``ValueError`` when they changed since."""
        card, chronicle = place.card, place.chronicle
        data = self._file.read(self._start + place.at, card + chronicle + place.document)
        if zlib.crc32(data) != place.checksum:
            raise ValueError("a case's checksum does not match")
        return data[:card], data[card : card + chronicle], data[card + chronicle :]


class _Payload(msgspec.Struct, array_like=True):
    folder: str
    cases: list[_CaseEntry]
    collections: list[_CollectionEntry]


def _fingerprint() -> bytes:
    """What a cache file starts with: the versions, and a digest of the loader's sources
    as they were when imported (a file edited later, while the app runs, cannot leave
    a cache that the next version trusts)."""
    sources = b""
    for source in _SOURCES:
        try:
            sources += Path(source or "").read_bytes()
        except OSError:  # no source (a frozen build): the versions alone decide
            sources += str(source).encode()
    return f"casebook cache {VERSION} {_digest(sources)}\n".encode()


def _digest(data: bytes) -> str:
    """16 hex digits that change when ``data`` does (two checksums: not a secure hash,
    and none is needed to notice an edit or to tell folders apart)."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


_HEADER = _fingerprint()


def _header() -> bytes:
    return _HEADER


@functools.cache
def _encoder() -> msgspec.msgpack.Encoder:
    return msgspec.msgpack.Encoder(enc_hook=codec.enc_hook)


@functools.cache
def _decoder() -> msgspec.msgpack.Decoder[_Payload]:
    return msgspec.msgpack.Decoder(_Payload, dec_hook=codec.checked_dec_hook)


@functools.cache
def _case_decoder() -> msgspec.msgpack.Decoder[Case]:
    return msgspec.msgpack.Decoder(Case, dec_hook=codec.checked_dec_hook)


@functools.cache
def _card_decoder() -> msgspec.msgpack.Decoder[Card]:
    return msgspec.msgpack.Decoder(Card)


@functools.cache
def _chronicle_decoder() -> msgspec.msgpack.Decoder[Chronicle]:
    return msgspec.msgpack.Decoder(Chronicle, dec_hook=codec.checked_dec_hook)


@functools.cache
def _json_encoder() -> msgspec.json.Encoder:
    return msgspec.json.Encoder(enc_hook=codec.enc_hook)


def _untrusted(document: Case | Collection) -> str | None:
    """Why a document decoded from a cache is not one the loader would have returned
    (msgspec has validated its types already), or None when it is."""
    unsafe = _unsafe_text(document)
    if unsafe is not None:
        return unsafe
    for problem in validate._semantics(document):  # the loader's own checks
        return problem.message
    return None


def untrusted_reason(document: Case | Collection) -> str | None:
    """Why a document decoded from bytes anyone may have written (a cache file, a case a
    trainer sent) is not one the loader would have returned, or None when it is."""
    return _untrusted(document)


def _unsafe_text(document: Case | Collection | Card | Chronicle) -> str | None:
    """What the loader says of the first unsafe character in any text of ``document``.

    First, quickly, over the document as JSON: msgspec writes every character of its
    strings as it is or as an escape, which starts with a backslash; only a document
    with a backslash or an unsafe character there is walked string by string (three
    times slower). Every unsafe character is unprintable, and ``isprintable`` is ten
    times quicker than the regular expression, which settles only the rest.
    """
    flat = _json_encoder().encode(document).decode()
    if "\\" not in flat and (flat.isprintable() or UNSAFE_CHARS.search(flat) is None):
        return None
    strings: list[str] = []
    pending: list[object] = [document]
    while pending:  # every string of the document, however it nests
        item = pending.pop()
        if isinstance(item, str):
            strings.append(item)
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, msgspec.Struct):
            pending.extend(msgspec.structs.astuple(item))
    return describe_unsafe("\n".join(strings))  # newline is allowed: no false alarm


class CachedFile(LoadedFile):
    """A case file taken from the cache: its case is decoded when first asked for.

    A case that does not decode and pass :func:`_untrusted` is parsed from its file
    instead (and the cache file removed); one whose file no longer holds it is
    replaced by a stand-in that says so, and the file's problems become this file's
    diagnostics.
    """

    __slots__ = ("_cache", "_case", "_case_id", "_chapter", "_path", "_place", "_shown", "_target")

    def __init__(
        self,
        path: str | Path,
        entry: _CaseEntry,
        cache: _Cache,
        shown: Callable[[Path], str] = str,
        target: Path | None = None,
    ) -> None:
        self._path = path
        self.diagnostics = []
        # Not the entry: its file's name and stamp are let go of (thousands of them).
        self._case_id, self._chapter, self._place = (
            entry.case_id,
            entry.chapter,
            cache.keep(entry.place),
        )
        self._cache = cache
        self._case: Case | None = None
        self._shown = shown
        self._target = target

    def __repr__(self) -> str:  # not the dataclass's: it would decode the case
        state = "decoded" if self._case is not None else "not decoded"
        return f"CachedFile({os.fspath(self._path)!r}, {state})"

    @property  # type: ignore[override]
    def path(self) -> Path:
        """The file's path, made a ``Path`` when asked for (rarely, for most files), and not
        kept: the watcher's look at every file would leave thousands of them."""
        return Path(self._path)

    @property
    def path_text(self) -> str:
        return os.fspath(self._path)

    @property  # type: ignore[override]
    def document(self) -> Case:
        if self._case is None:
            self._case = self._decode()
        return self._case

    def unkept_document(self) -> Case:
        return self._case if self._case is not None else self._decode()

    def _decode(self) -> Case:
        try:
            card, chronicle, document = self._cache.parts_of(self._place)
            found = _case_decoder().decode(document)
            problem = _untrusted(found)
            if problem is None and (
                card_of(found) != _card_decoder().decode(card)
                or chronicle_of(found) != _chronicle_decoder().decode(chronicle)
            ):
                problem = "the entry's card or chronicle is not its case's"
        except Exception as error:  # noqa: BLE001 (msgspec's errors, a bad date...: logged below)
            problem = str(error) or type(error).__name__
        if problem is None:
            return found
        logger.info("cached case %s not used (%s): parsing its file", self._path, problem)
        if self._target is not None:
            with contextlib.suppress(OSError):  # the next load rebuilds it
                self._target.unlink()
        loaded = load_file(self.path, self._shown(self.path))
        document = loaded.document
        if loaded.ok and isinstance(document, Case) and document.id == self._case_id:
            return document
        self.diagnostics = loaded.diagnostics
        return _stand_in(self._case_id, self._chapter)

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    @property
    def case_id(self) -> str:
        return self._case_id

    @property
    def card(self) -> Card:
        """The case's card, decoded from the entry (the case itself is not; the library's
        case keeps what it gets)."""
        card = self._part(_card_decoder(), 0)
        if card is None or (card.id, card.chapter) != (self._case_id, self._chapter):
            card = card_of(self.document)
        return card

    @property
    def chronicle(self) -> Chronicle:
        """The case's chronicle, decoded from the entry (the case itself is not)."""
        chronicle = self._part(_chronicle_decoder(), 1)
        if chronicle is None or chronicle.id != self._case_id:
            chronicle = chronicle_of(self.document)
        return chronicle

    def _part(self, decoder: msgspec.msgpack.Decoder, which: int) -> Any:
        """A part of the case kept beside it (0: its card, 1: its chronicle), checked as
        the case would be (it is shown before the case is decoded); None when it fails
        (it is then made from the case)."""
        try:
            found = decoder.decode(self._cache.parts_of(self._place)[which])
        except (msgspec.DecodeError, OSError, ValueError) as error:
            problem = str(error)
        else:
            problem = _unsafe_text(found)
            if problem is None:
                return found
        logger.info("a cached part of %s not used (%s)", self._path, problem)
        return None

    @property
    def case_chapter(self) -> str | None:
        return self._chapter


def _stand_in(case_id: str, chapter: str | None) -> Case:
    """What a library shows for a case whose cache entry was bad and whose file no
    longer holds that case."""
    return Case(
        id=case_id,
        chapter=chapter,
        company=Company(name=case_id),
        summary=(
            "This case could not be read: its cached copy was damaged and its file has "
            "changed. Open casebook again to see the file as it is now."
        ),
    )


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where cache files live: ``$CASEBOOK_CACHE_DIR``, else the user cache folder."""
    environ = os.environ if environ is None else environ
    configured = environ.get(ENV_DIR, "").strip()
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("casebook"))


def cache_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """False when ``CASEBOOK_NO_CACHE`` is set to anything but ``""`` or ``0``."""
    environ = os.environ if environ is None else environ
    return environ.get(ENV_OFF, "").strip() in ("", "0")


def _cache_path(root: Path, resolved_folder: str) -> Path:
    return root / f"cases-{_digest(os.fsencode(resolved_folder))}{SUFFIX}"


def load_files_cached(
    paths: Sequence[str | Path],
    shown: Callable[[Path], str] = str,
    *,
    use_cache: bool = True,
    environ: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    parse_at_most: int | None = None,
    load: Load | None = None,
) -> list[LoadedFile]:
    """``load(path, shown(path))`` for each path, in order (default ``load_file``; or one
    that knows some answers already), reusing cached documents of unchanged files.

    ``shown(path)`` is how a parsed file is named in its diagnostics (cached files
    have none). With ``use_cache=False`` or ``CASEBOOK_NO_CACHE`` set, every file is
    parsed and no cache is read or written. ``progress(parsed, len(paths))`` is called
    as each file is parsed. With ``parse_at_most``, raises :class:`TooManyToParse`,
    having parsed nothing, if more files than that need parsing. Never raises for a
    bad cache.
    """
    load = load_file if load is None else load
    if not use_cache or not cache_enabled(environ):
        _check_parse_count(paths, len(paths), parse_at_most)
        return _parse([Path(path) for path in paths], shown, progress, len(paths), load)
    return _load_cached(paths, shown, cache_dir(environ), progress, parse_at_most, load)


class TooManyToParse(Exception):
    """More files need parsing than a caller would wait for (``parse_at_most``);
    ``files``: every file asked for, in order. Raised as soon as that is known: a large
    library's other files are not even looked at."""

    def __init__(self, parse_at_most: int, files: Sequence[str | Path]) -> None:
        super().__init__(f"more than {parse_at_most} files to parse")
        self.files = files


def _check_parse_count(paths: Sequence[str | Path], count: int, parse_at_most: int | None) -> None:
    if parse_at_most is not None and count > parse_at_most:
        raise TooManyToParse(parse_at_most, paths)


def _parse(
    paths: Sequence[Path],
    shown: Callable[[Path], str],
    progress: Callable[[int, int], None] | None,
    total: int,
    load: Load,
) -> list[LoadedFile]:
    """Parse ``paths`` (sharing them with worker processes when there are many)."""
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    with _collector_paused(len(paths) > _MANY):
        if len(paths) >= _PARALLEL:
            from casebook.model.load.parallel import load_files

            return load_files(paths, shown, tick, load=load)
        found = []
        for path in paths:
            found.append(load(path, shown(path)))
            tick()
        return found


@contextlib.contextmanager
def _collector_paused(pause: bool) -> Iterator[None]:
    """Pause the cyclic garbage collector while many files are parsed.

    Parsing keeps every document and makes a great deal of short-lived data on the
    way; with the collector running, it walks the growing heap again and again (about
    a sixth of a 2,000-file parse on the benchmark machine). Decoding the cache is
    faster with it running (msgspec keeps most decoded structs out of its sight).
    """
    if not pause:
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Folder:
    """One folder's cache file, what it held, and which of the folder's files to parse."""

    def __init__(self, target: Path, resolved: str, indexes: list[int]) -> None:
        self.target = target
        self.resolved = resolved
        self.indexes = indexes
        found = _read(target, resolved)
        self.cached, self.read = found if found is not None else ({}, None)
        self.stamps: dict[int, Stamp | None] = {}


def _load_cached(
    paths: Sequence[str | Path],
    shown: Callable[[Path], str],
    root: Path,
    progress: Callable[[int, int], None] | None,
    parse_at_most: int | None,
    load: Load,
) -> list[LoadedFile]:
    """Each file from its folder's cache entry while that still holds; the others parsed,
    all at once; then each folder's cache rewritten if it changed."""
    started = time.time_ns()
    results: list[LoadedFile | None] = [None] * len(paths)
    spelled: dict[str, list[int]] = {}
    names: list[str] = []  # each file's name in its folder
    for index, path in enumerate(paths):
        folder_name, name = os.path.split(path)  # no Path built per file
        spelled.setdefault(folder_name, []).append(index)
        names.append(name)
    by_folder: dict[str | None, list[int]] = {}
    for folder, indexes in spelled.items():
        by_folder.setdefault(_resolve(folder), []).extend(indexes)
    folders: list[_Folder] = []
    to_parse: list[int] = []
    for resolved, indexes in by_folder.items():
        if resolved is None:
            to_parse += indexes
            continue
        folder = _Folder(_cache_path(root, resolved), resolved, indexes)
        folders.append(folder)
        for index in indexes:
            path = paths[index]
            seen = stamp(path)
            entry = folder.cached.get(names[index])
            if entry is not None and seen is not None and entry.stamp == seen:
                if isinstance(entry, _CaseEntry):
                    read = folder.read
                    assert read is not None  # it has entries
                    results[index] = CachedFile(path, entry, read, shown, folder.target)
                else:
                    results[index] = LoadedFile(Path(path), entry.document, [])
            else:
                folder.stamps[index] = seen
                to_parse.append(index)
                _check_parse_count(paths, len(to_parse), parse_at_most)  # the rest not even stat-ed
    _check_parse_count(paths, len(to_parse), parse_at_most)
    parsed = _parse([Path(paths[index]) for index in to_parse], shown, progress, len(paths), load)
    for index, loaded in zip(to_parse, parsed, strict=True):
        results[index] = loaded
    for folder in folders:
        try:
            _save(folder, paths, names, results, started)  # type: ignore[arg-type]
        except Exception:  # a cache that cannot be written is no error
            logger.info("cache %s not written", folder.target, exc_info=True)
    return results  # type: ignore[return-value]


def _save(
    folder: _Folder,
    paths: Sequence[str | Path],
    names: list[str],
    results: list[LoadedFile],
    started: int,
) -> None:
    """Rewrite a folder's cache file unless it already holds exactly the entries to keep:
    those still valid, and files parsed cleanly that did not change while they were read."""
    if (
        not folder.stamps  # every file from the cache (a warm start)
        and folder.read is not None
        and len({names[index] for index in folder.indexes}) == len(folder.cached)
    ):
        return  # and no other file in it: it holds exactly these
    kept: dict[str, _Entry] = {}
    parts: dict[str, Parts] = {}
    for index in folder.indexes:
        name = names[index]
        if index not in folder.stamps:
            entry = folder.cached[name]
            if isinstance(entry, _CaseEntry):
                assert folder.read is not None  # it has entries
                try:
                    parts[name] = folder.read.parts(entry.place)
                except (OSError, ValueError):  # parsed again next time
                    continue
            kept[name] = entry
            continue
        seen = folder.stamps[index]
        fresh = _entry(name, seen, results[index], started)
        if fresh is not None and stamp(paths[index]) == seen:  # unchanged while it was read
            kept[name], parts[name] = fresh
    cached = folder.cached
    if (
        folder.read is None
        or kept.keys() != cached.keys()
        or any(kept[name] is not cached[name] for name in kept)
    ):
        _write(folder.target, folder.resolved, kept, parts)


def _resolve(folder: str) -> str | None:
    try:
        return str(Path(folder).resolve())
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symlink loop
        return None


def stamp(path: str | Path) -> Stamp | None:
    """A regular file's size, times and inode (None: gone, or not a regular file): a file
    whose stamp is unchanged is taken to hold what it held."""
    try:
        info = os.stat(path)  # noqa: PTH116 (a string path: no Path built per file)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _entry(
    name: str, stamp: Stamp | None, loaded: LoadedFile, started: int
) -> tuple[_Entry, Parts] | None:
    """A cache entry for a file that loaded cleanly and is not too fresh to trust, and its
    case's parts, encoded (empty for a collection: its entry holds it)."""
    if stamp is None or loaded.diagnostics or loaded.document is None:
        return None
    if max(stamp[1], stamp[2]) > started - RACY_NS:
        return None
    if isinstance(loaded.document, Case):
        found = loaded.document
        try:
            document = _encoder().encode(found)
        except Exception:  # e.g. an integer msgpack cannot hold: the file is just not cached
            logger.info("%s not cached", name, exc_info=True)
            return None
        carded = _encoder().encode(card_of(found))
        chronicle = _encoder().encode(chronicle_of(found))
        entry = _CaseEntry(name, stamp, found.id, found.chapter)
        return entry, (carded, chronicle, document)
    return _CollectionEntry(name, stamp, loaded.document), (b"", b"", b"")


def _read(target: Path, resolved: str) -> tuple[dict[str, _Entry], _Cache] | None:
    """A cache file's entries and the file to read their cases from, or None when it is
    missing or not exactly ours.

    Its index is read whole (from a regular file only: never through a symlink, never
    waiting on a FIFO), its case ids and chapters validated here (they are used at once),
    its collections in full; its cases when each is first used (``CachedFile``).
    """
    try:
        file = OpenFile(target, MAX_BYTES)
    except FileNotFoundError:
        return None
    except OSError as error:  # not a regular file, too large, unreadable
        logger.info("cache %s ignored: %s", target, error)
        return None
    try:
        header = _header()
        start = len(header) + _CHECKSUM_BYTES + _LENGTH_BYTES
        if file.read(0, min(len(header), file.size)) != header:
            return None  # another version's (or garbage): rebuilt without a word
        prefix = file.read(len(header), start - len(header))
        checksum = int.from_bytes(prefix[:_CHECKSUM_BYTES], "big")
        size = int.from_bytes(prefix[_CHECKSUM_BYTES:], "big")
        index = file.read(start, size)
        if zlib.crc32(index) != checksum:
            raise ValueError("bad checksum")
        payload = _decoder().decode(index)
        if payload.folder != resolved:
            raise ValueError("another folder's cache")
        if not _plain_ids(payload.cases):
            raise ValueError("an id or chapter that is not one")
        for collection in payload.collections:
            problem = _untrusted(collection.document)
            if problem is not None:
                raise ValueError(f"{collection.name}: {problem}")
    except Exception as error:  # a cache is never trusted: anything odd and it is rebuilt
        logger.info("cache %s ignored: %s", target, error, exc_info=True)
        return None
    chapters: dict[str, str] = {}  # thousands of cases name a few chapters: one copy each
    for entry in payload.cases:
        if entry.chapter is not None:
            entry.chapter = chapters.setdefault(entry.chapter, entry.chapter)
    entries: dict[str, _Entry] = {entry.name: entry for entry in payload.cases}
    entries.update((entry.name, entry) for entry in payload.collections)
    return entries, _Cache(file, start + size)


def _plain_ids(cases: list[_CaseEntry]) -> bool:
    """Whether every case id and chapter of a cache is made of lower-case ASCII letters,
    digits and hyphens (an id's exact shape is checked when its case is decoded). In one
    pass over them all: a regular expression per entry costs a 2,000-case start 1%."""
    ids = [entry.case_id for entry in cases]
    ids += [entry.chapter for entry in cases if entry.chapter is not None]
    if not all(ids):
        return False
    joined = "".join(ids).replace("-", "")
    return len(joined) == 0 or (joined.isascii() and joined.isalnum() and joined == joined.lower())


def _write(
    target: Path, resolved: str, entries: dict[str, _Entry], parts: Mapping[str, Parts]
) -> None:
    """Replace the cache file atomically with ``entries``, each case entry's parts (in
    ``parts`` by name) after the index; a cache that cannot be written is no error."""
    cases: list[_CaseEntry] = []
    placed: list[bytes] = []
    at = 0
    for entry in entries.values():
        if isinstance(entry, _CaseEntry):
            card, chronicle, document = parts[entry.name]
            together = card + chronicle + document
            place = _Place(at, len(card), len(chronicle), len(document), zlib.crc32(together))
            cases.append(msgspec.structs.replace(entry, place=place))
            placed.append(together)
            at += len(together)
    collections = [e for e in entries.values() if isinstance(e, _CollectionEntry)]
    try:
        if not entries:
            target.unlink(missing_ok=True)
            return
        index = _encoder().encode(_Payload(resolved, cases, collections))
        checksum = zlib.crc32(index).to_bytes(_CHECKSUM_BYTES, "big")
        body = len(index).to_bytes(_LENGTH_BYTES, "big") + index + b"".join(placed)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():  # a link in our own cache folder: replaced, never followed
            target.unlink()
        write_atomic(target, _header() + checksum + body, mode=0o600, durable=False)
        remove_stale_temporaries(target.parent, target.name)  # left by killed writers
    except Exception:  # a full disk, a read-only folder, a folder in the way...
        logger.info("cache %s not written", target, exc_info=True)
