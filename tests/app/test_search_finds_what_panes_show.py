"""Search finds everything the panes show: every case text a pane draws, in English and
Chinese, as it draws it, is a hit for that entry and that pane.

The panes draw case text only through ``casebook.widgets.render.plain`` (which every
other helper there calls), never as markup; the test records each string handed to it
while a pane builds and renders, with the entry and language the pane is built for,
then searches for each one exactly as it was drawn.
"""

from __future__ import annotations

import sys
from collections import defaultdict

import pytest
from pilot_support import CASES, drive, explorer, pane_lines, pane_widget, quiet, settle
from textual.dom import DOMNode
from textual.pilot import Pilot

from casebook.app import make_app
from casebook.model.format.addresses import INTRO_ID
from casebook.model.format.case import Case
from casebook.model.format.edition import Edition
from casebook.model.format.text import LANGS, strip_unsafe
from casebook.model.format.words import _WORDS
from casebook.model.views.search import SearchIndex, fold
from casebook.widgets import render
from casebook.widgets.timeline import TimelineView

Shown = dict[tuple[str, str, str], set[str]]
"""(language, entry id, pane) → the case strings the pane drew."""


def _pane_drawing() -> DOMNode | None:
    """The pane whose widget, or a widget inside it, is drawing now (from the call stack)."""
    frame = sys._getframe(2)
    while frame is not None:
        owner = frame.f_locals.get("self")
        if isinstance(owner, DOMNode):
            for node in (owner, *owner.ancestors):
                if (node.id or "").startswith("pane-") and hasattr(node, "built_for"):
                    return node
        frame = frame.f_back
    return None


def record_shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    """Record every case string the panes draw from now on."""
    shown: Shown = defaultdict(set)

    def recording(value: str) -> str:
        pane = _pane_drawing()
        if pane is not None and pane.built_for is not None:  # type: ignore[attr-defined]
            document, lang, _note = pane.built_for  # type: ignore[attr-defined]
            entry = document.id if isinstance(document, Case) else INTRO_ID
            shown[lang, entry, pane.id.removeprefix("pane-")].add(value)
        return strip_unsafe(value)

    monkeypatch.setattr(render, "strip_unsafe", recording)
    return shown


INTERFACE_WORDS = {word for pair in _WORDS.values() for word in pair}
"""What the panes draw that is not case text (headings go through ``plain`` too)."""


def worth_searching(text: str) -> bool:
    """Case text, and not trivial: two or more characters that search compares."""
    return len(fold(text)) >= 2 and text not in INTERFACE_WORDS


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_every_case_text_a_pane_shows_is_found_there(
    edition: Edition, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In each edition, with its own panes: the instructor's teaching pane too."""
    app = quiet(make_app([CASES], edition=edition))
    shown = record_shown(monkeypatch)

    async def scenario(pilot: Pilot) -> None:
        screen = explorer(pilot.app)  # type: ignore[arg-type]
        entries = [INTRO_ID, *screen.library.cases]
        for lang in LANGS:
            if pilot.app.lang != lang:
                await pilot.press("l")
                await settle(pilot)
            for entry in entries:
                for name in screen.shown_panes(entry):
                    screen.open(entry, name)
                    await settle(pilot)
                    pane = pane_widget(pilot.app, name)  # type: ignore[arg-type]
                    for view in pane.query(TimelineView):
                        for index in range(len(view.items)):
                            view.show_detail(index)  # every event's detail, not just the first
                    await settle(pilot)
                    pane_lines(pilot.app, name)  # draw all of it, scrolled into view or not
                    assert pilot.app.lang == lang

    drive(app, scenario, size=(120, 40), timeout=240)

    index = SearchIndex.build(app.library)
    assert {(lang, entry) for lang, entry, _ in shown} == {
        (lang, entry) for lang in LANGS for entry in [INTRO_ID, *app.library.cases]
    }
    missing: list[str] = []
    checked = 0
    for (lang, entry, pane), strings in sorted(shown.items()):
        for text in sorted(filter(worth_searching, strings)):
            checked += 1
            hits = index.search(text, limit=100_000)
            if not any(h.entry_id == entry and h.pane == pane for h in hits):
                found = sorted({(h.entry_id, h.pane) for h in hits})
                missing.append(f"{lang} {entry} {pane}: {text!r} (found in {found})")
    assert checked > 500
    assert missing == [], "\n".join(missing)
