"""SVG snapshots of goals on the live screen: the `g` dialog and the notes panel with goals.

Frozen like tests/app/test_live_snapshots.py: a `FakeClock`, the wall clock in
UTC, the content built with session methods before the app starts, a steady
cursor. Regenerate after an intended change of the look with

    .venv/bin/pytest tests/app/test_goal_snapshots.py --snapshot-update

and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from circle.domain.clock import FakeClock
from circle.screens.goal_dialogs import GoalDialog
from tests.app.live_helpers import make_app, run_of

WALL = 1_790_000_000.0  # 2026-09-21 14:13:20 UTC
SIZE = (120, 40)
GOAL_REVIEW_INDEX = 2


pytestmark = pytest.mark.usefixtures("utc")  # times on screen in UTC


def goal_room(tmp_path):
    """A goal review under way: Mira speaks, with goals in three horizons and notes."""
    clock = FakeClock(1000.0, WALL)
    app = make_app(tmp_path, clock, agenda="goal-review")
    session = run_of(app).session
    session.add_goal("Run a 10k under an hour", "Mira", "habit", "2026-11-15")
    lead = session.add_goal("Lead the platform team's next migration", "Mira", "reach")["seq"]
    session.update_goal(lead, "at risk", "Budget frozen until Q2: ask for a smaller pilot")
    session.add_goal("Become a staff engineer", "Mira", "stretch")
    session.add_goal("Mentor a junior [b]every[/b] week", "Jon")
    while session.timer_().current < GOAL_REVIEW_INDEX:
        session.next_item()
    clock.advance(70)
    session.next_speaker()
    clock.advance(95)
    return app


class TestGoals:
    """`g` opens the New goal dialog; the speaker's goals sit with the item's notes."""

    def test_new_goal_dialog_120x40(self, tmp_path, snap_compare):
        app = goal_room(tmp_path)

        async def run_before(pilot) -> None:
            await pilot.press("g")
            await pilot.pause()
            assert isinstance(app.screen, GoalDialog)
            for field in app.screen.query(Input):
                field.cursor_blink = False
            await pilot.press(*"Give a [b]talk[/b] at the meetup")
            await pilot.pause()

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_notes_panel_with_goals_120x40(self, tmp_path, snap_compare):
        app = goal_room(tmp_path)
        assert snap_compare(app, terminal_size=SIZE)
