"""`casebook present CASE_ID --minutes N`: the class length reaches the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook import cli

CASES = Path(__file__).resolve().parents[2] / "cases"


def _run(argv: list[str]) -> int:
    try:
        return cli.main(argv)
    except SystemExit as done:  # argparse's own exit
        return int(done.code or 0)


def test_minutes_reach_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[dict[str, object]] = []
    monkeypatch.setattr(cli, "_open_app", lambda *args, **kw: opened.append(kw) or 0)
    argv = ["--cases", str(CASES), "--no-watch", "present", "huayi-precision"]
    assert _run([*argv, "--minutes", "90"]) == 0
    assert _run(argv) == 0
    assert [kw["minutes"] for kw in opened] == [90, None]


@pytest.mark.parametrize("value", ["0", "-5", "1441", "ninety", "1.5", ""])
def test_a_length_that_is_not_one_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    monkeypatch.setattr(cli, "_open_app", lambda *args, **kw: pytest.fail("opened"))
    argv = ["--cases", str(CASES), "present", "huayi-precision", "--minutes", value]
    assert _run(argv) == 2
    assert "--minutes" in capsys.readouterr().err
