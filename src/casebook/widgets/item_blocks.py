"""Blocks of lines, each showing an item of a case, as one widget."""

from __future__ import annotations

from typing import ClassVar

from rich.console import ConsoleRenderable
from rich.style import Style
from rich.text import Text

from casebook.model.format.addresses import Item
from casebook.widgets.line_block import LineBlock, LineGroup, MadeWhenDrawn, Measured, rendered


class ItemBlocks(LineBlock):
    """Blocks one under another, a blank line between two, each showing an item (a
    challenge, a figure's bars): one widget however many blocks, as a widget each costs
    more to mount and lay out than its lines cost to draw. The block a jump lands on is
    marked."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"item-blocks--hit"}
    DEFAULT_CSS = """
    ItemBlocks > .item-blocks--hit { background: $accent 25%; }
    """

    def __init__(
        self, blocks: list[tuple[Item, ConsoleRenderable | Measured]], classes: str
    ) -> None:
        super().__init__(classes=classes)
        self.blocks = blocks
        self.items = {item: index for index, (item, _) in enumerate(blocks)}
        self.hit: tuple[int, int] | None = None
        """The lines (from, to) of the block a jump landed on."""

    def holding(self, item: Item) -> Item | None:
        """The item of the block that shows ``item`` (it or the nearest enclosing), if any."""
        for length in range(len(item), 0, -1):
            if item[:length] in self.items:
                return item[:length]
        return None

    def lines_of(self, block: Item) -> tuple[int, int]:
        """The lines (from, to) of ``block``, one of :attr:`items`."""
        laid = self.lines(self.size.width)
        assert isinstance(laid, MadeWhenDrawn)  # as lay_out makes it: a group a block
        index = self.items[block]
        first = laid.starts[index] + (1 if index else 0)  # after the blank line between two
        return first, laid.starts[index + 1]

    def mark(self, item: Item) -> None:
        """Mark the lines of the block that shows ``item`` (none when this holds none)."""
        block = self.holding(item)
        hit = None if block is None else self.lines_of(block)
        if hit != self.hit:
            self.hit = hit
            self._strips = {}
            self.refresh()

    def lay_out(self, width: int) -> MadeWhenDrawn:
        console = self.app.console
        options = console.options.update_width(width)

        def group(number: int, block: ConsoleRenderable | Measured) -> LineGroup:
            gap = [Text()] if number else []
            if isinstance(block, Measured):  # its lines made when drawn
                return len(gap) + block.height(width), lambda: gap + block.lines(width)
            lines = [*gap, *rendered(block, console, width, options)]
            return len(lines), lambda: lines

        return MadeWhenDrawn(group(number, block) for number, (_, block) in enumerate(self.blocks))

    def line_style(self, y: int) -> Style:
        if self.hit is not None and self.hit[0] <= y < self.hit[1]:
            return self.get_visual_style("item-blocks--hit").rich_style
        return super().line_style(y)
