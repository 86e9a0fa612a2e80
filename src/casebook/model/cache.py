"""A cache of validated case files, so that a large library opens without parsing YAML.

Only files that loaded with no diagnostics at all are cached: their validated
documents, encoded with msgspec's MessagePack and decoded straight back into the
same structs. Every folder of case files has one cache file in :func:`cache_dir`
(``$CASEBOOK_CACHE_DIR`` if set, else the platform's user cache folder), named
after the folder's resolved path. An entry is used only when its file's size,
mtime, ctime and inode are exactly those it was cached with; anything else, and
any cache that is not exactly what this version wrote (another
:data:`FORMAT_VERSION`, casebook or msgspec version, another source of the
modules that turn a file into a document, another folder, a bad checksum,
garbage, a truncated or unreadable file), is ignored: the files are parsed again
and the cache rewritten, atomically (a temporary file, then ``os.replace``).
The cache never changes what a load returns, only how fast.

A file changed less than :data:`RACY_NS` before a load began is not cached: its
timestamps cannot yet tell it from a later edit in the same clock tick.

``CASEBOOK_NO_CACHE=1`` (or ``use_cache=False``, ``load_library(..., cache=False)``)
turns the cache off: what must re-check every file (``casebook validate``) uses that.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import stat
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

import msgspec
import platformdirs

from casebook import __version__
from casebook.model import case, dates, diagnostics, loader, text, validate, yamlsafe
from casebook.model.case import Case, Collection
from casebook.model.dates import FuzzyDate
from casebook.model.loader import LoadedFile, load_file

FORMAT_VERSION = 1
"""Bump when the case format, the loader or the validation changes what a file becomes."""

ENV_DIR = "CASEBOOK_CACHE_DIR"
ENV_OFF = "CASEBOOK_NO_CACHE"
SUFFIX = ".msgpack"

RACY_NS = 2_000_000_000
"""Files changed this recently (ns) before a load are parsed but not cached."""

VERSION = f"{FORMAT_VERSION} casebook {__version__} msgspec {msgspec.__version__}"
_SOURCES = (case, dates, diagnostics, loader, text, validate, yamlsafe)
"""The modules that decide what a file becomes: editing one (or this one) invalidates
every cache, even if nobody bumps FORMAT_VERSION."""
_CHECKSUM_BYTES = 4
_MANY = 100
"""Parsing more files than this at once pauses the garbage collector (see below)."""

Stamp = tuple[int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode) of a file: an entry holds only while they do."""


class _CaseEntry(msgspec.Struct, array_like=True):
    name: str
    stamp: Stamp
    document: Case


class _CollectionEntry(msgspec.Struct, array_like=True):
    name: str
    stamp: Stamp
    document: Collection


_Entry = _CaseEntry | _CollectionEntry


class _Payload(msgspec.Struct, array_like=True):
    folder: str
    cases: list[_CaseEntry]
    collections: list[_CollectionEntry]


def _enc_hook(value: object) -> object:
    """A date as it was parsed: no regex runs again when it is decoded."""
    if isinstance(value, FuzzyDate):
        return (value.text, value.precision, value.start.toordinal(), value.end.toordinal())
    raise NotImplementedError(type(value))


def _dec_hook(kind: type, value: object) -> object:
    if kind is FuzzyDate and isinstance(value, list) and len(value) == 4:
        text, precision, start, end = value
        return FuzzyDate(date.fromordinal(start), date.fromordinal(end), precision, text)
    raise NotImplementedError(kind)


def _fingerprint() -> bytes:
    """What a cache file starts with: the versions, and a digest of the loader's sources
    as they were when imported (a file edited later, while the app runs, cannot leave
    a cache that the next version trusts)."""
    digest = hashlib.sha256()
    for source in [module.__file__ for module in _SOURCES] + [__file__]:
        try:
            digest.update(Path(source or "").read_bytes())
        except OSError:  # no source (a frozen build): the versions alone decide
            digest.update(str(source).encode())
    return f"casebook cache {VERSION} {digest.hexdigest()[:16]}\n".encode()


_HEADER = _fingerprint()


def _header() -> bytes:
    return _HEADER


@functools.cache
def _encoder() -> msgspec.msgpack.Encoder:
    return msgspec.msgpack.Encoder(enc_hook=_enc_hook)


@functools.cache
def _decoder() -> msgspec.msgpack.Decoder[_Payload]:
    return msgspec.msgpack.Decoder(_Payload, dec_hook=_dec_hook)


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where cache files live: ``$CASEBOOK_CACHE_DIR``, else the user cache folder."""
    environ = os.environ if environ is None else environ
    configured = environ.get(ENV_DIR, "").strip()
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("casebook"))


def cache_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """False when ``CASEBOOK_NO_CACHE`` is set to anything but ``""`` or ``0``."""
    environ = os.environ if environ is None else environ
    return environ.get(ENV_OFF, "").strip() in ("", "0")


def cache_path(folder: Path, environ: Mapping[str, str] | None = None) -> Path:
    """The cache file of the case files directly in ``folder``."""
    return _cache_path(cache_dir(environ), str(Path(folder).resolve()))


def _cache_path(root: Path, resolved_folder: str) -> Path:
    digest = hashlib.sha256(os.fsencode(resolved_folder)).hexdigest()[:32]
    return root / f"cases-{digest}{SUFFIX}"


def load_files_cached(
    paths: Sequence[Path],
    shown: Callable[[Path], str] = str,
    *,
    use_cache: bool = True,
    environ: Mapping[str, str] | None = None,
) -> list[LoadedFile]:
    """``load_file`` for each path, in order, reusing cached documents of unchanged files.

    ``shown(path)`` is how a parsed file is named in its diagnostics (cached files
    have none). With ``use_cache=False`` or ``CASEBOOK_NO_CACHE`` set, every file is
    parsed and no cache is read or written. Never raises for a bad cache.
    """
    if not use_cache or not cache_enabled(environ):
        with _collector_paused(len(paths) > _MANY):
            return [load_file(path, shown(path)) for path in paths]
    return _load_cached(paths, shown, cache_dir(environ))


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


def _load_cached(
    paths: Sequence[Path], shown: Callable[[Path], str], root: Path
) -> list[LoadedFile]:
    started = time.time_ns()
    results: list[LoadedFile | None] = [None] * len(paths)
    spelled: dict[str, list[int]] = {}
    for index, path in enumerate(paths):
        spelled.setdefault(str(path.parent), []).append(index)
    folders: dict[str | None, list[int]] = {}
    for folder, indexes in spelled.items():
        folders.setdefault(_resolve(folder), []).extend(indexes)
    for resolved, indexes in folders.items():
        chosen = [paths[i] for i in indexes]
        if resolved is None:
            found = [load_file(path, shown(path)) for path in chosen]
        else:
            found = _load_folder(_cache_path(root, resolved), resolved, chosen, shown, started)
        for index, loaded in zip(indexes, found, strict=True):
            results[index] = loaded
    return results  # type: ignore[return-value]


def _resolve(folder: str) -> str | None:
    try:
        return str(Path(folder).resolve())
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symlink loop
        return None


def _load_folder(
    target: Path, resolved: str, paths: list[Path], shown: Callable[[Path], str], started: int
) -> list[LoadedFile]:
    """Load files of one folder through that folder's cache file ``target``."""
    read = _read(target, resolved)
    cached = read if read is not None else {}
    with _collector_paused(len(paths) - len(cached) > _MANY):  # at least that many to parse
        results, kept = _load_each(paths, cached, shown, started)
    if (
        read is None
        or kept.keys() != cached.keys()
        or any(kept[name] is not cached[name] for name in kept)
    ):
        _write(target, resolved, kept)
    return results


def _load_each(
    paths: list[Path], cached: dict[str, _Entry], shown: Callable[[Path], str], started: int
) -> tuple[list[LoadedFile], dict[str, _Entry]]:
    """Each file from its cache entry when that still holds, else parsed; and the entries
    to keep."""
    results: list[LoadedFile] = []
    kept: dict[str, _Entry] = {}
    for path in paths:
        name = path.name
        stamp = _stamp(path)
        entry = cached.get(name)
        if entry is not None and stamp is not None and entry.stamp == stamp:
            results.append(LoadedFile(path, entry.document, []))
            kept[name] = entry
            continue
        loaded = load_file(path, shown(path))
        results.append(loaded)
        fresh = _entry(name, stamp, loaded, started)
        if fresh is not None and _stamp(path) == stamp:  # unchanged while it was read
            kept[name] = fresh
    return results, kept


def _stamp(path: Path) -> Stamp | None:
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _entry(name: str, stamp: Stamp | None, loaded: LoadedFile, started: int) -> _Entry | None:
    """A cache entry for a file that loaded cleanly and is not too fresh to trust."""
    if stamp is None or loaded.diagnostics or loaded.document is None:
        return None
    if max(stamp[1], stamp[2]) > started - RACY_NS:
        return None
    if isinstance(loaded.document, Case):
        return _CaseEntry(name, stamp, loaded.document)
    return _CollectionEntry(name, stamp, loaded.document)


def _read(target: Path, resolved: str) -> dict[str, _Entry] | None:
    """The entries of a cache file, or None when it is missing or not exactly ours."""
    try:
        data = target.read_bytes()
        header = _header()
        if not data.startswith(header):
            return None
        start = len(header) + _CHECKSUM_BYTES
        checksum = int.from_bytes(data[len(header) : start], "big")
        body = memoryview(data)[start:]
        if zlib.crc32(body) != checksum:
            return None
        payload = _decoder().decode(body)
        if payload.folder != resolved:
            return None
    except Exception:  # a cache is never trusted: anything odd and it is rebuilt
        return None
    entries: dict[str, _Entry] = {entry.name: entry for entry in payload.cases}
    entries.update((entry.name, entry) for entry in payload.collections)
    return entries


def _write(target: Path, resolved: str, entries: dict[str, _Entry]) -> None:
    """Replace the cache file atomically; a cache that cannot be written is no error."""
    cases = [e for e in entries.values() if isinstance(e, _CaseEntry)]
    collections = [e for e in entries.values() if isinstance(e, _CollectionEntry)]
    temporary = None
    try:
        if not entries:
            target.unlink(missing_ok=True)
            return
        body = _encoder().encode(_Payload(resolved, cases, collections))
        checksum = zlib.crc32(body).to_bytes(_CHECKSUM_BYTES, "big")
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=SUFFIX)
        with os.fdopen(handle, "wb") as stream:
            stream.write(_header() + checksum)
            stream.write(body)
        Path(temporary).replace(target)
        temporary = None
    except Exception:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                Path(temporary).unlink()
