"""A one-line bar of the keys a screen offers, drawn as text by one widget."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

from casebook.model.format.text import Lang

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen

Labels = Callable[[str, Lang], str | None]
"""A binding's label in a language, by its action (None: the binding's own description)."""

Displays = Callable[["Binding"], str | None]
"""How a binding's key shows now (None: as Textual shows it)."""


class Entry(NamedTuple):
    """A binding as the bar shows it."""

    key: str
    display: str
    label: str
    enabled: bool


class Key(NamedTuple):
    """One key as the bar shows it, and the columns it takes."""

    key: str
    start: int
    end: int
    enabled: bool


class KeyBar(Widget, can_focus=False):
    """The keys the screen and its focused widget offer, with their labels, and the
    command palette's key on the right; clicking a key presses it.

    What Textual's ``Footer`` shows, but drawn by one widget where the footer mounts a
    widget per key: the first screen is ready sooner, and a change of focus or of
    language redraws one line. With ``labels``, it labels each key in ``lang`` as it
    draws (the bindings keep their descriptions); without, it shows the descriptions.
    With ``keys``, a key shows as that says (the keys of the panes an entry has, say).
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--hover",
        "key-bar--edge",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--hover {
            background: $block-hover-background;
        }
        & > .key-bar--edge {
            color: $foreground 20%;
        }
    }
    """

    lang: reactive[Lang] = reactive[Lang]("en")
    """The language of the labels (when the bar was given ``labels``)."""

    def __init__(
        self, labels: Labels | None = None, *, lang: Lang = "en", keys: Displays | None = None
    ) -> None:
        super().__init__()
        self._labels = labels
        self._keys_shown = keys
        self.set_reactive(KeyBar.lang, lang)
        self._keys: list[Key] = []
        self._hover: str | None = None
        self._shown: tuple[list[Entry], Entry | None] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen) -> None:
        # Focus moves often; the keys change less. Not drawn yet: the first render lists them.
        if self._shown is not None and self._entries() != self._shown:
            self.refresh()

    def render(self) -> Text:
        shown, palette = self._shown = self._entries()
        # Roomy if it fits, else compact, else compact with the palette's key alone.
        for compact, labelled in ((False, True), (True, True), (True, False)):
            right = None
            if palette is not None:
                right = _parts(palette if labelled else palette._replace(label=""), compact)
            room = self.size.width - (_width(right) + 1 if right is not None else 0)
            parts = [_parts(entry, compact) for entry in shown]
            if sum(map(_width, parts)) + compact <= room:
                break
        style = self.get_component_rich_style
        styles = (style("key-bar--key", partial=True), style("key-bar--description", partial=True))
        hover = style("key-bar--hover", partial=True)
        line = Text(" " if compact else "", no_wrap=True, overflow="crop", end="")
        keys: list[Key] = []

        def add(entry: Entry, part: tuple[str, str]) -> None:
            start = line.cell_len
            line.append_text(Text.assemble(*zip(part, styles, strict=True)))
            if not entry.enabled:
                line.stylize("dim", start)
            elif entry.key == self._hover:
                line.stylize(hover, start)
            keys.append(Key(entry.key, start, line.cell_len, entry.enabled))

        for entry, part in zip(shown, parts, strict=True):
            if line.cell_len + _width(part) > room:
                break
            add(entry, part)
        if right is not None and palette is not None:
            line.append(" " * (room - line.cell_len))
            line.append("▏", style("key-bar--edge", partial=True))
            add(palette, right)
        self._keys = keys
        return line

    def _entries(self) -> tuple[list[Entry], Entry | None]:
        """The keys to show (the first of each action's), and the command palette's."""
        shown: dict[str, Entry] = {}
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            found = self._keys_shown(binding) if self._keys_shown is not None else None
            display = self.app.get_key_display(binding) if found is None else found
            entry = Entry(binding.key, display, self._label(binding), enabled)
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = entry if self.app.ENABLE_COMMAND_PALETTE else None
            elif binding.show:
                shown.setdefault(binding.action, entry)
        return list(shown.values()), palette

    def _label(self, binding: Binding) -> str:
        found = self._labels(binding.action, self.lang) if self._labels is not None else None
        return binding.description if found is None else found

    def key_at(self, x: int) -> Key | None:
        """The key drawn at column ``x``, if any."""
        return next((k for k in self._keys if k.start <= x < k.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        found = self.key_at(event.x)
        hover = found.key if found is not None else None
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        found = self.key_at(event.x)
        if found is None:
            return
        if found.enabled:
            self.app.simulate_key(found.key)
        else:
            self.app.bell()


def _parts(entry: Entry, compact: bool) -> tuple[str, str]:
    """A key's two parts: `` key `` and ``label `` (compact: ``key`` and `` label ``)."""
    if compact:
        return entry.display, f" {entry.label} " if entry.label else " "
    return f" {entry.display} ", f"{entry.label} " if entry.label else ""


def _width(parts: tuple[str, str]) -> int:
    return cell_len(parts[0]) + cell_len(parts[1])
