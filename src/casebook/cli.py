"""The ``casebook`` command: parse arguments, call the model or open the app."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from casebook import __version__
from casebook.model.cache import TooManyToParse
from casebook.model.diagnostics import Diagnostic
from casebook.model.edition import Edition, edition_from
from casebook.model.library import (
    Library,
    bundled_cases_dir,
    case_dirs,
    display_path,
    library_warnings,
    load_library,
)
from casebook.model.text import pick

if TYPE_CHECKING:
    from rich.console import Console

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
LARGE_LIBRARY = 300
"""With more case files than this to parse (not in the cache), the app loads them in
the background."""
RICH_CHANGES = re.compile(r"[\t\x07\x08\x0b\x0c\r]|\s$", re.MULTILINE)
"""What Rich prints otherwise than as it is: control characters it drops, tabs it
expands, whitespace it may trim at the end of a line."""

Line = tuple[str, str, list[tuple[str, str]]]
"""A line of a report: its first part and the line's style, then parts and their styles."""


class UsageError(Exception):
    """A mistake in how the command was called: printed, exit 2."""


COMMANDS: dict[str, str] = {
    "validate": "check case files and report every problem",
    "schema": "print the JSON Schema of a case file",
    "present": "present a case as full-screen slides",
    "export": "write a handout of cases as Markdown or HTML",
    "serve": "serve the app to web browsers (textual-serve)",
    "notes": "your private notes",
    "new": "write a commented template for a new case",
}
"""Every command, with its help."""

_ALL = "*"
_VALUED = {"--cases"[:end] for end in range(3, 8)}
"""The global option that takes a value, as argparse accepts it (any unique prefix)."""


def _command_in(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names (None for the app), or _ALL when it is unclear or help
    is asked for: then every command's parser is built."""
    valued = False
    for token in argv:
        if valued:
            valued = False
        elif token in ("-h", "--help", "--"):
            return _ALL
        elif token.startswith("-"):
            valued = token in _VALUED
        else:
            return token if token in COMMANDS else _ALL
    return None


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of ``argv``: the global options, and the parser of the command it
    names (with no ``argv``, or when unclear, every command's). Building a parser per
    command takes a few milliseconds that opening the app need not wait for."""
    parser = argparse.ArgumentParser(
        prog="casebook",
        description="Business case studies as a navigable, presentable casebook.",
    )
    parser.add_argument("--version", action="version", version=f"casebook {__version__}")
    parser.add_argument(
        "--cases",
        action="append",
        type=Path,
        metavar="DIR",
        help="a folder of case files (repeatable; overrides CASEBOOK_PATH and ./cases)",
    )
    parser.add_argument(
        "--instructor",
        action="store_true",
        help="instructor edition: teaching notes, epilogues (or CASEBOOK_EDITION=instructor)",
    )
    parser.add_argument(
        "--no-watch", action="store_true", help="do not reload when case files change"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = _ALL if argv is None else _command_in(argv)
    for name, text in COMMANDS.items():
        if wanted in (_ALL, name):
            _COMMAND_ARGUMENTS[name](commands.add_parser(name, help=text))
    return parser


def _validate_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    command.add_argument(
        "--strict", action="store_true", help="also report author warnings, and fail on them"
    )


def _schema_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("-o", "--output", type=Path, metavar="FILE", help="write it to FILE")


def _present_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("case_id", metavar="CASE_ID")
    command.add_argument(
        "--console", action="store_true", help="the presenter console that follows the slides"
    )


def _export_arguments(command: argparse.ArgumentParser) -> None:
    which = command.add_mutually_exclusive_group(required=True)
    which.add_argument("case_id", nargs="?", metavar="CASE_ID")
    which.add_argument("--all", action="store_true", help="every case, with the introduction")
    command.add_argument("--format", choices=("md", "html"), help="default: from -o, else md")
    command.add_argument("--lang", choices=("en", "zh", "both"), default="en")
    command.add_argument("-o", "--output", type=Path, metavar="PATH", help="file or folder")


def _serve_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    command.add_argument("--port", type=_port, default=8000, help="port (default 8000)")


def _notes_arguments(command: argparse.ArgumentParser) -> None:
    actions = command.add_subparsers(dest="notes_command", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write all notes as Markdown")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")


def _new_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("case_id", metavar="ID")
    command.add_argument("--dir", type=Path, help="where to write it (default: the case folder)")
    command.add_argument(
        "--from", dest="from_id", metavar="OTHER_ID", help="start from another case's structure"
    )


_COMMAND_ARGUMENTS = {
    "validate": _validate_arguments,
    "schema": _schema_arguments,
    "present": _present_arguments,
    "export": _export_arguments,
    "serve": _serve_arguments,
    "notes": _notes_arguments,
    "new": _new_arguments,
}


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status. User mistakes never raise."""
    arguments = sys.argv[1:] if argv is None else argv
    args = _parser(arguments).parse_args(arguments)
    try:
        if args.command == "validate":
            return _validate(args.paths or case_dirs(args.cases or ()), args.strict)
        edition = edition_from(args.instructor)
        dirs = case_dirs(args.cases or ())
        watch = not args.no_watch
        if args.command is None:
            try:  # from the cache at once, unless many files need parsing
                library = load_library(dirs, edition, parse_at_most=LARGE_LIBRARY)
            except TooManyToParse:
                return _open_large(dirs, edition, watch)
            return _open_app(library, dirs, watch)
        from rich.console import Console  # the app and validate do without it

        console = Console(highlight=False, soft_wrap=True)
        if args.command == "schema":
            return _schema(console, args.output)
        if args.command == "new":
            return _new(console, args.case_id, args.dir, args.cases or (), args.from_id)
        if args.command == "notes":
            return _notes_export(console, args.output, args.cases or ())
        if args.command == "serve":
            return _serve(console, args.host, args.port, args.cases or (), edition)
        library = load_library(dirs, edition)
        if args.command == "export":
            return _export(console, library, args)
        _known_case(library, args.case_id)  # the last command: present
        return _open_app(library, dirs, watch, present=args.case_id, console=args.console)
    except UsageError as error:
        _print_error(f"casebook: {error}")
        return EXIT_USAGE
    except OSError as error:
        _print_error(f"casebook: {error.strerror or error}: {error.filename}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


def _print_error(message: str) -> None:
    from rich.console import Console
    from rich.text import Text

    Console(stderr=True, highlight=False, soft_wrap=True).print(Text(message, style="red"))


def _validate(paths: Sequence[Path], strict: bool = False) -> int:
    missing = [path for path in paths if not path.exists() and not path.is_symlink()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    library = load_library(paths, cache=False)  # validate always re-reads every file
    warnings = library_warnings(library) if strict else []
    by_file: dict[str, list[Diagnostic]] = {}
    for warning in warnings:
        by_file.setdefault(warning.path, []).append(warning)
    report: list[Line] = []
    for loaded in library.files:
        shown = display_path(loaded.path)
        for diagnostic in [*loaded.diagnostics, *by_file.get(shown, [])]:
            error = diagnostic.severity == "error"
            parts = [(": ", "")]
            if not error:
                parts.append(("warning: ", "yellow"))
            parts.append((diagnostic.message, "red" if error else ""))
            report.append((diagnostic.location, "bold", parts))
        if loaded.ok and loaded.document is not None:
            document = loaded.document
            name = getattr(document, "company", None)
            title = pick(name.name if name else document.title, "en")  # type: ignore[attr-defined]
            parts = [(f"  {shown}  ", ""), (document.id, "bold"), (f"  {title}", "")]
            report.append(("ok", "green", parts))
    invalid = sum(1 for loaded in library.files if not loaded.ok)
    total = len(library.files)
    counts = [(f"{invalid} invalid", "red bold" if invalid else "green")]
    if strict:
        counts.append((f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}", ""))
    summary = f"{total} file{'s' if total != 1 else ''} checked: {total - invalid} valid, "
    _print_report(report, (summary, "", counts))
    return EXIT_INVALID if invalid or warnings else EXIT_OK


def _print_report(report: list[Line], summary: Line) -> None:
    """The report's lines, then the summary: plain text when Rich would print that
    (output that is not a terminal), else through Rich, in colour on a terminal."""
    lines = [*report, summary]
    text = "\n".join(first + "".join(part for part, _ in parts) for first, _, parts in lines)
    if _plain_stdout() and not RICH_CHANGES.search(text):
        sys.stdout.write(text + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    rendered = []
    for first, style, parts in lines:
        line = Text(first, style=style)
        for part, part_style in parts:
            line.append(part, style=part_style)
        rendered.append(line)
    console = Console(highlight=False, soft_wrap=True)
    if report:
        console.print(Text("\n").join(rendered[:-1]))  # one print: Rich's per-call cost adds up
    console.print(rendered[-1])


def _plain_stdout() -> bool:
    """Whether stdout is no terminal and nothing asks Rich for colour there."""
    if "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ:
        return False
    try:
        return not sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _schema(console: Console, output: Path | None) -> int:
    from rich.text import Text

    from casebook.model.schema import schema_text

    if output is None:
        sys.stdout.write(schema_text())
        return EXIT_OK
    output.write_text(schema_text(), encoding="utf-8")
    console.print(Text(f"wrote {output}"))
    return EXIT_OK


def _new(
    console: Console,
    case_id: str,
    folder: Path | None,
    cli_dirs: Sequence[Path],
    from_id: str | None = None,
) -> int:
    from rich.text import Text

    from casebook.model.case import SLUG_PATTERN
    from casebook.model.scaffold import scaffold_from
    from casebook.model.schema import SCHEMA_FILE, schema_text
    from casebook.model.template import case_template

    if not re.fullmatch(SLUG_PATTERN, case_id):
        raise UsageError(f"{case_id!r} is not a valid id: use lower-case letters, digits, hyphens")
    text = case_template(case_id)
    if from_id is not None:
        library = load_library(case_dirs(cli_dirs), "instructor")
        _known_case(library, from_id)
        text = scaffold_from(library.cases[from_id], case_id)
    if folder is None:
        active = case_dirs(cli_dirs)[0]
        folder = Path.cwd() if active == bundled_cases_dir() else active
    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    target = folder / f"{case_id}.yaml"
    if target.exists() or target.is_symlink():
        console.print(Text(f"casebook: {target} already exists; not overwriting it", style="red"))
        return EXIT_INVALID
    with target.open("x", encoding="utf-8") as stream:
        stream.write(text)
    console.print(Text(f"wrote {target}"))
    schema = folder / SCHEMA_FILE
    if not schema.exists():
        schema.write_text(schema_text(), encoding="utf-8")
        console.print(Text(f"wrote {schema} (for editors that check YAML as you type)"))
    return EXIT_OK


def _serve(console: Console, host: str, port: int, dirs: Sequence[Path], edition: Edition) -> int:
    """Serve the app over HTTP with textual-serve: one app process per browser tab."""
    from rich.text import Text
    from textual_serve.server import Server

    command = [sys.executable, "-m", "casebook"]
    for folder in dirs:
        command += ["--cases", str(folder.resolve())]
    if edition == "instructor":
        command.append("--instructor")
    console.print(Text(f"Serving casebook at http://{host}:{port}/ (Ctrl+C to stop)"))
    from shlex import join

    Server(join(command), host=host, port=port, title="casebook").serve()
    return EXIT_OK


def _export(console: Console, library: Library, args: argparse.Namespace) -> int:
    """A handout of one case or all of them, to stdout, a file or a folder."""
    from rich.text import Text

    from casebook.model.export import SUFFIXES, UnknownCase, export

    output: Path | None = args.output
    fmt = args.format or ("html" if output and output.suffix.lower() in (".html", ".htm") else "md")
    ids = list(library.cases) if args.all else [args.case_id]
    if not ids:
        raise UsageError("no valid cases to export")
    try:
        text = export(library, ids, fmt, args.lang)
    except UnknownCase as error:
        raise UsageError(str(error)) from None
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    if output.is_dir():
        output = output / (("casebook" if args.all else ids[0]) + SUFFIXES[fmt])
    output.write_text(text, encoding="utf-8")
    console.print(Text(f"wrote {output}"))
    return EXIT_OK


def _notes_export(console: Console, output: Path | None, dirs: Sequence[Path]) -> int:
    """All the reader's notes as Markdown, titled with the case names where known."""
    from rich.console import Console
    from rich.text import Text

    from casebook.userdata import Store, export_markdown

    store = Store.open()
    if store.warning:
        Console(stderr=True).print(Text(store.warning, style="yellow"))
    library = load_library(case_dirs(dirs))
    titles = {case_id: pick(case.company.name, "en") for case_id, case in library.cases.items()}
    text = export_markdown(store, titles)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(Text(f"wrote {output}"))
    return EXIT_OK


def _known_case(library: Library, case_id: str) -> None:
    if case_id not in library.cases:
        known = ", ".join(library.cases) or "none"
        raise UsageError(f"no valid case has id {case_id!r} (cases: {known})")


def _open_large(dirs: Sequence[Path], edition: Edition, watch: bool) -> int:
    """A large library: the app appears at once and reads the cases with a progress bar."""
    from casebook.app import make_app

    make_app(dirs, edition=edition, watch=watch, load_in_background=True).run()
    return EXIT_OK


def _open_app(
    library: Library,
    dirs: Sequence[Path],
    watch: bool,
    *,
    present: str | None = None,
    console: bool = False,
) -> int:
    from casebook.app import make_app

    app = make_app(dirs, library=library, present=present, console=console, watch=watch)
    app.run()
    return EXIT_OK
