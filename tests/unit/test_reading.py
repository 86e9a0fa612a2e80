"""Reading a file: regular files only, a size cap, and UTF-8 text (BOM and CRLF welcome)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from casebook.model.load import loader
from casebook.model.load.loader import MAX_BYTES, LoadedFile, load_file

DATA = Path(__file__).resolve().parent.parent / "data"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


def load_within(path: Path, seconds: float = 5.0) -> LoadedFile:
    """load_file(path), failing (not hanging) when it blocks on a FIFO."""
    result: list[LoadedFile] = []
    worker = threading.Thread(target=lambda: result.append(load_file(path, path.name)))
    worker.daemon = True
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        # Give the blocked reader a writer so the thread can end, then fail.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_NONBLOCK), "wb"):
            pass
        worker.join(seconds)
        pytest.fail(f"loading {path.name} blocked for {seconds} s")
    return result[0]


def only(loaded: LoadedFile) -> tuple[int, int, str]:
    assert loaded.document is None
    assert not loaded.ok
    assert len(loaded.diagnostics) == 1, loaded.diagnostics
    (found,) = loaded.diagnostics
    return found.line, found.col, found.message


# -- what is a file ------------------------------------------------------------


@needs_fifo
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert only(load_within(fifo)) == (0, 0, "not a regular file")


@needs_fifo
def test_symlink_to_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.yaml"
    link.symlink_to(fifo)
    assert only(load_within(link)) == (0, 0, "not a regular file")


def test_directory_given_as_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert only(load_file(folder)) == (0, 0, "not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_symlink_to_endless_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    assert only(load_within(link)) == (0, 0, "not a regular file")


def test_dangling_symlink_says_it_cannot_be_read(tmp_path: Path) -> None:
    link = tmp_path / "dangling.yaml"
    link.symlink_to(tmp_path / "nowhere.yaml")
    line, col, message = only(load_file(link))
    assert (line, col) == (0, 0)
    assert message.startswith("cannot read:")


def test_symlink_to_regular_file_is_followed(tmp_path: Path, minimal: str) -> None:
    target = tmp_path / "target.txt"
    target.write_text(minimal, encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    assert load_file(link).ok


def test_unreadable_file_is_a_diagnostic(
    tmp_path: Path, minimal: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(minimal, encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("casebook.model.load.loader.os.open", refuse)
    found = only(load_file(path))
    assert found[2].startswith("cannot read:")
    assert "Permission denied" in found[2]


# -- size ----------------------------------------------------------------------


def _padded(minimal: str, size: int) -> bytes:
    """A valid case padded with a trailing comment to exactly ``size`` bytes."""
    head = minimal.encode("utf-8") + b"# "
    return head + b"x" * (size - len(head) - 1) + b"\n"


def test_file_at_the_size_cap_loads(load_text, minimal: str) -> None:
    content = _padded(minimal, MAX_BYTES)
    assert len(content) == MAX_BYTES
    loaded = load_text(content)
    assert loaded.ok, loaded.diagnostics


def test_file_over_the_size_cap_is_refused(load_text, minimal: str) -> None:
    loaded = load_text(_padded(minimal, MAX_BYTES + 1))
    line, col, message = only(loaded)
    assert (line, col) == (0, 0)
    assert message == f"file is larger than {MAX_BYTES // 1024} KiB"


def test_file_growing_after_stat_is_still_capped(tmp_path: Path, monkeypatch, minimal) -> None:
    # stat() said small, the read finds more: the read is capped too.
    path = tmp_path / "grows.yaml"
    path.write_bytes(_padded(minimal, MAX_BYTES + 10))
    real_stat = Path.stat

    def small_stat(self: Path, **kwargs: object) -> os.stat_result:
        info = real_stat(self, **kwargs)
        return os.stat_result((info[0], *info[1:6], 10, *info[7:]))

    monkeypatch.setattr(Path, "stat", small_stat)
    assert "larger than" in only(load_file(path))[2]


# -- encodings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "case_id"),
    [("bom.yaml", "bom"), ("crlf.yaml", "crlf"), ("bom-crlf.yaml", "bom-crlf")],
)
def test_bom_and_crlf_load(name: str, case_id: str) -> None:
    path = DATA / "valid" / name
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == ("bom" in name)  # the fixture is what it says
    assert (b"\r\n" in raw) == ("crlf" in name)
    loaded = load_file(path)
    assert loaded.ok, loaded.diagnostics
    assert loaded.document.id == case_id


def test_crlf_does_not_leak_carriage_returns_into_text() -> None:
    loaded = load_file(DATA / "valid" / "crlf.yaml")
    assert loaded.document.summary == "Saved on Windows, with CRLF line ends."
    loaded = load_file(DATA / "valid" / "bom-crlf.yaml")
    assert loaded.document.summary == "Both at once:\nBOM and CRLF."
    assert loaded.document.company.name.zh == "公司"


@pytest.mark.parametrize(
    ("name", "position", "words"),
    [
        # GBK: "summary: " is 9 bytes, so the first GBK byte of 华 (0xbb) is column 10.
        ("encoding-gbk.yaml", (3, 10), ("not UTF-8", "0xbb", "GBK")),
        ("binary-latin1.yaml", (2, 20), ("not UTF-8", "0xe9")),
        ("encoding-utf16-bom.yaml", (1, 1), ("UTF-16",)),
        # UTF-16 without a BOM: ASCII text with a NUL after (LE) or before (BE) each byte.
        ("encoding-utf16le-no-bom.yaml", (1, 2), ("NUL", "UTF-16")),
        ("encoding-utf16be-no-bom.yaml", (1, 1), ("NUL", "UTF-16")),
        # PNG: the first NUL follows two line feeds.
        ("binary-png.yaml", (3, 1), ("NUL", "binary")),
        ("binary-jpeg.yaml", (1, 5), ("NUL", "binary")),
    ],
)
def test_text_that_is_not_utf8_gets_one_clear_message(name, position, words) -> None:
    line, col, message = only(load_file(DATA / "hostile" / name))
    assert (line, col) == position
    assert message.endswith("save the file as UTF-8")
    for word in words:
        assert word in message


def test_utf32_is_named_too() -> None:
    with pytest.raises(loader._Unreadable, match="UTF-32"):
        loader.decode("id: x\n".encode("utf-32"))


def test_decode_strips_only_one_bom() -> None:
    assert loader.decode(b"\xef\xbb\xbfa: 1\n") == "a: 1\n"
    assert loader.decode(b"\xef\xbb\xbf\xef\xbb\xbfa") == "\ufeffa"


def test_position_of_bad_byte_counts_bytes_on_its_line() -> None:
    with pytest.raises(loader._Unreadable) as raised:
        loader.decode("a: 1\nbb: 中\n".encode() + b"c: \xff\n")
    assert (raised.value.line, raised.value.col) == (3, 4)
