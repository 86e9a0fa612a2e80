"""The case list: the introduction, then the cases grouped by chapter."""

from __future__ import annotations

from collections.abc import Callable, Collection

from rich.text import Text
from textual.binding import Binding

from casebook.model.format.addresses import INTRO_ID
from casebook.model.format.text import Lang, pick
from casebook.model.format.words import t
from casebook.model.load.library import Library, card_in
from casebook.widgets.line_list import LineList, Row, Rows
from casebook.widgets.render import plain


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
        self._library: Library | None = None
        self._lang: Lang = "en"
        self._marker: Callable[[str], str] = lambda _entry_id: ""

    def populate(
        self,
        library: Library,
        lang: Lang,
        marker: Callable[[str], str],
        only: Collection[str] | None = None,
    ) -> None:
        """Fill the list from ``library`` in ``lang``, keeping the highlighted entry.

        ``marker(entry_id)`` is the reader's mark for an entry (notes, panes read); with
        ``only``, just those cases are listed (the introduction always is). Entries are
        two lines each, made (from the cases' cards) only when drawn.
        """
        self._library, self._lang, self._marker = library, lang, marker
        if only is not None:
            only = set(only)  # looked up once per case
        ids: list[str | None] = []
        groups: dict[int, str] = {}
        """The title of each group row, by its index."""

        def entry(entry_id: str) -> None:
            if only is None or entry_id == INTRO_ID or entry_id in only:
                ids.append(entry_id)

        def group(title: str) -> None:
            groups[len(ids)] = title
            ids.append(None)

        cases = library.cases
        collection = library.collection
        if collection is not None:
            entry(INTRO_ID)
        listed: set[str] = set()
        for chapter in collection.chapters if collection is not None else []:
            members = [c for c in chapter.cases if c in cases and (only is None or c in only)]
            if members:
                group(pick(chapter.title, lang))
            for case_id in members:
                entry(case_id)
                listed.add(case_id)
        rest = [c for c in cases if c not in listed and (only is None or c in only)]
        if rest and listed:
            group(t("cases", lang))
        for case_id in rest:
            entry(case_id)

        def make(index: int) -> Row:
            entry_id = ids[index]
            if entry_id is None:
                return Row(None, _entry(groups[index].upper(), ""), disabled=True)
            return Row(entry_id, self._marked_lines(entry_id))

        self.set_rows(Rows(ids, [2 if i is not None else 1 for i in ids], make))

    def _marked_lines(self, entry_id: str) -> tuple[Text, ...]:
        return self._lines(entry_id, self._marker(entry_id))

    def _lines(self, entry_id: str, marker: str) -> tuple[Text, ...]:
        """An entry's two lines: its name (and marker), then its hook (maybe blank)."""
        library, lang = self._library, self._lang
        assert library is not None
        if entry_id == INTRO_ID:
            assert library.collection is not None
            name, hook = t("introduction", lang), pick(library.collection.title, lang)
        else:
            card = card_in(library.cases, entry_id)
            name, hook = pick(card.company.name, lang), pick(card.hook, lang)
        lines = _entry(name, hook, marker)
        return lines if len(lines) == 2 else (*lines, Text(""))

    def set_marker(self, entry_id: str, marker: str) -> None:
        """Show ``marker`` (notes, panes read) beside one entry."""
        if self.index_of(entry_id) is not None:
            self.replace_row(entry_id, self._lines(entry_id, marker))
