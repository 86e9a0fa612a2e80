"""What the study-tool tests share: the bundled cases' ids, readers of the search,
filter, compare and store state, and copies of the case folder."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from pilot_support import (
    CASES,
    explorer,
    pane_widget,
    settle,
    type_text,
    until,
    visible_lines,
    widget_lines,
)
from textual.pilot import Pilot
from textual.widgets import (
    Input,
    Static,
)

from casebook.app import CasebookApp
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.search import SearchScreen
from casebook.state.notes import STORE_NAME
from casebook.widgets.case_list import INTRO_ID, CaseList
from casebook.widgets.line_list import LineList
from casebook.widgets.pane_tabs import PaneTabs
from casebook.widgets.timeline import TimelineView

CASE_IDS = ["zhejiang-zhongcheng", "huayi-precision", "jingfeng-technology", "weimai-medical"]
HUAYI = "huayi-precision"
ZHONGCHENG = "zhejiang-zhongcheng"
HUAYI_EVENT = "Brings in 2 red-punching (hot forging) robots"
ZHONGCHENG_LAST_EVENT = "Lists on the stock market"
"""Zhejiang Zhongcheng's latest event: ("timeline", 3), last of four on its axis."""


# -- reading the study tools ------------------------------------------------


def store_file() -> Path:
    return Path(os.environ["CASEBOOK_DATA_DIR"]) / STORE_NAME


def stored() -> dict:
    return json.loads(store_file().read_text(encoding="utf-8"))


def listed_cases(screen: ExplorerScreen) -> list[str]:
    """Case ids in the case list, top to bottom (the introduction and headings left out)."""
    rows = screen.query_one(CaseList).rows
    return [o.id for o in rows if o.id and not o.disabled and o.id != INTRO_ID]


def entry_text(screen: ExplorerScreen, entry_id: str) -> str:
    """An entry of the case list as it reads: name, marker, hook."""
    case_list = screen.query_one(CaseList)
    index = case_list.index_of(entry_id)
    assert index is not None, f"{entry_id} is not listed"
    return case_list.rows[index].plain


def entry_marker(screen: ExplorerScreen, entry_id: str) -> str:
    """The reader's marker beside an entry's name ('✎ 2/6'), '' when none."""
    first_line = entry_text(screen, entry_id).split("\n")[0]
    return first_line.partition("  ")[2].strip()


def tab_label(screen: ExplorerScreen, pane: str) -> str:
    return screen.query_one(PaneTabs).labels[pane]


def filter_bar(app: CasebookApp) -> str:
    """The filter bar as the screen shows it ('' when hidden), rows joined by spaces."""
    bar = explorer(app).query_one("#filter-bar", Static)
    if not bar.display or bar.region.height == 0:
        return ""
    return " ".join(line.strip() for line in visible_lines(app, bar) if line.strip())


def timeline_key(app: CasebookApp) -> tuple:
    """The item of the event the open timeline pane highlights."""
    return pane_widget(app, "timeline").query_one(TimelineView).current_key()


def search_screen(app: CasebookApp) -> SearchScreen:
    assert isinstance(app.screen, SearchScreen), f"not searching: {app.screen!r}"
    return app.screen


def results(app: CasebookApp) -> list[str]:
    """The result list's entries as text ('Huayi Precision · Timeline' over the snippet)."""
    return [row.plain for row in search_screen(app).query_one("#search-results", LineList).rows]


def highlighted(app: CasebookApp) -> list[str]:
    """The text each result highlights as the match."""
    marked = []
    for row in search_screen(app).query_one("#search-results", LineList).rows:
        for line in row.lines:
            spans = [s for s in line.spans if "reverse" in str(s.style)]
            marked += [line.plain[s.start : s.end] for s in spans]
    return marked


def result_count(app: CasebookApp) -> str:
    return " ".join(widget_lines(search_screen(app).query_one("#search-count"))).strip()


async def search_for(pilot: Pilot, query: str) -> None:
    """Empty the search box (ctrl+u), then type ``query`` key by key."""
    await pilot.press("ctrl+u")
    await type_text(pilot, query)
    await settle(pilot)
    assert search_screen(pilot.app).query_one(Input).value == query  # type: ignore[arg-type]


async def open_search(pilot: Pilot, query: str = "") -> SearchScreen:
    await pilot.press("slash")
    await settle(pilot)
    search = search_screen(pilot.app)  # type: ignore[arg-type]
    assert pilot.app.focused is search.query_one(Input)
    await until(pilot, lambda: search.index is not None, "the search index")
    if query:
        await search_for(pilot, query)
    return search


async def jump_to(pilot: Pilot, index: int) -> None:
    """Move into the results (down), down to result ``index``, and press enter."""
    await pilot.press("down", *["down"] * index, "enter")
    await settle(pilot)


def body_lines(app: CasebookApp) -> list[str]:
    """Everything the compare / all-events body shows, scrolled into view or not."""
    return widget_lines(app.screen.query_one("#compare-body"))


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and modification time."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def copy_cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    shutil.copytree(CASES, folder)
    return folder


def five_cases(tmp_path: Path) -> Path:
    """The bundled casebook plus a fifth case, a renamed copy of Huayi Precision."""
    folder = copy_cases(tmp_path)
    text = (folder / "huayi-precision.yaml").read_text(encoding="utf-8")
    text = text.replace("id: huayi-precision", "id: huayi-twin", 1)
    text = text.replace("en: Huayi Precision", "en: Huayi Twin", 1)
    (folder / "huayi-twin.yaml").write_text(text, encoding="utf-8")
    return folder
