"""Narrow the case list by chapter, industry and region, in any combination."""

from __future__ import annotations

import msgspec
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from casebook.model.format.text import Lang, pick, strip_unsafe
from casebook.model.format.words import t
from casebook.model.views.facets import Choice, Facets, Filters
from casebook.screens.dialog import ClickOutsideCloses
from casebook.screens.language import Bilingual
from casebook.screens.off_screen import Kept

_FIELDS = ("chapter", "industry", "region")
_CHOICES = {"chapter": "chapters", "industry": "industries", "region": "regions"}
"""Each filter's values, by the name ``Facets`` keeps them under."""


def _counted(choice: Choice, lang: Lang) -> str:
    """A value with how many cases have it: "Zhejiang (2)", "浙江省（2）"."""
    label = strip_unsafe(pick(choice.label, lang))
    return f"{label}（{choice.count}）" if lang == "zh" else f"{label} ({choice.count})"


def _marked(words: str, chosen: bool) -> Text:
    return Text.assemble(("● " if chosen else "○ ", "bold" if chosen else "dim"), words)


class FilterScreen(Kept, Bilingual, ClickOutsideCloses, ModalScreen[Filters | None]):
    """Pick a value (or any) for each filter in one list; apply, clear, or escape to keep
    things as they were.

    One list, each filter's values under its name, the chosen one marked: no drop-down
    (Textual draws a drop-down's Chinese over other widgets' edges with characters
    missing, Textual issue #6357), and one widget where three selects took 95-105 ms
    to open (now 70) and 1 MiB. Kept by the explorer for its library once opened, and
    opened again (20-25 ms) on the filters as they are then (:meth:`show`); measured
    with 2,000 cases."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("space", "choose", "Choose", show=False),
    ]

    def __init__(self, facets: Facets, current: Filters, lang: Lang) -> None:
        super().__init__()
        self.facets = facets
        self.current = current
        """The filters as chosen so far (applied when the reader applies them)."""
        self.set_reactive(FilterScreen.lang, lang)

    def watch_lang(self) -> None:
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        lang = self.lang
        box = Vertical(id="filter-box")
        box.border_title = t("filters", lang)
        with box:
            yield OptionList(*self._options(), id="filter-choices")
            with Horizontal(id="filter-buttons"):
                yield Button(t("apply", lang), variant="primary", id="filter-apply")
                yield Button(t("clear", lang), id="filter-clear")

    def _choices(self, field: str) -> tuple[Choice, ...]:
        return getattr(self.facets, _CHOICES[field])

    def _options(self) -> list[Option]:
        """Each filter's name, then "any" and its values, the chosen one marked."""
        lang, options = self.lang, []
        for field in _FIELDS:
            chosen = getattr(self.current, field)
            heading = Text(t(field, lang), style="bold")
            options.append(Option(heading, id=f"{field}#", disabled=True))
            options.append(Option(_marked(t("any", lang), chosen is None), id=f"{field}:"))
            options += [
                Option(_marked(_counted(c, lang), chosen == c.value), id=f"{field}:{c.value}")
                for c in self._choices(field)
            ]
        return options

    def _mark(self) -> None:
        """Mark the chosen value of each filter (and no other), the highlight kept."""
        choices = self.query_one("#filter-choices", OptionList)
        highlighted = choices.highlighted
        choices.set_options(self._options())
        choices.highlighted = highlighted

    def choose(self, field: str, value: str | None) -> None:
        """Choose ``value`` for the ``field`` filter (None: any)."""
        self.current = msgspec.structs.replace(self.current, **{field: value})
        if self.is_mounted:
            self._mark()

    def show(self, current: Filters) -> None:
        """Show ``current`` again (the screen kept, opened again), the list focused on
        the first filter's "any"."""
        self.current = current
        if self.is_mounted:
            self._mark()
            choices = self.query_one("#filter-choices", OptionList)
            choices.highlighted = choices.get_option_index(f"{_FIELDS[0]}:")  # its "any"
            choices.focus()

    @on(OptionList.OptionSelected, "#filter-choices")
    def _chosen(self, message: OptionList.OptionSelected) -> None:
        field, _, value = (message.option.id or "").partition(":")
        self.choose(field, value or None)

    def action_choose(self) -> None:
        """Choose the highlighted value (space, as enter)."""
        self.query_one("#filter-choices", OptionList).action_select()

    @on(Button.Pressed, "#filter-apply")
    def _apply(self) -> None:
        self.dismiss(self.current)

    @on(Button.Pressed, "#filter-clear")
    def _clear(self) -> None:
        self.dismiss(Filters())

    def action_cancel(self) -> None:
        self.dismiss(None)
