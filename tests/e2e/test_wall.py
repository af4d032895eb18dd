"""Two terminals for one room: the console and `circle wall`, both real, both in tmux.

The console is `circle new` (later `circle resume`); the wall runs in a
second tmux session on the same data directory. Keys go to the console; the
wall's screen is read to check that it follows, that dialogs, notes and the
palette never reach it, that the blind does, and that it waits through a
`kill -9` of the console and follows the resumed session by itself.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from circle.channel import find_running
from circle.domain.errors import BadInput
from tests.e2e.terminal import Tmux, have_tmux, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not have_tmux(), reason="needs tmux")]

CIRCLE = Path(sys.executable).parent / "circle"
PEOPLE = ["--mentor", "Ada", "--mentee", "Mira", "--mentee", "Jon", "--mentee", "Priya"]
TITLE = "Tuesday circle"
FIRST_ITEM = "Check-in and ground rules"
NOTES = "One word for how you arrive today"  # the first item's notes (the agenda's)
FOLLOW_S = 0.5  # the wall follows the console within this
CONSOLE, WALL = "console", "wall"


def wall_argv(data_dir: Path, exit_file: Path | None = None) -> list[str | Path]:
    """`circle wall` once the command line knows it; `python -m circle.wall` until then."""
    from circle.cli import build_parser

    try:
        build_parser().parse_args(["wall"])
        argv = [str(CIRCLE), "--data-dir", str(data_dir), "wall"]
    except (BadInput, SystemExit):
        argv = [sys.executable, "-m", "circle.wall", "--data-dir", str(data_dir)]
    if exit_file is None:
        return argv
    # Through a shell, to keep the exit code once the program (and its tmux session) is gone.
    import shlex

    return ["sh", "-c", f"{shlex.join(argv)}; echo $? > {shlex.quote(str(exit_file))}"]


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """Short, so the session's socket lives in it."""
    path = Path(tempfile.mkdtemp(prefix="cw", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def term() -> Iterator[Tmux]:
    terminal = Tmux(120, 40)
    try:
        yield terminal
    finally:
        terminal.close()


def start_console(term: Tmux, data_dir: Path, name: str = CONSOLE, *args: str) -> None:
    argv = args or ("new", "--agenda", "group-circle", "--title", TITLE, *PEOPLE)
    term.start(name, [CIRCLE, "--data-dir", data_dir, *argv])
    term.wait_for(name, TITLE, FIRST_ITEM)


def start_wall(term: Tmux, data_dir: Path, name: str = WALL, exit_file: Path | None = None) -> None:
    # The console serves its session a moment after its first frame.
    wait_until(lambda: find_running(data_dir), 10, "the console to serve its session")
    term.start(name, wall_argv(data_dir, exit_file))
    term.wait_for(name, TITLE, "Agenda", "Close wall")


def never_shows(term: Tmux, name: str, *texts: str) -> None:
    """Longer than the wall takes to follow, none of `texts` comes on `name`'s screen."""
    deadline = time.monotonic() + FOLLOW_S + 0.3
    while time.monotonic() < deadline:
        screen = term.screen(name)
        shown = [text for text in texts if text in screen]
        assert not shown, f"{shown} reached the wall\n{screen}"
        time.sleep(0.05)


def escape(term: Tmux, name: str) -> None:
    # Alone, and then a pause: an escape followed at once by a key reads as alt+key.
    term.keys(name, "Escape")
    time.sleep(0.3)


def test_the_wall_follows_the_console_and_nothing_private_reaches_it(term, data_dir):
    start_console(term, data_dir)
    start_wall(term, data_dir)
    term.wait_for(CONSOLE, "wall connected")
    assert NOTES in term.screen(CONSOLE)
    assert NOTES not in term.screen(WALL)

    term.keys(CONSOLE, "1")
    term.wait_for(WALL, "1. Mira", "Next: Mira", timeout=5)
    term.keys(CONSOLE, "s")
    term.wait_for(WALL, "Speaking: Mira", timeout=5)

    # A question being typed: the dialog and the text stay on the console.
    term.keys(CONSOLE, "q")
    term.wait_for(CONSOLE, "New question")
    term.type(CONSOLE, "How do I ask for a raise?")
    term.wait_for(CONSOLE, "How do I ask for a raise?")
    never_shows(term, WALL, "New question", "How do I ask")
    term.keys(CONSOLE, "Enter")  # added: now it is the room's
    term.wait_for(WALL, "Questions (1)", "How do I ask for a raise?", timeout=5)

    # An action item being typed.
    term.keys(CONSOLE, "t")
    term.wait_for(CONSOLE, "New action item")
    term.type(CONSOLE, "Send the salary survey")
    term.wait_for(CONSOLE, "Send the salary survey")
    never_shows(term, WALL, "New action item", "salary survey")
    escape(term, CONSOLE)

    # The palette.
    term.keys(CONSOLE, "C-p")
    term.wait_for(CONSOLE, "Search for commands")
    never_shows(term, WALL, "Search for commands", "Attendance")
    escape(term, CONSOLE)

    # The next item: its title and the agenda's marker follow.
    term.keys(CONSOLE, "n")
    term.wait_for(WALL, "▶ Last time's action", timeout=5)
    assert NOTES not in term.screen(WALL)

    # The blind reaches the wall: names and typed text go, the title stays.
    term.keys(CONSOLE, "h")
    screen = term.wait_for(WALL, "BLIND", "•••", "(hidden)", timeout=5)
    for private in ("Mira", "Jon", "Priya", "raise"):
        assert private not in screen, private
    assert TITLE in screen

    # A second wall attaches; the console counts both.
    start_wall(term, data_dir, "wall2")
    term.wait_for(CONSOLE, "wall connected (2)")


def test_kill_9_leaves_the_wall_waiting_and_it_follows_the_resumed_session(term, data_dir):
    exit_file = data_dir / "wall.exit"
    start_console(term, data_dir)
    start_wall(term, data_dir, exit_file=exit_file)
    term.keys(CONSOLE, "1")
    term.wait_for(WALL, "1. Mira", timeout=5)

    term.kill9(CONSOLE)
    screen = term.wait_for(WALL, "Session not running", timeout=5)
    assert "1. Mira" not in screen  # no frozen room: the wall says what happened

    start_console(term, data_dir, "resumed", "resume")
    term.wait_for(WALL, "1. Mira", FIRST_ITEM, timeout=10)
    assert "Session not running" not in term.screen(WALL)
    term.wait_for("resumed", "wall connected")
    # A resumed session comes back paused, on the wall too, until space on the console.
    term.wait_for(WALL, "PAUSED", timeout=5)
    term.keys("resumed", "Space")
    wait_until(lambda: "PAUSED" not in term.screen(WALL), 5, "the wall to follow space")

    # Keys on the wall: none does anything but z and ctrl+q.
    term.keys(WALL, "n", "h", "x", "q", "C-p", "Space", "C-c")
    never_shows(term, WALL, "PAUSED", "BLIND", "Search for commands", "New question")
    assert "Session not running" not in term.screen(WALL)
    term.keys(WALL, "z")
    wait_until(lambda: "Agenda" not in term.screen(WALL), 5, "the timer view")

    term.keys(WALL, "C-q")
    term.wait_exit(WALL)
    wait_until(exit_file.exists, 5, "the wall's exit code")
    assert exit_file.read_text().strip() == "0"
    wait_until(lambda: "wall connected" not in term.screen("resumed"), 5, "the wall to go")
