"""The cache of validated cases: it makes loads faster and never changes what they return."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path

import msgspec
import platformdirs
import pytest

from casebook.model.format.card import card_of, chronicle_of
from casebook.model.format.case import Case, Collection, to_builtins
from casebook.model.format.text import pick
from casebook.model.load import cache
from casebook.model.load.diagnostics import Diagnostic
from casebook.model.load.library import (
    Library,
    bundled_cases_dir,
    card_in,
    cards,
    chronicles,
    load_library,
)
from casebook.model.load.loader import load_file
from casebook.model.views.compare import timeline_once
from casebook.model.views.facets import Filters, facets, filter_cases

WINDOW_NS = 50_000_000
"""The tests' racy window (50 ms): files older than this before a load may be cached."""


def settle() -> None:
    """Let files written just now leave the racy window (so that they can be cached)."""
    time.sleep(WINDOW_NS / 1e9 + 0.02)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled casebook (4 cases and the collection), old enough to cache."""
    monkeypatch.setattr(cache, "RACY_NS", WINDOW_NS)
    target = tmp_path / "cases"
    target.mkdir()
    for path in sorted(bundled_cases_dir().glob("*.yaml")):
        shutil.copy(path, target / path.name)
    settle()
    return target


def cache_files() -> list[Path]:
    return sorted(cache.cache_dir().glob("*" + cache.SUFFIX))


def cache_file(folder: Path) -> Path:
    """The cache file of the case files directly in ``folder``."""
    return cache._cache_path(cache.cache_dir(), str(folder.resolve()))


def read(folder: Path) -> tuple[dict[str, object], cache._Cache]:
    found = cache._read(cache_file(folder), str(folder.resolve()))
    assert found is not None, "no valid cache file"
    return found  # type: ignore[return-value]


def entries(folder: Path) -> dict[str, object]:
    return read(folder)[0]


def parts(folder: Path) -> dict[str, cache.Parts]:
    """The card, chronicle and case of each cached case of ``folder``, encoded, by its
    file's name."""
    found, held = read(folder)
    return {
        name: held.parts(entry.place)
        for name, entry in found.items()
        if isinstance(entry, cache._CaseEntry)
    }


def rewrite(folder: Path, found: dict[str, object], **changed: dict[str, object]) -> None:
    """Rewrite the folder's cache, checksums and all, with entries ``found``, their parts
    as cached, or as ``changed``: card, chronicle or document, each by file name, a
    plain value encoded here."""
    cases = parts(folder)
    for which, values in changed.items():
        number = ("card", "chronicle", "document").index(which)
        for name, value in values.items():
            held = list(cases[name])
            held[number] = msgspec.msgpack.encode(value)
            cases[name] = tuple(held)  # type: ignore[assignment]
    cache._write(cache_file(folder), str(folder.resolve()), found, cases)  # type: ignore[arg-type]


def count_parsing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the name of every file the cache has to parse."""
    parsed: list[str] = []
    real = cache.load_file

    def load_file(path: Path, display: str | None = None):
        parsed.append(path.name)
        return real(path, display)

    monkeypatch.setattr(cache, "load_file", load_file)
    return parsed


def assert_same(got: Library, expected: Library) -> None:
    assert list(got.cases) == list(expected.cases)
    assert got.cases == expected.cases
    # FuzzyDate equality ignores how a date was written; the plain data does not.
    assert [to_builtins(c) for c in got.cases.values()] == [
        to_builtins(c) for c in expected.cases.values()
    ]
    assert got.collection == expected.collection
    if expected.collection is not None:
        assert to_builtins(got.collection) == to_builtins(expected.collection)  # type: ignore[arg-type]
    assert [(f.path, f.document, f.diagnostics) for f in got.files] == [
        (f.path, f.document, f.diagnostics) for f in expected.files
    ]
    assert got.diagnostics == expected.diagnostics


def test_a_warm_load_returns_what_a_cold_load_does_without_parsing(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uncached = load_library([folder], cache=False)
    uncached_instructor = load_library([folder], "instructor", cache=False)
    assert uncached.cases and uncached.collection is not None
    assert cache_files() == []  # cache=False neither reads nor writes

    parsed = count_parsing(monkeypatch)
    cold = load_library([folder])
    assert len(parsed) == 5
    assert len(cache_files()) == 1
    assert sorted(entries(folder)) == sorted(p.name for p in folder.glob("*.yaml"))

    parsed.clear()
    warm = load_library([folder])
    warm_instructor = load_library([folder], "instructor")
    assert parsed == []
    assert_same(cold, uncached)
    assert_same(warm, uncached)
    assert_same(warm_instructor, uncached_instructor)
    # The cache keeps the whole document; the edition cut happens after it.
    assert any(c.teaching_notes for c in warm_instructor.cases.values())
    assert not any(c.teaching_notes for c in warm.cases.values())


def test_naming_a_warm_library_decodes_none_of_its_cases(folder: Path) -> None:
    """A library's repr (a worker's description, a log line) counts its files: it used to
    print every case, decoding each cached one (a second for 2,000 cases)."""
    load_library([folder])
    warm = load_library([folder])
    cached = [f for f in warm.files if isinstance(f, cache.CachedFile)]
    assert len(cached) == 4  # the cases (the collection comes back whole)
    shown = repr(warm)
    assert shown == "Library(5 files, 4 cases, 0 problems, edition='student')"
    assert repr(cached[0]).startswith("CachedFile(") and "not decoded" in repr(cached[0])
    assert all(f._case is None for f in cached), "nothing decoded to name them"


def test_an_edited_file_is_parsed_again(folder: Path) -> None:
    load_library([folder])
    path = folder / "huayi-precision.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Huayi Precision makes" in text
    path.write_text(text.replace("Huayi Precision makes", "Huayi Precision now makes"), "utf-8")

    summary = load_library([folder]).cases["huayi-precision"].summary
    assert "now makes" in pick(summary, "en")
    settle()
    load_library([folder])  # caches the edited version
    assert "now makes" in pick(load_library([folder]).cases["huayi-precision"].summary, "en")


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(folder: Path) -> None:
    # cp -p, rsync -t and some editors restore the mtime; the ctime still moves.
    load_library([folder])
    path = folder / "huayi-precision.yaml"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "before: 22\n" in text
    path.write_text(text.replace("before: 22\n", "before: 23\n", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    metrics = load_library([folder]).cases["huayi-precision"].metrics
    assert [m.before for m in metrics if m.id == "cycle-non-standard"] == [23]


def test_a_file_changed_just_before_a_load_is_not_cached(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_library([folder])
    path = folder / "huayi-precision.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")
    load_library([folder])
    assert "huayi-precision.yaml" not in entries(folder)  # too fresh to tell from a next edit
    parsed = count_parsing(monkeypatch)
    load_library([folder])
    assert parsed == ["huayi-precision.yaml"]
    settle()
    load_library([folder])
    assert "huayi-precision.yaml" in entries(folder)


def _index_end(good: bytes) -> int:
    """Where a cache file's index ends (its cases follow)."""
    start = good.index(b"\n") + 1 + cache._CHECKSUM_BYTES
    length = int.from_bytes(good[start : start + cache._LENGTH_BYTES], "big")
    return start + cache._LENGTH_BYTES + length


def _parts_end(good: bytes, place: cache._Place) -> int:
    """Where a case's parts end in a cache file."""
    return _index_end(good) + place.at + place.card + place.chronicle + place.document


def _damaged(good: bytes, damage: str, other: bytes) -> bytes:
    """``good`` (a valid cache file) damaged; ``other`` is this folder's entries, written
    as the cache of another folder."""
    header_end = good.index(b"\n") + 1
    index_end = _index_end(good)
    if damage == "garbage":
        return os.urandom(len(good))
    if damage == "truncated":
        return good[: (header_end + index_end) // 2]
    if damage == "empty":
        return b""
    if damage == "header only":
        return good[:header_end]
    if damage == "wrong version":
        this = f"casebook cache {cache.FORMAT_VERSION} ".encode()
        assert good.startswith(this)
        return good.replace(this, f"casebook cache {cache.FORMAT_VERSION + 1} ".encode(), 1)
    if damage == "flipped byte":
        body = bytearray(good)
        body[(header_end + index_end) // 2] ^= 0x01
        return bytes(body)
    if damage == "another folder's cache":
        return other
    raise AssertionError(damage)


@pytest.mark.parametrize(
    "damage",
    [
        "garbage",
        "truncated",
        "empty",
        "header only",
        "wrong version",
        "flipped byte",
        "another folder's cache",
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(
    folder: Path, tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = load_library([folder], cache=False)
    load_library([folder])
    target = cache_file(folder)
    good = target.read_bytes()
    elsewhere = tmp_path / "elsewhere.msgpack"
    cache._write(elsewhere, str(tmp_path / "elsewhere"), entries(folder), parts(folder))  # type: ignore[arg-type]
    target.write_bytes(_damaged(good, damage, elsewhere.read_bytes()))

    parsed = count_parsing(monkeypatch)
    assert_same(load_library([folder]), expected)
    assert len(parsed) == 5  # nothing was taken from the damaged file
    assert target.read_bytes() == good  # rebuilt, byte for byte
    parsed.clear()
    assert_same(load_library([folder]), expected)
    assert parsed == []


@pytest.mark.parametrize("damage", ["flipped byte", "truncated"])
def test_a_damaged_case_is_parsed_from_its_file_and_the_cache_rebuilt(
    folder: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The parts after the index are read when first used, each case's checked against its
    # checksum: damage there costs the cases it touches, not the whole cache.
    expected = load_library([folder], cache=False)
    load_library([folder])
    target = cache_file(folder)
    good = target.read_bytes()
    body = bytearray(good)
    if damage == "flipped byte":
        at = len(good) - 10  # in the last case written
        body[at] ^= 0x01
    else:
        at = (_index_end(good) + len(good)) // 2
        del body[at:]
    damaged = sorted(  # the cases whose parts the damage touches
        name
        for name, entry in entries(folder).items()
        if isinstance(entry, cache._CaseEntry)
        and _parts_end(good, entry.place) > at
        and (damage != "flipped byte" or _index_end(good) + entry.place.at <= at)
    )
    target.write_bytes(bytes(body))

    parsed = count_parsing(monkeypatch)
    warm = load_library([folder])
    assert parsed == []  # the index is sound: every file from the cache...
    assert list(warm.cases.values()) == list(expected.cases.values())
    assert sorted(parsed) == damaged and damaged  # ...and the damaged ones when first used
    assert not target.exists()  # removed, so the next load rebuilds it
    parsed.clear()
    assert_same(load_library([folder]), expected)
    assert len(parsed) == 5
    assert target.read_bytes() == good


def test_an_unreadable_and_unwritable_cache_is_no_error(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = load_library([folder], cache=False)
    target = cache_file(folder)
    target.mkdir(parents=True)  # a folder where the cache file should be
    assert_same(load_library([folder]), expected)
    assert target.is_dir()
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left

    blocked = folder.parent / "not-a-folder"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv(cache.ENV_DIR, str(blocked / "cache"))
    assert_same(load_library([folder]), expected)


def test_files_with_problems_are_never_cached(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "no-summary.yaml").write_text(
        "id: no-summary\ncompany: {name: Nameless}\n", encoding="utf-8"
    )
    (folder / "duplicate-key.yaml").write_text(
        "id: duplicate-key\ncompany: {name: A}\nsummary: One.\nsummary: Two.\n",
        encoding="utf-8",
    )
    settle()
    expected = load_library([folder], cache=False)
    assert sum(1 for f in expected.files if f.diagnostics) == 2

    load_library([folder])
    cached = entries(folder)
    assert "no-summary.yaml" not in cached
    assert "duplicate-key.yaml" not in cached
    assert "huayi-precision.yaml" in cached

    parsed = count_parsing(monkeypatch)
    warm = load_library([folder])
    assert sorted(parsed) == ["duplicate-key.yaml", "no-summary.yaml"]
    assert_same(warm, expected)


def test_library_problems_are_found_again_on_a_warm_load(folder: Path) -> None:
    # Each file is valid alone (so both are cached); together they share an id.
    shutil.copy(folder / "huayi-precision.yaml", folder / "huayi-copy.yaml")
    settle()
    expected = load_library([folder], cache=False)
    assert any("also used by" in d.message for d in expected.diagnostics)
    load_library([folder])
    assert "huayi-copy.yaml" in entries(folder)
    assert_same(load_library([folder]), expected)


def test_removed_and_added_files(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_library([folder])
    (folder / "weimai-medical.yaml").unlink()
    minimal = "id: newcomer\ncompany: {name: Newcomer}\nsummary: Just arrived.\n"
    (folder / "newcomer.yaml").write_text(minimal, encoding="utf-8")
    settle()
    library = load_library([folder])
    assert "weimai-medical" not in library.cases
    assert "newcomer" in library.cases
    assert "weimai-medical.yaml" not in entries(folder)
    assert "newcomer.yaml" in entries(folder)
    assert_same(load_library([folder]), load_library([folder], cache=False))


def test_a_warm_load_writes_no_cache_but_a_removed_file_does(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_library([folder])
    written: list[Path] = []
    real = cache._write

    def write(target: Path, resolved: str, kept: dict[str, object], cases: dict) -> None:
        written.append(target)
        real(target, resolved, kept, cases)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "_write", write)
    load_library([folder])
    assert written == []  # every file from the cache, and none gone: nothing to rewrite
    (folder / "weimai-medical.yaml").unlink()  # the others all from the cache
    load_library([folder])
    assert written == [cache_file(folder)]
    assert "weimai-medical.yaml" not in entries(folder)


@pytest.mark.parametrize("how", ["environment", "parameter"])
def test_the_cache_can_be_turned_off(
    folder: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    load_library([folder])
    target = cache_file(folder)
    before = target.read_bytes()
    if how == "environment":
        monkeypatch.setenv(cache.ENV_OFF, "1")
    parsed = count_parsing(monkeypatch)
    (folder / "weimai-medical.yaml").unlink()
    library = load_library([folder], cache=how != "parameter")
    assert len(parsed) == 4  # every file read afresh
    assert "weimai-medical" not in library.cases
    assert target.read_bytes() == before  # neither used nor rewritten


def test_no_cache_values() -> None:
    assert cache.cache_enabled({})
    assert cache.cache_enabled({cache.ENV_OFF: ""})
    assert cache.cache_enabled({cache.ENV_OFF: "0"})
    assert not cache.cache_enabled({cache.ENV_OFF: "1"})
    assert not cache.cache_enabled({cache.ENV_OFF: "yes"})


def test_the_cache_lives_in_the_cache_dir(folder: Path, tmp_path: Path) -> None:
    configured = Path(os.environ[cache.ENV_DIR])  # set for every test by conftest
    assert cache.cache_dir() == configured
    load_library([folder])
    (written,) = configured.iterdir()
    assert written == cache_file(folder)
    assert written.name.startswith("cases-") and written.suffix == cache.SUFFIX
    assert cache.cache_dir({}) == Path(platformdirs.user_cache_dir("casebook"))
    assert cache.cache_dir({cache.ENV_DIR: str(tmp_path / "x")}) == tmp_path / "x"


def test_one_cache_file_per_folder_however_it_is_spelled(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = folder.parent / "link"
    link.symlink_to(folder, target_is_directory=True)
    load_library([folder])
    parsed = count_parsing(monkeypatch)
    assert_same(load_library([link]), load_library([link], cache=False))
    assert len(parsed) == 5  # the uncached load only
    assert len(cache_files()) == 1


def test_a_file_with_only_warnings_is_not_cached(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cache.load_file

    def load_file(path: Path, display: str | None = None):
        loaded = real(path, display)
        if path.name == "huayi-precision.yaml":
            loaded.diagnostics.append(Diagnostic(path.name, 1, 1, "a hint", "warning"))
        return loaded

    monkeypatch.setattr(cache, "load_file", load_file)
    library = load_library([folder])
    assert library.files[1].path.name == "huayi-precision.yaml"
    assert library.files[1].ok and library.files[1].diagnostics
    assert "huayi-precision.yaml" not in entries(folder)
    assert "weimai-medical.yaml" in entries(folder)


def test_a_bad_cache_with_nothing_to_replace_it_is_removed(folder: Path) -> None:
    for path in folder.iterdir():
        path.write_text("id: [not, valid\n", encoding="utf-8")
    target = cache_file(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"garbage")
    library = load_library([folder])
    assert sum(1 for f in library.files if f.diagnostics) == 5
    assert not target.exists()


def test_a_file_edited_while_it_is_read_is_not_cached(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cache.load_file
    path = folder / "huayi-precision.yaml"

    def load_file(loading: Path, display: str | None = None):
        loaded = real(loading, display)
        if loading.name == path.name:  # the author saves again just after the read
            path.write_text(path.read_text(encoding="utf-8") + "# saved again\n", "utf-8")
        return loaded

    monkeypatch.setattr(cache, "load_file", load_file)
    load_library([folder])
    assert path.name not in entries(folder)
    assert "weimai-medical.yaml" in entries(folder)


def test_editing_the_loader_invalidates_every_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "loader.py"
    source.write_text("RULES = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "_SOURCES", (str(source),))
    before = cache._fingerprint()
    assert before.startswith(f"casebook cache {cache.VERSION} ".encode())
    assert cache._fingerprint() == before
    source.write_text("RULES = 2\n", encoding="utf-8")  # nobody bumped FORMAT_VERSION
    assert cache._fingerprint() != before


@pytest.mark.parametrize("use_cache", [True, False])
def test_the_collector_pauses_for_a_large_parse_and_comes_back(
    folder: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    monkeypatch.setattr(cache, "_MANY", 3)  # 5 files to parse: "many"
    real = cache.load_file
    seen: list[bool] = []

    def load_file(path: Path, display: str | None = None):
        seen.append(gc.isenabled())
        return real(path, display)

    monkeypatch.setattr(cache, "load_file", load_file)
    assert gc.isenabled()
    load_library([folder], cache=use_cache)
    assert seen == [False] * 5
    assert gc.isenabled()
    seen.clear()
    gc.disable()
    try:
        (folder / "weimai-medical.yaml").unlink()
        load_library([folder], cache=use_cache)
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
    monkeypatch.setattr(cache, "_MANY", 100)
    seen.clear()
    shutil.copy(bundled_cases_dir() / "weimai-medical.yaml", folder / "weimai-medical.yaml")
    load_library([folder], cache=use_cache)
    assert any(seen)  # a few files: the collector keeps running


def test_progress_counts_the_files_parsed_not_those_from_the_cache(folder: Path) -> None:
    calls: list[tuple[int, int]] = []
    load_library([folder], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    path = folder / "huayi-precision.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    calls.clear()
    load_library([folder], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 5)]


def test_a_warm_load_decodes_a_case_only_when_it_is_first_used(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_library([folder])  # fills the cache
    decoded: list[str] = []
    real = cache._case_decoder()

    class Counting:
        def decode(self, data: object) -> object:
            found = real.decode(data)  # type: ignore[arg-type]
            decoded.append(found.id)
            return found

    monkeypatch.setattr(cache, "_case_decoder", Counting)
    warm = load_library([folder])
    expected = load_library([folder], cache=False)
    assert list(warm.cases) == list(expected.cases), "ids and order without decoding"
    assert len(warm.cases) == 4 and "huayi-precision" in warm.cases
    assert [f.case_id for f in warm.files] == [f.case_id for f in expected.files]
    assert warm.files[[f.case_id for f in warm.files].index("huayi-precision")].path == (
        folder / "huayi-precision.yaml"
    )
    assert decoded == []
    assert warm.cases["huayi-precision"] == expected.cases["huayi-precision"]
    assert warm.cases["huayi-precision"] is warm.cases["huayi-precision"]
    assert decoded == ["huayi-precision"], "one case used, one decoded, once"
    assert list(warm.cases.values()) == list(expected.cases.values())
    assert sorted(decoded) == sorted(expected.cases)


def test_parse_at_most_refuses_before_parsing_and_lets_a_warm_cache_through(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = count_parsing(monkeypatch)
    with pytest.raises(cache.TooManyToParse):
        load_library([folder], parse_at_most=2)  # 5 files, none cached yet
    assert parsed == []
    assert not list(cache.cache_dir().glob("*")), "nothing written either"
    load_library([folder])
    parsed.clear()
    (folder / "huayi-precision.yaml").touch()  # one file to parse again
    settle()
    warm = load_library([folder], parse_at_most=2)
    assert parsed == ["huayi-precision.yaml"]
    assert len(warm.cases) == 4
    with pytest.raises(cache.TooManyToParse):
        load_library([folder], cache=False, parse_at_most=2)


def test_cases_kept_encoded_survive_their_cache_file_being_replaced(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library reads its cases from the cache file it opened, parsing none, once a
    new cache file has replaced that one."""
    expected = load_library([folder], cache=False)
    load_library([folder])
    warm = load_library([folder])  # its cases still encoded, in the cache file
    target = cache_file(folder)
    before = target.stat().st_ino
    (folder / "huayi-precision.yaml").touch()
    settle()
    load_library([folder])  # parses that file again and writes a new cache file
    assert target.stat().st_ino != before
    parsed = count_parsing(monkeypatch)
    assert list(warm.cases.values()) == list(expected.cases.values())
    assert parsed == []  # read from the file it opened, which a new one replaced


# -- a cache is never trusted -------------------------------------------------------


def _unencodable(document: object) -> object:
    """``document`` with a number msgpack cannot hold (which validation keeps out)."""
    if isinstance(document, Case):
        metric = msgspec.structs.replace(document.metrics[0], after=2**64)
        return msgspec.structs.replace(document, metrics=[metric, *document.metrics[1:]])
    assert isinstance(document, Collection)
    region = document.context[0]
    figures = [msgspec.structs.replace(region.figures[0], value=-(2**70))]
    context = [msgspec.structs.replace(region, figures=figures)]
    return msgspec.structs.replace(document, context=context)


def test_a_value_the_cache_cannot_encode_is_not_cached_and_raises_nothing(
    folder: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = cache.load_file

    def load_file(path: Path, display: str | None = None):
        loaded = real(path, display)
        if path.name in ("huayi-precision.yaml", "collection.yaml"):
            loaded.document = _unencodable(loaded.document)  # type: ignore[assignment]
        return loaded

    monkeypatch.setattr(cache, "load_file", load_file)
    caplog.set_level("INFO", logger=cache.__name__)
    library = load_library([folder])  # the collection cannot be encoded: no cache at all
    assert library.cases["huayi-precision"].metrics[0].after == 2**64
    assert not cache_file(folder).exists()
    assert any("not cached" in r.getMessage() for r in caplog.records)
    assert any("not written" in r.getMessage() for r in caplog.records)

    monkeypatch.setattr(cache, "load_file", real)
    load_library([folder])
    good = entries(folder)
    collection = good["collection.yaml"]
    assert isinstance(collection, cache._CollectionEntry)
    bad = msgspec.structs.replace(collection, document=_unencodable(collection.document))
    rewrite(folder, {**good, bad.name: bad})
    assert entries(folder).keys() == good.keys()  # no exception, and the good cache kept


def test_a_cache_file_cut_short_while_its_cases_are_unread_is_no_crash(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A mapped cache file cut short killed the app with SIGBUS when a case was opened.
    expected = load_library([folder], cache=False)
    load_library([folder])
    warm = load_library([folder])  # its cases not decoded yet
    target = cache_file(folder)
    with target.open("r+b") as stream:
        stream.truncate(100)
    assert list(warm.cases.values()) == list(expected.cases.values())
    parsed = count_parsing(monkeypatch)
    assert_same(load_library([folder]), expected)
    assert len(parsed) == 5  # the cut file was not used, and is rebuilt:
    assert cache._read(target, str(folder.resolve())) is not None


def test_a_cache_file_overwritten_in_place_does_not_reach_the_open_library(
    folder: Path,
) -> None:
    expected = load_library([folder], cache=False)
    load_library([folder])
    warm = load_library([folder])
    target = cache_file(folder)
    size = target.stat().st_size
    with target.open("r+b") as stream:  # not replaced: rewritten, byte for byte
        stream.write(bytes(range(256)) * (size // 256 + 1))
    assert list(warm.cases.values()) == list(expected.cases.values())
    assert_same(load_library([folder]), expected)


def _case_entry(folder: Path, name: str) -> cache._CaseEntry:
    entry = entries(folder)[name]
    assert isinstance(entry, cache._CaseEntry)
    return entry


def _forge(folder: Path, name: str, change, **fields: object) -> None:
    """Rewrite the folder's cache, checksum and all, with ``change(data)`` applied to
    the plain data of one case entry (and ``fields`` replaced in the entry)."""
    found = entries(folder)
    entry = _case_entry(folder, name)
    data = msgspec.msgpack.decode(parts(folder)[name][2])
    change(data)
    found[name] = msgspec.structs.replace(entry, **fields)
    rewrite(folder, found, document={name: data})


def _set(*path_and_value: object):
    """A change that sets the value at a path (the last argument, at the others)."""
    *path, value = path_and_value

    def change(data: dict) -> None:
        for step in path[:-1]:
            data = data[step]
        data[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (_set("summary", "en", "Huayi \x1b[31mPrecision\x1b[0m"), "control character escape"),
        (_set("summary", "en", "Huayi \u202eNOISICERP"), "control character U+202E"),
        (_set("company", "name", "zh", "华益\x9b精密"), "control character U+009B"),
        (_set("metrics", 0, "before", 10**16), "Expected `int` <= 1000000000000000"),
        (_set("metrics", 0, "before", float("nan")), "Expected `float` >="),
        (_set("metrics", 0, "unit", {"en": "", "zh": ""}), "give the text in en, zh or both"),
        (_set("timeline", 0, "date", ["2017", "year", 1, 2]), "not what its text says"),
        (_set("timeline", 0, "date", ["2017\x1b", "year", 1, 2]), "not a date"),
        (_set("metrics", 1, "id", "cycle-non-standard"), "is used twice"),
        (_set("metrics", 0, "source", "nowhere"), "no source has id 'nowhere'"),
        (_set("surprise", 1), "unknown field"),
        (_set("id", "weimai-medical"), "card or chronicle is not its case's"),
        (_set("company", "name", "en", "Someone Else"), "card or chronicle is not its case's"),
        (_set("timeline", 0, "title", "en", "Something else"), "card or chronicle is not"),
    ],
)
def test_a_forged_cache_entry_is_not_trusted_and_the_file_is_parsed(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    change,
    why: str,
) -> None:
    expected = load_library([folder], cache=False)
    load_library([folder])
    _forge(folder, "huayi-precision.yaml", change)
    parsed = count_parsing(monkeypatch)
    caplog.set_level("INFO", logger=cache.__name__)
    warm = load_library([folder])
    assert parsed == []  # its checksum is right, its stamps match: taken from the cache...
    assert list(warm.cases.values()) == list(expected.cases.values())  # ...but not trusted
    assert parsed == ["huayi-precision.yaml"]
    assert any(why in r.getMessage() for r in caplog.records), caplog.text
    assert not cache_file(folder).exists()  # removed, so the next load rebuilds it
    parsed.clear()
    assert_same(load_library([folder]), expected)
    assert len(parsed) == 5


def test_a_forged_entry_for_a_file_that_no_longer_holds_its_case_gives_a_stand_in(
    folder: Path,
) -> None:
    load_library([folder])
    path = folder / "huayi-precision.yaml"
    path.write_text("id: huayi-precision\ncompany: {name: [broken\n", encoding="utf-8")
    _forge(folder, path.name, _set("summary", "\x07"), stamp=cache.stamp(path))
    warm = load_library([folder])
    case = warm.cases["huayi-precision"]  # no exception, no bell
    assert case.id == "huayi-precision"
    assert "could not be read" in pick(case.summary, "en")
    assert not any("\x07" in pick(text, "en") for text in (case.summary, case.company.name))
    loaded = next(f for f in warm.files if f.path.name == path.name)
    parsed = next(f for f in load_library([folder], cache=False).files if f.path == path)
    assert loaded.diagnostics == parsed.diagnostics != []


@pytest.mark.parametrize(
    "fields",
    [
        {"case_id": "huayi\x1b[2J"},
        {"case_id": "huayi\u202eprecision"},
        {"case_id": "Huayi"},
        {"case_id": ""},
        {"chapter": "Not A Slug"},
        {"chapter": ""},
    ],
)
def test_a_forged_case_id_or_chapter_discards_the_whole_cache(
    folder: Path, monkeypatch: pytest.MonkeyPatch, fields: dict[str, str]
) -> None:
    expected = load_library([folder], cache=False)
    load_library([folder])
    _forge(folder, "huayi-precision.yaml", lambda data: None, **fields)
    parsed = count_parsing(monkeypatch)
    assert_same(load_library([folder]), expected)
    assert len(parsed) == 5


@pytest.mark.parametrize(
    "change",
    [
        lambda c: msgspec.structs.replace(c, title="Casebook\x1b]0;pwned\x07"),
        lambda c: msgspec.structs.replace(c, chapters=[*c.chapters, c.chapters[0]]),
    ],
)
def test_a_forged_collection_discards_the_whole_cache(
    folder: Path, monkeypatch: pytest.MonkeyPatch, change
) -> None:
    expected = load_library([folder], cache=False)
    load_library([folder])
    found = entries(folder)
    entry = found["collection.yaml"]
    assert isinstance(entry, cache._CollectionEntry)
    found["collection.yaml"] = msgspec.structs.replace(entry, document=change(entry.document))
    rewrite(folder, found)
    parsed = count_parsing(monkeypatch)
    assert_same(load_library([folder]), expected)
    assert len(parsed) == 5


def test_a_symlink_at_the_cache_path_is_not_followed(folder: Path, tmp_path: Path) -> None:
    expected = load_library([folder], cache=False)
    load_library([folder])
    target = cache_file(folder)
    elsewhere = tmp_path / "elsewhere.msgpack"
    target.replace(elsewhere)  # a good cache, but reached through a link
    good = elsewhere.read_bytes()
    target.symlink_to(elsewhere)
    assert cache._read(target, str(folder.resolve())) is None
    assert_same(load_library([folder]), expected)
    assert not target.is_symlink()  # replaced by a cache file of its own
    assert elsewhere.read_bytes() == good  # and nothing written through the link


@pytest.mark.slow
def test_a_fifo_at_the_cache_path_does_not_hang_start_up(folder: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    target = cache_file(folder)
    target.parent.mkdir(parents=True)
    os.mkfifo(target)
    command = [sys.executable, "-m", "casebook", "--cases", str(folder)]
    result = subprocess.run(
        [*command, "export", "huayi-precision"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,  # opening a FIFO for reading waits for a writer: forever
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Huayi Precision" in result.stdout


def test_every_valid_document_passes_the_checks_on_cached_documents(
    load_text, tmp_path: Path
) -> None:
    # A false alarm would re-parse the case and remove the cache at every start.
    data = Path(__file__).resolve().parent.parent / "data"
    paths = [*bundled_cases_dir().glob("*.yaml"), *data.rglob("*.yaml")]
    loaded = [load_file(path) for path in paths]
    backslashes = load_text(
        'id: back\ncompany: {name: "C:\\\\cases\\\\new"}\nsummary: "a \\\\x1b b \\\\u202e"\n'
    )
    assert pick(backslashes.document.summary, "en") == "a \\x1b b \\u202e"  # type: ignore[union-attr]
    documents = [f.document for f in [*loaded, backslashes] if f.ok]
    assert len(documents) > 10
    for document in documents:
        assert cache._untrusted(document) is None, document.id  # type: ignore[arg-type]
        if isinstance(document, Case):
            encoded = cache._encoder().encode(document)
            assert cache._case_decoder().decode(encoded) == document


def test_a_cache_write_sweeps_what_killed_writers_left(folder: Path) -> None:
    target = cache_file(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    stale = target.parent / f".{target.name}.killed.tmp"
    fresh = target.parent / f".{target.name}.writing.tmp"
    for path in (stale, fresh):
        path.write_bytes(b"half a cache")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    load_library([folder])
    assert target.is_file()
    assert not stale.exists(), "a writer killed long ago left it"
    assert fresh.exists(), "another writer may be busy with it"
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "card",
    [
        {"id": 1},
        {"id": "huayi-precision", "chapter": None, "company": {"name": "Huayi \x1b[31mX"}},
        {"id": "weimai-medical", "chapter": None, "company": {"name": "Weimai"}},
    ],
    ids=["does not decode", "an escape in a name", "another case's id"],
)
def test_a_card_that_is_not_trusted_is_made_from_its_case(folder: Path, card: dict) -> None:
    expected = load_library([folder], cache=False)
    load_library([folder])
    entry = _case_entry(folder, "huayi-precision.yaml")
    if "chapter" in card:
        card["chapter"] = entry.chapter
    rewrite(folder, entries(folder), card={"huayi-precision.yaml": card})
    warm = load_library([folder])
    card = card_in(warm.cases, "huayi-precision")
    assert card == card_of(expected.cases["huayi-precision"])


def test_cards_and_chronicles_come_from_the_cache_without_decoding_a_case(folder: Path) -> None:
    expected = load_library([folder], cache=False)
    load_library([folder])
    warm = load_library([folder])
    assert [card.id for card in cards(warm.cases)] == list(expected.cases)
    assert list(chronicles(warm.cases)) == [chronicle_of(c) for c in expected.cases.values()]
    held = warm.cases.held()  # type: ignore[attr-defined]
    assert not any(isinstance(case, Case) for case in held.values()), "none decoded"
    assert list(cards(warm.cases)) == [card_of(case) for case in expected.cases.values()]


def test_a_chronicle_with_an_escape_is_made_from_its_case(folder: Path) -> None:
    expected = load_library([folder], cache=False)
    load_library([folder])
    data = msgspec.msgpack.decode(parts(folder)["huayi-precision.yaml"][1])
    data["timeline"][0]["title"] = "\x1b]52;c;evil\x07"
    rewrite(folder, entries(folder), chronicle={"huayi-precision.yaml": data})
    warm = load_library([folder])
    chronicle = next(c for c in chronicles(warm.cases) if c.id == "huayi-precision")
    assert chronicle == chronicle_of(expected.cases["huayi-precision"])


def test_filters_and_facets_decode_no_case(folder: Path) -> None:
    load_library([folder])
    warm = load_library([folder])
    some = next(iter(cards(warm.cases)))
    assert filter_cases(warm, Filters(chapter=some.chapter)), "the chapter's cases pass"
    assert facets(warm).chapters
    held = warm.cases.held()  # type: ignore[attr-defined]
    assert not any(isinstance(case, Case) for case in held.values()), "none decoded"


def test_the_cross_case_timeline_decodes_no_case(folder: Path) -> None:
    from casebook.screens import compare  # the screen's own, as it opens

    expected = load_library([folder], cache=False)
    load_library([folder])
    warm = load_library([folder])
    timeline = compare._kept(warm).timeline
    entries_shown = [timeline.entry(number) for number in range(len(timeline.events))]
    assert entries_shown == timeline_once(list(expected.cases.values()), expected.collection)
    held = warm.cases.held()  # type: ignore[attr-defined]
    assert not any(isinstance(case, Case) for case in held.values()), "none decoded"


def test_a_warm_library_holds_no_bytes_of_its_cache_file(folder: Path) -> None:
    # The index is decoded and let go of; a case's parts are read when first used.
    load_library([folder])
    encoded = sum(len(b"".join(held)) for held in parts(folder).values())
    warm = load_library([folder])
    assert _bytes_held(warm) < encoded / 10
    assert list(warm.cases.values()) == list(load_library([folder], cache=False).cases.values())
    assert _bytes_held(warm) < encoded / 10  # nothing kept of them but the cases decoded


_NOT_DATA = (
    type,
    types.ModuleType,
    types.FunctionType,
    types.MethodType,
    types.BuiltinFunctionType,
)
"""What a library's data does not hold (a module's globals are not the library's)."""


def _bytes_held(root: object) -> int:
    """The size of every bytes object ``root`` reaches as data (through views too)."""
    seen: set[int] = set()
    pending = [root]
    total = 0
    while pending:
        item = pending.pop()
        if id(item) in seen or isinstance(item, _NOT_DATA):
            continue
        seen.add(id(item))
        if isinstance(item, memoryview):
            pending.append(item.obj)
        elif isinstance(item, bytes):
            total += len(item)
        else:
            pending.extend(gc.get_referents(item))
    return total


def test_cards_share_the_places_industries_and_chapters_they_name(folder: Path) -> None:
    for path in folder.glob("*.yaml"):  # two more cases where Huayi Precision is
        if path.name == "huayi-precision.yaml":
            for copy in ("huayi-two", "huayi-three"):
                text = path.read_text(encoding="utf-8").replace(
                    "id: huayi-precision", f"id: {copy}", 1
                )
                (folder / f"{copy}.yaml").write_text(text, encoding="utf-8")
    settle()
    load_library([folder])
    for library in (load_library([folder]), load_library([folder], cache=False)):
        found = {card.id: card for card in cards(library.cases)}
        first, *others = (found[c] for c in ("huayi-precision", "huayi-two", "huayi-three"))
        assert first.location is not None and first.industry is not None
        for other in others:
            assert other.location is first.location  # the very same objects...
            assert other.industry is first.industry
        expected = card_of(load_library([folder], cache=False).cases["huayi-two"])
        assert found["huayi-two"] == expected  # ...and the same values


def test_the_search_index_reads_every_cached_case_and_keeps_none(folder: Path) -> None:
    from casebook.model.views.search import SearchIndex

    load_library([folder])
    warm = load_library([folder])
    opened = warm.cases["huayi-precision"]  # one the reader opened: kept, as it was
    index = SearchIndex.build(warm)
    expected = SearchIndex.build(load_library([folder], cache=False))
    assert list(index.texts()) == list(expected.texts())
    held = warm.cases.held()  # type: ignore[attr-defined]
    assert held["huayi-precision"] is opened
    assert [case_id for case_id, case in held.items() if isinstance(case, Case)] == [
        "huayi-precision"
    ], "the others read for the index, not kept"


@pytest.mark.parametrize("pread", [True, False], ids=["pread", "no pread (Windows)"])
def test_an_open_file_reads_its_parts_as_they_were_when_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pread: bool
) -> None:
    from casebook.model.load.safe_files import OpenFile, UnsafeFile

    if not pread:
        monkeypatch.delattr(os, "pread", raising=False)
    path = tmp_path / "parts"
    path.write_bytes(b"0123456789")
    opened = OpenFile(path, 100)
    replacement = tmp_path / "new"
    replacement.write_bytes(b"abcdefghij")
    replacement.replace(path)  # replaced as the cache is written: the open file holds
    assert opened.read(2, 3) == b"234"
    with pytest.raises(OSError, match="past the end"):
        opened.read(8, 3)
    link = tmp_path / "link"
    link.symlink_to(path)
    with pytest.raises(UnsafeFile):
        OpenFile(link, 100)
    with pytest.raises(UnsafeFile):
        OpenFile(path, 5)  # larger than the limit
