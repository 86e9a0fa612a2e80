"""Handouts: cases as Markdown or as one self-contained, print-ready HTML file.

``export(library, case_ids, fmt, lang)`` builds each case (and, for the whole
casebook, the collection's introduction, context and chapters) once as a small
tree of blocks (:mod:`.content` builds the :mod:`.blocks`), then writes that
tree as Markdown (:mod:`.markdown`) or HTML (:mod:`.html`, a jinja2 template), so
both formats hold the same content.

Case text is data, never markup: in Markdown it goes through :func:`escape_md`
(the one Markdown escaper, which exported notes use too), in HTML through the
template's autoescaping. Instructor-only fields (teaching notes and the
epilogue) appear only when the library is the instructor edition. The output
holds no timestamps, so the same library always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from casebook.model.export import html, markdown
from casebook.model.export.blocks import LANGUAGES, Language
from casebook.model.export.content import build
from casebook.model.export.html import GENERATED_HTML
from casebook.model.export.markdown import GENERATED_MD, escape_md, escape_md_text
from casebook.model.load.library import Library

__all__ = [
    "FORMATS",
    "GENERATED_HTML",
    "GENERATED_MD",
    "LANGUAGES",
    "SUFFIXES",
    "Format",
    "Language",
    "UnknownCase",
    "escape_md",
    "escape_md_text",
    "export",
]

Format = Literal["md", "html"]
FORMATS: tuple[Format, ...] = ("md", "html")
SUFFIXES: dict[Format, str] = {"md": ".md", "html": ".html"}


class UnknownCase(KeyError):
    """No case in the library has this id."""

    def __init__(self, case_id: str, known: Sequence[str] = ()) -> None:
        super().__init__(case_id)
        self.case_id = case_id
        self.known = list(known)

    def __str__(self) -> str:
        known = ", ".join(self.known) if self.known else "none"
        return f"no case has id {self.case_id!r}; known ids: {known}"


def export(library: Library, case_ids: Sequence[str], fmt: Format, lang: Language = "en") -> str:
    """The handout of ``case_ids`` (in that order) as Markdown or HTML.

    When ``case_ids`` are every case of the library and it has a collection, the
    handout starts with the collection's introduction, context and chapters.
    Raises :class:`UnknownCase` for an id the library does not hold.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    ids = [case_ids] if isinstance(case_ids, str) else list(dict.fromkeys(case_ids))
    for case_id in ids:
        if case_id not in library.cases:
            raise UnknownCase(case_id, list(library.cases))
    handout = build(library, ids, lang)
    return markdown.write(handout) if fmt == "md" else html.write(handout)
