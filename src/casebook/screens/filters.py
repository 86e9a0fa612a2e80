"""Narrow the case list by chapter, industry and region, in any combination."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select

from casebook.model.format.text import Lang, pick, strip_unsafe
from casebook.model.format.words import t
from casebook.model.views.facets import Choice, Facets, Filters
from casebook.screens.dialog import ClickOutsideCloses
from casebook.screens.language import Bilingual
from casebook.screens.off_screen import Kept

_FIELDS = ("chapter", "industry", "region")


def _options(choices: tuple[Choice, ...], lang: Lang) -> list[tuple[Text, str]]:
    """Each value with how many cases have it: "Zhejiang (2)", "浙江省（2）"."""
    count = "{label}（{count}）" if lang == "zh" else "{label} ({count})"
    return [
        (Text(count.format(label=strip_unsafe(pick(c.label, lang)), count=c.count)), c.value)
        for c in choices
    ]


class FilterScreen(Kept, Bilingual, ClickOutsideCloses, ModalScreen[Filters | None]):
    """Pick a value (or any) for each filter; apply, clear, or escape to keep things.

    Kept by the explorer for its library once opened, and opened again (see
    :meth:`show`): Textual's three selects take 70-90 ms to build, about as long in a
    bare Textual app; opened again, 20 ms (measured with 2,000 cases)."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, facets: Facets, current: Filters, lang: Lang) -> None:
        super().__init__()
        self.facets = facets
        self.current = current
        self.set_reactive(FilterScreen.lang, lang)

    def watch_lang(self) -> None:
        self.refresh(recompose=True)

    def show(self, current: Filters) -> None:
        """Show ``current`` again (the screen kept, opened again), the first select focused."""
        self.current = current
        if self.is_mounted:
            for field in _FIELDS:
                value = getattr(current, field)
                select = self.query_one(f"#filter-{field}", Select)
                select.value = value if value is not None else Select.NULL
            self.query_one(f"#filter-{_FIELDS[0]}", Select).focus()

    def compose(self) -> ComposeResult:
        lang = self.lang
        choices = {
            "chapter": self.facets.chapters,
            "industry": self.facets.industries,
            "region": self.facets.regions,
        }
        with Vertical(id="filter-box"):
            yield Label(Text(t("filters", lang), style="bold"))
            for field in _FIELDS:
                yield Label(t(field, lang))
                value = getattr(self.current, field)
                yield Select(
                    _options(choices[field], lang),
                    prompt=t("any", lang),
                    value=value if value is not None else Select.NULL,
                    id=f"filter-{field}",
                )
            with Horizontal(id="filter-buttons"):
                yield Button(t("apply", lang), variant="primary", id="filter-apply")
                yield Button(t("clear", lang), id="filter-clear")

    def chosen(self) -> Filters:
        """The filters as the selects show them now."""
        values = {}
        for field in _FIELDS:
            value = self.query_one(f"#filter-{field}", Select).value
            values[field] = value if isinstance(value, str) else None
        return Filters(**values)

    @on(Button.Pressed, "#filter-apply")
    def _apply(self) -> None:
        self.dismiss(self.chosen())

    @on(Button.Pressed, "#filter-clear")
    def _clear(self) -> None:
        self.dismiss(Filters())

    def action_cancel(self) -> None:
        self.dismiss(None)
