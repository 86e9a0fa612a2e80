"""The command line: exit codes, one line per problem, plain output, never a traceback."""

from __future__ import annotations

import io
import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook import __version__, cli
from casebook.model.load import cache
from casebook.model.load.library import bundled_cases_dir
from casebook.model.load.loader import MAX_BYTES, load_file

DATA = Path(__file__).resolve().parent.parent / "data"
MANY = DATA / "invalid" / "many-problems.yaml"
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def run(argv: list[str]) -> int:
    """cli.main's exit status, including argparse's own SystemExit."""
    try:
        return cli.main(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1


def casebook(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 60):
    """``python -m casebook ARGS`` in a subprocess, with piped output."""
    return subprocess.run(
        [sys.executable, "-m", "casebook", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


# -- exit codes ------------------------------------------------------------------------


def test_validate_valid_files_exits_0(capsys) -> None:
    count = len(list((DATA / "valid").glob("*.yaml")))
    assert count >= 5
    assert cli.main(["validate", str(DATA / "valid")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"{count} files checked: {count} valid, 0 invalid"
    assert sum(line.startswith("ok  ") for line in out.splitlines()) == count


def test_validate_invalid_file_exits_1(capsys) -> None:
    assert cli.main(["validate", str(MANY)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "1 file checked: 0 valid, 1 invalid"


def test_validate_missing_path_exits_2(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "missing.yaml"
    assert cli.main(["validate", str(DATA / "valid"), str(missing)]) == 2
    captured = capsys.readouterr()
    assert f"no such file or folder: {missing}" in captured.err
    assert captured.out == ""  # nothing is checked when a path is wrong


@pytest.mark.parametrize(
    "argv",
    [["validate", "--bogus"], ["--bogus"], ["frobnicate"], ["--cases"], ["new"], ["schema", "-o"]],
)
def test_bad_usage_exits_2(argv: list[str], capsys) -> None:
    assert run(argv) == 2
    assert "usage: casebook" in capsys.readouterr().err


def test_version(capsys) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"casebook {__version__}"


def test_validate_without_paths_uses_the_case_folders(capsys) -> None:
    assert cli.main(["--cases", str(DATA / "library" / "duplicate"), "validate"]) == 1
    out = capsys.readouterr().out
    assert "id 'twin' is also used by" in out
    assert out.splitlines()[-1] == "3 files checked: 1 valid, 2 invalid"


def test_write_failure_is_a_message_not_a_traceback(tmp_path: Path, capsys) -> None:
    assert cli.main(["schema", "-o", str(tmp_path / "no" / "such" / "dir.json")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("casebook: ")
    assert "Traceback" not in err


# -- output ----------------------------------------------------------------------------


def test_one_line_per_problem_then_a_summary(capsys, monkeypatch) -> None:
    monkeypatch.chdir(MANY.parent)
    expected = [str(d) for d in load_file(MANY, MANY.name).diagnostics]
    assert len(expected) == 17
    cli.main(["validate", MANY.name])
    lines = capsys.readouterr().out.splitlines()
    assert lines == [*expected, "1 file checked: 0 valid, 1 invalid"]


def test_problem_lines_are_path_line_col_message(capsys, monkeypatch) -> None:
    monkeypatch.chdir(DATA)
    cli.main(["validate", "invalid"])
    lines = capsys.readouterr().out.splitlines()[:-1]
    assert lines
    for line in lines:
        assert re.match(r"^invalid/[\w.-]+\.yaml:\d+:\d+: \S", line), line


def test_in_process_output_has_no_escapes(capsys) -> None:
    cli.main(["validate", str(DATA / "invalid"), str(DATA / "valid")])
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err


def test_subprocess_piped_output_has_no_escapes() -> None:
    for env in (None, {**os.environ, "NO_COLOR": "1"}):
        result = casebook("validate", str(DATA / "invalid"), str(DATA / "valid"), env=env)
        assert result.returncode == 1
        assert "\x1b" not in result.stdout + result.stderr
        assert "invalid" in result.stdout.splitlines()[-1]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_no_color_on_a_terminal_has_no_colour_codes() -> None:
    import pty

    def on_terminal(env: dict[str, str]) -> str:
        leader, follower = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "casebook", "validate", str(MANY)],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=env,
        )
        os.close(follower)
        output = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            output += chunk
        process.wait(10)
        os.close(leader)
        return output.decode("utf-8", "replace")

    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    base["TERM"] = "xterm-256color"
    coloured = on_terminal(base)
    plain = on_terminal({**base, "NO_COLOR": "1"})

    def colours(text: str) -> list[str]:
        found = []
        for params in SGR.findall(text):
            for code in params.split(";"):
                if code and (30 <= int(code) <= 49 or 90 <= int(code) <= 107):
                    found.append(code)
        return found

    assert colours(coloured), "on a terminal, errors are red: the check can fail"
    assert colours(plain) == []
    assert not SGR.search(plain), "NO_COLOR: no styles at all, not even bold"
    forced = on_terminal({**base, "NO_COLOR": "1", "FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"})
    assert not SGR.search(forced) and "missing required key 'company'" in forced
    assert "missing required key 'company'" in plain


# -- hostile files, end to end ---------------------------------------------------------------


def test_hostile_folder_never_crashes_or_hangs(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    shutil.copytree(DATA / "hostile", folder)
    extra = {
        "too-big.yaml": b"# " + b"x" * MAX_BYTES + b"\n",
        "deep-flow-100k.yaml": b"hook: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "deep-block-100k.yaml": b"timeline:\n  " + b"- " * 100_000 + b"x\n",
    }
    for name, content in extra.items():
        (folder / name).write_bytes(content)
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.yaml")
        (folder / "link-to-fifo.yaml").symlink_to(folder / "fifo.yaml")
    (folder / "dangling.yaml").symlink_to(folder / "nowhere")
    names = sorted(p.name for p in folder.iterdir())

    start = time.monotonic()
    result = casebook("validate", "hostile", cwd=tmp_path, timeout=120)
    elapsed = time.monotonic() - start

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
    for name in names:
        assert f"hostile/{name}" in result.stdout, f"{name} not reported"
    assert not any(line.startswith("ok  ") for line in result.stdout.splitlines())
    assert result.stdout.splitlines()[-1] == (
        f"{len(names)} files checked: 0 valid, {len(names)} invalid"
    )
    assert not (tmp_path / "casebook-tag-marker").exists()
    assert elapsed < 60


def test_python_dash_m_casebook_works() -> None:
    result = casebook("validate", str(DATA / "valid" / "minimal.yaml"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "1 file checked: 1 valid, 0 invalid"


# -- many files, and plain output ------------------------------------------------------------


def test_validate_with_workers_prints_what_one_process_prints(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    shutil.copytree(DATA / "hostile", folder / "hostile")
    shutil.copytree(DATA / "invalid", folder / "invalid")
    minimal = "id: case-{n}\ncompany: {{name: Company {n}}}\nsummary: Case {n}.\n"
    for n in range(120):
        (folder / f"case-{n:03}.yaml").write_text(minimal.format(n=n), encoding="utf-8")
    (folder / "case-twin.yaml").write_text(minimal.format(n=7), encoding="utf-8")
    runs = {}
    for workers in ("0", "1"):
        env = {**os.environ, "CASEBOOK_WORKERS": workers, "CASEBOOK_NO_CACHE": "1"}
        runs[workers] = casebook("validate", "many", cwd=tmp_path, env=env)
    serial, parallel = runs["0"], runs["1"]
    assert serial.returncode == parallel.returncode == 1
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr == ""
    lines = serial.stdout.splitlines()
    assert "many/case-twin.yaml:1:5: id 'case-7' is also used by many/case-007.yaml" in lines
    total = len(list(folder.rglob("*.yaml")))
    assert lines[-1] == f"{total} files checked: 119 valid, {total - 119} invalid"


def test_plain_output_is_what_rich_would_print(tmp_path: Path, capsys, monkeypatch) -> None:
    from rich.console import Console
    from rich.text import Text

    monkeypatch.chdir(tmp_path)
    Path("plain.yaml").write_text(
        "id: plain\ncompany: {name: Plain Co}\nsummary: S.\n", encoding="utf-8"
    )
    Path("tabbed.yaml").write_text(
        'id: tabbed\ncompany: {name: "Tab\\there"}\nsummary: S.\n', encoding="utf-8"
    )
    expected = []
    for name, title in (("plain.yaml", "Plain Co"), ("tabbed.yaml", "Tab\\there")):
        cli.main(["validate", name])
        rendered = io.StringIO()
        Console(file=rendered, highlight=False, soft_wrap=True).print(
            Text(f"ok  {name}  {Path(name).stem}  {title}")
        )
        expected.append(rendered.getvalue())
        assert capsys.readouterr().out.splitlines()[0] == expected[-1].rstrip("\n")
    assert expected[1].startswith("ok  tabbed.yaml  tabbed  Tab\\there")  # escaped, not expanded
    monkeypatch.setenv("FORCE_COLOR", "1")  # through Rich: the same line, in colour
    cli.main(["validate", "tabbed.yaml"])
    out = capsys.readouterr().out
    assert "\x1b[" in out
    assert SGR.sub("", out).splitlines()[0] == expected[1].rstrip("\n")


def test_a_large_library_opens_at_once_from_the_cache_else_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cases"
    shutil.copytree(bundled_cases_dir(), folder)
    monkeypatch.setattr(cache, "RACY_NS", 50_000_000)
    time.sleep(0.1)  # written just now: let the files age enough to be cached
    opened: list[str] = []
    monkeypatch.setattr(cli, "LARGE_LIBRARY", 2)
    monkeypatch.setattr(cli, "_open_large", lambda *args: opened.append("background") or 0)
    monkeypatch.setattr(cli, "_open_app", lambda *args, **kw: opened.append("at once") or 0)
    argv = ["--cases", str(folder), "--no-watch"]
    assert cli.main(argv) == 0  # nothing cached: 5 files to parse
    cli.load_library([folder])  # as the background load does
    assert cli.main(argv) == 0
    assert opened == ["background", "at once"]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--no-watch"],
        ["--cases", "validate"],
        ["--cas", "present", "export", "--all"],
        ["--cases=x", "validate", "--strict", "a.yaml"],
        ["--instructor", "present", "huayi-precision", "--console"],
        ["export", "huayi-precision", "--lang", "both", "-o", "out.html"],
        ["notes", "export"],
        ["new", "some-case", "--from", "huayi-precision"],
        ["serve", "--port", "8080"],
        ["schema", "-o", "s.json"],
    ],
)
def test_parsing_with_only_the_named_commands_parser_is_parsing_with_all(argv) -> None:
    assert cli._parser(argv).parse_args(argv) == cli._parser().parse_args(argv)


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [
        ([], None),
        (["--cases", "present"], None),
        (["--ca", "x", "validate"], "validate"),
        (["--help"], cli._ALL),
        (["valdate"], cli._ALL),
        (["--no-watch", "present", "-h"], "present"),
    ],
)
def test_the_command_is_found_before_any_parser_is_built(argv, wanted) -> None:
    assert cli._command_in(argv) == wanted


def test_help_and_mistakes_read_as_with_every_command(capsys) -> None:
    for argv in (["--help"], ["valdate"], ["present"]):
        outputs = []
        for parser in (cli._parser(argv), cli._parser()):
            with pytest.raises(SystemExit):
                parser.parse_args(argv)
            outputs.append(capsys.readouterr())
        assert outputs[0] == outputs[1], argv
