"""The case list: the introduction, then the cases grouped by chapter."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import partial

from rich.text import Text
from textual.binding import Binding

from casebook.model.library import Library
from casebook.model.text import Lang, pick
from casebook.model.words import t
from casebook.widgets.line_list import LazyLines, LineList, Row
from casebook.widgets.render import plain

INTRO_ID = "__introduction__"


def _entry(name: str, hook: str, marker: str = "") -> tuple[Text, ...]:
    """Name (and the reader's marker) over a one-line hook, both bold as they always were."""
    first = plain(name, "bold")
    if marker:
        first.append(f"  {marker}", style="italic")
    return (first, plain(hook, "bold italic")) if hook else (first,)


class CaseList(LineList):
    """Cases to open; `j`/`k` move like `down`/`up`."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    DEFAULT_CSS = """
    CaseList > .line-list--disabled {
        color: $text-primary;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._texts: dict[str, tuple[str, str]] = {}

    def populate(
        self,
        library: Library,
        lang: Lang,
        markers: Mapping[str, str],
        only: Collection[str] | None = None,
    ) -> None:
        """Fill the list from ``library`` in ``lang``, keeping the highlighted entry.

        ``markers`` holds the reader's marks per entry id (notes, panes read); with
        ``only``, just those cases are listed (the introduction always is).
        """
        self._texts = {}
        rows: list[Row] = []

        def entry(entry_id: str, name: str, hook: str) -> None:
            if only is not None and entry_id != INTRO_ID and entry_id not in only:
                return
            self._texts[entry_id] = (name, hook)
            build = partial(_entry, name, hook, markers.get(entry_id, ""))
            rows.append(Row(entry_id, LazyLines(2 if hook else 1, build)))

        def group(title: str) -> None:
            rows.append(Row(None, _entry(title.upper(), ""), disabled=True))

        collection = library.collection
        if collection is not None:
            entry(INTRO_ID, t("introduction", lang), pick(collection.title, lang))
        listed: set[str] = set()
        for chapter in collection.chapters if collection is not None else []:
            members = [
                library.cases[c]
                for c in chapter.cases
                if c in library.cases and (only is None or c in only)
            ]
            if members:
                group(pick(chapter.title, lang))
            for case in members:
                entry(case.id, pick(case.company.name, lang), pick(case.hook, lang))
                listed.add(case.id)
        rest = [
            case
            for case_id, case in library.cases.items()
            if case_id not in listed and (only is None or case_id in only)
        ]
        if rest and listed:
            group(t("cases", lang))
        for case in rest:
            entry(case.id, pick(case.company.name, lang), pick(case.hook, lang))
        self.set_rows(rows)

    def set_marker(self, entry_id: str, marker: str) -> None:
        """Show ``marker`` (notes, panes read) beside one entry."""
        if entry_id in self._texts:
            name, hook = self._texts[entry_id]
            self.replace_row(entry_id, _entry(name, hook, marker))
