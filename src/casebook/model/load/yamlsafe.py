"""Strict, safe YAML: libyaml with YAML 1.2 scalars and none of YAML's sharp edges.

Rejected, each with its position: duplicate keys, anchors, aliases, merge keys,
tags, directives, non-string keys, more than one document, NaN and infinity,
and unsafe control characters in strings.
"""

from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import dataclass
from typing import ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from casebook.model.format.text import UNSAFE_CHARS, describe_unsafe

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class YamlProblem:
    """A problem found while reading YAML, at a 1-based line and column."""

    line: int
    col: int
    message: str


class YamlError(Exception):
    """The file cannot be read as a single safe YAML mapping."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


def _at(mark: yaml.Mark | None, message: str) -> YamlProblem:
    if mark is None:
        return YamlProblem(0, 0, message)
    return YamlProblem(mark.line + 1, mark.column + 1, message)


class StrictLoader(yaml.CSafeLoader):
    """libyaml's safe loader with the YAML 1.2 core schema (see :func:`_core_schema`).

    :meth:`data` builds the data of a node tree with the strict rules, in place of
    PyYAML's constructors.
    """

    yaml_implicit_resolvers: ClassVar[dict] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[YamlProblem] = []
        self.check_text = UNSAFE_CHARS.search(stream) is not None or "\\" in stream

    def resolve(self, kind: type[Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        """The tag of a node without one (libyaml asks for every node while composing).

        PyYAML's ``Resolver.resolve`` for this schema, without its path resolvers
        and wildcard resolvers, which it has none of.
        """
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):  # type: ignore[index]
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def data(self, root: MappingNode) -> dict:
        """The data of a mapping node tree, every problem recorded on the way.

        Collections are filled level by level, first come first served, so values and
        problems come out in the order PyYAML's constructors give them; no recursion,
        however deep the tree.
        """
        problems = self.problems
        check_text = self.check_text
        pending: deque[tuple[Node, dict | list]] = deque()

        def text(node: ScalarNode) -> str:
            unsafe = describe_unsafe(node.value) or _separator(node.value)
            if unsafe:
                problems.append(_at(node.start_mark, unsafe))
            return node.value

        def build(node: Node) -> object:
            tag = node.tag
            if node.__class__ is ScalarNode:
                if tag == _STR:
                    return text(node) if check_text else node.value  # type: ignore[arg-type]
                scalar = _SCALARS.get(tag)
                if scalar is not None:
                    return scalar(self, node.value, node.start_mark)
            elif tag == _MAP and node.__class__ is MappingNode:
                mapping: dict = {}
                pending.append((node, mapping))
                return mapping
            elif tag == _SEQ and node.__class__ is SequenceNode:
                sequence: list = []
                pending.append((node, sequence))
                return sequence
            problems.append(_at(node.start_mark, f"tag {tag} is not allowed"))
            return None

        top: dict = {}
        pending.append((root, top))
        while pending:
            node, into = pending.popleft()
            if into.__class__ is list:
                into.extend([build(item) for item in node.value])  # type: ignore[union-attr]
                continue
            seen: dict[str, Node] = {}
            for key_node, value_node in node.value:
                if key_node.tag != _STR or key_node.__class__ is not ScalarNode:
                    problems.append(_at(key_node.start_mark, "keys must be plain text"))
                    continue
                key = text(key_node) if check_text else key_node.value
                if key == "<<" and not key_node.style:  # plain: None in PyYAML, "" in libyaml
                    problems.append(_at(key_node.start_mark, "merge keys (<<) are not allowed"))
                    continue
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    here = key_node.start_mark.line + 1
                    message = f"duplicate key {key!r} (lines {first} and {here})"
                    problems.append(_at(key_node.start_mark, message))
                    continue
                seen[key] = key_node
                into[key] = build(value_node)  # type: ignore[index]
        return top


def _null(loader: StrictLoader, text: str, mark: yaml.Mark) -> None:
    return None


def _bool(loader: StrictLoader, text: str, mark: yaml.Mark) -> bool:
    return text.lower() == "true"


_MAX_DIGITS = 100
"""Longer integers are refused unread: ``int()`` of thousands of digits is slow, or
refused (``sys.set_int_max_str_digits``), and no number in a case has so many."""


def _int(loader: StrictLoader, text: str, mark: yaml.Mark) -> int:
    if len(text) > _MAX_DIGITS:
        loader.problems.append(_at(mark, f"a number of {len(text)} digits is far too large"))
        return 0
    if text[:2] in ("0o", "0x"):
        return int(text, 0)
    return int(text)


def _float(loader: StrictLoader, text: str, mark: yaml.Mark) -> float:
    value = float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    if not math.isfinite(value):
        named = "inf" in text.lower() or "nan" in text.lower()  # else too large for a float
        message = "NaN and infinity are not numbers" if named else "the number is far too large"
        loader.problems.append(_at(mark, message))
    return value


_SCALARS = {
    "tag:yaml.org,2002:null": _null,
    "tag:yaml.org,2002:bool": _bool,
    "tag:yaml.org,2002:int": _int,
    "tag:yaml.org,2002:float": _float,
}
"""How each implicit scalar type other than text is built from its text."""


def _core_schema() -> None:
    """Install the YAML 1.2 core schema: yes/no/on/off and dates stay strings."""
    add = StrictLoader.add_implicit_resolver
    add(
        "tag:yaml.org,2002:null",
        re.compile(r"^(?:~|null|Null|NULL|)\Z"),
        ["~", "n", "N", ""],
    )
    add(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)\Z"),
        list("tTfF"),
    )
    add(
        "tag:yaml.org,2002:int",
        re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z"),
        list("-+0123456789"),
    )
    add(
        "tag:yaml.org,2002:float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
        ),
        list("-+.0123456789"),
    )


_core_schema()


def _scan_events(text: str) -> list[YamlProblem]:
    """Find anchors, aliases, tags and directives, which the node tree no longer shows."""
    problems = []
    documents = 0
    for event in yaml.parse(text, Loader=StrictLoader):
        mark = event.start_mark
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                return [
                    *problems,
                    _at(mark, "only one document per file (remove the ---)"),
                ]
            if event.version or event.tags:
                problems.append(_at(mark, "YAML directives (%) are not allowed"))
        elif isinstance(event, yaml.AliasEvent):
            problems.append(_at(mark, "aliases (*) are not allowed; write the value out"))
        elif isinstance(event, yaml.NodeEvent):
            if event.anchor is not None:
                problems.append(_at(mark, "anchors (&) are not allowed"))
            if getattr(event, "tag", None) is not None:
                problems.append(_at(mark, f"tags ({event.tag}) are not allowed"))
    return problems


def _needs_event_scan(text: str) -> bool:
    """Whether ``text`` may hold an anchor, alias, tag or directive (``[&*!]|^%``)."""
    return "&" in text or "*" in text or "!" in text or text.startswith("%") or "\n%" in text


def load_mapping(text: str) -> tuple[dict, list[YamlProblem]]:
    """Parse ``text`` as one strict YAML mapping.

    Returns the data with the problems that still let it be read (duplicate keys,
    NaN, control characters...); raises YamlError when there is no data to check.
    """
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        # libyaml reads a raw NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR as a line break:
        # text would change silently and every line number after it would disagree with
        # the author's editor.
        raise YamlError(_line_break_problems(text))
    try:
        if _needs_event_scan(text):
            problems = _scan_events(text)
            if problems:
                raise YamlError(problems)
        loader = StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise YamlError([YamlProblem(1, 1, "the file is empty")])
            if not isinstance(node, MappingNode):
                raise YamlError([_at(node.start_mark, "the file must be a mapping of keys")])
            data = loader.data(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlError([_at(mark, _describe(error) + _opened(text, error))]) from None
    except yaml.reader.ReaderError as error:
        raise YamlError([_reader_problem(text, error)]) from None
    except yaml.YAMLError as error:
        raise YamlError([YamlProblem(0, 0, f"not readable as YAML: {error}")]) from None
    return data, loader.problems


def _reader_problem(text: str, error: yaml.reader.ReaderError) -> YamlProblem:
    """A character YAML refuses to read (a raw control character), at its line and column.

    libyaml reports where it is as a byte offset into the UTF-8 text.
    """
    char = error.character if isinstance(error.character, str) else chr(error.character)
    prefix = text.encode("utf-8")[: max(error.position, 0)].decode("utf-8", "replace")
    return _char_problem(text, len(prefix), char)


_ODD_BREAK = re.compile("[\x85\u2028\u2029]")
_SEPARATOR = re.compile("[\u2028\u2029]")
_BREAK_NAMES = {
    "\u2028": "U+2028 LINE SEPARATOR",
    "\u2029": "U+2029 PARAGRAPH SEPARATOR",
}


def _separator(value: str) -> str | None:
    """Why ``value`` may not hold a line or paragraph separator (written as an escape,
    ``\\L`` or ``\\P``: a raw one never gets this far), or None."""
    found = _SEPARATOR.search(value)
    if found is None:
        return None
    return f"{_BREAK_NAMES[found.group()]} is not allowed in text; use a newline, or delete it"


def _line_break_problems(text: str) -> list[YamlProblem]:
    """Every character YAML would take as a line break that editors do not, at its line
    and column as an editor counts them (lines end at ``\\n`` only)."""
    problems = []
    line, line_start, counted = 1, 0, 0
    for found in _ODD_BREAK.finditer(text):
        index = found.start()
        line += text.count("\n", counted, index)  # from the last one found: linear
        counted = index
        line_start = text.rfind("\n", line_start, index) + 1 or line_start
        char = found.group()
        name = _BREAK_NAMES.get(char)
        if name is None:  # NEL
            message = describe_unsafe(char) or f"character U+{ord(char):04X} is not allowed"
        else:
            message = (
                f"{name} is not allowed (YAML reads it as a line break); "
                "use a newline, or delete it"
            )
        problems.append(YamlProblem(line, index - line_start + 1, message))
    return problems


def _char_problem(text: str, index: int, char: str | None = None) -> YamlProblem:
    """A character that may not appear in a case file, at ``text[index]``."""
    char = char if char is not None else text[index]
    line_start = text.rfind("\n", 0, index) + 1
    message = describe_unsafe(char) or f"character U+{ord(char):04X} is not allowed in YAML"
    return YamlProblem(text.count("\n", 0, index) + 1, index - line_start + 1, message)


def _describe(error: yaml.MarkedYAMLError) -> str:
    parts = [error.context, error.problem]
    message = ", ".join(part for part in parts if part)
    if "expected a single document" in message:
        return "only one document per file (remove the ---)"
    return message or "not valid YAML"


_OPENERS = {"[": "]", "{": "}"}
_BREAK = re.compile("\r\n|\r|\n")  # line breaks as libyaml counts lines


def _opened(text: str, error: yaml.MarkedYAMLError) -> str:
    """Where the flow collection or quoted text the parser was inside began, as
    `` (the `[` opened at line 12, col 5 is never closed)``; or nothing.

    The parser stops where it noticed, often lines later (at the next key, or at the
    end of the file): the opening bracket or quote is where to look.
    """
    context, opened = error.context or "", error.context_mark
    if opened is None or not ("flow" in context or "quoted scalar" in context):
        return ""
    start = _offset(text, opened.line, opened.column)
    char = text[start : start + 1]
    if char not in ('"', "'", "[", "{"):
        return ""
    where = f"line {opened.line + 1}, col {opened.column + 1}"
    if _unclosed(text, start) if char in _OPENERS else "end of stream" in (error.problem or ""):
        return f" (the `{char}` opened at {where} is never closed)"
    return f" (inside the `{char}` opened at {where})"


def _offset(text: str, line: int, column: int) -> int:
    """The index in ``text`` of a 0-based line and column."""
    start = 0
    if line:
        for number, found in enumerate(_BREAK.finditer(text), 1):
            if number == line:
                start = found.end()
                break
    return start + column


def _unclosed(text: str, start: int) -> bool:
    """Whether the bracket at ``text[start]`` is never matched by its closing bracket,
    brackets in quoted text and comments aside. One pass over the rest of the text."""
    stack: list[str] = []
    index, size = start, len(text)
    previous = " "  # the last character that was not white space, outside quotes
    while index < size:
        char = text[index]
        if char in _OPENERS:
            stack.append(_OPENERS[char])
        elif char in "]}":
            if stack.pop() != char:
                return True  # closed by the wrong bracket: its own is missing
            if not stack:
                return False
        elif char in "\"'" and previous in "[{,:?-":
            index = _quote_end(text, index)
        elif char == "#" and text[index - 1] in " \t\r\n":
            found = _BREAK.search(text, index)
            index = found.start() if found else size
            continue
        if not char.isspace():
            previous = char
        index += 1
    return True


def _quote_end(text: str, start: int) -> int:
    """The index of the quote that ends the quoted text starting at ``text[start]``
    (the end of the text if none does)."""
    quote, index = text[start], start + 1
    while True:
        index = text.find(quote, index)
        if index < 0:
            return len(text)
        if quote == '"' and _escaped(text, index):
            index += 1
        elif quote == "'" and text.startswith("''", index):
            index += 2
        else:
            return index


def _escaped(text: str, index: int) -> bool:
    """Whether ``text[index]`` follows an odd number of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def compose(text: str) -> Node | None:
    """The node tree of ``text`` (for finding where a value sits in a failing file)."""
    loader = StrictLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()
