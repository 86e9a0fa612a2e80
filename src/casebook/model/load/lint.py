"""Author warnings: things a valid file may still get wrong.

A file that loads is correct as data, but it can still read badly in class: a
translation left out, a figure with no source, text YAML silently cut at a
` #`, events out of order, a paragraph too long for a slide, a discussion with
too few questions, text left from the template. Each rule is one small function;
every warning starts with the rule's stable code (``missing-source: ...``) so authors
and tools can tell them apart. Warnings never stop a file from loading.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

import msgspec
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from casebook.model.author.scaffold import PLACEHOLDER_EN, PLACEHOLDER_ZH
from casebook.model.format.case import Case, Collection, Document, Event, Metric
from casebook.model.format.text import Bilingual, Lang, Text, missing_langs
from casebook.model.load.diagnostics import Diagnostic, capped
from casebook.model.load.loader import LoadedFile, locate_problems
from casebook.model.load.validate import Path, Problem, passage_sites
from casebook.model.load.yamlsafe import compose

MISSING_TRANSLATION = "missing-translation"
MISSING_SOURCE = "missing-source"
HIDDEN_COMMENT = "hidden-comment"
EVENT_ORDER = "event-order"
LONG_PARAGRAPH = "long-paragraph"
FEW_QUESTIONS = "few-questions"
MISSING_PASSAGE = "missing-passage"
TEMPLATE_TEXT = "template-text"

CODES: dict[str, str] = {
    MISSING_TRANSLATION: "a text gives one language of {en, zh} and leaves the other empty",
    MISSING_SOURCE: "a figure (metric) does not say which source it comes from",
    HIDDEN_COMMENT: "unquoted text followed by ' #': YAML cut the text there as a comment",
    EVENT_ORDER: "a timeline event is dated before the event listed above it",
    LONG_PARAGRAPH: "a paragraph is too long to present on one slide",
    FEW_QUESTIONS: "a case has fewer than three discussion questions",
    MISSING_PASSAGE: "a figure or a thing said does not point to its passage in the source",
    TEMPLATE_TEXT: "text left from the template: TODO, 待填 or the template's example wording",
}
"""Every rule's code and what it means, in the order the rules run."""

PRESENT_LIMITS: dict[Lang, int] = {"en": 700, "zh": 350}
"""The longest paragraph, in characters, that still presents well on a slide."""

MIN_QUESTIONS = 3
"""Fewer discussion questions than this make a thin class discussion."""

SINGLE_LANGUAGE_FIELDS = frozenset({"legal_name", "former_names"})
"""Fields that may rightly exist in one language only: registered company names."""

_LANG_NAMES: dict[Lang, str] = {"en": "English (en)", "zh": "Chinese (zh)"}
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")  # as the exports split paragraphs
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029]")  # what libyaml counts as a new line
_STR = "tag:yaml.org,2002:str"

DocumentRule = Callable[[Document], Iterator[Problem]]
TextRule = Callable[[Node, str, str], list[Diagnostic]]
"""A rule that reads the file's node tree (and text), given the name to show."""


def lint(loaded: LoadedFile, text: str, display: str | None = None) -> list[Diagnostic]:
    """Warnings for a file that loaded, positioned ``path:line:col`` like errors.

    ``text`` is the file's text (as ``loader.read_text`` gives it); ``display`` is
    the name to print, by default the file's path. A file that did not load gets
    no warnings: its errors come first.
    """
    document = loaded.document
    if document is None or not loaded.ok:
        return []
    shown = display if display is not None else str(loaded.path)
    problems = [problem for rule in DOCUMENT_RULES for problem in rule(document)]
    found = [
        msgspec.structs.replace(diagnostic, severity="warning")
        for diagnostic in locate_problems(text, problems, shown)
    ]
    root = _compose(text)
    if root is not None:
        found += [warning for rule in TEXT_RULES for warning in rule(root, text, shown)]
    return capped(found)


# -- (a) missing translations ---------------------------------------------------


def missing_translations(document: Document) -> Iterator[Problem]:
    """A {en, zh} mapping with one language empty; plain strings serve both languages."""
    for path, text in _texts(document, ()):
        if any(step in SINGLE_LANGUAGE_FIELDS for step in path if isinstance(step, str)):
            continue
        for lang in missing_langs(text):
            other = "zh" if lang == "en" else "en"
            yield Problem(
                (*path, lang),
                f"{MISSING_TRANSLATION}: no {_LANG_NAMES[lang]} text, only {other}; add "
                f"{lang}: next to {other}: (or write one plain text if it reads the same "
                "in both languages)",
            )


def _texts(value: object, path: Path) -> Iterator[tuple[Path, Bilingual]]:
    """Every bilingual mapping in a document, with its path."""
    if isinstance(value, Bilingual):
        yield path, value
    elif isinstance(value, msgspec.Struct):
        for info in msgspec.structs.fields(type(value)):
            yield from _texts(getattr(value, info.name), (*path, info.encode_name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


# -- (b) figures with no source ---------------------------------------------------


def unsourced_figures(document: Document) -> Iterator[Problem]:
    """A case metric or a collection region figure that cites no source."""
    for path, metrics in _metric_lists(document):
        for index, metric in enumerate(metrics):
            if metric.source is None:
                yield Problem(
                    (*path, index),
                    f"{MISSING_SOURCE}: figure {metric.id!r} has no source; add "
                    "source: with the id of the source it comes from",
                )


def _metric_lists(document: Document) -> Iterator[tuple[Path, list[Metric]]]:
    if isinstance(document, Case):
        yield ("metrics",), document.metrics
    else:
        for index, region in enumerate(document.context):
            yield ("context", index, "figures"), region.figures


# -- (c) a ' #' that YAML took as a comment ------------------------------------------


def hidden_comments(text: str, shown: str) -> list[Diagnostic]:
    """Unquoted text followed by exactly one space and '#': YAML ended the text there.

    ``label: Price # of units`` reads as ``Price``. Comments with two or more
    spaces before the '#' (as in the template) and comment-only lines are fine.
    """
    root = _compose(text)
    return [] if root is None else _hidden_comments(root, text, shown)


def _compose(text: str) -> Node | None:
    """The node tree of a file that loaded (its text rules read it, once for all)."""
    try:
        return compose(text)
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError):
        return None  # it loaded already: a second read failing (it changed since) is no warning


def _hidden_comments(root: Node, text: str, shown: str) -> list[Diagnostic]:
    lines = _LINE_BREAK.split(text)
    found = []
    for node in _plain_text_scalars(root):
        end = node.end_mark
        if end.line >= len(lines):
            continue
        rest = lines[end.line][end.column :]
        if rest.startswith(" #"):
            comment = _clip(rest[1:].rstrip())
            found.append(
                Diagnostic(
                    shown,
                    end.line + 1,
                    end.column + 2,
                    f"{HIDDEN_COMMENT}: the text ends at {_clip(node.value)!r}: YAML reads "
                    f"{comment!r} as a comment; put the whole text in quotes, or two spaces "
                    "before '#' if it is a comment",
                    "warning",
                )
            )
    return found


def _plain_text_scalars(node: Node) -> Iterator[ScalarNode]:
    """Unquoted (plain) scalars that YAML read as text, depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ScalarNode):
            if not current.style and current.tag == _STR and current.value:
                yield current
        elif isinstance(current, MappingNode):
            for key, value in reversed(current.value):
                stack += [value, key]
        elif isinstance(current, SequenceNode):
            stack += reversed(current.value)


def _clip(value: str, width: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


# -- (d) timeline events out of order ------------------------------------------------


def events_out_of_order(document: Document) -> Iterator[Problem]:
    """An event whose date sorts before the previous event's (case and region timelines)."""
    for path, events in _timelines(document):
        for index in range(1, len(events)):
            previous, event = events[index - 1], events[index]
            if event.date.sort_key < previous.date.sort_key:
                yield Problem(
                    (*path, index, "date"),
                    f"{EVENT_ORDER}: {event.date.text!r} is earlier than {previous.date.text!r}, "
                    "the date of the event above it; list events from earliest to latest",
                )


def _timelines(document: Document) -> Iterator[tuple[Path, list[Event]]]:
    if isinstance(document, Case):
        yield ("timeline",), document.timeline
    else:
        for index, region in enumerate(document.context):
            yield ("context", index, "timeline"), region.timeline


# -- (e) paragraphs too long to present ----------------------------------------------


def long_paragraphs(document: Document) -> Iterator[Problem]:
    """A paragraph of presented prose longer than ``PRESENT_LIMITS`` for its language."""
    for path, text in _presented(document):
        for where, lang, value in _by_language(path, text):
            for number, paragraph in enumerate(_PARAGRAPH_BREAK.split(value), 1):
                size = len(" ".join(paragraph.split()))
                limit = PRESENT_LIMITS[lang]
                if size > limit:
                    which = f"paragraph {number}" if number > 1 else "the paragraph"
                    yield Problem(
                        where,
                        f"{LONG_PARAGRAPH}: {which} ({lang}) is {size} characters, over the "
                        f"{limit} that fit a slide; shorten it or split it with an empty line",
                    )


def _presented(document: Document) -> Iterator[tuple[Path, Text | None]]:
    """The prose a presenter shows: summaries, challenges, event details, epilogue."""
    for path, events in _timelines(document):
        for index, event in enumerate(events):
            yield (*path, index, "detail"), event.detail
    if isinstance(document, Collection):
        for index, region in enumerate(document.context):
            yield ("context", index, "summary"), region.summary
        return
    yield ("summary",), document.summary
    for index, challenge in enumerate(document.challenges):
        path = ("challenges", index)
        yield (*path, "problem"), challenge.problem
        for position, solution in enumerate(challenge.solutions):
            yield (*path, "solutions", position), solution
        yield (*path, "outcome"), challenge.outcome
    yield ("epilogue",), document.epilogue


def _by_language(path: Path, text: Text | None) -> Iterator[tuple[Path, Lang, str]]:
    """Each language's string of a text; a plain string counts as Chinese if it has any."""
    if text is None:
        return
    if isinstance(text, str):
        yield path, "zh" if _CJK.search(text) else "en", text
        return
    for lang in ("en", "zh"):
        value: str = getattr(text, lang)
        if value:
            yield (*path, lang), lang, value


# -- (f) too few discussion questions ------------------------------------------------


def few_questions(document: Document) -> Iterator[Problem]:
    """A case with fewer than ``MIN_QUESTIONS`` discussion questions."""
    if not isinstance(document, Case):
        return
    count = len(document.discussion_questions)
    if count < MIN_QUESTIONS:
        have = "no discussion questions" if count == 0 else f"only {count} discussion question"
        have += "s" if count > 1 else ""
        yield Problem(
            ("discussion_questions",),
            f"{FEW_QUESTIONS}: the case has {have}; give at least {MIN_QUESTIONS} "
            "so the class has something to argue about",
            at_key=True,
        )


# -- (g) figures and sayings with no passage ---------------------------------------------


def missing_passages(document: Document) -> Iterator[Problem]:
    """A figure or a thing said that cites a source but not its passage in it (a figure
    with no source at all is warned of as such)."""
    for site in passage_sites(document):
        if site.passage is not None or site.source is None:
            continue
        if site.metric is not None:
            yield Problem(
                site.path,
                f"{MISSING_PASSAGE}: figure {site.metric.id!r} does not say where in its "
                "source it is; add passage: {start: ..., end: ...}, a few of the source's "
                "own words (at most 20 characters each) that begin and end the passage",
            )
        elif "said" in site.path:
            yield Problem(
                site.path,
                f"{MISSING_PASSAGE}: this does not say where in the source it was said; "
                "write it as {en: ..., zh: ..., passage: {start: ..., end: ...}} with a "
                "few of the source's own words (at most 20 characters each)",
            )


# -- (h) text left from the template ------------------------------------------------------

PLACEHOLDERS = (PLACEHOLDER_EN.rstrip(": "), PLACEHOLDER_ZH.rstrip("：: "))
"""The marks of text still to write: TODO and 待填, as ``casebook new --from`` writes them."""

REAL_EXAMPLE_FIELDS = frozenset({"unit", "segments"})
"""Fields whose example in the template is a real value, not wording to replace: a
metric in days keeps ``unit: {en: days, zh: 天}``, a class may open with "Opening"."""

_WORDING_KEYS = frozenset({"en", "zh", "start", "end"})
"""The keys of the template's example wording: texts, and passages' words."""

_PLACEHOLDER = re.compile(
    "|".join(rf"(?<![A-Za-z]){re.escape(mark)}(?![A-Za-z])" for mark in PLACEHOLDERS)
)
"""A placeholder mark, not part of a longer word (``TODOS`` is no TODO)."""
_COMMENTED_FIELD = re.compile(r"^([ ]*)# ([ ]*(?:- )*(?:[a-z_]+:(?:[ ]|$)|\{))", re.M)
"""A field the template leaves commented out (``# city: ...``); prose comments are not."""


def template_texts(root: Node, text: str, shown: str) -> list[Diagnostic]:
    """Text left from the template: a placeholder mark (TODO, 待填) anywhere in a text,
    or a text that is, whole, one of the template's example texts (``Company name``,
    ``公司简称``...). Every text is looked at once: linear in the size of the file."""
    examples = template_examples()
    found = []
    for node in _value_scalars(root):
        value = node.value
        mark = _PLACEHOLDER.search(value)
        if mark:
            why = f"holds {mark.group()!r}, a placeholder to replace"
        elif _normal(value) in examples:
            why = "is the template's example wording"
        else:
            continue
        found.append(
            Diagnostic(
                shown,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                f"{TEMPLATE_TEXT}: {_clip(value)!r} {why}; write what your source says",
                "warning",
            )
        )
    return found


@functools.cache
def template_examples() -> frozenset[str]:
    """The example wording of the template ``casebook new`` writes, read from the template
    itself (its commented-out fields too), so that the two never disagree: every
    ``en``/``zh`` text and passage ``start``/``end`` words, except in
    :data:`REAL_EXAMPLE_FIELDS`."""
    from casebook.model.author.template import case_template

    root = compose(_COMMENTED_FIELD.sub(r"\1\2", case_template("x")))
    examples: set[str] = set()
    stack: list[tuple[Node, str | None]] = [(root, None)] if root is not None else []
    while stack:
        node, key = stack.pop()
        if isinstance(node, ScalarNode):
            if key in _WORDING_KEYS and node.tag == _STR and any(c.isalpha() for c in node.value):
                examples.add(_normal(node.value))
        elif isinstance(node, MappingNode):
            stack += [
                (value, name.value)
                for name, value in node.value
                if name.value not in REAL_EXAMPLE_FIELDS
            ]
        elif isinstance(node, SequenceNode):
            stack += [(item, key) for item in node.value]
    return frozenset(examples)


def _normal(value: str) -> str:
    return " ".join(value.split()).casefold()


def _value_scalars(node: Node) -> Iterator[ScalarNode]:
    """Scalars read as text that are values (not keys), depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ScalarNode):
            if current.tag == _STR and current.value:
                yield current
        elif isinstance(current, MappingNode):
            stack += reversed([value for _, value in current.value])
        elif isinstance(current, SequenceNode):
            stack += reversed(current.value)


DOCUMENT_RULES: tuple[DocumentRule, ...] = (
    missing_translations,
    unsourced_figures,
    events_out_of_order,
    long_paragraphs,
    few_questions,
    missing_passages,
)
"""The rules that read the loaded document."""

TEXT_RULES: tuple[TextRule, ...] = (_hidden_comments, template_texts)
"""The rules that read the file's YAML nodes: where the text itself is the problem."""
