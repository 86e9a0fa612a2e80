"""One page of a slide, drawn with as many of its steps revealed as the presenter has reached.

Every line is drawn by :class:`~casebook.widgets.flow.Flow`, so labels (a role, a
question's number, an event's date) stay with their first words and wrapped lines hang
under the text. What fits on a page is decided beforehand
(:mod:`casebook.model.views.slide_pages`) with :func:`flow_lines`, the same measure.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.renderables.digits import Digits as DigitsRenderable
from textual.widget import Widget
from textual.widgets import Digits, Static

from casebook.model.format.case import Metric, Quantity
from casebook.model.format.figures import amount, change, format_amount, format_number
from casebook.model.format.linebreak import cells
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.views.slide_pages import Page, Pages, Piece, step_label, step_text
from casebook.widgets.flow import Flow
from casebook.widgets.render import plain

PADDING = (2, 1)
"""The view's padding (columns each side, rows above and below)."""
FIGURE_ROWS = 8
"""Rows a figure in big digits takes under its title (margins, label, digits, words,
caption)."""
_DIGIT_CHARS = set("0123456789.+-")
_LABEL_STYLES = {"event": "bold", "question": "bold"}


def flow_lines(label: str, text: str, width: int) -> int:
    """The lines a step takes at ``width``, as drawn (the pages' measure)."""
    return Flow(plain(text), Text(label) if label else None).height(width)


class Lines:
    """Lines ``start`` to ``end`` of a Flow: the part of a step cut across pages."""

    def __init__(self, flow: Flow, start: int, end: int | None) -> None:
        self.flow = flow
        self.start, self.end = start, end

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.flow.lines(options.max_width)[self.start : self.end]:
            yield from line.render(console)
            yield Segment.line()


def big_digits(value: float, lang: Lang) -> str | None:
    """The number as Digits can draw it, or ``None``."""
    shown = format_number(value, lang).replace(",", "")
    return shown if set(shown) <= _DIGIT_CHARS and len(shown) <= 8 else None


class SlideView(Vertical):
    """The audience's view of one page: its title and the steps revealed so far."""

    DEFAULT_CSS = f"""
    SlideView {{ height: auto; padding: {PADDING[1]} {PADDING[0]}; }}
    SlideView .slide-title {{ text-style: bold; color: $text-accent; }}
    SlideView .step {{ margin-top: 1; }}
    SlideView .step-new {{ text-style: bold; }}
    SlideView .figure-row {{ height: auto; align: center top; margin: 1 0; }}
    SlideView .figure-side {{ width: auto; height: auto; margin: 0 2; }}
    SlideView .figure-side Digits {{ width: auto; color: $text-accent; }}
    SlideView .figure-side Static {{ width: auto; }}
    SlideView .arrow {{ width: auto; padding: 2 1 0 1; }}
    SlideView .figure-caption {{ text-align: center; width: 100%; }}
    """

    def __init__(
        self, pages: Pages, page: Page, shown: int, room: tuple[int, int] | None = None
    ) -> None:
        """``room``: the width and height the page has (``None``: unbounded)."""
        slide = pages.slide(page)
        super().__init__(classes=f"slide slide-{slide.kind}")
        self.pages = pages
        self.page = page
        self.shown = shown
        self.room = room

    @property
    def lang(self) -> Lang:
        return self.pages.lang

    def compose(self) -> ComposeResult:
        slide = self.pages.slide(self.page)
        yield Static(Flow(plain(self.pages.title(self.page))), classes="slide-title")
        if slide.metric is not None:
            yield from self._figure(slide.metric)
            return
        yield from self._steps(0, self.shown)

    def _steps(self, start: int, end: int) -> Iterator[Static]:
        """The Statics of pieces ``start`` to ``end``, the newest marked."""
        for number in range(start, end):
            step = Static(self._piece(self.page.pieces[number]), classes="step")
            yield step.set_class(self._newest(number), "step-new")

    def _newest(self, number: int) -> bool:
        """Whether piece ``number`` is the last shown of a slide of more than one step."""
        return number == self.shown - 1 and len(self.pages.slide(self.page).steps) > 1

    def can_reveal(self, pages: Pages, page: Page, room: tuple[int, int] | None) -> bool:
        """Whether this view can show ``page`` by revealing or hiding steps."""
        same = pages is self.pages and page is self.page and room == self.room
        return same and self.pages.slide(page).metric is None

    def reveal(self, shown: int) -> None:
        """Show the first ``shown`` pieces, mounting or removing only the difference (a
        step then repaints one step, not the page)."""
        steps = list(self.query_children(".step"))
        self.shown = shown
        if shown < len(steps):
            self.remove_children(steps[shown:])
        for number, step in enumerate(steps[:shown]):
            step.set_class(self._newest(number), "step-new")
        if shown > len(steps):
            self.mount_all(self._steps(len(steps), shown))

    def _piece(self, piece: Piece) -> Flow | Lines:
        step = self.pages.slide(self.page).steps[piece.step]
        label = step_label(step, piece.step + 1, self.lang)
        style = _LABEL_STYLES.get(step.kind, "bold cyan")
        flow = Flow(plain(step_text(step, self.lang)), plain(label, style) if label else None)
        return flow if piece == Piece(piece.step) else Lines(flow, piece.start, piece.end)

    # -- a figure ------------------------------------------------------------

    def _figure(self, metric: Metric) -> Iterator[Widget]:
        lang = self.lang
        sides = [("", metric.value)] if metric.value is not None else []
        if metric.before is not None and metric.after is not None:
            sides = [(t("before", lang), metric.before), (t("after", lang), metric.after)]
        moved = change(metric)
        caption = Text(moved.label(), style="bold") if moved is not None else None
        if not self._digits_fit(metric, sides):
            for label, quantity in sides:
                words = plain(format_amount(quantity, metric.unit, lang), "bold")
                yield Static(Flow(words, Text(label + "  ", "dim") if label else None))
            if caption is not None:
                yield Static(Flow(caption))
            return
        row = [self._side(label, quantity, metric) for label, quantity in sides]
        if len(row) == 2:
            row.insert(1, Static(Text("→", style="bold"), classes="arrow"))
        yield Horizontal(*row, classes="figure-row")
        if caption is not None:
            yield Static(caption, classes="figure-caption")

    def _digits_fit(self, metric: Metric, sides: list[tuple[str, Quantity]]) -> bool:
        """Whether the figure in big digits fits the room (else it is drawn as text)."""
        if self.room is None:
            return True
        width, height = self.room
        lang = self.lang
        title = Flow(plain(self.pages.title(self.page))).height(width)
        needed = 3 * (len(sides) - 1)  # the arrow
        for label, quantity in sides:
            digits = big_digits(amount(quantity).value, lang)
            words = format_amount(quantity, metric.unit, lang)
            shown = DigitsRenderable.get_width(digits) if digits else cells(words)
            needed += 4 + max(shown, cells(words), cells(label))
        return needed <= width and title + FIGURE_ROWS <= height

    def _side(self, label: str, quantity: Quantity, metric: Metric) -> Vertical:
        """One big number with what it is above and the figure in words below."""
        lang = self.lang
        value = amount(quantity).value
        digits = big_digits(value, lang)
        number = (
            Digits(digits, classes="big-number")
            if digits is not None
            else Static(plain(format_number(value, lang), "bold"), classes="big-number")
        )
        return Vertical(
            Static(Text(label, style="dim"), classes="figure-side-label"),
            number,
            Static(
                plain(format_amount(quantity, metric.unit, lang), "bold"), classes="figure-words"
            ),
            classes="figure-side",
        )
