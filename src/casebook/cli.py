"""The ``casebook`` command: parse arguments, call the model or open the app."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from casebook import __version__, logs
from casebook.model.format.edition import Edition, edition_from
from casebook.model.format.text import Lang, one_line, pick
from casebook.model.load.cache import TooManyToParse
from casebook.model.load.diagnostics import Diagnostic
from casebook.model.load.library import (
    Library,
    bundled_cases_dir,
    case_dirs,
    display_path,
    first_part,
    library_warnings,
    load_library,
)
from casebook.startup import pause_collector, resume_collector

if TYPE_CHECKING:
    from rich.console import Console

    from casebook.app import CasebookApp
    from casebook.model.load.provenance import Sources

logger = logging.getLogger(__name__)

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


class Refused(Exception):
    """An output the command will not write (it would replace a case file, a file
    casebook did not write, or go through a symlink): printed, exit 1."""


COMMANDS: dict[str, str] = {
    "validate": "check case files and report every problem",
    "schema": "print the JSON Schema of a case file",
    "present": "present a case as full-screen slides",
    "export": "write a handout of cases as Markdown or HTML",
    "serve": "serve the app to web browsers (textual-serve)",
    "notes": "your private notes",
    "board": "the board written during a class",
    "new": "write a commented template for a new case",
    "draft": "draft a case from a source text: its figures and dates, with their passages",
    "join": "join a live class as a student, at the address the trainer shows",
    "class": "a live class: teach it (start, resume) and its record (list, export)",
}
"""Every command, with its help."""

GROUPS = frozenset({"notes", "board", "class"})
"""The commands that are groups of actions (``notes export``): the global options go
after the action."""

_ALL = "*"
_VALUED = {
    option[:end]
    for option in ("--cases", "--lang", "--log", "--source")
    for end in range(3, len(option) + 1)
}
"""The global options that take a value, as argparse accepts them (any unique prefix)."""


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
    _global_arguments(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = _ALL if argv is None else _command_in(argv)
    for name, text in COMMANDS.items():
        if wanted in (_ALL, name):
            command = commands.add_parser(name, help=text)
            _COMMAND_ARGUMENTS[name](command)
            if name not in GROUPS:  # a group's actions take them (see _notes_arguments)
                _global_arguments(command, after=True)
    return parser


def _interface_language(parser: argparse.ArgumentParser, prefix: str, default: object) -> None:
    """``--lang en|zh``: the interface's language for this run (a command whose own
    ``--lang`` says what it writes, such as ``export``, does without it)."""
    if "--lang" in parser._option_string_actions:
        return
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        dest=f"{prefix}ui_lang",
        default=default,
        help="the interface's language for this run (default: the one you chose last)",
    )


_AFTER = "after_"
"""The prefix of a global option's name given after the command (see :func:`_merge_after`)."""


def _global_arguments(parser: argparse.ArgumentParser, *, after: bool = False) -> None:
    """The options of every command: before the command, or ``after`` it (then each is
    kept apart, as ``after_<name>``, and merged by :func:`_merge_after`: a command's
    parser would otherwise replace what was given before it)."""
    prefix, default = (_AFTER, argparse.SUPPRESS) if after else ("", None)
    parser.add_argument(
        "--cases",
        action="append",
        type=Path,
        metavar="DIR",
        dest=f"{prefix}cases",
        default=default,
        help="a folder of case files (repeatable; overrides CASEBOOK_PATH and ./cases)",
    )
    parser.add_argument(
        "--instructor",
        action="store_true",
        dest=f"{prefix}instructor",
        default=default or False,
        help="instructor edition: teaching notes, epilogues (or CASEBOOK_EDITION=instructor)",
    )
    parser.add_argument(
        "--no-watch",
        action="store_true",
        dest=f"{prefix}no_watch",
        default=default or False,
        help="do not reload when case files change",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        dest=f"{prefix}fresh",
        default=default or False,
        help="open on the first entry, not where you left off last time",
    )
    parser.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        dest=f"{prefix}log",
        default=default,
        help=f"append a debug log to FILE (or {logs.ENV_LOG}=FILE; default: no log)",
    )
    _interface_language(parser, prefix, default)
    _source_argument(parser, f"{prefix}source", default)


def _merge_after(args: argparse.Namespace) -> argparse.Namespace:
    """The global options given after the command joined with those given before it:
    folders and sources added to, flags set, the later ``--log`` winning."""
    for name, value in list(vars(args).items()):
        if not name.startswith(_AFTER):
            continue
        delattr(args, name)
        name = name.removeprefix(_AFTER)
        if isinstance(value, list):
            setattr(args, name, [*(getattr(args, name) or ()), *value])
        elif isinstance(value, bool):
            setattr(args, name, getattr(args, name) or value)
        else:
            setattr(args, name, value)
    return args


def _validate_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    command.add_argument(
        "--strict", action="store_true", help="also report author warnings, and fail on them"
    )


def _source_argument(parser: argparse.ArgumentParser, dest: str, default: object = None) -> None:
    parser.add_argument(
        "--source",
        action="append",
        dest=dest,
        default=default,
        metavar="ID=PATH",
        help="the text of source ID, a UTF-8 file kept outside the cases, to check passages "
        "against (repeatable; or CASEBOOK_SOURCES=DIR holding ID.txt files)",
    )


def _schema_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("-o", "--output", type=Path, metavar="FILE", help="write it to FILE")
    _force_argument(command)


def _force_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--force",
        action="store_true",
        help="replace an existing file casebook did not write (never a case file or a symlink)",
    )


def _present_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("case_id", metavar="CASE_ID")
    command.add_argument(
        "--console", action="store_true", help="the presenter console that follows the slides"
    )
    command.add_argument(
        "--minutes",
        type=_minutes,
        metavar="N",
        help="the class length: the teaching plan is scaled to it for pacing",
    )


def _export_arguments(command: argparse.ArgumentParser) -> None:
    which = command.add_mutually_exclusive_group(required=True)
    which.add_argument("case_id", nargs="?", metavar="CASE_ID")
    which.add_argument("--all", action="store_true", help="every case, with the introduction")
    command.add_argument("--format", choices=("md", "html"), help="default: from -o, else md")
    command.add_argument("--lang", choices=("en", "zh", "both"), default="en")
    command.add_argument("-o", "--output", type=Path, metavar="PATH", help="file or folder")
    _force_argument(command)


def _serve_arguments(command: argparse.ArgumentParser) -> None:
    from casebook import serve

    command.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only; others print a warning)",
    )
    command.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    token = command.add_mutually_exclusive_group()
    token.add_argument(
        "--token",
        type=serve.token_argument,
        metavar="TOKEN",
        help="the access token (default: a random one, printed in the URL; "
        "other users of this machine can see a TOKEN given here in the process list)",
    )
    token.add_argument(
        "--no-token",
        action="store_true",
        help="no access token: anyone who can reach the port gets a session (risky)",
    )
    command.add_argument(
        "--max-sessions",
        type=serve.sessions_argument,
        default=serve.DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"browser sessions at once, 1 to {serve.MAX_SESSIONS_LIMIT} "
        f"(default {serve.DEFAULT_MAX_SESSIONS})",
    )


def _notes_arguments(command: argparse.ArgumentParser) -> None:
    actions = command.add_subparsers(dest="notes_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help="write all notes and answers (a prep sheet) as Markdown or HTML"
    )
    export.add_argument(
        "--format", choices=("md", "html"), help="default: from -o (.html), else md"
    )
    export.add_argument("--lang", choices=("en", "zh"), default="en")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    _force_argument(export)
    _global_arguments(export, after=True)


def _board_arguments(command: argparse.ArgumentParser) -> None:
    actions = command.add_subparsers(dest="board_command", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write a case's board as Markdown")
    export.add_argument("case_id", metavar="CASE_ID")
    export.add_argument(
        "--date", metavar="YYYY-MM-DD", help="the board of that day (default: the latest)"
    )
    export.add_argument("--lang", choices=("en", "zh"), default="en")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    _force_argument(export)
    _global_arguments(export, after=True)


def _class_arguments(command: argparse.ArgumentParser) -> None:
    actions = command.add_subparsers(dest="class_command", metavar="ACTION", required=True)
    start = actions.add_parser("start", help="teach a case as a live class students join")
    start.add_argument("case_id", metavar="CASE_ID")
    start.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; "
        "0.0.0.0: every network this machine is on)",
    )
    start.add_argument("--port", type=_port, default=0, help="port (default: a free one)")
    start.add_argument("--title", help="the class's title (default: the company's name)")
    start.add_argument(
        "--max-students", type=_students, default=500, metavar="N", help="default 500"
    )
    start.add_argument(
        "--console", action="store_true", help="the presenter console (slides on another terminal)"
    )
    _global_arguments(start, after=True)
    resume = actions.add_parser("resume", help="take up a class after a crash or a closed terminal")
    resume.add_argument(
        "class_id", nargs="?", metavar="CLASS_ID", help="default: the latest not ended"
    )
    resume.add_argument("--max-students", type=_students, default=500, metavar="N")
    resume.add_argument("--console", action="store_true", help="the presenter console")
    _global_arguments(resume, after=True)
    listing = actions.add_parser("list", help="list the classes recorded")
    _global_arguments(listing, after=True)
    export = actions.add_parser(
        "export", help="write classes from the record as Markdown, HTML or a CSV gradebook"
    )
    export.add_argument("class_ids", nargs="*", metavar="CLASS_ID")
    export.add_argument(
        "--group", metavar="TITLE", help="with every class of that title (a gradebook of a series)"
    )
    export.add_argument(
        "--format", choices=("md", "html", "csv"), help="default: from -o (.html, .csv), else md"
    )
    export.add_argument("--lang", choices=("en", "zh"), help="default: the class's language")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    _force_argument(export)
    _global_arguments(export, after=True)


def _new_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("case_id", metavar="ID")
    command.add_argument("--dir", type=Path, help="where to write it (default: the case folder)")
    command.add_argument(
        "--from", dest="from_id", metavar="OTHER_ID", help="start from another case's structure"
    )


def _draft_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("source_text", type=Path, metavar="SOURCE.txt")
    command.add_argument(
        "--id", dest="case_id", metavar="ID", help="the case's id (default: from the file name)"
    )
    command.add_argument("--dir", type=Path, help="where to write it (default: the case folder)")


def _join_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("address", metavar="ADDRESS", help="http://HOST:PORT/c/CODE")
    command.add_argument("--name", help="your name in the class (default: asked for)")


_COMMAND_ARGUMENTS = {
    "validate": _validate_arguments,
    "schema": _schema_arguments,
    "present": _present_arguments,
    "export": _export_arguments,
    "serve": _serve_arguments,
    "notes": _notes_arguments,
    "board": _board_arguments,
    "new": _new_arguments,
    "draft": _draft_arguments,
    "join": _join_arguments,
    "class": _class_arguments,
}


def _minutes(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) <= 24 * 60:
        raise argparse.ArgumentTypeError(f"not a class length in minutes (1-1440): {text!r}")
    return int(text)


def _students(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) <= 10_000:
        raise argparse.ArgumentTypeError(f"not a number of students (1-10000): {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status. User mistakes never raise.

    The garbage collector is slowed while the command starts (see
    :mod:`casebook.startup`): the app restores its pace once its first screen is drawn,
    any other command when it returns."""
    pause_collector()
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    finally:
        resume_collector()


def _main(arguments: Sequence[str]) -> int:
    args = _merge_after(_parser(arguments).parse_args(arguments))
    try:
        logs.configure(logs.log_path(args.log), warnings_to_stderr=args.command == "serve")
        logger.info("casebook %s: %s", __version__, args.command or "app")
        if args.command == "validate":
            sources = args.source or ()
            return _validate(args.paths or case_dirs(args.cases or ()), args.strict, sources)
        edition = edition_from(args.instructor)
        dirs = case_dirs(args.cases or ())
        watch = not args.no_watch
        if args.command is None:
            from casebook.served import served_session

            cache = not served_session()  # a browser's session writes nothing on the server
            try:  # from the cache at once, unless many files need parsing
                library = load_library(dirs, edition, cache=cache, parse_at_most=LARGE_LIBRARY)
            except TooManyToParse as many:
                return _open_large(dirs, edition, many.files, watch, args.source, args.ui_lang)
            return _open_app(
                library, dirs, watch, sources=args.source, fresh=args.fresh, lang=args.ui_lang
            )
        console = _console()  # imports Rich, which the app and validate do without
        if args.command == "schema":
            return _schema(console, args.output, args.force)
        if args.command == "new":
            return _new(console, args.case_id, args.dir, args.cases or (), args.from_id)
        if args.command == "draft":
            return _draft(console, args.source_text, args.case_id, args.dir, args.cases or ())
        if args.command == "notes":
            return _notes_export(
                console, args.output, args.cases or (), args.force, args.format, args.lang
            )
        if args.command == "serve":
            return _serve(console, args, args.cases or (), edition)
        if args.command == "class":
            return _class(console, args)
        if args.command == "join":
            return _join(dirs, args.address, args.name, args.ui_lang)
        library = load_library(dirs, edition)
        if args.command == "board":
            return _board_export(console, library, args)
        if args.command == "export":
            return _export(console, library, args)
        _known_case(library, args.case_id)  # the last command: present
        return _open_app(
            library,
            dirs,
            watch,
            present=args.case_id,
            console=args.console,
            minutes=args.minutes,
            sources=args.source,
            lang=args.ui_lang,
        )
    except UsageError as error:
        _print_error(f"casebook: {error}")
        return EXIT_USAGE
    except Refused as error:
        _print_error(f"casebook: {error}")
        return EXIT_INVALID
    except OSError as error:
        where = "" if error.filename is None else f": {error.filename}"
        _print_error(f"casebook: {error.strerror or error}{where}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


def _print_error(message: str) -> None:
    """``message`` on stderr, in red on a terminal, control characters (from file names)
    escaped so it stays one line."""
    from rich.text import Text

    _console(stderr=True).print(Text(one_line(message), style="red"))


def _no_color() -> bool:
    """Whether NO_COLOR asks for output without any ANSI styles (https://no-color.org)."""
    return os.environ.get("NO_COLOR", "") != ""


def _console(stderr: bool = False) -> Console:
    """A Rich console for the CLI: no highlighting or wrapping, and with NO_COLOR set no
    styles at all (Rich alone drops colours but keeps bold), even on a forced terminal."""
    from rich.console import Console

    return Console(
        stderr=stderr,
        highlight=False,
        soft_wrap=True,
        color_system=None if _no_color() else "auto",
    )


def _validate(paths: Sequence[Path], strict: bool = False, sources: Sequence[str] = ()) -> int:
    from casebook.model.load import provenance

    missing = [path for path in paths if not path.exists() and not path.is_symlink()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    try:
        texts = provenance.Sources.from_options(sources)
        library = load_library(paths, cache=False)  # validate always re-reads every file
        provenance.check_library(library, texts)  # passages against the texts at hand
    except provenance.SourceError as error:
        raise UsageError(str(error)) from None
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
            parts.append((one_line(diagnostic.message), "red" if error else ""))
            report.append((one_line(diagnostic.location), "bold", parts))
        if loaded.ok and loaded.document is not None:
            document = loaded.document
            name = getattr(document, "company", None)
            title = pick(name.name if name else document.title, "en")  # type: ignore[attr-defined]
            parts = [
                (f"  {one_line(shown)}  ", ""),
                (one_line(document.id), "bold"),
                (f"  {one_line(title)}", ""),
            ]
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
    from rich.text import Text

    rendered = []
    for first, style, parts in lines:
        line = Text(first, style=style)
        for part, part_style in parts:
            line.append(part, style=part_style)
        rendered.append(line)
    console = _console()
    if report:
        console.print(Text("\n").join(rendered[:-1]))  # one print: Rich's per-call cost adds up
    console.print(rendered[-1])


def _plain_stdout() -> bool:
    """Whether NO_COLOR is set, or stdout is no terminal and nothing asks Rich for
    colour there."""
    if _no_color():
        return True
    if "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ:
        return False
    try:
        return not sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _schema(console: Console, output: Path | None, force: bool = False) -> int:
    from casebook.model.format.schema import schema_text

    if output is None:
        sys.stdout.write(schema_text())
        return EXIT_OK
    _write_output(console, output, schema_text(), force)
    return EXIT_OK


def _write_output(
    console: Console,
    path: Path,
    text: str,
    force: bool,
    case_files: frozenset[Path] = frozenset(),
    *,
    private: bool = False,
) -> None:
    """Write a command's output to ``path``, whole or not at all (a temporary file
    renamed over it), and say so. A ``private`` output (notes, a board) is readable by
    its owner only; a replaced file keeps its mode.

    Never through a symlink, never to a ``.yaml``/``.yml`` name (it would read as a case
    file) or over one of ``case_files``, even with ``force``; over an existing file that
    casebook did not write (see :func:`_written_by_casebook`) only with ``force``.
    Raises :class:`Refused`.
    """
    import stat

    from rich.text import Text

    from casebook.model.format.addresses import CASE_SUFFIXES
    from casebook.model.load.safe_files import UnsafeFile, write_atomic

    if path.suffix.lower() in CASE_SUFFIXES:
        raise Refused(f"{path}: a {path.suffix} file is a case file; not writing output there")
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise Refused(f"{path} is a symbolic link; not writing through it")
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{path} is not a regular file; not replacing it")
        if path.resolve() in case_files:
            raise Refused(f"{path} is a case file; not replacing it")
        if not force and not _written_by_casebook(path):
            raise Refused(f"{path} exists and casebook did not write it; --force replaces it")
    folder = path.parent
    if not folder.is_dir():
        raise Refused(f"no such folder: {folder}")
    mode = 0o600 if private else 0o644
    if info is not None:
        mode = stat.S_IMODE(info.st_mode) & (0o600 if private else 0o777)
    try:
        write_atomic(path, text.encode("utf-8"), mode=mode)
    except UnsafeFile as error:  # it became a link or a folder meanwhile
        raise Refused(str(error)) from None
    except OSError as error:  # name the file written, not the temporary file beside it
        raise OSError(error.errno, error.strerror, str(path)) from None
    console.print(Text(one_line(f"wrote {path}")))


def _written_by_casebook(path: Path) -> bool:
    """Whether the file at ``path`` starts as casebook's outputs start: the generator
    line of a handout or of exported notes, or the first lines of the JSON Schema."""
    from casebook.model.export import GENERATED_HTML, GENERATED_MD
    from casebook.model.format.schema import schema_text

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        head = os.read(fd, 512).decode("utf-8", "replace")
    except OSError:
        return False
    finally:
        os.close(fd)
    schema_start = "\n".join(schema_text().splitlines()[:3])
    return head.startswith((GENERATED_MD, GENERATED_HTML, schema_start))


def _create(path: Path, text: str) -> bool:
    """Write a new file at ``path``, whole or not at all; False when anything (a file,
    a folder, a symlink, even a dangling one) is already there. Never follows a link:
    the file is written aside, then hard-linked into place, which fails if the name is
    taken."""
    import tempfile

    from casebook.model.load.safe_files import TEMP_SUFFIX, fsync_directory, write_atomic

    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as error:  # name the file to write, not the temporary file
        raise OSError(error.errno, error.strerror, str(path)) from None
    os.close(fd)
    try:
        try:
            write_atomic(Path(name), text.encode("utf-8"))
        except OSError as error:  # name the file to write, not the temporary file
            raise OSError(error.errno, error.strerror, str(path)) from None
        try:
            os.link(name, path)  # never replaces, never follows a link at ``path``
        except FileExistsError:
            return False
        except OSError:  # no hard links here (some file systems): create it exclusively
            return _create_exclusively(path, text)
    finally:
        with contextlib.suppress(OSError):
            Path(name).unlink()
    fsync_directory(path.parent)
    return True


def _create_exclusively(path: Path, text: str) -> bool:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(text.encode("utf-8"))
    except BaseException:
        path.unlink()
        raise
    return True


def _new(
    console: Console,
    case_id: str,
    folder: Path | None,
    cli_dirs: Sequence[Path],
    from_id: str | None = None,
) -> int:
    from casebook.model.author.scaffold import scaffold_from
    from casebook.model.author.template import case_template
    from casebook.model.format.case import SLUG_PATTERN

    if not re.fullmatch(SLUG_PATTERN, case_id):
        raise UsageError(f"{case_id!r} is not a valid id: use lower-case letters, digits, hyphens")
    text = case_template(case_id)
    if from_id is not None:
        library = load_library(case_dirs(cli_dirs), "instructor")
        _known_case(library, from_id)
        text = scaffold_from(library.cases[from_id], case_id)
    _write_new_case(console, case_id, text, folder, cli_dirs)
    return EXIT_OK


def _write_new_case(
    console: Console, case_id: str, text: str, folder: Path | None, cli_dirs: Sequence[Path]
) -> Path:
    """Write the new case file ``case_id`` into ``folder`` (by default the active case
    folder, or the current one when that is the bundled casebook), and the schema beside
    it when missing: never over anything, never through a symlink (see :func:`_create`).
    Returns the file written."""
    from rich.text import Text

    from casebook.model.format.schema import SCHEMA_FILE, schema_text

    if folder is None:
        active = case_dirs(cli_dirs)[0]
        folder = Path.cwd() if active == bundled_cases_dir() else active
    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    target = folder / f"{case_id}.yaml"
    if not _create(target, text):
        raise Refused(f"{target} already exists; not overwriting it")
    console.print(Text(one_line(f"wrote {target}")))
    schema = folder / SCHEMA_FILE
    if schema.is_symlink() and not schema.exists():
        _print_error(f"casebook: {schema} is a dangling symbolic link; not writing through it")
    elif not (schema.is_symlink() or schema.exists()) and _create(schema, schema_text()):
        message = f"wrote {schema} (for editors that check YAML as you type)"
        console.print(Text(one_line(message)))
    return target


def _draft(
    console: Console,
    source: Path,
    case_id: str | None,
    folder: Path | None,
    cli_dirs: Sequence[Path],
) -> int:
    """A case drafted from a source text: its figures and dates, with their passages."""
    from rich.text import Text

    from casebook.model.author.draft import draft_case, slug, source_id_for
    from casebook.model.format.case import SLUG_PATTERN
    from casebook.model.load.provenance import SourceError, read_source

    if case_id is None:
        case_id = slug(source.stem)
        if not case_id:
            raise UsageError(f"{source.name!r} gives no id: name the case with --id ID")
    elif not re.fullmatch(SLUG_PATTERN, case_id):
        raise UsageError(f"{case_id!r} is not a valid id: use lower-case letters, digits, hyphens")
    try:
        text = read_source(source)
    except SourceError as error:
        raise UsageError(str(error)) from None
    draft = draft_case(text, case_id, source_id_for(source), source)
    _write_new_case(console, case_id, draft.text, folder, cli_dirs)
    left_out = draft.figures_left_out + draft.events_left_out + draft.not_once
    console.print(
        Text(
            f"drafted {draft.figures} figure(s) and {draft.events} dated event(s)"
            + (f"; {left_out} left out (see the file's first comments)" if left_out else "")
        )
    )
    return EXIT_OK


def _serve(
    console: Console, args: argparse.Namespace, dirs: Sequence[Path], edition: Edition
) -> int:
    """Serve the restricted app to browsers, behind a token (see casebook.serve)."""
    from casebook import serve

    options = serve.options(
        dirs,
        edition,
        host=args.host,
        port=args.port,
        token=args.token,
        no_token=args.no_token,
        max_sessions=args.max_sessions,
    )
    resume_collector(freeze=True)  # started: a server runs for long, at the usual pace
    try:
        serve.run(options, console)
    except serve.ServeError as error:
        _print_error(f"casebook: {error}")
        return EXIT_INVALID
    return EXIT_OK


def _export(console: Console, library: Library, args: argparse.Namespace) -> int:
    """A handout of one case or all of them, to stdout, a file or a folder."""
    from casebook.model.export import SUFFIXES, UnknownCase, export

    output: Path | None = args.output
    fmt = args.format or ("html" if output and output.suffix.lower() in (".html", ".htm") else "md")
    ids = list(library.cases) if args.all else [args.case_id]
    if not ids:
        raise UsageError("no valid cases to export")
    for case_id in ids:
        _known_case(library, case_id)
    try:
        text = export(library, ids, fmt, args.lang)
    except UnknownCase as error:
        raise UsageError(str(error)) from None
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    if output.is_dir():  # a folder, or a link to one: the file in it is checked below
        output = output / (("casebook" if args.all else ids[0]) + SUFFIXES[fmt])
    _write_output(console, output, text, args.force, _case_files(library))
    return EXIT_OK


def _case_files(library: Library) -> frozenset[Path]:
    """The library's files (cases, collection, invalid files), resolved."""
    return frozenset(Path(loaded.path).resolve() for loaded in library.files)


def _notes_export(
    console: Console,
    output: Path | None,
    dirs: Sequence[Path],
    force: bool = False,
    fmt: str | None = None,
    lang: Lang = "en",
) -> int:
    """All the reader's notes and answers as Markdown or HTML, titled with the case
    names and the questions where known, in ``lang``."""
    from rich.text import Text

    from casebook.model.export import GENERATED_MD
    from casebook.state.notes import Store, export_html, export_markdown

    store = Store.open()
    if store.warning:
        _console(stderr=True).print(Text(one_line(store.warning), style="yellow"))
    library = load_library(case_dirs(dirs))
    titles = {case_id: pick(case.company.name, lang) for case_id, case in library.cases.items()}
    questions = {
        case_id: [pick(question, lang) for question in case.discussion_questions]
        for case_id, case in library.cases.items()
    }
    if fmt is None:
        fmt = "html" if output is not None and output.suffix.lower() == ".html" else "md"
    if fmt == "html":
        text = export_html(store, titles, lang, questions)
    else:
        text = GENERATED_MD + "\n" + export_markdown(store, titles, lang, questions)
    if output is None:
        sys.stdout.write(text)
    else:
        _write_output(console, output, text, force, _case_files(library), private=True)
    return EXIT_OK


def _board_export(console: Console, library: Library, args: argparse.Namespace) -> int:
    """A case's board (the latest, or that of ``--date``) as Markdown."""
    from casebook.model.format.words import t
    from casebook.state.board import Boards, board_markdown, valid_date

    case_id, day, edition = args.case_id, args.date, library.edition
    if day is not None and not valid_date(day):
        raise UsageError(f"--date {day!r} is not a day written YYYY-MM-DD")
    boards = Boards.open(case_id, edition)
    days = boards.days()
    if day is None and days:
        day = days[-1]
    if day is None or day not in days:
        if case_id not in library.cases:
            _known_case(library, case_id)
        other = "student" if edition == "instructor" else "instructor"
        on = f" on {day}" if day is not None else ""
        hint = f"; boards of {', '.join(days[-3:])}" if days else " (w in its slides starts one)"
        if not days and Boards.open(case_id, other).days():
            hint = f"; it has a board in the {other} edition" + (
                ": add --instructor" if other == "instructor" else ""
            )
        raise UsageError(f"no board saved for {case_id!r}{on}{hint}")
    found = boards.read(day)
    if found.board is None:
        key, values = found.problem or ("board_unreadable", {"path": day, "error": ""})
        raise Refused(t(key, "en", **values))
    case = library.cases.get(case_id)
    title = pick(case.company.name, args.lang) if case is not None else case_id
    text = board_markdown(found.board, title, args.lang)
    if args.output is None:
        sys.stdout.write(text)
    else:
        _write_output(console, args.output, text, args.force, _case_files(library), private=True)
    return EXIT_OK


def _class(console: Console, args: argparse.Namespace) -> int:
    """``casebook class ACTION``: the live class and its record."""
    from casebook.model.classroom.record import RecordError

    try:
        if args.class_command in ("start", "resume"):
            return _teach(console, args)
        if args.class_command == "list":
            return _class_list(console, getattr(args, "ui_lang", None) or "en")
        return _class_export(console, args)
    except RecordError as error:
        raise Refused(str(error)) from None


def _teach(console: Console, args: argparse.Namespace) -> int:
    """``class start`` and ``class resume``: the app teaching a live class (see
    casebook.teach), always in the instructor edition."""
    from casebook import teach

    library = load_library(case_dirs(args.cases or ()), "instructor")
    teaching = teach.Teaching(
        host=getattr(args, "host", "127.0.0.1"),
        port=getattr(args, "port", 0),
        max_students=args.max_students,
        console=args.console,
        lang=args.ui_lang,
    )
    resume_collector(freeze=True)  # a class runs for long, at the usual pace
    try:
        if args.class_command == "resume":
            return teach.resume(console, library, args.class_id, teaching)
        _known_case(library, args.case_id)
        return teach.start(console, library, args.case_id, args.title, teaching)
    except teach.TeachError as error:
        raise Refused(str(error)) from None


def _class_list(console: Console, lang: Lang) -> int:
    """The classes recorded, the latest first, as a table."""
    import time

    from rich.table import Table
    from rich.text import Text

    from casebook.model.classroom.record import list_classes, record_path
    from casebook.model.format.words import t

    classes = list_classes(record_path())
    if not classes:
        console.print(Text(t("record_no_classes", lang)))
        return EXIT_OK
    keys = ("class_id", "title", "case", "started", "ended", "participants", "answers")
    table = Table(box=None, pad_edge=False, header_style="bold")
    for key in keys:  # ids and times whole; titles and case ids fold
        table.add_column(t(f"record_{key}", lang), overflow="fold", no_wrap=key not in keys[1:3])

    def day(moment: float | None) -> str:
        return "" if moment is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(moment))

    for row in classes:
        cells = (row.class_id, row.title, row.case_id, day(row.started), day(row.ended))
        table.add_row(
            *(Text(one_line(cell)) for cell in cells), str(row.participants), str(row.answers)
        )
    console.print(table)
    return EXIT_OK


def _class_export(console: Console, args: argparse.Namespace) -> int:
    """Classes of the record as Markdown, HTML or a CSV gradebook; an unknown id or group
    is a usage error."""
    from casebook.model.classroom.record import (
        classes_of_group,
        export_classes,
        list_classes,
        record_path,
    )

    path = record_path()
    known = [row.class_id for row in list_classes(path)]
    class_ids = list(dict.fromkeys(args.class_ids))
    if args.group is not None:
        group = classes_of_group(path, args.group)
        if not group:
            raise UsageError(f"no class titled {one_line(args.group)!r} in the record")
        class_ids = list(dict.fromkeys([*class_ids, *group]))
    if not class_ids:
        raise UsageError("name a class to export (casebook class list shows them), or --group")
    for class_id in class_ids:
        if class_id not in known:
            near = nearest_ids(class_id, known)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise UsageError(f"no class {one_line(class_id)!r} in the record{hint}")
    fmt = args.format
    if fmt is None:
        suffix = args.output.suffix.lower() if args.output is not None else ""
        fmt = {".html": "html", ".csv": "csv"}.get(suffix, "md")
    text = export_classes(path, class_ids, fmt, args.lang)
    if args.output is None:
        sys.stdout.write(text)
    else:
        _write_output(console, args.output, text, args.force, private=True)
    return EXIT_OK


def _join(dirs: Sequence[Path], address: str, name: str | None, lang: Lang | None) -> int:
    """``casebook join``: follow a live class as a student; the student's own copy of the
    class's case is used when they have it (the student edition only, always)."""
    from casebook.app import make_app
    from casebook.model.classroom.client import parse_address
    from casebook.model.classroom.protocol import MAX_NAME

    try:
        parse_address(address)
    except ValueError as error:
        raise UsageError(one_line(str(error))) from None
    if name is not None and not 0 < len(name.strip()) <= MAX_NAME:
        raise UsageError(f"--name takes 1 to {MAX_NAME} characters")
    library = load_library(dirs, "student")
    make_app(dirs, library=library, lang=lang, join=(address, name)).run()
    return EXIT_OK


def _known_case(library: Library, case_id: str) -> None:
    """Raise :class:`UsageError` when no valid case has ``case_id``: one line, with the
    nearest ids as suggestions."""
    if case_id not in library.cases:
        raise UsageError(unknown_case_message(case_id, list(library.cases)))


SUGGESTIONS = 3
"""At most this many ids are suggested for an unknown one."""
LISTED = 8
"""With no suggestion, at most this many valid ids are named."""
_COMPARED = 100
"""At most this many characters of a mistyped id are compared (difflib is quadratic)."""


def nearest_ids(word: str, known: Sequence[str]) -> list[str]:
    """The ids most like ``word``, best first: those it starts or is part of, then
    those ``difflib`` finds close; at most :data:`SUGGESTIONS`."""
    import difflib

    word = word[:_COMPARED].casefold()
    if not word:
        return []
    holding = [name for name in known if word in name]
    holding.sort(key=lambda name: (not name.startswith(word), len(name), name))
    close = difflib.get_close_matches(word, known, n=SUGGESTIONS, cutoff=0.6)
    return list(dict.fromkeys([*holding, *close]))[:SUGGESTIONS]


def unknown_case_message(case_id: str, known: Sequence[str]) -> str:
    """'no valid case has id 'huayi'; did you mean huayi-precision?', in one line."""
    message = f"no valid case has id {case_id!r}"
    nearest = nearest_ids(case_id, known)
    if nearest:
        return f"{message}; did you mean {' or '.join(nearest)}?"
    if not known:
        return f"{message} (there are no valid cases)"
    named = ", ".join(known[:LISTED])
    more = f" and {len(known) - LISTED} more" if len(known) > LISTED else ""
    return f"{message} (cases: {named}{more})"


def _open_large(
    dirs: Sequence[Path],
    edition: Edition,
    files: Sequence[str | Path],
    watch: bool,
    sources: Sequence[str] | None,
    lang: Lang | None,
) -> int:
    large_library_app(dirs, edition, files, watch=watch, sources=sources, lang=lang).run()
    return EXIT_OK


def large_library_app(
    dirs: Sequence[Path],
    edition: Edition,
    files: Sequence[str | Path],
    *,
    watch: bool,
    sources: Sequence[str] | None = None,
    lang: Lang | None = None,
    rows: int | None = None,
) -> CasebookApp:
    """The app on a large library (``files``, as listed): it appears at once and reads
    the cases with a progress bar, the first page's files parsed meanwhile in a child
    process (see :mod:`casebook.model.load.head_start`), forked before the interface is
    imported. ``rows``: the terminal's height (default: as the terminal says)."""
    import shutil

    from casebook.model.load.head_start import HeadStart

    texts = _app_sources(sources)
    rows = shutil.get_terminal_size().lines if rows is None else rows
    head_start = HeadStart.fork(files[: first_part(rows)])
    from casebook.app import make_app  # the interface, once the child is on its way

    return make_app(
        dirs,
        edition=edition,
        lang=lang,
        watch=watch,
        load_in_background=True,
        sources=texts,
        head_start=head_start,
    )


def _open_app(
    library: Library,
    dirs: Sequence[Path],
    watch: bool,
    *,
    present: str | None = None,
    console: bool = False,
    minutes: int | None = None,
    sources: Sequence[str] | None = None,
    fresh: bool = False,
    lang: Lang | None = None,
) -> int:
    from casebook.app import make_app

    texts = _app_sources(sources)
    app = make_app(
        dirs,
        library=library,
        present=present,
        console=console,
        minutes=minutes,
        watch=watch,
        sources=texts,
        remember=True,
        restore=not fresh,
        lang=lang,
    )
    app.run()
    return EXIT_OK


_ENV_SOURCES = "CASEBOOK_SOURCES"
"""``provenance.ENV_SOURCES``, named here so that the app starts without importing the
passage checks when no source text is asked for."""


def _app_sources(options: Sequence[str] | None) -> Sources | None:
    """The source texts the app quotes passages from (``--source ID=PATH``, and the
    folder ``CASEBOOK_SOURCES`` names); None when none is named, and in a served session
    (a browser never gets an author's copy of a source)."""
    from casebook.served import served_session

    if served_session() or not (options or os.environ.get(_ENV_SOURCES, "").strip()):
        return None
    from casebook.model.load import provenance

    try:
        return provenance.Sources.from_options(options or ())
    except provenance.SourceError as error:
        raise UsageError(str(error)) from None
