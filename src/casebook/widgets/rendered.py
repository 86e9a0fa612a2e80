"""Rendered: a Rich renderable rendered once for its width, however often it is measured."""

from __future__ import annotations

from rich.console import RenderableType
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget


class Rendered(Widget):
    """A Rich renderable (a table of many wrapped cells) as tall as it needs.

    A Static renders its content to learn its height and again to draw it; this keeps
    the lines of the last width it was rendered at.
    """

    DEFAULT_CSS = """
    Rendered {
        height: auto;
    }
    """

    def __init__(self, renderable: RenderableType = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._renderable = renderable
        self._lines: tuple[int, list[list[Segment]]] | None = None

    def update(self, renderable: RenderableType) -> None:
        """Show ``renderable`` instead."""
        self._renderable = renderable
        self._lines = None
        self.refresh(layout=True)

    def _lines_at(self, width: int) -> list[list[Segment]]:
        if self._lines is None or self._lines[0] != width:
            console = self.app.console
            options = self.app.console_options.update_width(width).update(highlight=False)
            renderable = self._renderable
            if isinstance(renderable, str):
                renderable = Text(renderable)
            self._lines = (width, console.render_lines(renderable, options, pad=True))
        return self._lines[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines_at(width))

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        lines = self._lines_at(width)
        if y >= len(lines):
            return Strip.blank(width, self.rich_style)
        return Strip(Segment.apply_style(lines[y], self.rich_style), width)
