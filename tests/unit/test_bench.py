"""The benchmarks run (on a tiny library), and the synthetic cases they use are valid."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from casebook.model.format.case import Case
from casebook.model.format.text import Bilingual
from casebook.model.load.library import load_library

BENCH = Path(__file__).resolve().parents[2] / "bench"

ROWS = [  # each row's name, its numbers (cases, files, sizes) written N
    "start to ready, N bundled cases",
    "start to the introduction drawn, N bundled cases",
    "start to ready, N cases, warm cache",
    "start to ready, N cases, cold cache",
    "start to the first page of the list, N cases, cold cache",
    "peak memory, N bundled cases",
    "peak memory, N cases, warm cache, at the first screen",
    "peak memory, N cases, warm cache, after the warm-up",
    "peak memory, N cases, warm cache, after a first search",
    "validate N files (fresh process)",
    "validate N files (in process)",
    "search keystroke, N cases (index)",
    "search keystroke, N cases (in app)",
    "open a N KB case in the explorer",
    "slowest pane of the N KB case",
    "first open of the slowest pane of the N KB case",
    "switching back to the slowest pane of the N KB case",
    "switching back to a tab of a bare Textual app, for reference",
    "first push of a bare screen (two texts and a line), for reference",
    "open compare with N cases, N cases",
    "compare, opened again",
    "cross-case timeline (N events), first open",
    "cross-case timeline, opened again",
    "apply a filter, N cases",
    "scroll the case list a page, N cases",
    "a slide step, trainer mode",
    "slide grid, N slides",
    "open the filters, N cases",
    "the filters, opened again",
    "open the problems panel, N cases",
    "open search, N cases",
    "open the command palette, N cases",
    "cross-case timeline, memory per event (all cases against a quarter)",
]
INFO = (
    "peak memory, N cases, warm cache, after a first search",
    "slowest pane",
    "start to the introduction",
    "first push of a bare screen",
    "switching back to a tab of a bare",
    "open the filters",
    "the filters, opened again",
    "open the problems panel",
    "open search",
    "open the command palette",
)
"""Rows without a target, reported for information."""


def _generate_module():
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_script_runs_and_reports_every_metric(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    assert table[0].startswith("| metric | casebook | baseline | ratio | target | result |")
    names = [re.sub(r"\d+", "N", line.split(" | ")[0].removeprefix("| ")) for line in table]
    rows = dict(zip(names[1:], table[1:], strict=True))
    assert list(rows) == ROWS
    for name, line in rows.items():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == 6, line
        assert cells[3].endswith("×"), line
        assert float(cells[3].removesuffix("×")) > 0, line
        verdict = cells[5].split()[0]
        if name.startswith(INFO):
            assert verdict == "info", line
        else:
            assert verdict in ("PASS", "FAIL"), line
    assert list(tmp_path.iterdir()) == []  # it cleans up after itself


def test_generated_cases_are_valid_bilingual_and_deterministic(tmp_path: Path) -> None:
    generate = _generate_module()
    written = generate.generate(tmp_path / "a", 12)
    assert len(written) == 13  # and the collection
    library = load_library([tmp_path / "a"], "instructor", cache=False)
    assert library.diagnostics == []
    assert len(library.cases) == 12
    assert library.collection is not None
    listed = [case_id for chapter in library.collection.chapters for case_id in chapter.cases]
    assert sorted(listed) == sorted(library.cases)
    for case in library.cases.values():
        assert isinstance(case, Case)
        for text in (case.company.name, case.summary, case.hook, case.timeline[0].title):
            assert isinstance(text, Bilingual) and text.en and text.zh
    assert any(case.teaching_notes for case in library.cases.values())
    sizes = [path.stat().st_size for path in written[:-1]]
    assert 2000 < sum(sizes) / len(sizes) < 3500  # about 2.7 KB, like a short real case

    generate.generate(tmp_path / "b", 12)
    for path in written:
        assert (tmp_path / "b" / path.name).read_bytes() == path.read_bytes()


def test_the_big_case_is_valid_and_about_the_size_asked(tmp_path: Path) -> None:
    generate = _generate_module()
    path = tmp_path / "big.yaml"
    path.write_text(generate.dump(generate.big_case(30_000)), encoding="utf-8")
    assert 30_000 <= path.stat().st_size < 36_000
    library = load_library([path], cache=False)
    assert library.diagnostics == []
    assert list(library.cases) == ["big-case"]
