"""The problems panel: every diagnostic of the active case folders, grouped by file.

Enter on a problem opens its file in $VISUAL or $EDITOR at its line, and the app
comes back when the editor exits. In a served session (``casebook serve``) editing is
off: the browser would be typing into an editor on the server.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import WorkerCancelled, get_current_worker

from casebook.editor import editor_command
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.diagnostics import Diagnostic
from casebook.screens.dialog import ClickOutsideCloses
from casebook.widgets.fitted_list import (
    FittedList,
    hanging_height,
    hanging_lines,
    paragraph_cells,
)
from casebook.widgets.line_list import LineList, Row, Rows
from casebook.widgets.render import plain

Check = Callable[[Callable[[int, int], None]], list[Diagnostic]]
"""Finds more problems (the library's warnings), reporting progress as it goes."""

INDENT = 2
"""A problem's indent under its file's name."""


class ProblemsScreen(ClickOutsideCloses, ModalScreen[None]):
    """Diagnostics as ``path:line:col: message``; enter opens the editor, escape closes.

    The list is a :class:`FittedList`: thousands of problems open at the cost of the
    rows in view. With ``check``, the screen opens at once on ``diagnostics`` and runs
    ``check`` in a thread (linting a large library takes seconds), saying how far it
    has got; what it finds joins the list when it is done. Closing the screen stops it.
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape,q,exclamation_mark", "dismiss", "Close")]

    @dataclass
    class Checked(Message):
        """The check has looked at ``done`` of ``total`` files."""

        done: int
        total: int

    @dataclass
    class Found(Message):
        """The check is over: what it found."""

        diagnostics: list[Diagnostic]

    def __init__(
        self,
        diagnostics: list[Diagnostic],
        files: dict[str, Path],
        lang: Lang,
        *,
        editing: bool = True,
        check: Check | None = None,
    ) -> None:
        super().__init__()
        self.diagnostics = sorted(diagnostics)
        self.files = files
        self.lang = lang
        self.editing = editing
        """Whether enter opens the editor (never in a served session)."""
        self._check = check
        self._checked: tuple[int, int] | None = (0, 0) if check is not None else None
        """How far the check has got (None: no check, or it is over)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="problems-body"):
            yield Static(self._heading(), classes="block-title", id="problems-heading")
            yield Static(self._help(), id="problems-help")
            problems = FittedList(id="problem-list")
            problems.lay_out(self._rows)
            yield problems

    def on_mount(self) -> None:
        if self._check is not None:  # once the screen is drawn: the check takes the GIL
            self.call_after_refresh(
                self.run_worker, self._run_check, name="problems-check", thread=True
            )

    def _run_check(self) -> None:
        """In a thread: run the check, reporting progress; stop if the screen closes."""
        assert self._check is not None
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise WorkerCancelled("the problems screen closed")
            if done % 25 == 0:
                self.post_message(self.Checked(done, total))

        with contextlib.suppress(WorkerCancelled):  # closed: nobody is looking any more
            self.post_message(self.Found(self._check(progress)))

    def on_problems_screen_checked(self, message: Checked) -> None:
        self._checked = (message.done, message.total)
        self.query_one("#problems-heading", Static).update(self._heading())

    def on_problems_screen_found(self, message: Found) -> None:
        self._checked = None
        self.diagnostics = sorted([*self.diagnostics, *message.diagnostics])
        self.query_one("#problems-heading", Static).update(self._heading())
        self.query_one("#problems-help", Static).update(self._help())
        self.query_one(FittedList).lay_out()

    def _heading(self) -> Text:
        lang = self.lang
        errors = sum(1 for d in self.diagnostics if d.severity == "error")
        warnings = len(self.diagnostics) - errors
        heading = Text(t("problems", lang), style="bold")
        heading.append(
            f"  {t('problem_counts', lang, errors=errors, warnings=warnings)}", style="dim"
        )
        if self._checked is not None:
            done, total = self._checked
            words = t("problems_checking", lang, done=done, total=total) if total else ""
            heading.append(f"  {words or t('problems_looking', lang)}")
        return heading

    def _help(self) -> Text:
        if not self.diagnostics:
            return Text(t("no_problems" if self._checked is None else "no_errors", self.lang))
        help_key = "problems_help" if self.editing else "problems_help_served"
        return Text(t(help_key, self.lang), style="dim")

    def _rows(self, width: int) -> Rows:
        """Each file's name, then its problems wrapped under it (each row made when it is
        drawn; a long one's height estimated until then)."""
        entries: list[str | int] = []  # a file's name, or a problem's number
        heights: list[int] = []
        for path, found in groupby(enumerate(self.diagnostics), key=lambda d: d[1].path):
            entries.append(path)
            heights.append(1)
            for number, diagnostic in found:
                entries.append(number)
                heights.append(hanging_height(INDENT, paragraph_cells(str(diagnostic)), width))
        ids = [str(entry) if isinstance(entry, int) else None for entry in entries]
        return Rows(ids, heights, lambda index: self._row(entries[index], width))

    def _row(self, entry: str | int, width: int) -> Row:
        if isinstance(entry, str):  # a file's name, over its problems
            return Row(None, [plain(entry, "bold underline")], disabled=True)
        diagnostic = self.diagnostics[entry]
        style = "red" if diagnostic.severity == "error" else "yellow"
        lines = hanging_lines(Text(" " * INDENT), plain(str(diagnostic), style), width)
        return Row(str(entry), lines)

    @on(LineList.Selected)
    def _open(self, message: LineList.Selected) -> None:
        if message.row_id is not None:
            self.open_in_editor(self.diagnostics[int(message.row_id)])

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
