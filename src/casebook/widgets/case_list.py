"""The case list: the introduction, then the cases grouped by chapter."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from casebook.i18n import t
from casebook.model.library import Library
from casebook.model.text import Lang, pick
from casebook.widgets.render import plain

INTRO_ID = "__introduction__"


def _entry(name: str, hook: str) -> Text:
    """Name over a one-line hook (the list's CSS cuts long lines with an ellipsis)."""
    text = plain(name, "bold")
    if hook:
        text.append("\n")
        text.append_text(plain(hook, "dim"))
    return text


class CaseList(OptionList):
    """Cases to open; `j`/`k` move like `down`/`up`."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def populate(self, library: Library, lang: Lang) -> None:
        """Fill the list from ``library`` in ``lang``, keeping the highlighted entry."""
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        options: list[Option | None] = []
        collection = library.collection
        if collection is not None:
            options.append(
                Option(_entry(t("introduction", lang), pick(collection.title, lang)), INTRO_ID)
            )
        listed: set[str] = set()
        chapters = collection.chapters if collection is not None else []
        for chapter in chapters:
            members = [library.cases[c] for c in chapter.cases if c in library.cases]
            if not members:
                continue
            options.append(Option(_entry(pick(chapter.title, lang).upper(), ""), disabled=True))
            for case in members:
                options.append(
                    Option(_entry(pick(case.company.name, lang), pick(case.hook, lang)), case.id)
                )
                listed.add(case.id)
        rest = [case for case_id, case in library.cases.items() if case_id not in listed]
        if rest and chapters:
            options.append(Option(Text(t("cases", lang).upper(), style="italic"), disabled=True))
        for case in rest:
            options.append(
                Option(_entry(pick(case.company.name, lang), pick(case.hook, lang)), case.id)
            )
        self.clear_options()
        self.add_options(options)
        if keep is not None:
            self.highlight_id(keep)
        elif self.option_count:
            self.highlighted = next(
                (i for i in range(self.option_count) if not self.get_option_at_index(i).disabled),
                None,
            )

    def highlight_id(self, option_id: str) -> None:
        """Move the highlight to the entry ``option_id`` when it is listed."""
        with contextlib.suppress(OptionDoesNotExist):
            self.highlighted = self.get_option_index(option_id)
