"""A block of text laid out once per width and drawn a line at a time.

A ``Static`` renders its whole content to learn its height, and again to draw it; a
:class:`LineBlock` lays out its lines once per width and renders only the lines drawn,
so a long pane costs the lines on screen at each frame."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import accumulate
from typing import Protocol, overload, runtime_checkable

from rich.console import Console, ConsoleOptions, ConsoleRenderable, Group
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from casebook.widgets.flow import Flow


def fitted(text: Text, width: int) -> list[Text]:
    """``text`` as lines of at most ``width`` cells: itself when it fits on one line, else
    wrapped by casebook's line breaker (which need not be asked about a line that fits)."""
    if text.cell_len <= width and "\n" not in text.plain:
        return [text]
    return Flow(text).lines(width)


@runtime_checkable
class Measured(Protocol):
    """A block that knows its height at a width without laying out its lines (a figure's
    bars): a long run of them is laid out only where it is drawn."""

    def height(self, width: int) -> int:
        """How many lines :meth:`lines` makes at ``width`` cells."""
        ...

    def lines(self, width: int) -> Sequence[Text]:
        """The lines at ``width`` cells, none wider."""
        ...


LineGroup = tuple[int, Callable[[], Sequence[Text]]]
"""A group of lines: its height, and how to make its lines."""


class MadeWhenDrawn(Sequence[Text]):
    """Lines in groups of known height, a group's lines made when one of them is first
    asked for: a long block's height is known at once, its lines made where it is drawn.

    The heights are exact, as a block's lines are found by their place (a jump scrolls
    to a figure's first line); a list's rows (``rows.Rows``) may have estimated ones."""

    def __init__(self, groups: Iterable[LineGroup]) -> None:
        heights: list[int] = []
        self._makers: list[Callable[[], Sequence[Text]]] = []
        for height, make in groups:
            heights.append(height)
            self._makers.append(make)
        self.starts = list(accumulate(heights, initial=0))
        """The first line of each group; the last item is the height."""
        self._made: dict[int, Sequence[Text]] = {}

    def __len__(self) -> int:
        return self.starts[-1]

    @overload
    def __getitem__(self, y: int) -> Text: ...
    @overload
    def __getitem__(self, y: slice) -> list[Text]: ...
    def __getitem__(self, y: int | slice) -> Text | list[Text]:
        if isinstance(y, slice):
            return [self[n] for n in range(*y.indices(len(self)))]
        if y < 0:
            y += len(self)
        if not 0 <= y < len(self):
            raise IndexError(y)
        group = bisect_right(self.starts, y) - 1
        lines = self._made.get(group)
        if lines is None:
            lines = self._made[group] = self._makers[group]()
        offset = y - self.starts[group]
        return lines[offset] if offset < len(lines) else Text()  # a blank, never a crash


def rendered(
    renderable: ConsoleRenderable | Measured,
    console: Console,
    width: int,
    options: ConsoleOptions | None = None,
) -> Sequence[Text]:
    """The lines ``renderable`` draws at ``width`` cells (the ``Text`` parts it yields
    wrapped by casebook's line breaker, its flows and groups taken line by line, a
    :class:`Measured` part's lines made when drawn). ``options``, the console's at
    ``width``, can be given: asking the console for them costs more than drawing a short
    renderable."""
    if isinstance(renderable, (Flow, Measured)):
        return renderable.lines(width)
    if isinstance(renderable, Text):
        return fitted(renderable, width)
    options = options or console.options.update_width(width)
    groups: list[LineGroup] = []
    lines: list[Text] = []  # the lines made now, since the last group
    for part in renderable.__rich_console__(console, options):
        if isinstance(part, (Flow, Group)):  # a flow is measured by wrapping it: made now
            lines += rendered(part, console, width, options)
        elif isinstance(part, Measured):
            if lines:
                groups.append((len(lines), lambda made=lines: made))
                lines = []
            groups.append((part.height(width), partial(part.lines, width)))
        elif isinstance(part, Text):
            lines += fitted(part, width)
        else:
            for line in console.render_lines(part, options, pad=False):
                lines.append(Text.assemble(*((s.text, s.style) for s in line)))
    if not groups:
        return lines
    if lines:
        groups.append((len(lines), lambda made=lines: made))
    return MadeWhenDrawn(groups)


class Laid:
    """What a :class:`LineBlock` and a :class:`LineView` share: a renderable's lines
    (a ``Text`` it yields is wrapped by casebook's line breaker), laid out once per
    width, each drawn once per style; a subclass may lay out lines of its own instead
    (:meth:`lay_out`)."""

    renderable: ConsoleRenderable | None
    app: App[object]

    def _keep(self, renderable: ConsoleRenderable | None) -> None:
        self.renderable = renderable
        self._laid_out: tuple[int, Sequence[Text]] = (-1, [])
        self._strips: dict[tuple[int, Style], Strip] = {}

    def update(self, renderable: ConsoleRenderable) -> None:
        """Show ``renderable`` instead."""
        self.renderable = renderable
        self._laid_out = (-1, [])
        self.refresh(layout=True)  # type: ignore[attr-defined]

    def lay_out(self, width: int) -> Sequence[Text]:
        """The lines at ``width`` cells, none wider (made when drawn, if it likes)."""
        assert self.renderable is not None, "a block without a renderable lays out its own"
        return rendered(self.renderable, self.app.console, width)

    def lines(self, width: int) -> Sequence[Text]:
        """The lines at ``width`` cells, laid out once per width."""
        if self._laid_out[0] != width:
            self._laid_out = (width, self.lay_out(width))
            self._strips = {}
        return self._laid_out[1]

    def line_style(self, y: int) -> Style:
        """The style under line ``y``'s own: the widget's colours (Textual's visual style,
        kept until the styles change; ``rich_style`` walks every ancestor at each call,
        which cost as much as drawing the line)."""
        return self.get_visual_style().rich_style  # type: ignore[attr-defined]

    def _strip(self, y: int, width: int) -> Strip:
        """Line ``y`` of the block at ``width`` cells, drawn (once per line and style)."""
        lines = self.lines(width)
        base = self.line_style(y)
        strip = self._strips.get((y, base))
        if strip is None:
            text = lines[y] if y < len(lines) else Text()
            segments = Segment.apply_style(text.render(self.app.console), base)
            strip = Strip(segments).adjust_cell_length(width, base)
            self._strips[(y, base)] = strip
        return strip


class LineBlock(Laid, Widget):
    """A renderable's lines, as tall as they are (see :class:`Laid`)."""

    DEFAULT_CSS = """
    LineBlock { height: auto; }
    """

    def __init__(
        self,
        renderable: ConsoleRenderable | None = None,
        classes: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(classes=classes, id=id)
        self._keep(renderable)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        return self._strip(y, self.size.width)


class LineView(Laid, ScrollView, can_focus=True):
    """A renderable's lines in a view that scrolls (see :class:`Laid`): one widget where a
    ``VerticalScroll`` around a :class:`LineBlock` is two, each drawn in full at a
    screen's first frame (compare's first open cost 10–20% less, measured)."""

    DEFAULT_CSS = """
    LineView {
        overflow-x: hidden;
        scrollbar-gutter: stable;  /* a scrollbar shown changes no width: laid out once */
    }
    """

    def __init__(
        self, renderable: ConsoleRenderable, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._keep(renderable)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """The lines laid out for the new width as the view is (their height is what
        scrolls), in the same layout: setting the reactive would ask for another."""
        width = size.width - self.gutter.width
        self.set_reactive(Widget.virtual_size, Size(width, len(self.lines(width))))
        return super()._size_updated(size, virtual_size, container_size, layout)

    def render_line(self, y: int) -> Strip:
        return self._strip(y + self.scroll_offset.y, self.scrollable_content_region.width)
