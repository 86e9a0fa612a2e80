"""One case file: bytes → text → strict YAML → a validated document, or diagnostics.

YAML (``yamlsafe``, PyYAML) is imported when a file is first parsed: a library that
comes whole from the cache never imports it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from casebook.model.format.card import Card, Chronicle, card_of, chronicle_of
from casebook.model.format.case import Case, Document, document_type
from casebook.model.load.diagnostics import Diagnostic, capped
from casebook.model.load.validate import Problem, check

if TYPE_CHECKING:
    from yaml.nodes import Node

MAX_BYTES = 256 * 1024
SAVE_AS_UTF8 = "save the file as UTF-8"
LINK_LOOP = "a symbolic link loop: the link leads back to itself"


@dataclass(slots=True)
class LoadedFile:
    """What became of one file: its document when valid, and its diagnostics (slots: a
    library holds thousands)."""

    path: Path
    document: Document | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def path_text(self) -> str:
        """The file's path as a string (for a cached file, the one it was listed by: no
        ``Path`` or new string made; see ``reload.changed_since``)."""
        return os.fspath(self.path)

    def unkept_document(self) -> Document | None:
        """The document, made for the caller only where it is made when first asked for
        (a cached file's case is decoded and not kept: see ``library.unkept_cases``)."""
        return self.document

    @property
    def ok(self) -> bool:
        """Loaded with no errors (warnings allowed)."""
        errors = any(d.severity == "error" for d in self.diagnostics)
        return self.document is not None and not errors

    @property
    def case_id(self) -> str | None:
        """The id of the case this file holds (None for a collection or a broken file)."""
        return self.document.id if isinstance(self.document, Case) else None

    @property
    def case_chapter(self) -> str | None:
        """The chapter the case names, if any."""
        return self.document.chapter if isinstance(self.document, Case) else None

    @property
    def card(self) -> Card:
        """The card of the case this file holds (a file holding no case has none)."""
        if not isinstance(self.document, Case):
            raise TypeError(f"{self.path} holds no case")
        return card_of(self.document)

    @property
    def chronicle(self) -> Chronicle:
        """The chronicle of the case this file holds (a file holding no case has none)."""
        if not isinstance(self.document, Case):
            raise TypeError(f"{self.path} holds no case")
        return chronicle_of(self.document)


class _Unreadable(Exception):
    """The file's bytes cannot become text; the message says why."""

    def __init__(self, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.line, self.col = line, col


def read_text(path: Path) -> str:
    """The file as text: a regular file, under the size cap, UTF-8 (BOM allowed)."""
    try:
        info = path.stat()
    except OSError as error:
        raise _Unreadable(_cannot_read(error)) from None
    if not stat.S_ISREG(info.st_mode):
        raise _Unreadable("not a regular file")
    if info.st_size > MAX_BYTES:
        raise _Unreadable(f"file is larger than {MAX_BYTES // 1024} KiB")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise _Unreadable(_cannot_read(error)) from None
    if len(data) > MAX_BYTES:
        raise _Unreadable(f"file is larger than {MAX_BYTES // 1024} KiB")
    return decode(data)


def _cannot_read(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return LINK_LOOP
    return f"cannot read: {error.strerror or error}"


def decode(data: bytes) -> str:
    """UTF-8 text from bytes, or a clear reason why the bytes are not that."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Unreadable(f"the file is UTF-16 or UTF-32; {SAVE_AS_UTF8}", 1, 1)
    data = data.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line, col = _position(data, offset)
        raise _Unreadable(f"the file holds NUL bytes (binary or UTF-16); {SAVE_AS_UTF8}", line, col)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, col = _position(data, error.start)
        raise _Unreadable(
            f"not UTF-8 text (byte 0x{data[error.start]:02x}; GBK or another encoding?); "
            + SAVE_AS_UTF8,
            line,
            col,
        ) from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


Load = Callable[[Path, str], LoadedFile]
"""How a file is loaded (``load_file``, or one that knows some answers already), given
its path and how diagnostics name it."""


def load_file(path: Path, display: str | None = None) -> LoadedFile:
    """Load and validate one file. Never raises: every failure becomes a diagnostic."""
    from casebook.model.load.yamlsafe import YamlError, load_mapping

    shown = display if display is not None else str(path)
    try:
        text = read_text(path)
        data, yaml_problems = load_mapping(text)
        unknown = _unknown_kind(data)
        document, problems = (None, [unknown]) if unknown else check(data, document_type(data))
    except _Unreadable as error:
        return LoadedFile(path, None, [Diagnostic(shown, error.line, error.col, str(error))])
    except YamlError as error:
        found = [Diagnostic(shown, p.line, p.col, p.message) for p in error.problems]
        return LoadedFile(path, None, capped(found))
    except RecursionError:
        return LoadedFile(path, None, [Diagnostic(shown, 0, 0, "the file is nested too deeply")])
    except (MemoryError, ValueError, TypeError, OverflowError) as error:
        return LoadedFile(path, None, [Diagnostic(shown, 0, 0, f"cannot load: {error}")])
    diagnostics = [Diagnostic(shown, p.line, p.col, p.message) for p in yaml_problems]
    if problems:
        diagnostics += locate_problems(text, problems, shown)
    if diagnostics:
        return LoadedFile(path, None, capped(diagnostics))
    return LoadedFile(path, document, [])


KINDS = ("case", "collection")


def _unknown_kind(data: dict[object, object]) -> Problem | None:
    """A ``kind`` that names neither a case nor a collection: which fields to check
    cannot be known, so this is the one problem to report."""
    kind = data.get("kind")
    if not isinstance(kind, str) or kind in KINDS:
        return None
    import difflib

    hint = difflib.get_close_matches(kind, KINDS, n=1, cutoff=0.6)
    tip = f"did you mean {hint[0]!r}?" if hint else "a file is a 'case' or a 'collection'"
    return Problem(("kind",), f"unknown kind {kind!r}; {tip}")


def locate_problems(text: str, problems: list[Problem], shown: str) -> list[Diagnostic]:
    """Diagnostics for problems at data paths, positioned by composing the text again.

    The text is composed once and each mapping indexed once, when first walked: the
    work grows with the size of the file plus the number of problems, never with
    their product.
    """
    import yaml

    from casebook.model.load.yamlsafe import compose

    try:
        root = compose(text)
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError):
        root = None  # the text was read again and changed meanwhile; positions are a nicety
    if root is None:
        return [Diagnostic(shown, 0, 0, problem.message) for problem in problems]
    finder = _Finder(root)
    found = []
    for problem in problems:
        line, col = finder.position(problem)
        found.append(Diagnostic(shown, line, col, problem.message))
    return found


class _Finder:
    """Where data paths sit in a node tree."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self.keys: dict[int, dict[object, tuple[Node, Node]]] = {}
        """Each mapping node walked so far (by ``id``): its text keys' nodes, first wins."""
        self.walked = 0
        """How many nodes have been indexed or stepped through (for tests of the work)."""

    def position(self, problem: Problem) -> tuple[int, int]:
        node = self.root
        last = len(problem.path) - 1
        for index, step in enumerate(problem.path):
            child = self._child(node, step, key=problem.at_key and index == last)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _child(self, node: Node, step: str | int, *, key: bool) -> Node | None:
        from yaml.nodes import MappingNode, ScalarNode, SequenceNode

        self.walked += 1
        if isinstance(node, MappingNode):
            keys = self.keys.get(id(node))
            if keys is None:
                keys = self.keys[id(node)] = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode):
                        keys.setdefault(key_node.value, (key_node, value_node))
                self.walked += len(node.value)
            found = keys.get(step)
            if found is not None:
                return found[0] if key else found[1]
        elif isinstance(node, SequenceNode) and isinstance(step, int):
            return node.value[step] if 0 <= step < len(node.value) else None
        return None
