"""The class load benchmark runs, with a handful of students, and every answer is recorded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.slow
def test_the_class_load_benchmark_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / "class_load.py"),
            "--students",
            "5",
            "--rounds",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout)
    ours, baseline = found["class"], found["baseline"]
    assert ours["received"] == baseline["received"] == 5 * 2  # every student, every change
    assert ours["answers_sent"] == ours["answers_acknowledged"] == 5
    assert ours["answers_in_record"] == ours["answers_in_server"] == 5
    assert list(tmp_path.iterdir()) == []
