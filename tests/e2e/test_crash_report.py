"""A bug in the running app: one line and a report, never a traceback on the wall.

The real `circle` in tmux, with one action made to fail: the terminal is
given back, the command prints one line naming the crash report and exits 1,
and the session, saved as it happened, resumes with everything recorded.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from circle.storage import Store
from tests.e2e.terminal import Tmux, have_tmux, wait_until

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not have_tmux(), reason="needs tmux"),
]

CIRCLE = Path(sys.executable).parent / "circle"
FIRST_ITEM = "Check-in and ground rules"
# The bug: moving to the next item divides by zero. Everything else is circle.
BUGGY = """
import sys
import circle.screens.live as live
live.LiveScreen.action_next_item = lambda self: 1 / 0
from circle.cli import main
raise SystemExit(main(sys.argv[1:]))
"""
PEOPLE = ["--mentor", "Ada", "--mentee", "Mira", "--mentee", "Jon", "--mentee", "Priya"]


def test_a_bug_prints_one_line_writes_a_report_and_the_session_resumes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    script = tmp_path / "buggy.py"
    script.write_text(BUGGY)
    argv = [sys.executable, script, "--data-dir", data, "new", "--agenda", "group-circle"]
    argv += ["--title", "Crash circle", *PEOPLE]
    shell = shlex.join(str(a) for a in argv) + '; echo "exit code $?"; sleep 60'
    with Tmux(120, 40) as term:
        term.start("buggy", ["sh", "-c", shell])
        term.wait_for("buggy", FIRST_ITEM)
        term.keys("buggy", "1")
        term.wait_for("buggy", "1. Mira")
        term.keys("buggy", "n")
        screen = term.wait_for("buggy", "exit code 1")

        assert "circle stopped because of a bug; details in " in screen
        assert "Traceback" not in screen and "ZeroDivisionError" not in screen
        reports = list((data / "logs").glob("crash-*.txt"))
        assert len(reports) == 1
        assert str(reports[0]) in screen.replace("\n", "")
        assert "ZeroDivisionError" in reports[0].read_text()

        store = Store(data)
        events = store.load_session(store.list_sessions()[0]["id"]).events
        assert [e["data"]["person"] for e in events if e["kind"] == "hand_raised"] == ["Mira"]

        term.start("resumed", [CIRCLE, "--data-dir", data, "resume"])
        term.wait_for("resumed", FIRST_ITEM, "1. Mira")
        term.keys("resumed", "C-q")
        wait_until(lambda: not term.alive("resumed"), 15, "resume to quit")
