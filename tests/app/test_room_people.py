"""The people panel: each mentee with their key 1–5, mentors marked as such, attendance
in words, and everyone on the wall at 80×24."""

from __future__ import annotations

import pytest

from circle.widgets.panels import SharesPanel
from tests.app.live_helpers import (
    BIG,
    SMALL,
    advance,
    live,
    make_app,
    palette,
    queue_lines,
    region_text,
    settle,
    text,
)

MENTORS = ["Ada Okafor", "Bea Nowak"]
MENTEES = ["Mira", "Jon", "Priya", "Leo", "Eli"]


def people_lines(app) -> list[str]:
    """The people list as the wall shows it, one person (or heading) a line."""
    panel = live(app).query_one(SharesPanel)
    return [" ".join(line.split()) for line in text(app, SharesPanel).splitlines()][
        : panel.region.height
    ]


@pytest.mark.parametrize("size", [SMALL, (100, 30), (120, 34), (120, 40), BIG])
async def test_everyone_fits_with_their_key_and_the_mentors_marked(tmp_path, clock, size):
    app = make_app(tmp_path, clock, mentors=MENTORS, mentees=MENTEES)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1", "s", "2", "3", "4", "5")  # Mira speaks; four hands up
        await advance(pilot, clock, 30)
        lines = people_lines(app)
        assert [line.split(" ")[:2] for line in lines[:5]] == [
            ["1", "Mira"],
            ["2", "Jon"],
            ["3", "Priya"],
            ["4", "Leo"],
            ["5", "Eli"],
        ]
        assert lines[5] == "Mentors"
        assert lines[6].startswith("Ada Okafor") and lines[7].startswith("Bea Nowak")
        assert lines[0].endswith("100 %") and lines[7].endswith("0 %")
        # All of it is on the wall, inside the panel, and so is the whole queue.
        panel = live(app).query_one(SharesPanel)
        assert panel.region.height == 8
        shown = region_text(app, live(app).query_one("#people"))
        for person in [*MENTEES, *MENTORS]:
            assert person in shown, person
        assert queue_lines(app) == ["1. Jon new", "2. Priya new", "3. Leo new", "4. Eli new"]
        for entry in queue_lines(app):
            assert entry in shown, entry


async def test_attendance_shows_in_words(tmp_path, clock):
    app = make_app(tmp_path, clock, mentors=MENTORS, mentees=MENTEES, absent=("Leo",))
    async with app.run_test(size=SMALL) as pilot:
        await palette(pilot, "Attendance: Eli is late", "Eli is late")
        await palette(pilot, "Attendance: Bea Nowak has left", "Bea Nowak has left")
        lines = people_lines(app)
        assert lines[3] == "4 Leo absent 0 %"
        assert lines[4] == "5 Eli late 0 %"
        assert lines[7] == "Bea Nowak left 0 %"
        assert lines[1] == "2 Jon 0 %"  # present: no word
        await palette(pilot, "Attendance: Eli is here", "Eli is here")
        assert people_lines(app)[4] == "5 Eli 0 %"


async def test_behind_the_blind_no_key_or_role_names_anyone(tmp_path, clock):
    app = make_app(tmp_path, clock, mentors=MENTORS, mentees=MENTEES, absent=("Leo",))
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("2", "s")
        await advance(pilot, clock, 10)
        await pilot.press("h")
        await settle(pilot)
        lines = people_lines(app)
        assert len(lines) == 7 and "Mentors" not in lines
        assert all(line.startswith("•••") for line in lines)
        assert "absent" not in " ".join(lines)
        assert lines[0].endswith("100 %")  # by speaking time, not by roster order
