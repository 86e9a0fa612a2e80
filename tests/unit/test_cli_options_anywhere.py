"""The command line (issue #15): the global options after the command as before it, and
the nearest ids for a mistyped case id, in one line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook import cli

CASES = Path(__file__).resolve().parents[2] / "cases"
IDS = ["zhejiang-zhongcheng", "huayi-precision", "jingfeng-technology", "weimai-medical"]


def parsed(argv: list[str]) -> dict[str, object]:
    args = cli._merge_after(cli._parser(argv).parse_args(argv))
    return vars(args)


@pytest.mark.parametrize(
    "argv",
    [
        ["present", "huayi-precision", "--instructor"],
        ["present", "--instructor", "huayi-precision", "--console"],
        ["export", "huayi-precision", "--no-watch", "--instructor"],
        ["validate", "--instructor", "--strict"],
        ["notes", "export", "--instructor"],
        ["board", "export", "huayi-precision", "--instructor"],
        ["serve", "--instructor", "--port", "8080"],
        ["schema", "--instructor"],
        ["new", "x", "--instructor"],
    ],
)
def test_every_command_takes_the_global_options_after_it(argv: list[str]) -> None:
    args = parsed(argv)
    assert args["instructor"] is True
    assert not any(name.startswith("after_") for name in args)
    before = ["--instructor", *[a for a in argv if a != "--instructor"]]
    assert parsed(before) == args


def test_options_before_and_after_the_command_add_up() -> None:
    before = ["--cases", "a", "--source", "x=1", "--log", "first.log"]
    after = ["--cases", "b", "--no-watch", "--source", "y=2", "--log", "second.log"]
    args = parsed([*before, "present", "huayi-precision", *after])
    assert args["cases"] == [Path("a"), Path("b")]
    assert args["source"] == ["x=1", "y=2"]
    assert args["log"] == Path("second.log")  # the later one
    assert args["no_watch"] is True and args["instructor"] is False


def test_help_after_the_command_lists_the_global_options(capsys) -> None:
    with pytest.raises(SystemExit):
        cli._parser(["present", "-h"]).parse_args(["present", "-h"])
    out = capsys.readouterr().out
    for option in ("--cases", "--instructor", "--no-watch", "--log", "--source", "--console"):
        assert option in out


def test_validate_takes_sources_after_the_command_as_before(tmp_path: Path, capsys) -> None:
    text = tmp_path / "article.txt"
    text.write_text("nothing", encoding="utf-8")
    assert cli.main(["validate", str(tmp_path / "none.yaml"), "--source", f"article={text}"]) == 2
    assert "no such file or folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("typed", "nearest"),
    [
        ("huayi", ["huayi-precision"]),
        ("huayi-precison", ["huayi-precision"]),
        ("weimai", ["weimai-medical"]),
        ("jingfeng-tech", ["jingfeng-technology"]),
        ("zhongcheng", ["zhejiang-zhongcheng"]),
        ("acme", []),
        ("", []),
    ],
)
def test_the_nearest_ids_are_suggested(typed: str, nearest: list[str]) -> None:
    assert cli.nearest_ids(typed, IDS) == nearest


def test_suggestions_are_bounded() -> None:
    many = [f"case-{n}" for n in range(10_000)]
    assert len(cli.nearest_ids("case-1", many)) == cli.SUGGESTIONS
    assert cli.nearest_ids("x" * 100_000, many) == []  # quick: only the first part compared
    message = cli.unknown_case_message("zzz", many)
    assert message.endswith(f"and {10_000 - cli.LISTED} more)")
    assert "\n" not in message


@pytest.mark.parametrize(
    "argv",
    [
        ["present", "huayi"],
        ["present", "huayi", "--instructor"],
        ["export", "huayi"],
        ["new", "other", "--from", "huayi", "--dir", "."],
    ],
)
def test_an_unknown_case_id_gets_the_nearest_in_one_line_exit_2(argv: list[str], capsys) -> None:
    assert cli.main(["--cases", str(CASES), *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "casebook: no valid case has id 'huayi'; did you mean huayi-precision?\n"
    )


def test_a_hostile_case_id_stays_one_line(capsys) -> None:
    assert cli.main(["--cases", str(CASES), "present", "huayi\n\x1b[31mred"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err
