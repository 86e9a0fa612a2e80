"""Trainer mode: a case as full-screen slides, or the presenter console that follows them."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from casebook.actions import PRESENT_ACTIONS, bindings
from casebook.model.format.edition import Edition
from casebook.model.format.text import Lang, pick
from casebook.model.format.words import t
from casebook.model.views.slides import Deck, Slide
from casebook.screens.goto import GotoScreen, SlideGrid
from casebook.screens.language import Bilingual
from casebook.state.presenter_link import PresenterLink
from casebook.widgets.render import plain, say
from casebook.widgets.slide_view import SlideView


def clock(seconds: float) -> str:
    """Elapsed time as m:ss, or h:mm:ss past the hour."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class PresentScreen(Bilingual, Screen[None]):
    """Slides with progressive reveal; in console mode, the presenter's view of them."""

    CSS_PATH = "present.tcss"

    BINDINGS = bindings(PRESENT_ACTIONS)

    position: reactive[int] = reactive(0)
    """Where the talk is: an index into the deck's flat list of positions."""
    blackout: reactive[bool] = reactive(False)
    timer_visible: reactive[bool] = reactive(True)
    notes_visible: reactive[bool] = reactive(False)

    def __init__(
        self,
        deck: Deck,
        edition: Edition,
        link: PresenterLink | None = None,
        *,
        console: bool = False,
        lang: Lang = "en",
    ) -> None:
        super().__init__(classes="console" if console else "audience")
        self.set_reactive(PresentScreen.lang, lang)
        self.deck = deck
        self.edition = edition
        self.link = link
        self.console = console
        self.started = time.time()
        self._ready = False

    def compose(self) -> ComposeResult:
        if self.console:
            yield Static(id="console-now", classes="console-label")
        yield VerticalScroll(id="slide-area")
        if self.console:
            yield Static(id="console-next", classes="console-box")
        yield VerticalScroll(Static(id="notes-text"), id="notes")
        yield Static(id="blackout-cover")
        yield Static(id="present-bar")

    def on_mount(self) -> None:
        self._ready = True
        if self.console:
            self.notes_visible = True
        state = self.link.poll() if self.link is not None and self.console else None
        if state is not None:
            self._adopt(state)
        else:
            self._publish()
        self._show()
        self.set_interval(1, self._tick)
        if self.link is not None and self.link.problem is not None:
            reason = self.link.problem
            self.notify(t("link_off", self.lang, reason=reason), severity="warning", timeout=10)
        elif self.link is not None:
            self.set_interval(0.25, self._follow)

    # -- state --------------------------------------------------------------

    def _publish(self) -> None:
        if self.link is not None:
            self.link.publish(
                {"position": self.position, "blackout": self.blackout, "started": self.started}
            )

    def _adopt(self, state: dict[str, object]) -> None:
        position, blackout, started = (state.get(k) for k in ("position", "blackout", "started"))
        if isinstance(started, (int, float)):
            self.started = float(started)
        if isinstance(blackout, bool):
            self.set_reactive(PresentScreen.blackout, blackout)
            self._show_blackout()
        if isinstance(position, int):
            self.set_reactive(PresentScreen.position, self.deck.clamp(position))
            self._show()

    def _follow(self) -> None:
        assert self.link is not None
        state = self.link.poll()
        if state is not None:
            self._adopt(state)

    def watch_position(self) -> None:
        self._publish()
        self._show()

    def watch_blackout(self) -> None:
        self._publish()
        self._show_blackout()

    def watch_timer_visible(self) -> None:
        self._tick()

    def watch_notes_visible(self, visible: bool) -> None:
        self.query_one("#notes").display = visible
        self._show_notes()

    def watch_lang(self) -> None:
        self._show()

    # -- drawing ------------------------------------------------------------

    def _show(self) -> None:
        if not self._ready:
            return
        slide, shown = self.deck.at(self.position)
        area = self.query_one("#slide-area", VerticalScroll)
        area.remove_children()
        area.mount(SlideView(slide, shown, self.lang))
        area.scroll_end(animate=False) if shown > 1 else area.scroll_home(animate=False)
        if self.console:
            self._show_console()
        self._show_notes()
        self._tick()

    def _show_blackout(self) -> None:
        if self._ready:
            self.query_one("#blackout-cover").display = self.blackout and not self.console

    def _tick(self) -> None:
        """Refresh the bar: slide k/N, the current slide, elapsed time and pacing."""
        if not self._ready:
            return
        lang = self.lang
        number, total = self.deck.slide_number(self.position), len(self.deck.slides)
        bar = Text(f" {number}/{total} ", style="bold reverse")
        slide, _ = self.deck.at(self.position)
        bar.append("  ")
        bar.append_text(say(slide.title, lang, "dim"))
        if self.timer_visible:
            elapsed = time.time() - self.started
            bar.append(f"   ⏱ {clock(elapsed)}", style="bold")
            pace = self._pace(elapsed)
            if pace:
                bar.append(f"  {pace}", style="dim italic")
        if self.blackout and self.console:
            bar.append(f"   ■ {t('blackout', lang)}", style="bold")
        self.query_one("#present-bar", Static).update(bar)

    def _pace(self, elapsed: float) -> str:
        """Ahead of or behind the teaching plan, quietly; empty without a plan."""
        if self.deck.segment_at(self.position) is None:
            return ""
        delta = round(elapsed / 60 - self.deck.planned_minutes(self.position))
        if delta == 0:
            return t("on_time", self.lang)
        return t("behind" if delta > 0 else "ahead", self.lang, n=abs(delta))

    def _show_notes(self) -> None:
        if not self._ready or not self.notes_visible:
            return
        self.query_one("#notes-text", Static).update(self._notes())

    def _notes(self) -> Text:
        lang = self.lang
        notes = self.deck.case.teaching_notes
        if self.edition != "instructor" or notes is None:
            return Text(t("instructor_only", lang), style="dim")
        rows: list[Text] = []
        found = self.deck.segment_at(self.position)
        if found is not None:
            number, segment = found
            title = t(
                "segment",
                lang,
                k=number + 1,
                n=len(notes.segments),
                title=pick(segment.title, lang),
                minutes=segment.minutes,
            )
            rows += [plain(title, "bold"), say(segment.notes, lang)]
        if notes.key_points:
            rows.append(Text(t("key_points", lang), style="bold"))
            rows += [plain("• " + pick(point, lang)) for point in notes.key_points]
        if notes.board_plan:
            rows.append(Text(t("board_plan", lang), style="bold"))
            rows += [plain("▪ " + pick(line, lang)) for line in notes.board_plan]
        return Text("\n").join(row for row in rows if row.plain)

    def _show_console(self) -> None:
        lang = self.lang
        slide, _ = self.deck.at(self.position)
        now = Text(f"{t('console_title', lang)} · {t('now', lang)}: ", style="bold")
        now.append_text(say(slide.title, lang))
        self.query_one("#console-now", Static).update(now)
        upcoming = Text(f"{t('up_next', lang)}: ", style="bold")
        if self.position + 1 < len(self.deck.positions):
            upcoming.append_text(self._describe(self.deck.at(self.position + 1)))
        else:
            upcoming.append(t("end_of_deck", lang), style="dim")
        self.query_one("#console-next", Static).update(upcoming)

    def _describe(self, at: tuple[Slide, int]) -> Text:
        slide, shown = at
        lang = self.lang
        if slide.metric is not None or not slide.steps:
            return say(slide.title, lang)
        step = slide.steps[shown - 1]
        if step.event is not None:
            return plain(f"{step.event.date.label(lang)}  {pick(step.event.title, lang)}")
        return say(step.text, lang)

    # -- actions ------------------------------------------------------------

    def action_next(self) -> None:
        """Reveal the next step, or go on to the next slide."""
        self.position = self.deck.clamp(self.position + 1)

    def action_previous(self) -> None:
        self.position = self.deck.clamp(self.position - 1)

    def action_first(self) -> None:
        self.position = 0

    def action_last(self) -> None:
        self.position = len(self.deck.positions) - 1

    def action_goto(self) -> None:
        """Ask for a slide number and jump to it."""

        def jump(number: int | None) -> None:
            if number is not None:
                self.position = self.deck.start_of(number)

        self.app.push_screen(GotoScreen(len(self.deck.slides), self.lang), jump)

    def action_overview(self) -> None:
        """Pick a slide from a grid of all of them."""

        def jump(number: int | None) -> None:
            if number is not None:
                self.position = self.deck.start_of(number)

        current = self.deck.slide_number(self.position)
        self.app.push_screen(SlideGrid(self.deck, current, self.lang), jump)

    def action_blackout(self) -> None:
        self.blackout = not self.blackout

    def action_toggle_timer(self) -> None:
        self.timer_visible = not self.timer_visible

    def action_toggle_notes(self) -> None:
        if self.edition != "instructor":
            self.notify(t("instructor_only", self.lang))
            return
        self.notes_visible = not self.notes_visible

    def action_leave(self) -> None:
        """Back to the explorer."""
        self.dismiss()
