"""The trainer's dialogs in a live class: the join address and its QR code, a cold call,
picking a student, a contribution's quality, and the participation panel.

Names come from students: every one is drawn as Rich ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.screens.dialog import ClickOutsideCloses
from casebook.widgets.class_views import SORTS, participation_table, short_address
from casebook.widgets.qr import fitting_qr
from casebook.widgets.render import plain

if TYPE_CHECKING:
    from casebook.model.classroom.server import Participant

CSS = "class_trainer.tcss"


def _hint(word: str, lang: Lang) -> Text:
    return Text(t(word, lang), style="dim italic")


class JoinScreen(ClickOutsideCloses, ModalScreen[None]):
    """The join address as text and as a QR code (black on white, for phones to scan)."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape,j,q", "close", show=False)]

    def __init__(self, addresses: Sequence[str], lang: Lang, *, local: bool) -> None:
        super().__init__()
        self.addresses = list(addresses)
        self.lang = lang
        self.local = local

    def compose(self) -> ComposeResult:
        with Vertical(id="join-box", classes="class-box"):
            yield Static(id="join-text")
            yield Static(id="join-qr")
            yield Static(_hint("live_join_local" if self.local else "live_join_how", self.lang))

    def on_mount(self) -> None:
        lang = self.lang
        lines = [Text(t("live_join_title", lang), style="bold")]
        lines += [Text(address, style="bold cyan") for address in self.addresses]
        self.query_one("#join-text", Static).update(Group(*lines))
        room = self.app.size.height - len(lines) - 3  # the hint, and the box's border
        code = fitting_qr(self.addresses[0], room) if self.addresses else None
        qr = self.query_one("#join-qr", Static)
        qr.update(code if code is not None else _hint("live_join_small", lang))

    def action_close(self) -> None:
        self.dismiss(None)


CallOutcome = str
"""What the trainer does with a cold call: "show", "contribution", "another" or ""
(nothing; a click beside the box gives None)."""


class ColdCallScreen(ClickOutsideCloses, ModalScreen["CallOutcome | None"]):
    """The student called on, large, on the trainer's screen only (enter shows the name
    to the room)."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("enter", "done('show')", show=False),
        Binding("c", "done('contribution')", show=False),
        Binding("k", "done('another')", show=False),
        Binding("escape", "done('')", show=False),
    ]

    def __init__(self, student: Participant, lang: Lang) -> None:
        super().__init__()
        self.student = student
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang, student = self.lang, self.student
        with Vertical(id="call-box", classes="class-box"):
            yield Static(Text(t("live_call_title", lang), style="dim"))
            yield Static(plain(student.name, "bold"), id="call-name")
            stats = t(
                "live_call_stats",
                lang,
                calls=student.calls,
                contributions=student.contributions,
                answers=student.answers,
            )
            yield Static(Text(stats, style="dim"))
            yield Static(_hint("live_call_hint", lang))

    def action_done(self, outcome: str) -> None:
        self.dismiss(outcome)


class StudentPicker(ClickOutsideCloses, ModalScreen["Participant | None"]):
    """Pick a student from the list, typing to filter it by name."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "cancel", show=False),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, students: Sequence[Participant], lang: Lang) -> None:
        super().__init__()
        self.students = list(students)
        self.lang = lang
        self.shown: list[Participant] = list(self.students)

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="pick-box", classes="class-box"):
            yield Static(Text(t("live_pick_title", lang), style="bold"))
            yield Input(placeholder=t("live_pick_filter", lang), id="pick-filter")
            yield OptionList(id="pick-list")
            yield Static(_hint("live_pick_hint", lang))

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, typed: str) -> None:
        wanted = typed.strip().casefold()
        self.shown = [s for s in self.students if wanted in s.name.casefold()]
        listing = self.query_one("#pick-list", OptionList)
        listing.clear_options()
        listing.add_options(Option(plain(s.name)) for s in self.shown)
        if self.shown:
            listing.highlighted = 0

    def on_input_changed(self, message: Input.Changed) -> None:
        self._fill(message.value)

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self._pick(self.query_one("#pick-list", OptionList).highlighted)

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        self._pick(message.option_index)

    def _pick(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.shown):
            self.app.bell()
            return
        self.dismiss(self.shown[index])

    def action_move(self, by: int) -> None:
        listing = self.query_one("#pick-list", OptionList)
        listing.action_cursor_down() if by > 0 else listing.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


NO_MARK = 0
"""A contribution marked without a quality."""


class QualityDialog(ClickOutsideCloses, ModalScreen["int | None"]):
    """A contribution's quality: 1–3, or enter for none (:data:`NO_MARK`)."""

    CSS_PATH = CSS
    BINDINGS = [
        *(Binding(str(n), f"mark({n})", show=False) for n in (1, 2, 3)),
        Binding("enter", f"mark({NO_MARK})", show=False),
        Binding("escape", "cancel", show=False),
    ]

    def __init__(self, name: str, lang: Lang) -> None:
        super().__init__()
        self.student_name = name
        self.lang = lang

    def compose(self) -> ComposeResult:
        title = Text(t("live_quality_title", self.lang, name=""), style="bold")
        title.append_text(plain(self.student_name, "bold"))
        with Vertical(id="quality-box", classes="class-box"):
            yield Static(title)
            yield Static(_hint("live_quality_hint", self.lang))

    def action_mark(self, quality: int) -> None:
        self.dismiss(quality)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ParticipationScreen(ClickOutsideCloses, ModalScreen[None]):
    """Each student's part in the class, sortable by column, the never-called marked."""

    CSS_PATH = CSS
    BINDINGS = [
        *(
            Binding(key, f"sort('{column}')", show=False)
            for key, column in (
                ("n", "name"),
                ("c", "contributions"),
                ("a", "answers"),
                ("k", "calls"),
                ("m", "minutes"),
            )
        ),
        Binding("escape,P", "close", show=False),
    ]

    def __init__(self, participants: Callable[[], list[Participant]], lang: Lang) -> None:
        super().__init__()
        self.participants = participants
        """Asked again at each refresh: the panel stays live."""
        self.lang = lang
        self.sort = "calls"
        self.reverse = False

    def compose(self) -> ComposeResult:
        with Vertical(id="panel-box", classes="class-box"):
            yield Static(id="panel-title")
            yield VerticalScroll(Static(id="panel-table"), id="panel-rows")
            yield Static(_hint("live_panel_hint", self.lang))

    def on_mount(self) -> None:
        self.refresh_table()
        self.set_interval(1.0, self.refresh_table)

    def refresh_table(self) -> None:
        lang, rows = self.lang, self.participants()
        title = Text(t("live_panel_title", lang, n=len(rows)), style="bold")
        title.append("   " + t("live_never_called", lang), style="dim")
        self.query_one("#panel-title", Static).update(title)
        table = participation_table(rows, lang, sort=self.sort, reverse=self.reverse)
        self.query_one("#panel-table", Static).update(table)

    def action_sort(self, column: str) -> None:
        """Sort by ``column``; the same column again reverses the order."""
        assert column in SORTS
        self.reverse = not self.reverse if column == self.sort else column != "name"
        self.sort = column
        self.refresh_table()

    def action_close(self) -> None:
        self.dismiss(None)


def local_only(addresses: Sequence[str]) -> bool:
    """Whether every join address is on this machine only."""
    return all(short_address(a).startswith(("127.", "[::1]", "localhost")) for a in addresses)
