"""The base pane, the helpers the panes share, and :func:`pane_type` for every pane.

Panes are built lazily: only when shown, and again only when the document or
the language changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from typing import TYPE_CHECKING, TypeVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from casebook.model.format.addresses import ALL_PANES, Item
from casebook.model.format.case import Document
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.widgets.flow import Flow
from casebook.widgets.item_blocks import ItemBlocks
from casebook.widgets.render import flows, mark, plain, say

if TYPE_CHECKING:
    from casebook.model.load.provenance import Sources

MODULES: dict[str, str] = {pane: f"{__package__}.{pane}" for pane in ALL_PANES}
"""The module of each pane, imported when the pane is first asked for."""

_TYPES: dict[str, type[Pane]] = {}

PaneT = TypeVar("PaneT", bound="Pane")


def item_class(item: Item) -> str:
    """The CSS class that marks the widget showing ``item``."""
    return "item-" + "-".join(str(part) for part in item)


def pane_type(pane: str) -> type[Pane]:
    """The class of ``pane`` (one of :data:`MODULES`), its module imported the first
    time: the first screen needs the overview only."""
    found = _TYPES.get(pane)
    if found is None:
        import_module(MODULES[pane])
        found = _TYPES[pane]
    return found


def import_panes() -> None:
    """Import every pane's module ahead of its first open (the app's warm-up does, in
    a thread: a pane's module and what it needs take 5-15 ms to import)."""
    for module in MODULES.values():
        import_module(module)


def registered(pane: str) -> Callable[[type[PaneT]], type[PaneT]]:
    """Class decorator: the class that :func:`pane_type` returns for ``pane``."""

    def register(cls: type[PaneT]) -> type[PaneT]:
        _TYPES[pane] = cls
        return cls

    return register


class Pane(VerticalScroll):
    """A scrolling pane that rebuilds its content only when what it shows changes."""

    # The scroll bar's room is kept whether it shows or not: content is laid out once, not
    # again narrower when it turns out taller than the pane.
    DEFAULT_CSS = "Pane { scrollbar-gutter: stable; }"

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, classes="pane")
        self.built_for: tuple[Document, Lang, str] | None = None
        self._queued: Item | None = None
        self._builds = 0
        """While new content waits to be mounted: the item to reveal in it (``()``: none)."""
        self.sources: Sources | None = None
        """The source texts at hand (``--source``): the panes quote passages from them."""

    def show(
        self, document: Document, library: Library, lang: Lang, note: str = "", item: Item = ()
    ) -> None:
        """Build the pane for ``document`` (with the reader's ``note`` on top) if not built.

        With ``item``, the pane then scrolls to it (or highlights it) once laid out.
        """
        built = self.built_for
        if built is not None and built[0] is document and built[1:] == (lang, note):
            if self._queued is not None:  # the new content is not in yet: reveal it there
                self._queued = item or self._queued
            elif item:
                self.call_after_refresh(self._reveal_when_shown, item)
            return
        self.built_for = (document, lang, note)
        widgets = list(self.build(document, library, lang))
        if not widgets:
            widgets = [Static(Flow(Text(t("nothing_here", lang), style="dim")))]
        if note:
            marker = Text(f"✎ {t('your_note', lang)}", style="bold")
            widgets.insert(0, block(marker, plain(note), classes="block note-block"))
        self._queued = item
        self._builds += 1
        self.call_later(self._replace, widgets, self._builds)

    async def _replace(self, widgets: list[Widget], build: int) -> None:
        """Swap in new content: the old widgets go first, so nothing stale is measured or found.
        Content built before the latest build is dropped unseen."""
        if build != self._builds:
            return
        async with self.batch():
            await self.remove_children()
            await self.mount_all(widgets)
        self.scroll_home(animate=False)
        item, self._queued = self._queued or (), None
        if item:
            self.call_after_refresh(self._reveal_when_shown, item)

    def _reveal_when_shown(self, item: Item, waits: int = 5) -> None:
        """Reveal ``item`` once the pane is laid out (a pane just switched to has no size
        for a refresh or two)."""
        if not self.size.height and waits:
            self.call_after_refresh(self._reveal_when_shown, item, waits - 1)
        else:
            self.reveal(item)

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        raise NotImplementedError

    def reveal(self, item: Item, settle: bool = True) -> None:
        """Scroll to the widget or block showing ``item`` (or the nearest enclosing one).

        With ``settle``, the item jumped to is marked until the next jump, and it scrolls
        once more after the next refresh, when freshly mounted content has its final height.
        """
        holders = list(self.query(ItemBlocks))
        if settle:
            self.query(".-hit").remove_class("-hit")
            for blocks in holders:
                blocks.mark(item)
        for length in range(len(item), 0, -1):
            part = item[:length]
            holder = next((blocks for blocks in holders if part in blocks.items), None)
            if holder is not None:
                top = holder.virtual_region.y + holder.lines_of(part)[0]
                self.scroll_to(y=top, animate=False, immediate=True)
                break
            found = self.query(f".{item_class(part)}")
            if found:
                if settle:
                    found.first().add_class("-hit")
                self.scroll_to_widget(found.first(), top=True, animate=False, immediate=True)
                break
        if settle:
            self.call_after_refresh(self.reveal, item, False)

    def current_item(self) -> Item:
        """The item the reader is on, for bookmarks; the pane itself by default."""
        return ()

    def item_label(self, lang: Lang) -> str:
        """A few words naming the current item, for a bookmark's label."""
        return ""


def block(*parts: RenderableType | None, classes: str = "block", item: Item = ()) -> Static:
    """A block of parts, one under another (``None`` parts left out; text wrapped by
    casebook's line breaker), marked as showing ``item``."""
    if item:
        classes += " " + item_class(item)
    return Static(flows(*parts), classes=classes)


def bullets(items: list, lang: Lang, numbered: bool = False) -> Group:
    """Bilingual texts as a bulleted (or numbered) list, wrapped lines hanging under the
    text, not under the mark."""
    return Group(
        *(
            Flow(say(item, lang), mark(number if numbered else None, lang))
            for number, item in enumerate(items, start=1)
        )
    )
