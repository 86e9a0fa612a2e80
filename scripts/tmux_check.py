"""Drive the real app in a real terminal (tmux) and check what a person would see.

Usage: python scripts/tmux_check.py [--cases DIR]

Starts ``python -m casebook`` in a detached tmux session at 100×30 and at 80×24,
walks every case through every pane with the keys a user presses, and checks the
screen for names, dates and figures taken from the model itself. Exits 1 on the
first thing missing, printing the screen it saw.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from casebook.model.format.case import Case
from casebook.model.format.figures import amount, format_number
from casebook.model.format.text import Lang, pick
from casebook.model.load.library import load_library

ROOT = Path(__file__).resolve().parent.parent
SIZES = ((100, 30), (80, 24))


class Terminal:
    """One tmux session running the app."""

    def __init__(self, name: str, width: int, height: int, cases: Path, home: Path) -> None:
        self.name = name
        private = " ".join(
            f"{var}={shlex.quote(str(home / sub))}"
            for var, sub in (
                ("CASEBOOK_DATA_DIR", "data"),
                ("CASEBOOK_RUNTIME_DIR", "runtime"),
                ("CASEBOOK_CACHE_DIR", "cache"),
            )
        )
        where = shlex.quote(str(cases))
        command = f"env {private} {sys.executable} -m casebook --fresh --cases {where}; sleep 2"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height)],
            check=True,
        )
        subprocess.run(["tmux", "send-keys", "-t", name, f"exec {command}", "Enter"], check=True)

    def screen(self) -> str:
        result = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return result.stdout

    def press(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)
        time.sleep(0.4)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if "Traceback" in screen:
                fail("a traceback reached the terminal", screen)
            if _squash(text) in _squash(screen):
                return screen
            time.sleep(0.2)
        fail(f"did not see {text!r}", screen)
        return screen

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def _squash(text: str) -> str:
    """Screen text without spaces, borders or line breaks, so wrapped words still match."""
    return "".join(ch for ch in text if ch.isalnum() or ch in "%.,<>−–×")


def fail(message: str, screen: str) -> None:
    print(f"tmux check failed: {message}\n--- screen ---\n{screen}\n--------------", flush=True)
    raise SystemExit(1)


def _expectations(case: Case, lang: Lang) -> dict[str, str]:
    """What each pane must show for ``case``, taken from the model."""
    expect = {"1": pick(case.company.name, lang)}
    if case.timeline:
        first = min(case.timeline, key=lambda e: e.date.sort_key)
        expect["2"] = first.date.label(lang)
    if case.metrics:
        metric = case.metrics[0]
        quantity = metric.value if metric.value is not None else metric.before
        assert quantity is not None
        expect["3"] = format_number(amount(quantity).value, lang)
    if case.challenges:
        expect["4"] = pick(case.challenges[0].title, lang)[:20]
    if case.people:
        expect["5"] = pick(case.people[0].name, lang)
    if case.discussion_questions:
        expect["6"] = pick(case.discussion_questions[0], lang)[:20]
    return expect


def check_size(width: int, height: int, cases: Path, home: Path) -> None:
    library = load_library([cases])
    terminal = Terminal(f"casebook-check-{os.getpid()}-{width}", width, height, cases, home)
    try:
        terminal.wait_for("Introduction")
        screen = terminal.screen()
        for case in library.cases.values():
            if _squash(pick(case.company.name, "en")) not in _squash(screen):
                fail(f"{pick(case.company.name, 'en')} is not in the case list", screen)
        for case in library.cases.values():
            terminal.press("j", "Enter")
            for key, text in _expectations(case, "en").items():
                terminal.press(key)
                terminal.wait_for(text)
            terminal.press("1")
        terminal.press("l")
        last = list(library.cases.values())[-1]
        terminal.wait_for(pick(last.company.name, "zh"))
        for key, text in _expectations(last, "zh").items():
            terminal.press(key)
            terminal.wait_for(text)
        terminal.press("l", "q")
        time.sleep(1)
        screen = terminal.screen()
        if "Traceback" in screen:
            fail("a traceback reached the terminal on exit", screen)
        print(f"tmux check passed at {width}x{height}: {len(library.cases)} cases, 6 panes each")
    finally:
        terminal.close()


def check_study_tools(cases: Path, home: Path) -> None:
    """Search in both scripts, then a note that survives quitting and starting again."""
    library = load_library([cases])
    robots = [c for c in library.cases.values() if "robot" in pick(c.summary, "en").lower()]
    if not robots:
        print("tmux check: no case mentions robots; search check skipped")
        return
    target = pick(robots[0].company.name, "en")
    name = f"casebook-study-{os.getpid()}"
    terminal = Terminal(name, 100, 30, cases, home)
    try:
        terminal.wait_for("Introduction")
        for query in ("robot", "机器人"):
            terminal.press("/")
            terminal.wait_for("Search every case")
            subprocess.run(["tmux", "send-keys", "-t", name, "-l", query], check=True)
            time.sleep(0.8)
            terminal.wait_for(target)
            terminal.press("Escape")
        index = list(library.cases).index(robots[0].id) + 1
        terminal.press(*["j"] * index, "Enter", "3", "e")
        terminal.wait_for("ctrl+s")
        subprocess.run(["tmux", "send-keys", "-t", name, "-l", "kept after restart"], check=True)
        terminal.press("C-s")
        terminal.wait_for("kept after restart")
        terminal.press("q")
        time.sleep(1.5)
    finally:
        terminal.close()
    terminal = Terminal(name, 100, 30, cases, home)
    try:
        terminal.wait_for("Introduction")
        terminal.press(*["j"] * index, "Enter", "3")
        terminal.wait_for("kept after restart")
        terminal.press("q")
        print("tmux check passed: search in English and Chinese, a note kept across a restart")
    finally:
        terminal.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=ROOT / "cases")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux check failed: tmux is not installed")
        return 1
    with tempfile.TemporaryDirectory(prefix="casebook-tmux-") as home:
        for width, height in SIZES:
            check_size(width, height, args.cases, Path(home))
        check_study_tools(args.cases, Path(home))
    return 0


if __name__ == "__main__":
    sys.exit(main())
