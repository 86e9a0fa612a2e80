"""Trainer mode: a case as full-screen slides, or the presenter console that follows them.

Where the presentation stands (slide, step, clock, class length) is kept per case in a
:class:`~casebook.state.presentations.Presentations` at every change, so leaving the
slides, quitting or a killed process loses nothing: the slides open again where they
were.

The deck is split into pages that fit the slide area (:mod:`casebook.model.views.slide_pages`):
a slide never scrolls, it goes on over a next page. The slide counter, go-to-slide and the
overview count pages; what is saved and shared (the presenter link, a live class) is the
logical *place*, (slide, step) in the unsplit deck, since each terminal splits for its own
size.
"""

from __future__ import annotations

import msgspec
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.geometry import Spacing
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from casebook.actions import PRESENT_ACTIONS, bindings
from casebook.model.format.edition import Edition
from casebook.model.format.text import Lang, pick
from casebook.model.format.words import t
from casebook.model.views.slide_pages import Pages, paginate, step_label, step_text, unsplit
from casebook.model.views.slides import Deck
from casebook.screens.goto import GotoScreen, NumberDialog, SlideGrid
from casebook.screens.language import Bilingual
from casebook.screens.off_screen import build_off_screen, let_go
from casebook.state import presentations as standings
from casebook.state.presentations import MAX_MINUTES, RESUME_GAP, Presentations, Standing
from casebook.state.presenter_link import PresenterLink
from casebook.widgets.flow import Flow
from casebook.widgets.render import plain, say
from casebook.widgets.slide_view import PADDING, SlideView, flow_lines

HEARTBEAT = 60.0
"""Seconds between saves while the clock runs and nothing else changes (what a
resumed clock falls back on after a long gap: see :data:`RESUME_GAP`)."""
TYPED_DIGITS = 4
"""The longest slide number that can be typed."""


def clock(seconds: float) -> str:
    """Elapsed time as m:ss, or h:mm:ss past the hour."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class SlideArea(Container, can_focus=False):
    """Where a page of slides is drawn: never scrolled (pages are made to fit it); it
    says when its size changes, for the deck to be split again."""

    DEFAULT_CSS = "SlideArea { overflow: hidden hidden; }"

    class Resized(Message):
        """The slide area's size changed."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def show(self, pages: Pages, position: int, room: tuple[int, int] | None) -> None:
        """Show the page and steps at ``position``: on the page already shown, only the
        steps that change are drawn."""
        page, shown = pages.at(position)
        view = self.children[0] if self.children else None
        if isinstance(view, SlideView) and view.can_reveal(pages, page, room):
            view.reveal(shown)
            return
        self.remove_children()
        self.mount(SlideView(pages, page, shown, room))


class NotesArea(VerticalScroll, can_focus=False):
    """A scrolling area that never takes the keys (they belong to the slides)."""


class PresentScreen(Bilingual, Screen[None]):
    """Slides with progressive reveal; in console mode, the presenter's view of them."""

    CSS_PATH = "present.tcss"

    BINDINGS = bindings(PRESENT_ACTIONS)

    position: var[int] = var(0)
    """Where the talk is: an index into the pages' flat list of positions (see
    :attr:`place` for the logical place, the same at every size)."""
    blackout: var[bool] = var(False)
    timer_visible: var[bool] = var(True)
    notes_visible: var[bool] = var(False)
    clock: var[Standing] = var(Standing)
    """The clock (its ``counted`` seconds and ``since``; its other fields are unused)."""
    minutes: var[int | None] = var(None)
    """The class length set; ``None``: the teaching plan's own."""
    typed: var[str] = var("")
    """The slide number being typed (enter goes there)."""

    def __init__(
        self,
        deck: Deck,
        edition: Edition,
        link: PresenterLink | None = None,
        *,
        console: bool = False,
        lang: Lang = "en",
        presentations: Presentations | None = None,
        minutes: int | None = None,
    ) -> None:
        super().__init__(classes="console" if console else "audience")
        self.set_reactive(PresentScreen.lang, lang)
        self.set_reactive(PresentScreen.clock, standings.fresh(standings.now()))
        self.deck = deck
        """The logical deck, as built from the case."""
        self.pages: Pages = unsplit(deck, lang)
        """The deck split to fit the slide area (one page a slide until it is laid out)."""
        self.room: tuple[int, int] | None = None
        """The width and height a page has (``None`` before the slide area is laid out)."""
        self.edition = edition
        self.link = link
        self.console = console
        self.presentations = presentations
        """Where the standing is kept (``None``: nowhere)."""
        self.asked_minutes = minutes
        """The class length asked for on the command line."""
        self._ready = False
        self._last_saved = 0.0
        self._save_failed = False
        self._shown_place: tuple[int, int] | None = None
        self._resumed_note: str | None = None
        """The 'resumed' message, said once the pages (which it counts) are known."""
        self._grid: SlideGrid | None = None
        """The slide grid of the pages as they are (see :meth:`_kept_grid`)."""

    @property
    def case_id(self) -> str:
        return self.deck.case.id

    @property
    def place(self) -> tuple[int, int]:
        """Where the talk is, the same at every screen size: the logical slide (1-based,
        as built from the case, before it is split into pages) and the step shown last
        on it (1-based)."""
        return self.pages.place(self.position)

    def go_to_place(self, slide: int, step: int) -> None:
        """Show logical ``slide`` at ``step`` (both 1-based, clamped to the deck); nothing
        moves when that place is already shown (on any page of it)."""
        if (slide, step) != self.place:
            self.position = self.pages.position_of(slide, step)

    def on_place_changed(self) -> None:
        """Called whenever the place shown changes (see :attr:`place`); for subclasses."""

    def compose(self) -> ComposeResult:
        if self.console:
            yield Static(id="console-now", classes="console-label")
        yield SlideArea(id="slide-area")
        if self.console:
            yield Static(id="console-next", classes="console-box")
        yield NotesArea(Static(id="notes-text"), id="notes")
        yield Static(id="present-bar")

    def on_mount(self) -> None:
        self._restore()
        self._ready = True
        if self.console:
            self.notes_visible = True
        state = self.link.poll() if self.link is not None and self.console else None
        if state is not None and self._link_is_current():
            self._adopt(state)
        else:
            self._publish()
        self._save()
        self._show()
        self.call_after_refresh(self._paginate)
        self.set_interval(1, self._tick)
        if self.link is not None and self.link.problem is not None:
            reason = self.link.problem
            self.notify(t("link_off", self.lang, reason=reason), severity="warning", timeout=10)
        elif self.link is not None:
            self.set_interval(0.25, self._follow)

    # -- where the presentation stands --------------------------------------

    def _restore(self) -> None:
        """Open where the presentation stood, and say so; a standing that cannot be read
        is said too, and the presentation starts fresh."""
        lang, moment = self.lang, standings.now()
        loaded = self.presentations.load(self.case_id) if self.presentations else None
        if loaded is not None and loaded.problem is not None:
            message = t("standing_unreadable", lang, reason=loaded.problem)
            self.notify(message, severity="warning", timeout=10)
        saved = loaded.standing if loaded is not None else None
        if saved is not None:
            saved, stopped = saved.resumed(moment)
            position = self.pages.position_of(saved.slide, saved.step)
            self.set_reactive(PresentScreen.position, position)
            self.set_reactive(PresentScreen.clock, saved)
            self.set_reactive(PresentScreen.minutes, saved.minutes)
            self.set_reactive(PresentScreen.timer_visible, saved.timer_visible)
            shown = clock(saved.elapsed(moment))
            if stopped:
                hours = int(RESUME_GAP // 3600)
                self.notify(t("clock_stopped", lang, clock=shown, hours=hours), timeout=10)
            elif self.position > 0 or saved.elapsed(moment) >= 60:
                self._resumed_note = shown
        if self.asked_minutes is not None:
            self.set_reactive(PresentScreen.minutes, self.asked_minutes)

    def _save(self) -> None:
        """Keep where the presentation stands (a failure is said once, and the slides
        go on: what they show is kept while the app runs)."""
        if not self._ready or self.presentations is None:
            return
        moment = standings.now()
        slide, step = self.place
        standing = msgspec.structs.replace(
            self.clock,
            slide=slide,
            step=step,
            minutes=self.minutes,
            timer_visible=self.timer_visible,
            saved=moment,
        )
        self._last_saved = moment
        try:
            self.presentations.save(self.case_id, standing)
        except OSError as error:
            if not self._save_failed:
                self._save_failed = True
                reason = str(error) or type(error).__name__
                message = t("standing_not_saved", self.lang, reason=reason)
                self.notify(message, severity="warning", timeout=10)

    # -- the presenter link -------------------------------------------------

    def _publish(self) -> None:
        if self.link is not None and self._ready:
            moment = standings.now()
            elapsed = self.clock.elapsed(moment)
            self.link.publish(
                {
                    "position": self.pages.logical(self.position),
                    "blackout": self.blackout,
                    "started": max(0.0, moment - elapsed),
                    "paused": not self.clock.running,
                    "elapsed": elapsed,
                    "minutes": self.minutes or 0,
                }
            )

    def _adopt(self, state: dict[str, object]) -> None:
        """Take the other side's state (without publishing it back), and keep it. Its
        position is in the unsplit deck: the place, which this side shows on its own page."""
        position, blackout, started = (state.get(k) for k in ("position", "blackout", "started"))
        paused, elapsed, minutes = (state.get(k) for k in ("paused", "elapsed", "minutes"))
        if paused is True and isinstance(elapsed, (int, float)):
            self.set_reactive(PresentScreen.clock, Standing(counted=float(elapsed)))
        elif isinstance(started, (int, float)):
            self.set_reactive(PresentScreen.clock, Standing(since=float(started)))
        if isinstance(minutes, int):
            self.set_reactive(PresentScreen.minutes, minutes or None)
        if isinstance(blackout, bool):
            self.set_reactive(PresentScreen.blackout, blackout)
            self._show_blackout()
        if isinstance(position, int):
            index, step = self.deck.positions[self.deck.clamp(position)]
            if (index + 1, step) != self.place:
                self.set_reactive(PresentScreen.position, self.pages.position_of(index + 1, step))
        self._save()
        self._show()

    def _link_is_current(self) -> bool:
        """Whether the link's state file was written in this class: one left from a class
        long over is not taken over what this presentation remembers."""
        assert self.link is not None
        try:
            written = self.link.path.lstat().st_mtime
        except OSError:
            return False
        return standings.now() - written <= RESUME_GAP

    def _follow(self) -> None:
        assert self.link is not None
        state = self.link.poll()
        if state is not None:
            self._adopt(state)

    # -- watchers -----------------------------------------------------------

    def watch_position(self) -> None:
        self._publish()
        self._save()
        self._show()

    def watch_blackout(self) -> None:
        self._publish()
        self._show_blackout()

    def watch_clock(self) -> None:
        self._publish()
        self._save()
        self._tick()

    def watch_minutes(self) -> None:
        self._publish()
        self._save()
        self._tick()
        self._show_notes()

    def watch_timer_visible(self) -> None:
        self._save()
        self._tick()

    def watch_typed(self) -> None:
        self._tick()

    def watch_notes_visible(self, visible: bool) -> None:
        self.set_class(visible, "-notes")
        self._show_notes()

    def watch_lang(self) -> None:
        self._paginate()
        self._show()

    def on_slide_area_resized(self) -> None:
        self._paginate()

    def _paginate(self) -> None:
        """Split the deck again for the slide area's size and the language, keeping the
        place shown. A hidden area (blackout) keeps the pages it had."""
        if not self._ready:
            return
        size = self.query_one("#slide-area", SlideArea).content_size
        if size.width < 1 or size.height < 1:
            return
        views = self.query(SlideView)
        gutter = views.first().styles.gutter if views else Spacing(*PADDING[::-1] * 2)
        room = (max(1, size.width - gutter.width), max(1, size.height - gutter.height))
        if room == self.room and self.pages.lang == self.lang:
            return
        place = self.place
        self.room = room
        self.pages = paginate(self.deck, self.lang, *room, flow_lines)
        self.call_after_refresh(self._build_grid)
        self.set_reactive(PresentScreen.position, self.pages.position_of(*place))
        if self._resumed_note is not None:
            k, n = self.pages.page_number(self.position), len(self.pages.pages)
            self.notify(t("resumed", self.lang, k=k, n=n, clock=self._resumed_note), timeout=8)
            self._resumed_note = None
        self._show()

    # -- drawing ------------------------------------------------------------

    def _show(self) -> None:
        if not self._ready:
            return
        self.query_one("#slide-area", SlideArea).show(self.pages, self.position, self.room)
        if self.console:
            self._show_console()
        self._show_notes()
        self._show_blackout()
        self._tick()
        if self.place != self._shown_place:
            self._shown_place = self.place
            self.on_place_changed()

    def _show_blackout(self) -> None:
        """Black out every cell of the audience's screen (the console only says so)."""
        if self._ready:
            self.set_class(self.blackout and not self.console, "-blackout")

    def _tick(self) -> None:
        """Refresh the bar; save now and then while the clock runs."""
        if not self._ready:
            return
        # One line whatever it says (present.tcss): repainted, with no layout of the screen.
        self.query_one("#present-bar", Static).update(self._bar(), layout=False)
        moment = standings.now()
        if self.clock.running and moment - self._last_saved >= HEARTBEAT:
            self._save()

    def _bar(self) -> Table:
        """Slide k/N, the step within it, the plan's part and the slide's title on the
        left (the number being typed instead, while typed); the clock, the class length
        and the pacing on the right. ``t`` hides all that is time."""
        lang = self.lang
        total = len(self.pages.pages)
        logical = self.pages.logical(self.position)
        left = Text()
        if self.typed:
            typing = t("typing", lang, typed=self.typed, n=total)
            left.append(f" {typing} ", style="bold reverse")
        else:
            left.append(f" {self.pages.page_number(self.position)}/{total} ", style="bold reverse")
            shown, steps = self.deck.step_at(logical)
            if steps > 1:
                left.append("  " + t("step", lang, k=shown, n=steps), style="bold")
            found = self.deck.segment_at(logical) if self.timer_visible else None
            if found is not None:
                number, segment = found
                part = t("bar_segment", lang, k=number + 1, n=self._segments(), title="")
                left.append("  " + part, style="italic")
                left.append_text(say(segment.title, lang, "italic"))
            page, _ = self.pages.at(self.position)
            left.append("  ")
            left.append_text(plain(self.pages.title(page), "dim"))
        right = Text()
        if self.blackout and self.console:
            right.append(f"■ {t('blackout', lang)}   ", style="bold")
        if self.timer_visible:
            elapsed = self.clock.elapsed(standings.now())
            right.append(f"⏱ {clock(elapsed)}", style="bold")
            if not self.clock.running:
                right.append(f" ⏸ {t('paused', lang)}", style="bold yellow")
            if self.minutes:
                right.append(" " + t("of_minutes", lang, n=self.minutes), style="dim")
            pace = self._pace(elapsed)
            if pace:
                right.append(f"  {pace}", style="dim italic")
        right.append(" ")
        bar = Table.grid(expand=True)
        bar.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        bar.add_column(no_wrap=True, justify="right")
        bar.add_row(left, right)
        return bar

    def _segments(self) -> int:
        notes = self.deck.case.teaching_notes
        return len(notes.segments) if notes is not None else 0

    def _pace(self, elapsed: float) -> str:
        """Ahead of or behind the teaching plan (scaled to the class length), or of a
        class of the length set; empty with neither."""
        if not self.minutes and not self.deck.plan_minutes:
            return ""
        logical = self.pages.logical(self.position)
        delta = round(elapsed / 60 - self.deck.planned_minutes(logical, self.minutes))
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
        found = self.deck.segment_at(self.pages.logical(self.position))
        if found is not None:
            number, segment = found
            title = t(
                "segment",
                lang,
                k=number + 1,
                n=len(notes.segments),
                title=pick(segment.title, lang),
                minutes=round(self.deck.scaled(segment.minutes, self.minutes)),
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
        page, _ = self.pages.at(self.position)
        now = Text(f"{t('console_title', lang)} · {t('now', lang)}: ", style="bold")
        now.append_text(plain(self.pages.title(page)))
        self.query_one("#console-now", Static).update(now, layout=False)  # one line
        label = Text(f"{t('up_next', lang)}: ", style="bold")
        if self.position + 1 < len(self.pages.positions):
            upcoming = Flow(self._describe(self.position + 1), label)
        else:
            upcoming = Flow(Text(t("end_of_deck", lang), style="dim"), label)
        self.query_one("#console-next", Static).update(upcoming)

    def _describe(self, position: int) -> Text:
        """What ``position`` shows new: its step (a page's title when it has none)."""
        page, shown = self.pages.at(position)
        slide = self.pages.slide(page)
        if not page.pieces:
            return plain(self.pages.title(page))
        number = page.pieces[shown - 1].step
        step = slide.steps[number]
        label = step_label(step, number + 1, self.lang)
        return plain(label + step_text(step, self.lang))

    # -- a typed slide number -----------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Digits make a slide number, enter goes there (backspace takes a digit back,
        escape drops it); any other key drops it and does what it does."""
        char = event.character or ""
        if len(char) == 1 and char.isdecimal():
            if len(self.typed) < TYPED_DIGITS:
                self.typed += str(int(char))  # full-width digits as ASCII
            else:
                self.app.bell()
            event.stop()
            event.prevent_default()
        elif self.typed:
            if event.key in ("enter", "backspace", "escape"):
                event.stop()
                event.prevent_default()
            if event.key == "enter":
                self._go_to_typed()
            elif event.key == "backspace":
                self.typed = self.typed[:-1]
            else:
                self.typed = ""

    def _go_to_typed(self) -> None:
        number, self.typed = int(self.typed), ""
        self._go_to(number)

    def _go_to(self, number: int) -> None:
        """Go to slide ``number`` as counted on screen (pages); one that does not exist
        is refused, visibly."""
        if self.pages.has_page(number):
            self.position = self.pages.start_of(number)
            return
        self.app.bell()
        message = t("no_such_slide", self.lang, number=number, n=len(self.pages.pages))
        self.notify(message, severity="warning")

    # -- actions ------------------------------------------------------------

    def action_next(self) -> None:
        """Reveal the next step, or go on to the next slide."""
        self.position = self.pages.clamp(self.position + 1)

    def action_previous(self) -> None:
        self.position = self.pages.clamp(self.position - 1)

    def action_first(self) -> None:
        self.position = 0

    def action_last(self) -> None:
        self.position = len(self.pages.positions) - 1

    def action_scroll_slide(self, lines: int) -> None:
        """Scroll the notes, when shown (a slide never needs scrolling: it has pages)."""
        self.query_one("#notes", NotesArea).scroll_relative(y=lines * 3, animate=False)

    def action_goto(self) -> None:
        """Ask for a slide number and jump to it (one that does not exist is refused)."""

        def jump(number: int | None) -> None:
            if number is not None:
                self._go_to(number)

        self.app.push_screen(GotoScreen(len(self.pages.pages), self.lang), jump)

    def action_overview(self) -> None:
        """Pick a slide from a grid of all of them."""

        def jump(number: int | None) -> None:
            if number is not None:
                self.position = self.pages.start_of(number)

        grid = self._kept_grid()
        grid.open_at(self.pages.page_number(self.position))
        self.app.push_screen(grid, jump)

    def _kept_grid(self) -> SlideGrid:
        """The slide grid of the pages as they are: made when first asked for, and kept
        (built off screen once the pages are drawn) until they change."""
        titles = self.pages.titles()
        if self._grid is None or self._grid.titles != titles:
            self._drop_grid()
            self._grid = SlideGrid(titles)
            self.app.install_screen(self._grid, f"slide-grid-{id(self._grid)}")
        return self._grid

    async def _build_grid(self) -> None:
        """Build the slide grid off screen: it then opens in about half the time (60
        slides: 20-25 ms, not 40-50; measured)."""
        if self.is_attached and self.app.is_running:
            await build_off_screen(self.app, self._kept_grid())

    def _drop_grid(self) -> None:
        """Let the kept grid go (one open, when it closes)."""
        grid, self._grid = self._grid, None
        if grid is not None:
            let_go(self.app, grid)

    def on_unmount(self) -> None:
        self._drop_grid()

    def action_blackout(self) -> None:
        self.blackout = not self.blackout

    def action_toggle_timer(self) -> None:
        self.timer_visible = not self.timer_visible

    def action_pause_clock(self) -> None:
        """Stop the clock, or start it again from where it stopped."""
        moment = standings.now()
        running = self.clock.running
        self.clock = self.clock.paused(moment) if running else self.clock.started(moment)

    def action_reset_clock(self) -> None:
        """The clock back to 0:00 (running or paused as it was)."""
        moment = standings.now()
        was = clock(self.clock.elapsed(moment))
        self.clock = self.clock.reset(moment)
        self.notify(t("clock_reset", self.lang, clock=was))

    def action_class_length(self) -> None:
        """Ask for the class length in minutes: the plan's minutes are scaled to it."""
        lang, plan = self.lang, self.deck.plan_minutes
        prompt = t("length_prompt", lang, plan=plan) if plan else t("length_prompt_no_plan", lang)
        refusal = t("length_range", lang, n=MAX_MINUTES)

        def set_length(minutes: int | None) -> None:
            if minutes is None:
                return
            self.minutes = minutes or None
            if not minutes:
                self.notify(t("length_cleared", lang))
            elif plan:
                self.notify(t("length_set", lang, n=minutes, plan=plan))
            else:
                self.notify(t("length_set_no_plan", lang, n=minutes))

        dialog = NumberDialog(prompt, 1, MAX_MINUTES, refusal, lang, empty=0)
        self.app.push_screen(dialog, set_length)

    def action_start_over(self) -> None:
        """The first slide, the clock at 0:00 and running."""
        self.position = 0
        self.clock = standings.fresh(standings.now())
        self.notify(t("started_over", self.lang))

    def action_toggle_notes(self) -> None:
        if self.edition != "instructor":
            self.notify(t("instructor_only", self.lang))
            return
        self.notes_visible = not self.notes_visible

    def action_board(self) -> None:
        """The board, to write on live: the app opens it (see casebook.screens.board)."""
        from casebook.screens.board import BoardRequested

        self.post_message(BoardRequested(self.deck.case.id, console=self.console))

    def action_leave(self) -> None:
        """Back to the explorer."""
        self.dismiss()
