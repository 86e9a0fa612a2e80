"""A one-line bar of the keys a screen offers, drawn as text by one widget."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


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
    language redraws one line.
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

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[Key] = []
        self._hover: str | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen) -> None:
        self.refresh()

    def render(self) -> Text:
        shown, palette = self._entries()
        # Roomy if it fits, else compact, else compact with the palette's key alone.
        for compact, labelled in ((False, True), (True, True), (True, False)):
            parts = [self._key_text(entry, compact) for entry in shown]
            right = None
            if palette is not None:
                right = self._key_text(palette if labelled else palette._replace(label=""), compact)
            room = self.size.width - (right.cell_len + 1 if right is not None else 0)
            if sum(part.cell_len for part in parts) + compact <= room:
                break
        line = Text(" " if compact else "", no_wrap=True, overflow="crop", end="")
        keys: list[Key] = []
        for entry, part in zip(shown, parts, strict=True):
            if line.cell_len + part.cell_len > room:
                break
            keys.append(Key(entry.key, line.cell_len, line.cell_len + part.cell_len, entry.enabled))
            line.append_text(part)
        if right is not None and palette is not None:
            line.append(" " * (room - line.cell_len))
            line.append("▏", self.get_component_rich_style("key-bar--edge", partial=True))
            keys.append(
                Key(palette.key, line.cell_len, line.cell_len + right.cell_len, palette.enabled)
            )
            line.append_text(right)
        self._keys = keys
        return line

    def _entries(self) -> tuple[list[Entry], Entry | None]:
        """The keys to show (the first of each action's), and the command palette's."""
        shown: dict[str, Entry] = {}
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            display = self.app.get_key_display(binding)
            entry = Entry(binding.key, display, binding.description, enabled)
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = entry if self.app.ENABLE_COMMAND_PALETTE else None
            elif binding.show:
                shown.setdefault(binding.action, entry)
        return list(shown.values()), palette

    def _key_text(self, entry: Entry, compact: bool) -> Text:
        """`` key label `` (compact: ``key label ``), styled; dim if the key does nothing now."""
        style = self.get_component_rich_style
        key = entry.display if compact else f" {entry.display} "
        label = f"{' ' if compact else ''}{entry.label} " if entry.label else " " * compact
        text = Text.assemble(
            (key, style("key-bar--key", partial=True)),
            (label, style("key-bar--description", partial=True)),
        )
        if entry.key == self._hover and entry.enabled:
            text.stylize(style("key-bar--hover", partial=True))
        if not entry.enabled:
            text.stylize("dim")
        return text

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
