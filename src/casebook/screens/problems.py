"""The problems screen: every diagnostic of the active case folders, grouped by file."""

from __future__ import annotations

from itertools import groupby

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from casebook.model.diagnostics import Diagnostic
from casebook.model.text import Lang
from casebook.model.words import t
from casebook.widgets.render import plain


class ProblemsScreen(ModalScreen[None]):
    """Diagnostics as ``path:line:col: message``; escape closes it."""

    BINDINGS = [Binding("escape,q,exclamation_mark", "dismiss", "Close")]

    def __init__(self, diagnostics: list[Diagnostic], lang: Lang) -> None:
        super().__init__()
        self.diagnostics = diagnostics
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems-body"):
            yield Static(Text(t("problems", self.lang), style="bold"), classes="block-title")
            if not self.diagnostics:
                yield Static(Text(t("no_problems", self.lang)))
            for path, found in groupby(self.diagnostics, key=lambda d: d.path):
                rows = [plain(path, "bold")]
                rows += [
                    plain(f"  {d}", "red" if d.severity == "error" else "yellow") for d in found
                ]
                yield Static(Text("\n").join(rows), classes="block")

    def action_dismiss(self) -> None:
        self.dismiss()
