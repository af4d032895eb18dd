"""SVG snapshots of the live screen (pytest-textual-snapshot), frozen in time.

Stable by construction: a `FakeClock` (monotonic and wall) that nothing but
the test moves, the wall clock shown in UTC, the content built with session
methods before the app starts, and a steady (non-blinking) cursor whenever an
Input is on screen. One class per feature of the wall. Regenerate after an
intended change of the look with

    .venv/bin/pytest tests/app/test_live_snapshots.py --snapshot-update

and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from circle.app import CircleApp
from circle.domain.clock import FakeClock
from circle.screens.dialogs import QuestionDialog
from tests.app.live_helpers import BIG, SMALL, flash_run, make_app, run_of

# A fixed instant: 2026-09-21 14:13:20 UTC.
WALL = 1_790_000_000.0
PEOPLE_FIVE = ["Mira", "Jon", "Priya", "Leo", "Eli"]
LONG_QUESTION = (
    "When two of my managers disagree about what I should work on next quarter, and "
    "both say it is my call, how do I decide without burning a bridge with the one I "
    "do not pick, and how do I explain it to my team, who have been waiting on this "
    "decision for a month already? Any ideas?!?"
)


pytestmark = pytest.mark.usefixtures("utc")  # times on screen in UTC


def steady_cursor(app) -> None:
    """No blinking cursor in a snapshot: blink off for every Input on screen."""
    for field in app.screen.query(Input):
        field.cursor_blink = False


def room(tmp_path, *, seconds_in: float = 125):
    """A circle in full swing: a speaker, hands up, questions with votes, a takeaway."""
    clock = FakeClock(1000.0, WALL)
    app = make_app(tmp_path, clock)
    session = run_of(app).session
    session.toggle_hand("Mira")
    session.start_turn("Mira")
    clock.advance(95)
    session.toggle_hand("Jon")
    session.toggle_hand("Priya")
    session.mentor_turn()
    clock.advance(20)
    session.next_speaker()
    first = session.add_question("How do I ask for a raise without a competing offer?", "Jon")
    second = session.add_question("Is a side project worth it when the day job is busy?")
    session.add_question("What did you wish you knew in your first year?", "Priya")
    session.vote(second["seq"])
    session.vote(second["seq"])
    session.vote(first["seq"])
    session.add_takeaway("Write the ask down before the meeting")
    assert seconds_in >= 115
    clock.advance(seconds_in - 115)
    return app, clock


class TestLayout:
    """The whole wall at the smallest and the usual size, and below the smallest."""

    def test_live_screen_80x24(self, tmp_path, snap_compare):
        app, _ = room(tmp_path)
        assert snap_compare(app, terminal_size=SMALL)

    def test_live_screen_160x45(self, tmp_path, snap_compare):
        app, _ = room(tmp_path)
        assert snap_compare(app, terminal_size=BIG)

    def test_terminal_too_small_79x24(self, tmp_path, snap_compare):
        app, _ = room(tmp_path)
        assert snap_compare(app, terminal_size=(79, 24))


class TestProjectionViews:
    """`z`: the full wall, the timer only, the board only."""

    @pytest.mark.parametrize("view", ["full", "timer", "board"])
    def test_projection_view_160x45(self, tmp_path, snap_compare, view):
        app, _ = room(tmp_path)
        presses = {"full": (), "timer": ("z",), "board": ("z", "z")}[view]

        async def run_before(pilot) -> None:
            await pilot.press(*presses)
            await pilot.pause()
            assert app.live is not None and app.live.projection == view

        assert snap_compare(app, terminal_size=BIG, run_before=run_before)


class TestTimerStates:
    """The countdown past zero and paused: words and colour."""

    def test_overrun_and_paused_160x45(self, tmp_path, snap_compare):
        app, _ = room(tmp_path, seconds_in=372)  # a 5 min item, 6:12 in: OVER +01:12

        async def run_before(pilot) -> None:
            await pilot.press("space")
            await pilot.pause()

        assert snap_compare(app, terminal_size=BIG, run_before=run_before)


class TestDialogs:
    """A dialog over the wall, with typed markup shown as typed."""

    def test_question_dialog_80x24(self, tmp_path, snap_compare):
        app, _ = room(tmp_path)

        async def run_before(pilot) -> None:
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, QuestionDialog)
            steady_cursor(app)
            await pilot.press(*"[bold]literal[/]")
            await pilot.pause()

        assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


class TestRoom:
    """The room's view of itself: the big speaker, everyone in the people panel, every
    question whole on the board, and the light projector theme."""

    def test_big_speaker_beside_the_countdown_120x40(self, tmp_path, snap_compare):
        app, _ = room(tmp_path)
        assert snap_compare(app, terminal_size=(120, 40))

    def test_everyone_with_keys_and_attendance_80x24(self, tmp_path, snap_compare):
        clock = FakeClock(1000.0, WALL)
        people = {"mentors": ["Ada Okafor", "Bea Nowak"], "mentees": PEOPLE_FIVE}
        app = make_app(tmp_path, clock, absent=("Leo",), **people)
        session = run_of(app).session
        session.set_attendance("Eli", "late")
        for person in ("Mira", "Jon", "Priya", "Eli"):
            session.toggle_hand(person)
        session.next_speaker()
        clock.advance(95)
        session.mentor_turn()  # Ada interjects: Mira's turn waits
        clock.advance(20)
        session.add_question("What did you wish you knew in your first year?", "Priya")
        assert snap_compare(app, terminal_size=SMALL)

    def test_board_view_wraps_every_question_160x45(self, tmp_path, snap_compare):
        app, _ = room(tmp_path)
        run_of(app).session.add_question(LONG_QUESTION, "Mira")

        async def run_before(pilot) -> None:
            await pilot.press("z", "z")
            await pilot.pause()

        assert snap_compare(app, terminal_size=BIG, run_before=run_before)

    def test_light_theme_160x45(self, tmp_path, snap_compare):
        app, _ = room(tmp_path)
        run = run_of(app)
        assert snap_compare(CircleApp(run.store, run, theme="projector-light"), terminal_size=BIG)


class TestFlash:
    """A flash round in place of the countdown."""

    def test_flash_view_160x45(self, tmp_path, snap_compare):
        """Slot 2 of 3 mid-slot, with a topic and the slot table."""
        run, clock = flash_run(tmp_path)
        run.session.start_flash()
        run.session.flash_note("topic", "Asking for a promotion")
        clock.advance(100)
        run.session.advance_flash()  # slot 1 ends early
        run.session.flash_note("takeaway", "Bring numbers")
        clock.advance(1)  # within a second a second `f` is a double press, ignored
        run.session.advance_flash()  # skip the changeover
        clock.advance(42)
        run.session.flash_note("topic", "Saying no to a stretch project")
        assert snap_compare(CircleApp(run.store, run), terminal_size=BIG)
