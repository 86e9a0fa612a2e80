"""The trainer's side of a live class: the slides (or the presenter console) with a
class bar, questions opened for answers, the answers on the slide screen, cold calls,
contributions and the participation panel.

The class server (:mod:`casebook.model.classroom.server`) runs on the app's event loop;
this screen drives it by method calls and redraws what it shows when the server says
something changed (at most :data:`REFRESH_EVERY` seconds apart).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from casebook.actions import CLASS_SCREEN_ACTIONS, bindings
from casebook.model.format.words import t
from casebook.screens.class_dialogs import (
    NO_MARK,
    ColdCallScreen,
    JoinScreen,
    ParticipationScreen,
    QualityDialog,
    StudentPicker,
    local_only,
)
from casebook.screens.present import PresentScreen
from casebook.widgets.class_views import answers_view, class_bar
from casebook.widgets.render import plain

if TYPE_CHECKING:
    from casebook.model.classroom.server import ClassServer, Participant

REFRESH_EVERY = 0.1
"""The shortest time between two redraws of what the class shows (the server may say it
changed hundreds of times a second when a class answers at once)."""


class ClassSetup:
    """A live class for the app to teach: its server, the case, and whether this terminal
    is the presenter console (the slides then follow on another, by the presenter link)."""

    def __init__(
        self,
        build: Callable[[Callable[[], None]], ClassServer],
        *,
        case_id: str,
        console: bool = False,
    ) -> None:
        self.listener: Callable[[], None] | None = None
        """Told when the class changes (the class screen shown, if any)."""
        self.server = build(self.changed)
        """The server, built with :meth:`changed` as what it calls on a change."""
        self.case_id = case_id
        self.console = console
        self.started = False

    def changed(self) -> None:
        if self.listener is not None:
            self.listener()

    async def start(self) -> None:
        """Listen (once): ``OSError`` when the address cannot be bound."""
        if not self.started:
            await self.server.start()
            self.started = True

    async def close(self, *, ended: bool) -> None:
        """Stop listening; ``ended``: the class is over (else a resume takes it up)."""
        if self.started:
            self.started = False
            await self.server.close(ended=ended)


class AnswersArea(VerticalScroll, can_focus=False):
    """Where the answers are shown instead of the slide (the keys stay with the slides)."""


class ClassScreen(PresentScreen):
    """Trainer mode in a live class: the slides, a class bar, and the class's tools."""

    CSS_PATH = ["present.tcss", "class_trainer.tcss"]
    ACTIONS = CLASS_SCREEN_ACTIONS
    """What the help screen and the palette list for this screen."""
    BINDINGS = bindings(CLASS_SCREEN_ACTIONS)

    answers_visible: var[bool] = var(False)
    names_visible: var[bool] = var(False)
    called_name: var[str] = var("")
    """The name of the student called on, once the trainer shows it to the room."""

    def __init__(self, *args: object, setup: ClassSetup, **options: object) -> None:
        super().__init__(*args, **options)  # type: ignore[arg-type]
        self.setup = setup
        self.called: Participant | None = None
        """The student called on last, until a contribution is marked for them."""
        self.shown_question: int | None = None
        """The question whose answers ``v`` shows: the open one, or the last opened."""
        self.redraws = 0
        """How many times the class's view was redrawn (tests count work, not time)."""
        self._pending: Timer | None = None
        self._asked = False

    @property
    def server(self) -> ClassServer:
        return self.setup.server

    # -- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, Widget) and widget.id == "slide-area":
                yield Static(id="called-banner")
                yield widget
                yield AnswersArea(Static(id="answers-text"), id="answers-area")
            else:
                yield widget
        yield Static(id="class-bar")

    def on_mount(self) -> None:
        self.setup.listener = self._class_changed
        if self.setup.started:
            self.call_after_refresh(self._redraw)
        else:
            self.run_worker(self._start_class(), name="class-server")

    async def _start_class(self) -> None:
        """Listen (when the app, not the command line, starts the class), then redraw."""
        await self.setup.start()
        self._redraw()

    def on_unmount(self) -> None:
        if self.setup.listener == self._class_changed:
            self.setup.listener = None

    def on_place_changed(self) -> None:
        """Students follow the trainer's logical place; a name shown to the room goes."""
        slide, step = self.place
        self.server.show_slide(slide, step, len(self.deck.slides))
        self.called_name = ""

    # -- redrawing, at most REFRESH_EVERY apart ------------------------------

    def _class_changed(self) -> None:
        """Told by the server, from its own tasks (outside the app's context): a redraw is
        asked for through the screen's message queue, once until it is done."""
        if not self._asked:
            self._asked = True
            self.call_later(self._schedule_redraw)

    def _schedule_redraw(self) -> None:
        if self._pending is None:
            self._pending = self.set_timer(REFRESH_EVERY, self._redraw)

    def _redraw(self) -> None:
        self._pending, self._asked = None, False
        self.redraws += 1
        server, lang = self.server, self.lang
        question = server.open_question_number
        answered = server.answers_in(question) if question is not None else 0
        addresses = server.join_addresses() if self.setup.started else []
        bar = class_bar(server.connected_count, question, answered, _best(addresses), lang)
        self.query_one("#class-bar", Static).update(bar, layout=False)  # one line
        if self.answers_visible:
            self._show_answers()

    def watch_lang(self) -> None:
        super().watch_lang()
        if self.is_mounted:
            self._redraw()
            self.watch_called_name(self.called_name)

    # -- questions and answers -----------------------------------------------

    def _revealed_question(self) -> int | None:
        """The discussion question shown last on the slide, if this is the discussion."""
        slide, step = self.place
        if self.deck.slides[slide - 1].kind != "discussion":
            return None
        return step if 1 <= step <= len(self.deck.case.discussion_questions) else None

    def action_toggle_question(self) -> None:
        """Close the open question; or open the one revealed on the discussion slide."""
        server, lang = self.server, self.lang
        opened = server.open_question_number
        if opened is not None:
            server.close_question()
            self.notify(t("live_closed_note", lang, k=opened, n=server.answers_in(opened)))
            return
        question = self._revealed_question()
        if question is None:
            self.app.bell()
            self.notify(t("live_no_question", lang), severity="warning")
            return
        server.open_question(question)
        self.shown_question = question
        self.notify(t("live_opened", lang, k=question))

    def action_toggle_answers(self) -> None:
        """Show the answers on the slide screen (the open question's, else the last
        opened, else the one revealed), or the slides again."""
        if self.answers_visible:
            self.answers_visible = False
            return
        question = (
            self.server.open_question_number or self.shown_question or self._revealed_question()
        )
        if question is None:
            self.app.bell()
            self.notify(t("live_no_answers_view", self.lang), severity="warning")
            return
        self.shown_question = question
        self.answers_visible = True

    def action_toggle_names(self) -> None:
        self.names_visible = not self.names_visible

    def watch_answers_visible(self, visible: bool) -> None:
        self.set_class(visible, "-answers")
        if visible:
            self._show_answers()

    def watch_names_visible(self) -> None:
        if self.answers_visible:
            self._show_answers()

    def _show_answers(self) -> None:
        number = self.shown_question
        if number is None or not self.is_mounted:
            return
        server = self.server
        area = self.query_one("#answers-area", AnswersArea)
        view = answers_view(
            number,
            self.deck.case.discussion_questions[number - 1],
            server.answers(number),
            self.lang,
            names=self.names_visible,
            is_open=server.open_question_number == number,
            width=max(20, area.content_size.width or self.app.size.width - 8),
        )
        self.query_one("#answers-text", Static).update(view)

    # -- cold call and contributions -------------------------------------------

    def action_cold_call(self) -> None:
        """Call on a student, shown here; the trainer may show the name to the room."""
        student = self.server.cold_call()
        if student is None:
            self.app.bell()
            self.notify(t("live_call_nobody", self.lang), severity="warning")
            return
        self.called = student

        def then(outcome: str | None) -> None:
            if outcome == "show":
                self.called_name = student.name
            elif outcome == "contribution":
                self._ask_quality(student)
            elif outcome == "another":
                self.action_cold_call()

        self.app.push_screen(ColdCallScreen(student, self.lang), then)

    def watch_called_name(self, name: str) -> None:
        if not self.is_mounted:
            return
        banner = Text(f"{t('live_called', self.lang)}  ", style="bold")
        banner.append_text(plain(name, "bold"))
        self.query_one("#called-banner", Static).update(banner)
        self.set_class(bool(name), "-called")

    def action_contribution(self) -> None:
        """A contribution by the student called on; with none, by one picked from a list."""
        if self.called is not None:
            self._ask_quality(self.called)
            return
        students = self.server.participants()
        if not students:
            self.app.bell()
            self.notify(t("live_nobody", self.lang), severity="warning")
            return

        def picked(student: Participant | None) -> None:
            if student is not None:
                self._ask_quality(student)

        self.app.push_screen(StudentPicker(students, self.lang), picked)

    def _ask_quality(self, student: Participant) -> None:
        def mark(quality: int | None) -> None:
            if quality is None:
                return
            self.server.mark_contribution(student.id, quality or None)
            self.called = None
            if self.called_name == student.name:
                self.called_name = ""
            lang = self.lang
            said = (
                t("live_marked_quality", lang, name=student.name, q=quality)
                if quality != NO_MARK
                else t("live_marked", lang, name=student.name)
            )
            self.notify(said)

        self.app.push_screen(QualityDialog(student.name, self.lang), mark)

    # -- panels -----------------------------------------------------------------

    def action_participation(self) -> None:
        self.app.push_screen(ParticipationScreen(self.server.participants, self.lang))

    def action_join_info(self) -> None:
        addresses = self.server.join_addresses() if self.setup.started else []
        ordered = sorted(addresses, key=lambda a: local_only([a]))
        self.app.push_screen(JoinScreen(ordered, self.lang, local=local_only(addresses)))


def _best(addresses: list[str]) -> str:
    """The address to show first: one others can reach, if any."""
    reachable = [a for a in addresses if not local_only([a])]
    return (reachable or addresses or [""])[0]
