"""The problems panel: every diagnostic of the active case folders, grouped by file.

Enter on a problem opens its file in $VISUAL or $EDITOR at its line, and the app
comes back when the editor exits. In a served session (``casebook serve``) editing is
off: the browser would be typing into an editor on the server.
"""

from __future__ import annotations

import subprocess
from itertools import groupby
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from casebook.editor import editor_command
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.diagnostics import Diagnostic
from casebook.screens.dialog import ClickOutsideCloses
from casebook.widgets.render import plain


class ProblemsScreen(ClickOutsideCloses, ModalScreen[None]):
    """Diagnostics as ``path:line:col: message``; enter opens the editor, escape closes."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape,q,exclamation_mark", "dismiss", "Close")]

    def __init__(
        self,
        diagnostics: list[Diagnostic],
        files: dict[str, Path],
        lang: Lang,
        *,
        editing: bool = True,
    ) -> None:
        super().__init__()
        self.diagnostics = diagnostics
        self.files = files
        self.lang = lang
        self.editing = editing
        """Whether enter opens the editor (never in a served session)."""
        self._by_option: dict[str, Diagnostic] = {}

    def compose(self) -> ComposeResult:
        lang = self.lang
        errors = sum(1 for d in self.diagnostics if d.severity == "error")
        warnings = len(self.diagnostics) - errors
        heading = Text(t("problems", lang), style="bold")
        heading.append(
            f"  {t('problem_counts', lang, errors=errors, warnings=warnings)}", style="dim"
        )
        options: list[Option] = []
        for path, found in groupby(self.diagnostics, key=lambda d: d.path):
            options.append(Option(plain(path, "bold underline"), disabled=True))
            for diagnostic in found:
                style = "red" if diagnostic.severity == "error" else "yellow"
                number = len(options)
                options.append(Option(plain(f"  {diagnostic}", style), str(number)))
                self._by_option[str(number)] = diagnostic
        with Vertical(id="problems-body"):
            yield Static(heading, classes="block-title")
            if not self.diagnostics:
                yield Static(Text(t("no_problems", lang)))
            else:
                help_key = "problems_help" if self.editing else "problems_help_served"
                yield Static(Text(t(help_key, lang), style="dim"))
            yield OptionList(*options, id="problem-list")

    @on(OptionList.OptionSelected)
    def _open(self, message: OptionList.OptionSelected) -> None:
        diagnostic = self._by_option.get(message.option.id or "")
        if diagnostic is not None:
            self.open_in_editor(diagnostic)

    def open_in_editor(self, diagnostic: Diagnostic) -> None:
        """Run the editor on the problem's file, at its line; resume the app afterwards.

        When editing is off, say where the problem is instead."""
        if not self.editing:
            self.notify(t("editing_off", self.lang, where=diagnostic.location), timeout=10)
            return
        path = self.files.get(diagnostic.path, Path(diagnostic.path)).absolute()
        command = editor_command(path, diagnostic.line, diagnostic.col)
        if command is None:
            self.notify(t("no_editor", self.lang), severity="warning")
            return
        try:
            with self.app.suspend():
                self._run(command)
        except SuspendNotSupported:
            self._run(command)

    def _run(self, command: list[str]) -> None:
        try:
            subprocess.run(command, check=False)
        except OSError as error:
            self.notify(t("editor_failed", self.lang, error=error), severity="error")

    def action_dismiss(self) -> None:
        self.dismiss()
