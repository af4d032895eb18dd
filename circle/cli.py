"""The `circle` command: argparse, one-line errors, exit codes of spec §1.

0 success; 2 bad input (one line naming what and where, no usage dump, no
traceback); 1 only for a bug.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from circle import __version__
from circle.domain.errors import BadInput, DomainError
from circle.startup import pause_gc, resume_gc

NO_MENTOR_HERE = "a session needs a mentor who is here: not every --mentor can be --absent"
# The commands that open a screen: garbage collection waits for their first frame.
INTERACTIVE = frozenset({"new", "resume", "wall", "demo", None})
DEMO_PEOPLE = {"mentors": ["Ada Okafor"], "mentees": ["Mira", "Jon", "Priya", "Leo"]}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise BadInput(f"{self.prog}: {message}")


def _data_dir_option(parser: argparse.ArgumentParser, top: bool) -> None:
    # Accepted before or after the subcommand; the later one wins.
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None if top else argparse.SUPPRESS,
        help="where sessions are stored (else $CIRCLE_DATA_DIR, else the user data dir)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="circle", description="Run a live group-mentoring session.")
    parser.add_argument("--version", action="version", version=f"circle {__version__}")
    _data_dir_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    new = sub.add_parser("new", help="start a session and open the live screen")
    new.add_argument("--agenda", required=True, help="agenda file or bundled template name")
    new.add_argument("--title", required=True)
    new.add_argument("--series", help="series name (default: the title)")
    new.add_argument("--mentor", action="append", default=[], required=True)
    new.add_argument("--mentee", action="append", default=[], required=True)
    new.add_argument("--absent", action="append", default=[], help="someone absent from the start")
    _join_options(new)

    resume = sub.add_parser("resume", help="reopen an unfinished session")
    resume.add_argument("session", nargs="?", help="session id (default: the latest unfinished)")
    _join_options(resume)

    sub.add_parser("sessions", help="list stored sessions")

    export = sub.add_parser("export", help="write a session's minutes")
    export.add_argument("session", help='session id, or "last"')
    export.add_argument("-o", "--output", metavar="FILE")
    export.add_argument("--force", action="store_true", help="overwrite FILE")
    export.add_argument("--html", action="store_true", help="a standalone HTML page")

    series = sub.add_parser("series", help="list series: stage, sessions, pulse trend")
    report = sub.add_parser("report", help="a series' programme report")
    report.add_argument("series", help="the series' name (any case)")
    report.add_argument("-o", "--output", metavar="FILE")
    report.add_argument("--force", action="store_true", help="overwrite FILE")
    fmt = report.add_mutually_exclusive_group()
    fmt.add_argument("--html", action="store_true", help="a standalone HTML page")
    fmt.add_argument("--json", action="store_true", help="JSON")

    agenda = sub.add_parser("agenda", help="bundled templates and agenda checks")
    agenda_sub = agenda.add_subparsers(dest="agenda_command", parser_class=_Parser)
    agenda_sub.add_parser("list", help="the bundled agenda templates")
    check = agenda_sub.add_parser("check", help="validate agenda files")
    check.add_argument("files", nargs="+", metavar="FILE")

    demo = sub.add_parser("demo", help="a ready-made session with sample people")
    _join_options(demo)

    wall = sub.add_parser(
        "wall", help="the projected view of a session running in another terminal"
    )
    wall.add_argument("session", nargs="?", help="session id (default: the newest running one)")

    for subparser in (
        new,
        resume,
        sub.choices["sessions"],
        export,
        series,
        report,
        agenda,
        demo,
        wall,
    ):
        _data_dir_option(subparser, top=False)
    for subparser in agenda_sub.choices.values():
        _data_dir_option(subparser, top=False)
    return parser


def _join_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--join", action="store_true", help="open the join page at start")
    parser.add_argument("--host", default="0.0.0.0", help="join page address (default 0.0.0.0)")
    parser.add_argument("--port", type=_port, default=None, help="join page port (default 8765)")
    parser.add_argument(
        "--theme",
        type=_theme,
        default=None,
        help="projector (dark), projector-light, or a Textual theme; remembered",
    )


def _port(text: str) -> int:
    """A TCP port, checked while parsing: before anything is opened or saved."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, not {text!r}")
    return port


def _theme(name: str) -> str:
    """A theme's name, checked while parsing: before anything is opened or saved."""
    from circle.screens.themes import unknown_theme

    problem = unknown_theme(name)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return name


def main(argv: Sequence[str] | None = None) -> int:
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(argv)
        if args.command in INTERACTIVE:
            # From here on to the first frame: the imports of the domain and
            # storage alone ran a few dozen collections over objects that all live on.
            pause_gc()
        return run(args, sys.stdout)
    except BadInput as exc:
        for line in str(exc).splitlines() or ["bad input"]:
            print(
                line
                if line.startswith(("circle", "/", ".")) or ":" in line.split(" ")[0]
                else f"circle: {line}",
                file=sys.stderr,
            )
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line and a report, never a traceback
        return _crashed(args, exc)
    finally:
        resume_gc()  # a no-op once the app has drawn; else (bad input) it matters


def _crashed(args: argparse.Namespace | None, error: Exception) -> int:
    from circle.crash import CRASH_EXIT, crash_line, write_crash_report
    from circle.storage import resolve_data_dir

    report = None
    try:
        data_dir = resolve_data_dir(getattr(args, "data_dir", None))
        report = write_crash_report(data_dir, error)
    except Exception:  # no data directory to write to: the line still says so
        pass
    print(crash_line(report), file=sys.stderr)
    return CRASH_EXIT


def run(args: argparse.Namespace, out: TextIO) -> int:
    command = args.command
    if command == "agenda":
        return _agenda(args, out)
    store = _store(args)
    if command == "sessions":
        return _sessions(store, out)
    if command in ("series", "report"):
        from circle.report.command import report_command, series_command

        if command == "series":
            return series_command(store, out)
        fmt = "html" if args.html else "json" if args.json else "markdown"
        return report_command(store, args.series, args.output, args.force, fmt, out)
    if command == "export":
        from circle.minutes.export import export_command

        return export_command(store, args.session, args.output, args.force, args.html, out)
    # The commands that open a screen (main() paused garbage collection for them).
    if command == "new":
        return _new(store, args)
    if command == "resume":
        return _resume(store, args)
    if command == "wall":
        from circle.wall import wall_command

        return wall_command(store, args.session)
    if command == "demo":
        return _demo(args)
    return _launch(store, None, args)


def _store(args: argparse.Namespace, data_dir: str | None = None):
    from circle.storage import Store, resolve_data_dir

    return Store(resolve_data_dir(data_dir or args.data_dir))


def _agenda(args: argparse.Namespace, out: TextIO) -> int:
    from circle.agendafiles.parser import check_command, list_command

    if args.agenda_command == "list":
        return list_command(out)
    if args.agenda_command == "check":
        return check_command(args.files, out, sys.stderr)
    raise BadInput("circle agenda: choose 'list' or 'check FILE...'")


def _sessions(store, out: TextIO) -> int:
    rows = store.list_sessions()
    if not rows:
        print("no sessions yet", file=out)
        return 0
    print(f"{'id':<20} {'date':<16} {'status':<10} {'title':<28} people", file=out)
    for row in rows:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row.get("created_wall", 0)))
        status = "ended" if row.get("status") == "ended" else "unfinished"
        people = ", ".join(row.get("mentors", []) + row.get("mentees", []))
        print(
            f"{row['id']:<20} {when:<16} {status:<10} {row.get('title', '')[:28]:<28} {people}",
            file=out,
        )
    return 0


def _new(store, args: argparse.Namespace) -> int:
    from circle.agendafiles.parser import resolve_agenda
    from circle.domain.clock import SystemClock
    from circle.domain.roster import check_roster, no_mentor_here
    from circle.runtime import LiveRun

    agenda = resolve_agenda(args.agenda, _agenda_cache())
    try:
        mentors, mentees = check_roster(args.mentor, args.mentee)
        if no_mentor_here(mentors, args.absent):  # said in the command's own words
            raise BadInput(f"circle new: {NO_MENTOR_HERE}")
        run = LiveRun.start_new(
            store,
            SystemClock(),
            title=args.title,
            agenda=agenda,
            mentors=mentors,
            mentees=mentees,
            series=args.series,
            absent=tuple(args.absent),
            background=True,  # saved by the writer thread, not before the first frame
        )
    except DomainError as exc:
        raise BadInput(f"circle new: {exc}") from None
    return _launch(store, run, args)


def _resume(store, args: argparse.Namespace) -> int:
    from circle.domain.clock import SystemClock
    from circle.runtime import LiveRun

    if args.session:
        session_id = store.resolve(args.session)
        if store.get_summary(session_id).get("status") == "ended":
            raise BadInput(f"circle resume: session {session_id} has ended; nothing to resume")
    else:
        session_id = store.latest_unfinished()
        if session_id is None:
            raise BadInput("circle resume: nothing to resume (no unfinished session)")
    return _launch(store, LiveRun.resume(store, session_id, SystemClock()), args)


def _demo(args: argparse.Namespace) -> int:
    chosen = args.data_dir or os.environ.get("CIRCLE_DATA_DIR")
    if chosen:
        return _launch_demo(_store(args, chosen), args)
    import shutil
    import tempfile

    # A throwaway directory of its own, removed on the way out, unless a crash
    # report is in it: that is the file the last line names.
    from circle.channel.demo import register_demo, unregister_demo

    throwaway = tempfile.mkdtemp(prefix="circle-demo-")
    pointer = register_demo(Path(throwaway))  # so `circle wall` in another terminal finds it
    try:
        return _launch_demo(_store(args, throwaway), args)
    finally:
        unregister_demo(pointer)
        if not _crash_report_in(throwaway):
            shutil.rmtree(throwaway, ignore_errors=True)


def _launch_demo(store, args: argparse.Namespace) -> int:
    from circle.agendafiles.parser import resolve_agenda
    from circle.domain.clock import SystemClock
    from circle.runtime import LiveRun

    run = LiveRun.start_new(
        store,
        SystemClock(),
        title="Demo circle",
        agenda=resolve_agenda("group-circle", _agenda_cache()),
        background=True,  # saved by the writer thread, not before the first frame
        **DEMO_PEOPLE,
    )
    return _launch(store, run, args)


def _crash_report_in(data_dir: str) -> bool:
    return any((Path(data_dir) / "logs").glob("crash-*"))


def _agenda_cache():
    from circle.agendafiles.cache import AgendaCache

    return AgendaCache()


def _launch(store, run, args: argparse.Namespace) -> int:
    from circle.app import CircleApp
    from circle.screens.themes import DEFAULT_THEME, remembered_theme

    chosen = getattr(args, "theme", None)
    app = CircleApp(
        store,
        run,
        join=getattr(args, "join", False),
        host=getattr(args, "host", "0.0.0.0"),
        port=getattr(args, "port", None),
        theme=chosen or remembered_theme(store.data_dir) or DEFAULT_THEME,
        remember_theme=chosen is not None,
    )
    app.run()
    if app.crashed:
        from circle.crash import CRASH_EXIT, crash_line

        print(crash_line(app.crash_report), file=sys.stderr)
        return CRASH_EXIT
    if app.fatal_error:
        raise BadInput(app.fatal_error)
    return 0


def data_dir_of(store) -> Path:
    return Path(store.data_dir)
