"""The board: what the trainer writes during a class, in columns, shown as a slide.

``w`` in the slides asks the app for it (:class:`BoardRequested`); the app keeps one
:class:`BoardDesk` per presented case, which holds the case's boards (see
:mod:`casebook.state.board`: saved at every key, or in memory in a served session)
and the link that shows the board on the other terminal of the presentation (the
slides or the presenter console) when it is shown on one.

The trainer moves between columns with left/right and between entries with up/down
(the column's title is at the top), adds an entry to the column with ``a``, edits
with ``e`` or enter, removes with ``d`` or delete, adds a column with ``n``. The
audience's terminal shows the same board without any of that: a slide that follows
what the trainer writes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, Static

from casebook.actions import BOARD_ACTIONS, Action, bindings, footer_label
from casebook.model.format.case import Case
from casebook.model.format.edition import Edition
from casebook.model.format.text import Lang, pick
from casebook.model.format.words import t
from casebook.screens.language import Bilingual
from casebook.state import board as boards_
from casebook.state.board import Board, BoardLink, BoardNotSaved, Boards, Column, Entry
from casebook.widgets.key_bar import KeyBar
from casebook.widgets.render import plain

if TYPE_CHECKING:
    from collections.abc import Callable

FOLLOW = 0.25
"""Seconds between two looks at what the other terminal did (shown, hidden, written)."""
TITLE = -1
"""The row of a column's title (its entries are rows 0, 1...)."""


@dataclass
class BoardRequested(Message):
    """The trainer asked for the board of ``case_id`` (``w`` in the slides)."""

    case_id: str
    console: bool = False
    """Asked from the presenter console (else from the slides the audience sees)."""


class BoardInput(Input):
    """Where an entry or a title is typed; escape cancels (it never leaves the board)."""

    BINDINGS: ClassVar = [Binding("escape", "cancel", show=False)]

    class Cancelled(Message):
        """Typing was cancelled."""

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())


@dataclass
class Editing:
    """What is being typed: a new entry or an entry, a column's title."""

    kind: Literal["new", "entry", "title"]
    column_id: str
    entry_id: str | None
    original: Entry | Column | None
    """The entry or column as it was (put back on cancel); ``None`` for a new entry."""
    created: bool = False
    """A new entry already saved (its first key was typed)."""


class BoardScreen(Bilingual, Screen[None]):
    """A case's board, written on live (``editable``) or followed as a slide."""

    CSS_PATH = "board.tcss"
    BINDINGS = bindings(BOARD_ACTIONS)
    ACTIONS: ClassVar[tuple[Action, ...]] = BOARD_ACTIONS
    """What the trainer can do here (the help screen and the palette list them)."""
    HELP_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (("ctrl+p", "about_palette"),)
    """Keys that Textual gives, for the help screen."""

    column: var[int] = var(0, init=False)
    """The index of the column the trainer is on."""
    row: var[int] = var(TITLE, init=False)
    """The entry the trainer is on, in that column (``TITLE``: its title)."""

    def __init__(
        self,
        desk: BoardDesk,
        *,
        lang: Lang = "en",
        editable: bool = True,
        announce: bool = True,
    ) -> None:
        super().__init__(classes="trainer" if editable else "audience")
        self.set_reactive(BoardScreen.lang, lang)
        self.desk = desk
        self.editable = editable
        self.announce = announce
        """Opened by the trainer here (not following the other terminal): its opening
        and closing are told to the other terminal."""
        self.editing: Editing | None = None
        self.saved_at: float | None = None
        self._said: str | None = None
        self._confirm_remove: str | None = None
        """The column a first ``d`` on its title asked to remove."""
        self._built = False

    @property
    def boards(self) -> Boards:
        return self.desk.boards

    @property
    def board(self) -> Board:
        assert self.boards.board is not None
        return self.boards.board

    def compose(self) -> ComposeResult:
        yield Static(id="board-title")
        yield HorizontalScroll(id="board-columns", can_focus=False)
        if self.editable:
            yield Static(id="board-status")
            yield KeyBar(footer_label, lang=self.lang).data_bind(BoardScreen.lang)

    async def on_mount(self) -> None:
        self.boards.current(self.desk.board_plan)
        if self.editable and self.board.columns and self.board.columns[0].entries:
            self.set_reactive(BoardScreen.row, len(self.board.columns[0].entries) - 1)
        await self._rebuild()
        self._problem()
        self.set_interval(FOLLOW, self._follow)
        if self.announce and self.desk.link is not None:
            self.desk.link.publish(True)

    # -- drawing -----------------------------------------------------------------

    def _show_title(self) -> None:
        lang = self.lang
        name = pick(self.desk.case.company.name, lang)
        title = plain(t("board_heading", lang, title=name, date=self.board.date), "bold")
        if self.boards.folder is None:
            title.append(f"  ({t('board_in_memory', lang)})", style="dim")
        self.query_one("#board-title", Static).update(title)

    def _show_status(self) -> None:
        if not self.editable:
            return
        lang = self.lang
        if self.editing is not None:
            status = Text(t("board_typing", lang), style="bold")
        elif self._said is not None:
            status = plain(self._said, "bold yellow")
        elif self.saved_at is not None and self.boards.folder is not None:
            stamp = time.strftime("%H:%M:%S", time.localtime(self.saved_at))
            status = Text(t("board_saved", lang, time=stamp), style="dim")
        else:
            status = Text("")
        self.query_one("#board-status", Static).update(status, layout=False)  # one line

    def _columns(self) -> list[VerticalScroll]:
        lang = self.lang
        made = []
        for index, column in enumerate(self.board.columns):
            heading = pick(column.title, lang)
            shown = plain(heading, "bold") if heading else None
            if shown is None:
                shown = Text(t("board_column", lang, n=index + 1), style="dim italic")
            rows = [Static(shown, classes="board-heading", id=f"board-{index}-title")]
            for number, entry in enumerate(column.entries):
                # Chinese has no spaces to break at: the bullet is written against it.
                line = Text("•" if lang == "zh" else "• ", style="dim")
                line.append_text(plain(pick(entry.text, lang)))
                rows.append(Static(line, classes="board-entry", id=f"board-{index}-{number}"))
            made.append(VerticalScroll(*rows, classes="board-column", can_focus=False))
        return made

    async def _rebuild(self) -> None:
        """Draw the board as it is now, keeping the trainer's place (clamped)."""
        area = self.query_one("#board-columns", HorizontalScroll)
        async with self.batch():
            await area.remove_children()
            await area.mount_all(self._columns())
        self._built = True
        self._clamp()
        self._show_title()
        self._show_status()
        self._mark()

    def _clamp(self) -> None:
        columns = self.board.columns
        column = max(0, min(self.column, len(columns) - 1))
        entries = len(columns[column].entries) if columns else 0
        row = max(TITLE, min(self.row, entries - 1))
        self.set_reactive(BoardScreen.column, column)
        self.set_reactive(BoardScreen.row, row)

    def _mark(self) -> None:
        """Highlight the trainer's place (the audience sees no place)."""
        if not self._built or not self.editable:
            return
        for widget in self.query(".-selected"):
            widget.remove_class("-selected")
        found = self.query(f"#{self._row_id(self.column, self.row)}")
        if found:
            widget = found.first()
            widget.add_class("-selected")
            assert widget.parent is not None
            widget.parent.add_class("-selected")
            self.query_one("#board-columns", HorizontalScroll).scroll_to_widget(
                widget.parent, animate=False
            )
            widget.parent.scroll_to_widget(widget, animate=False)  # type: ignore[attr-defined]

    @staticmethod
    def _row_id(column: int, row: int) -> str:
        return f"board-{column}-{'title' if row == TITLE else row}"

    def watch_column(self) -> None:
        self._confirm_remove = None
        self._mark()

    def watch_row(self) -> None:
        self._confirm_remove = None
        self._mark()

    async def watch_lang(self) -> None:
        if self._built and self.editing is None:
            await self._rebuild()

    # -- following the other terminal ----------------------------------------------

    async def _follow(self) -> None:
        if self.editing is None and self.boards.refresh():
            await self._rebuild()

    # -- changes -------------------------------------------------------------------

    def _change(self, change: Callable[[Board], Board], *, durable: bool = True) -> bool:
        """Apply ``change`` and save it; say so when it could not be saved."""
        try:
            self.boards.change(change, durable=durable)
        except BoardNotSaved as error:
            self._tell(t("board_not_saved", self.lang, error=error))
            return False
        self.saved_at = time.time()
        if self._said is not None and self.boards.problem is None:
            self._said = None
        return True

    def _tell(self, message: str) -> None:
        """A problem, on the status line and (once) as a notification."""
        if message != self._said:
            self.notify(message, severity="warning", timeout=10)
        self._said = message
        self._show_status()

    def _problem(self) -> None:
        """What went wrong reading or writing the board file, said once."""
        if self.boards.problem is not None:
            key, values = self.boards.problem
            self.boards.problem = None
            self._tell(t(key, self.lang, **values))

    def _current(self) -> tuple[Column, Entry | None]:
        column = self.board.columns[self.column]
        entry = column.entries[self.row] if self.row != TITLE else None
        return column, entry

    # -- actions -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The audience's board only follows; while typing, the keys are the input's."""
        if action.startswith("board_"):
            return self.editable and self.editing is None
        return True

    def action_board_move(self, step: int) -> None:
        """The previous or next column."""
        count = len(self.board.columns)
        column = max(0, min(self.column + step, count - 1))
        if column != self.column:
            entries = len(self.board.columns[column].entries)
            self.row = min(self.row, entries - 1)
            self.column = column

    def action_board_step(self, step: int) -> None:
        """The entry above or below (the title is above the first)."""
        entries = len(self.board.columns[self.column].entries)
        self.row = max(TITLE, min(self.row + step, entries - 1))

    async def action_board_add(self) -> None:
        """Type a new entry at the bottom of this column."""
        column, _ = self._current()
        if len(column.entries) >= boards_.MAX_ENTRIES:
            self._tell(t("board_full", self.lang))
            return
        await self._start(Editing("new", column.id, boards_.new_id(), None), "")

    async def action_board_edit(self) -> None:
        """Edit the entry, or the column's title."""
        column, entry = self._current()
        if entry is None:
            await self._start(
                Editing("title", column.id, None, column), pick(column.title, self.lang)
            )
        else:
            await self._start(
                Editing("entry", column.id, entry.id, entry), pick(entry.text, self.lang)
            )

    async def action_board_remove(self) -> None:
        """Remove the entry; on a title, the column (asked twice when it has entries)."""
        column, entry = self._current()
        if entry is not None:
            if self._change(lambda board: boards_.remove_entry(board, entry.id)):
                await self._rebuild()
            return
        if column.entries and self._confirm_remove != column.id:
            self.notify(t("board_remove_column", self.lang, n=len(column.entries)))
            self._confirm_remove = column.id
            return
        self._confirm_remove = None
        if self._change(lambda board: boards_.remove_column(board, column.id)):
            await self._rebuild()

    async def action_board_new_column(self) -> None:
        """A new column after this one, its title typed at once."""
        if len(self.board.columns) >= boards_.MAX_COLUMNS:
            self._tell(t("board_full", self.lang))
            return
        after, _ = self._current()
        column_id = boards_.new_id()
        self._change(lambda board: boards_.add_column(board, column_id, after.id))
        index = next((i for i, c in enumerate(self.board.columns) if c.id == column_id), None)
        if index is None:
            return
        self.set_reactive(BoardScreen.column, index)
        self.set_reactive(BoardScreen.row, TITLE)
        await self._rebuild()
        await self._start(Editing("title", column_id, None, self.board.columns[index]), "")

    def action_close_board(self) -> None:
        """Back to the slides (the other terminal's board closes too)."""
        if self.desk.link is not None:
            self.desk.link.publish(False)
        self.dismiss()

    def close_quietly(self) -> None:
        """Close because the other terminal closed its board."""
        if self.editing is not None:
            return  # never lose what is being typed
        self.dismiss()

    # -- typing --------------------------------------------------------------------

    async def _start(self, editing: Editing, text: str) -> None:
        self.editing = editing
        self.refresh_bindings()
        field = BoardInput(
            text, max_length=boards_.MAX_TEXT, select_on_focus=False, id="board-input"
        )
        index = self.column
        column = self.query_one("#board-columns", HorizontalScroll).children[index]
        if editing.kind == "new":
            await column.mount(field)
        else:
            shown = self.query_one(f"#{self._row_id(index, self.row)}")
            shown.display = False
            await column.mount(field, after=shown)
        field.focus()
        column.scroll_to_widget(field, animate=False)  # type: ignore[attr-defined]
        self._show_status()

    def on_input_changed(self, message: Input.Changed) -> None:
        """Save what is typed at each key (a killed terminal loses nothing)."""
        editing = self.editing
        if editing is None:
            return
        message.stop()
        text = message.value
        if editing.kind == "title":
            self._change(lambda b: boards_.set_title(b, editing.column_id, text), durable=False)
        elif editing.kind == "entry" or editing.created:
            entry_id = editing.entry_id or ""
            self._change(lambda b: boards_.set_entry(b, entry_id, text), durable=False)
        elif boards_.clean(text):
            entry_id = editing.entry_id or ""
            column_id = editing.column_id
            editing.created = self._change(
                lambda b: boards_.add_entry(b, column_id, entry_id, text), durable=False
            )

    async def on_input_submitted(self, message: Input.Submitted) -> None:
        """Enter: the entry is written (an emptied entry is removed)."""
        editing = self.editing
        if editing is None:
            return
        message.stop()
        text = boards_.clean(message.value)
        entry_id = editing.entry_id or ""
        if editing.kind == "title":
            self._change(lambda b: boards_.set_title(b, editing.column_id, text))
        elif not text:
            if editing.kind == "entry" or editing.created:
                self._change(lambda b: boards_.remove_entry(b, entry_id))
        elif editing.kind == "entry" or editing.created:
            self._change(lambda b: boards_.set_entry(b, entry_id, text))
        else:
            column_id = editing.column_id
            self._change(lambda b: boards_.add_entry(b, column_id, entry_id, text))
        await self._finish(entry_id if text else None)

    async def on_board_input_cancelled(self, _message: BoardInput.Cancelled) -> None:
        """Escape: the entry or title as it was (a new entry is not added)."""
        editing = self.editing
        if editing is None:
            return
        original = editing.original
        if isinstance(original, Entry):
            self._change(lambda b: boards_.put_entry(b, original))
        elif isinstance(original, Column):
            self._change(lambda b: boards_.put_title(b, original.id, original.title))
        elif editing.created:
            entry_id = editing.entry_id or ""
            self._change(lambda b: boards_.remove_entry(b, entry_id))
        await self._finish(editing.entry_id if editing.kind == "entry" else None)

    async def _finish(self, entry_id: str | None) -> None:
        """Stop typing, and stand on ``entry_id`` when it is on the board."""
        editing = self.editing
        self.editing = None
        self.refresh_bindings()
        self.query("#board-input").remove()
        if entry_id is not None:
            found = self.board.entry(entry_id)
            if found is not None:
                column, entry = found
                self.set_reactive(BoardScreen.column, self.board.columns.index(column))
                self.set_reactive(BoardScreen.row, column.entries.index(entry))
        elif editing is not None and editing.kind == "new":
            column = self.board.column(editing.column_id)
            if column is not None:
                self.set_reactive(BoardScreen.row, len(column.entries) - 1)
        await self._rebuild()


class BoardDesk:
    """One app's board of one presented case: its boards (in memory in a served
    session), the link to the presentation's other terminal, and the screens that
    show it."""

    def __init__(
        self,
        case: Case,
        edition: Edition,
        *,
        served: bool = False,
        boards: Boards | None = None,
        link: BoardLink | None = None,
    ) -> None:
        self.case = case
        self.edition = edition
        self.board_plan = (
            case.teaching_notes.board_plan
            if edition == "instructor" and case.teaching_notes is not None
            else []
        )
        """The student edition's board starts empty (its library holds no plan anyway)."""
        if boards is None:
            open_ = Boards.in_memory if served else Boards.open
            boards = open_(case.id, edition)
        self.boards = boards
        self.link = link if link is not None or served else BoardLink(case.id)
        if self.link is not None and not self.link.active:
            self.link = None

    def show(self, app: App, lang: Lang, *, editable: bool = True, announce: bool = True) -> None:
        """Show the board on ``app`` (unless it shows it already)."""
        if not self._showing(app):
            app.push_screen(BoardScreen(self, lang=lang, editable=editable, announce=announce))

    def _showing(self, app: App) -> BoardScreen | None:
        screen = app.screen
        return screen if isinstance(screen, BoardScreen) and screen.desk is self else None

    def follow(self, app: App, lang: Lang, console: bool) -> None:
        """Show or hide the board as the other terminal did (a timer's callback): the
        presenter console's board can be written on, the audience's only followed."""
        if self.link is None:
            return
        shown = self.link.poll()
        if shown is True:
            self.show(app, lang, editable=console, announce=False)
        elif shown is False:
            showing = self._showing(app)
            if showing is not None:
                showing.close_quietly()
