"""Validation past the first error: every structural and semantic problem, with its path.

msgspec stops at the first error, so a failing file is walked field by field
and item by item against the same types, to report all of its problems.
"""

from __future__ import annotations

import difflib
import functools
import re
import types
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Annotated, Literal, NamedTuple, Union, get_args, get_origin

import msgspec

from casebook.model.format.addresses import Item as Path
from casebook.model.format.case import (
    Case,
    Collection,
    Document,
    Metric,
    Passage,
    Saying,
    convert,
    dec_hook,
)
from casebook.model.format.dates import FuzzyDate
from casebook.model.format.text import Bilingual

_UNIONS = (Union, types.UnionType)


class Problem(msgspec.Struct, frozen=True):
    """A problem at a path of keys and list indexes in the document."""

    path: Path
    message: str
    at_key: bool = False


def check(data: dict, kind: type[Document]) -> tuple[Document | None, list[Problem]]:
    """Validate parsed YAML: the document when valid, else every problem found."""
    budget = _hint_budget.set([HINT_BUDGET])
    try:
        try:
            document = convert(data, kind)
        except msgspec.ValidationError:
            return None, list(_walk(data, kind, ()))
        problems = list(_semantics(document))
        return (None if problems else document), problems
    finally:
        _hint_budget.reset(budget)


# -- "did you mean" ------------------------------------------------------------

HINT_BUDGET = 20_000
"""The most candidates "did you mean" compares a word with, in all, for one file: a
file with thousands of mistakes is checked in time that grows with its size (its
later mistakes get no hint)."""

HINT_LONGEST = 100
"""Words longer than this get no hint (comparing them costs more, and helps little)."""

_hint_budget: ContextVar[list[int]] = ContextVar("hint_budget")


def close_match(word: str, choices: Sequence[str], cutoff: float = 0.6) -> str | None:
    """The choice ``word`` most likely meant, if one is close, within the file's budget."""
    budget = _hint_budget.get(None)
    if budget is not None:
        if budget[0] < len(choices):
            return None
        budget[0] -= len(choices)
    if len(word) > HINT_LONGEST:
        return None
    hint = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return hint[0] if hint else None


# -- structure ---------------------------------------------------------------


@functools.cache
def _fields(struct: type[msgspec.Struct]) -> dict[str, tuple[object, bool]]:
    return {f.encode_name: (f.type, f.required) for f in msgspec.structs.fields(struct)}


def _strip(annotation: object) -> object:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _members(union: object) -> Iterator[object]:
    """The members of a union, nested unions and annotations flattened."""
    for member in get_args(union):
        member = _strip(member)
        if get_origin(member) in _UNIONS:
            yield from _members(member)
        else:
            yield member


def _is_struct(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, msgspec.Struct)


def _describe_value(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _expected(annotation: object) -> str:
    annotation = _strip(annotation)
    if annotation is str:
        return "text"
    if annotation is int:
        return "a whole number"
    if annotation is float:
        return "a number"
    if annotation is bool:
        return "true or false"
    if annotation is FuzzyDate:
        return "a date"
    if annotation is Bilingual:
        return "{en: ..., zh: ...}"
    if _is_struct(annotation):
        return f"a mapping ({annotation.__name__.lower()})"
    origin = get_origin(annotation)
    if origin is list:
        return "a list"
    if origin is Literal:
        return "one of " + ", ".join(map(str, get_args(annotation)))
    if origin in _UNIONS:
        names = [_expected(a) for a in _members(annotation) if a is not type(None)]
        if "a whole number" in names and "a number" in names:
            names.remove("a whole number")
        return " or ".join(dict.fromkeys(names))
    return str(annotation)


def _walk(value: object, annotation: object, path: Path) -> Iterator[Problem]:
    bare = _strip(annotation)
    if _is_struct(bare):
        yield from _walk_struct(value, bare, path)
    elif get_origin(bare) is list:
        if not isinstance(value, list):
            yield Problem(path, f"expected a list, got {_describe_value(value)}")
            return
        (item,) = get_args(bare)
        for index, element in enumerate(value):
            yield from _walk(element, item, (*path, index))
    elif get_origin(bare) in _UNIONS and isinstance(value, (dict, list)):
        for member in _members(bare):
            if (isinstance(value, dict) and _is_struct(member)) or (
                isinstance(value, list) and get_origin(member) is list
            ):
                yield from _walk(value, member, path)
                return
        yield Problem(path, f"expected {_expected(bare)}, got {_describe_value(value)}")
    else:
        yield from _leaf(value, annotation, path)


def _walk_struct(value: object, struct: type[msgspec.Struct], path: Path) -> Iterator[Problem]:
    if not isinstance(value, dict):
        yield Problem(path, f"expected {_expected(struct)}, got {_describe_value(value)}")
        return
    fields = _fields(struct)
    problems: list[Problem] = []
    for key in value:
        if key not in fields:
            hint = close_match(str(key), list(fields))
            tip = f"; did you mean {hint!r}?" if hint else f"; allowed: {', '.join(fields)}"
            problems.append(Problem((*path, key), f"unknown key {key!r}{tip}", at_key=True))
    for name, (annotation, required) in fields.items():
        if name in value:
            problems.extend(_walk(value[name], annotation, (*path, name)))
        elif required:
            problems.append(Problem(path, f"missing required key {name!r}"))
    if not problems:
        # Fields are fine one by one; the struct's own rules (__post_init__) may not be.
        problems.extend(_leaf(value, struct, path))
    yield from problems


_MSGSPEC_PATH = re.compile(r" - at `\$[^`]*`$")
_BOUND = re.compile(r"^Expected `(?:int|float)` (>=|<=|>|<) (\S+)$")
_INF = float("inf")
_LENGTH = re.compile(r"^Expected `str` of length (<=|>=) (\d+)$")
_ITEMS = re.compile(r"^Expected `array` of length (<=|>=) (\d+)$")
_BOUND_WORDS = {">=": "of at least", "<=": "of at most", ">": "above", "<": "below"}


def _leaf(value: object, annotation: object, path: Path) -> Iterator[Problem]:
    try:
        if _strip(annotation) is FuzzyDate:  # msgspec only hooks custom types inside structs
            dec_hook(FuzzyDate, value)
        else:
            msgspec.convert(value, annotation, dec_hook=dec_hook)
    except msgspec.ValidationError as error:
        message = _MSGSPEC_PATH.sub("", str(error))
        bare = _strip(annotation)
        bound = _BOUND.match(message)
        if message.startswith("Expected `") and ", got `" in message:
            message = f"expected {_expected(bare)}, got {_describe_value(value)}"
        elif bound:  # a number outside its Meta(gt=...) limits
            if not isinstance(value, (int, float)) or value != value or abs(value) == _INF:
                return  # NaN or infinity (here or within): the YAML reader reports them
            limit = f"{_BOUND_WORDS[bound[1]]} {bound[2].removesuffix('.0')}"
            whole = bare is int or (get_origin(bare) in _UNIONS and float not in _members(bare))
            message = f"expected {'a whole number' if whole else 'a number'} {limit}"
            message += f", got {_describe_value(value)}"
        elif message.startswith("Invalid enum value"):
            choices = [str(c) for c in get_args(bare)]
            hint = close_match(str(value), choices)
            message = f"{value!r} is not one of {', '.join(choices)}"
            message += f"; did you mean {hint!r}?" if hint else ""
        elif "matching regex" in message and "https?" in message:
            message = f"{value!r} is not a web address: use http:// or https://, no spaces"
        elif "matching regex" in message:
            message = f"{value!r} is not a valid id: use lower-case letters, digits and hyphens"
        elif length := _LENGTH.match(message):
            most = "most" if length[1] == "<=" else "least"
            size = len(value) if isinstance(value, str) else "?"
            message = f"expected text of at {most} {length[2]} characters, got {size}"
        elif items := _ITEMS.match(message):
            most = "most" if items[1] == "<=" else "least"
            size = len(value) if isinstance(value, list) else "?"
            message = f"expected at {most} {items[2]} items, got {size}"
        yield Problem(path, message)
    except ValueError as error:  # a date that is not one
        yield Problem(path, str(error))


# -- meaning -----------------------------------------------------------------


def _semantics(document: Document) -> Iterator[Problem]:
    yield from _unique_ids(document.sources, ("sources",), "source")
    source_ids = _Ids(source.id for source in document.sources)
    yield from _passage_forms(document)
    if isinstance(document, Case):
        yield from _unique_ids(document.metrics, ("metrics",), "metric")
        yield from _cited(document.metrics, ("metrics",), source_ids)
        yield from _cited(document.timeline, ("timeline",), source_ids)
        yield from _cited(document.people, ("people",), source_ids)
        yield from _cited(document.recognitions, ("recognitions",), source_ids)
        metric_ids = _Ids(metric.id for metric in document.metrics)
        for index, challenge in enumerate(document.challenges):
            for position, ref in enumerate(challenge.metrics):
                if ref not in metric_ids:
                    where = ("challenges", index, "metrics", position)
                    yield Problem(where, _unknown_ref("metric", ref, metric_ids))
    else:
        yield from _collection(document, source_ids)


def _collection(collection: Collection, source_ids: _Ids) -> Iterator[Problem]:
    yield from _unique_ids(collection.context, ("context",), "region")
    yield from _unique_ids(collection.chapters, ("chapters",), "chapter")
    for index, region in enumerate(collection.context):
        path = ("context", index)
        yield from _unique_ids(region.figures, (*path, "figures"), "figure")
        yield from _cited(region.figures, (*path, "figures"), source_ids)
        yield from _cited(region.timeline, (*path, "timeline"), source_ids)
    placed: dict[str, int] = {}
    for index, chapter in enumerate(collection.chapters):
        for position, case_id in enumerate(chapter.cases):
            if case_id in placed:
                where = ("chapters", index, "cases", position)
                yield Problem(where, f"case {case_id!r} is already in another chapter")
            placed[case_id] = index


def _unique_ids(items: list, path: Path, what: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            yield Problem((*path, index, "id"), f"{what} id {item.id!r} is used twice")
        seen.add(item.id)


class _Ids(frozenset[str]):
    """Ids that may be referred to, and (made once, when first wanted) in sorted order."""

    @functools.cached_property
    def in_order(self) -> list[str]:
        return sorted(self)


def _unknown_ref(what: str, ref: str, known: _Ids) -> str:
    hint = close_match(ref, known.in_order)
    tip = f"; did you mean {hint!r}?" if hint else ""
    return f"no {what} has id {ref!r}{tip}"


def _cited(items: list, path: Path, source_ids: _Ids) -> Iterator[Problem]:
    for index, item in enumerate(items):
        if item.source is not None and item.source not in source_ids:
            where = (*path, index, "source")
            yield Problem(where, _unknown_ref("source", item.source, source_ids))


# -- passages ------------------------------------------------------------------


class PassageSite(NamedTuple):
    """An item that points into its source: a metric, an event or a thing said."""

    path: Path
    """Where the item is (its passage is at ``(*path, "passage")``)."""
    passage: Passage | None
    source: str | None
    """The id of the source it cites (for a thing said, the person's source)."""
    metric: Metric | None = None
    """The figure whose numbers the passage must hold (None for events and sayings)."""


def passage_sites(document: Document) -> Iterator[PassageSite]:
    """Every figure, event and thing said of ``document``, with its passage if any
    (a plain-text saying has none: only {en, zh, passage} can carry one)."""
    if isinstance(document, Case):
        for index, metric in enumerate(document.metrics):
            yield PassageSite(("metrics", index), metric.passage, metric.source, metric)
        for index, event in enumerate(document.timeline):
            yield PassageSite(("timeline", index), event.passage, event.source)
        for index, person in enumerate(document.people):
            for number, said in enumerate(person.said):
                passage = said.passage if isinstance(said, Saying) else None
                yield PassageSite(("people", index, "said", number), passage, person.source)
        return
    for index, region in enumerate(document.context):
        for number, figure in enumerate(region.figures):
            path = ("context", index, "figures", number)
            yield PassageSite(path, figure.passage, figure.source, figure)
        for number, event in enumerate(region.timeline):
            yield PassageSite(("context", index, "timeline", number), event.passage, event.source)


def _passage_forms(document: Document) -> Iterator[Problem]:
    """What can be told of passages without the source text: each cites a source, and
    its words are on one line, as the source has them (no spaces around them)."""
    for site in passage_sites(document):
        if site.passage is None:
            continue
        where = (*site.path, "passage")
        if site.source is None:
            whose = "the person" if "said" in site.path else "the item"
            yield Problem(where, f"a passage points into a source: give {whose} a source:")
        for name in ("start", "end"):
            words: str | None = getattr(site.passage, name)
            if words is None:
                continue
            if "\n" in words or "\r" in words:
                yield Problem((*where, name), f"the passage's {name} words must be on one line")
            elif words != words.strip():
                message = f"the passage's {name} words must not begin or end with a space"
                yield Problem((*where, name), message)
