"""Crash and resume, end to end: the real `circle` in tmux, real keys, `kill -9`.

Each scenario starts `circle new`, acts with real keys, SIGKILLs the process
at a chosen moment, runs `circle resume` and checks, on screen and in storage,
that everything is back: the agenda position and its time, the queue and who
was speaking with their speaking time, the board, and the pause.

Times: the session clock is saved once a second, so a kill may lose up to a
second; the checks allow 1 s (plus a little for a loaded machine).
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from circle.domain.session import Session
from circle.runtime import session_at_rest
from circle.storage import Store
from tests.e2e.terminal import Tmux, have_tmux, wait_until

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not have_tmux(), reason="needs tmux"),
]

CIRCLE = Path(sys.executable).parent / "circle"
PEOPLE = ["--mentor", "Ada", "--mentee", "Mira", "--mentee", "Jon", "--mentee", "Priya"]
FIRST_ITEM = "Check-in and ground rules"
SECOND_ITEM = "Last time's action items"
QUESTION = "How do I [b]ask[/b] for a raise?"  # markup-like text must come back as typed
TOLERANCE_S = 1.0  # the clock is saved once a second
SLACK_S = 0.5  # scheduling noise on a busy machine


# -- reading the store ----------------------------------------------------------------


def stored(data_dir: Path) -> Session:
    """The session as storage has it, rebuilt with time frozen at the last save."""
    store = Store(data_dir)
    loaded = store.load_session(store.list_sessions()[0]["id"])
    return session_at_rest(loaded.events, loaded.clock)


def shape(session: Session) -> dict:
    """Everything that must come back exactly (times are compared apart)."""
    turn = session.turn_view()
    return {
        "item": session.timer_().item.title,
        "paused": session.paused,
        "speaker": turn[0] if turn else None,
        "queue": [e.person for e in session.queue_entries()],
        "board": [(q.text, q.status, q.votes) for q in session.board.ordered()],
        "attendance": {p: a["status"] for p, a in session.roster.attendance.items()},
        "actions": [(a.text, a.owner, a.done) for a in session.actions.values()],
        "turns": dict(session.queue.turns),
    }


def times(session: Session) -> dict[str, float]:
    turn = session.turn_view()
    rows = {r["id"]: r for r in session.item_rows()}
    times = {
        "active": session.active(),
        "item": rows[session.timer_().item.id]["actual_s"],
        "turn": turn[1] if turn else 0.0,
    }
    times.update({f"spoken:{s.person}": s.seconds for s in session.shares()})
    return times


def wait_stored(data_dir: Path, test, what: str, timeout: float = 10) -> Session:
    """Poll storage until `test(session)` holds: every action is durable within 1 s."""

    def check() -> Session | None:
        try:
            session = stored(data_dir)
        except (IndexError, OSError):
            return None
        return session if test(session) else None

    return wait_until(check, timeout, f"storage: {what}")  # type: ignore[return-value]


# -- reading the screen ------------------------------------------------------------------


def turn_on_screen(screen: str, person: str) -> int | None:
    """Seconds on the turn timer under "Speaking: NAME", or None."""
    lines = screen.splitlines()
    for index, line in enumerate(lines[:-1]):
        column = line.find(f"Speaking: {person}")
        if column >= 0:
            match = re.search(r"(\d+):(\d\d)", lines[index + 1][column : column + 24])
            return int(match.group(1)) * 60 + int(match.group(2)) if match else None
    return None


def item_time_on_screen(screen: str) -> int | None:
    """The current item's actual time (mm:ss) from its agenda row, marked ▶."""
    match = re.search(r"▶ .*?(\d+):(\d\d) ", screen)
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None


# -- one run of circle ------------------------------------------------------------------


@dataclass
class Run:
    """A circle session driven in tmux; keeps the wall times that bound its timers."""

    term: Tmux
    data_dir: Path
    name: str = ""
    count: int = 0
    marks: dict[str, float] = field(default_factory=dict)

    def launch(self, *args: str, expect: str) -> str:
        self.count += 1
        self.name = f"circle{self.count}"
        self.marks["launch"] = time.time()
        self.term.start(self.name, [CIRCLE, "--data-dir", self.data_dir, *args])
        screen = self.term.wait_for(self.name, expect)
        self.marks["visible"] = time.time()
        return screen

    def keys(self, *keys: str) -> None:
        self.term.keys(self.name, *keys)

    def wait_for(self, *texts: str) -> str:
        return self.term.wait_for(self.name, *texts)

    def kill(self) -> Session:
        self.term.kill9(self.name)
        self.marks["killed"] = time.time()
        return stored(self.data_dir)

    def quit(self) -> Session:
        self.keys("C-q")
        self.term.wait_exit(self.name)
        self.marks["quit"] = time.time()
        return stored(self.data_dir)


def start(term: Tmux, tmp_path: Path) -> Run:
    run = Run(term, tmp_path / "data")
    new = ["new", "--agenda", "group-circle", "--title", "T", *PEOPLE]
    run.launch(*new, expect=FIRST_ITEM)
    return run


def raise_two_and_give_the_floor(run: Run) -> None:
    run.keys("1", "2")
    wait_stored(run.data_dir, lambda s: shape(s)["queue"] == ["Mira", "Jon"], "two hands up", 3)
    run.wait_for("1. Mira")
    run.keys("s")
    run.marks["turn_sent"] = time.time()
    run.wait_for("Speaking: Mira", "1. Jon")
    run.marks["turn_seen"] = time.time()


def ask(run: Run) -> None:
    run.keys("q")
    run.wait_for("New question")
    run.term.type(run.name, QUESTION)
    run.keys("Enter")
    run.wait_for("Questions (1)", QUESTION)


def resume(run: Run, before: Session) -> str:
    """`circle resume`, then the screen shows where we were."""
    screen = run.launch("resume", expect=before.timer_().item.title)
    # A resumed session comes back paused; `space` goes on, as a facilitator's would.
    screen = run.wait_for("PAUSED")
    if not before.paused:
        run.keys("Space")
        screen = str(
            wait_until(
                lambda: (lambda shown: shown if "PAUSED" not in shown else None)(
                    run.term.screen(run.name)
                ),
                10,
                "the session to run again",
            )
        )
        run.marks["visible"] = time.time()  # its time runs again from here
    return screen


def assert_close(got: dict[str, float], want: dict[str, float], low: float, high: float) -> None:
    """Each time moved on by between `low` and `high` seconds (or none when paused)."""
    for key, value in want.items():
        if key.startswith("spoken:") and value == 0 and got[key] == 0:
            continue
        assert low - SLACK_S <= got[key] - value <= high + SLACK_S, (key, got[key], value)


# -- the scenarios -----------------------------------------------------------------------


@pytest.fixture
def term():
    terminal = Tmux(120, 40)
    try:
        yield terminal
    finally:
        terminal.close()


def test_kill_mid_turn_twice(term: Tmux, tmp_path: Path):
    run = start(term, tmp_path)
    raise_two_and_give_the_floor(run)
    # Let the turn run until the saved clock shows it (the ~1.5 s rule).
    wait_stored(run.data_dir, lambda s: times(s)["turn"] >= 2.0, "a 2 s turn saved")
    at_kill = run.kill()

    assert shape(at_kill) == {
        "item": FIRST_ITEM,
        "paused": False,
        "speaker": "Mira",
        "queue": ["Jon"],
        "board": [],
        "attendance": {p: "present" for p in ("Ada", "Mira", "Jon", "Priya")},
        "actions": [],
        "turns": {"Ada": 0, "Mira": 1, "Jon": 0, "Priya": 0},
    }
    # The stored turn is the real one, to within a second.
    turn = times(at_kill)["turn"]
    real_low = run.marks["killed"] - run.marks["turn_seen"]
    real_high = run.marks["killed"] - run.marks["turn_sent"]
    assert real_low - TOLERANCE_S - SLACK_S <= turn <= real_high + SLACK_S
    session_low = run.marks["killed"] - run.marks["visible"]
    assert session_low - TOLERANCE_S - SLACK_S <= times(at_kill)["active"]
    assert times(at_kill)["active"] <= run.marks["killed"] - run.marks["launch"] + SLACK_S

    for _ in range(2):  # resume, then crash again mid-turn, then resume again
        screen = resume(run, at_kill)
        assert "1. Jon" in screen and FIRST_ITEM in screen
        shown = turn_on_screen(run.wait_for("Speaking: Mira"), "Mira")
        up = time.time() - run.marks["launch"]
        assert shown is not None
        assert times(at_kill)["turn"] - TOLERANCE_S <= shown <= times(at_kill)["turn"] + up + 1
        target = times(at_kill)["turn"] + 1.5
        wait_stored(run.data_dir, lambda s: times(s)["turn"] >= target, "the turn running on")  # noqa: B023
        again = run.kill()
        assert shape(again) == shape(at_kill)
        # Time went on only while circle ran: downtime counts as paused.
        ran_low = run.marks["killed"] - run.marks["visible"] - TOLERANCE_S
        ran_high = run.marks["killed"] - run.marks["launch"]
        assert_close(times(again), times(at_kill), ran_low, ran_high)
        at_kill = again

    resume(run, at_kill)
    final = run.quit()
    assert shape(final) == shape(at_kill)


def test_kill_right_after_a_question(term: Tmux, tmp_path: Path):
    run = start(term, tmp_path)
    raise_two_and_give_the_floor(run)
    ask(run)
    # Kill as soon as the question is durable (within a second of enter).
    wait_stored(run.data_dir, lambda s: len(s.board.questions) == 1, "the question saved", 3)
    at_kill = run.kill()
    assert shape(at_kill)["board"] == [(QUESTION, "open", 0)]
    assert shape(at_kill)["speaker"] == "Mira" and shape(at_kill)["queue"] == ["Jon"]

    screen = resume(run, at_kill)
    assert QUESTION in screen and "Questions (1)" in screen
    assert "Speaking: Mira" in screen and "1. Jon" in screen
    run.keys("v")  # the board works on after resume: the question is selected
    wait_stored(run.data_dir, lambda s: shape(s)["board"][0][2] == 1, "the vote saved", 3)
    final = run.quit()
    want = shape(at_kill) | {"board": [(QUESTION, "open", 1)]}
    assert shape(final) == want
    ran_high = run.marks["quit"] - run.marks["launch"]
    assert_close(times(final), times(at_kill), 0, ran_high)


def test_kill_while_paused(term: Tmux, tmp_path: Path):
    run = start(term, tmp_path)
    raise_two_and_give_the_floor(run)
    ask(run)
    run.keys("n")
    run.wait_for(f"─ {SECOND_ITEM} ─")
    run.keys("Space")
    paused_screen = run.wait_for("PAUSED")
    # Wait until a clock save after the pause is on disk (the ~1.5 s rule).
    wait_stored(
        run.data_dir,
        lambda s: s.paused and s.now() >= s.events[-1]["at"] + 1.2,
        "a clock save after the pause",
    )
    before_kill = run.wait_for("PAUSED")
    assert item_time_on_screen(before_kill) == item_time_on_screen(paused_screen)
    at_kill = run.kill()
    got = shape(at_kill)
    assert got["item"] == SECOND_ITEM and got["paused"]
    assert got["board"] == [(QUESTION, "open", 0)]

    screen = resume(run, at_kill)
    assert SECOND_ITEM in screen and QUESTION in screen and "PAUSED" in screen
    # Paused: nothing moves, not even across the crash, and the screen agrees.
    assert item_time_on_screen(screen) == item_time_on_screen(paused_screen)
    assert abs(item_time_on_screen(screen) - times(at_kill)["item"]) <= TOLERANCE_S
    wait_stored(run.data_dir, lambda s: s.now() >= at_kill.now() + 1.5, "a save after resume")
    final = run.quit()
    assert shape(final) == shape(at_kill)
    assert_close(times(final), times(at_kill), 0, 0)

    # Unpausing after the resume: time runs again from where it stood.
    screen = resume(run, final)
    run.keys("Space")
    wait_stored(run.data_dir, lambda s: not s.paused, "the unpause saved", 3)
    run.wait_for(SECOND_ITEM)
    last = run.quit()
    assert not last.paused
    assert times(last)["item"] >= times(final)["item"]
    assert times(last)["item"] <= times(final)["item"] + run.marks["quit"] - run.marks["launch"]
