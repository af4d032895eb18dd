"""Who speaks: hands, the queue, turns, the mentor's turn, attendance and the queue policy."""

from __future__ import annotations

import pytest

from circle.widgets.panels import QueuePanel, SharesPanel
from tests.app.live_helpers import (
    BIG,
    ROUND_INDEX,
    advance,
    go_to_item,
    make_app,
    notices,
    palette,
    queue_lines,
    run_of,
    saved_events,
    screen_text,
    settle,
    speaker,
    text,
)


# -- people keys ------------------------------------------------------------------
async def test_hand_keys_raise_and_lower_in_roster_order(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await settle(pilot)
        assert queue_lines(app) == ["No hands up"]
        before = len(saved_events(run))
        await pilot.press("3", "1", "4", "2")
        await settle(pilot)
        # Nobody has spoken: ties go to whoever raised first.
        assert queue_lines(app) == ["1. Priya new", "2. Mira new", "3. Leo new", "4. Jon new"]
        await pilot.press("1")
        await settle(pilot)
        assert queue_lines(app) == ["1. Priya new", "2. Leo new", "3. Jon new"]
        events = saved_events(run)[before:]
        assert [(e["kind"], e["data"]["person"]) for e in events] == [
            ("hand_raised", "Priya"),
            ("hand_raised", "Mira"),
            ("hand_raised", "Leo"),
            ("hand_raised", "Jon"),
            ("hand_lowered", "Mira"),
        ]
        await pilot.press("5")  # four mentees: no fifth
        await settle(pilot)
        assert "There is no mentee 5: the roster has 4" in notices(app)
        assert len(saved_events(run)) == before + 5


async def test_s_starts_the_head_of_the_queue_and_d_ends_the_turn(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await settle(pilot)
        assert speaker(app) == "Speaking: nobody"
        await pilot.press("s")  # empty queue
        await settle(pilot)
        assert "Nobody is in the queue" in notices(app)

        await pilot.press("2", "3", "s")
        await advance(pilot, clock, 75)
        assert speaker(app) == "Speaking: Jon 01:15"
        assert queue_lines(app) == ["1. Priya new"]
        await pilot.press("s")
        await advance(pilot, clock, 5)
        assert speaker(app) == "Speaking: Priya 00:05"
        assert queue_lines(app) == ["No hands up"]
        await pilot.press("d")
        await settle(pilot)
        assert speaker(app) == "Speaking: nobody"
        await pilot.press("d")
        await settle(pilot)
        assert "Nobody is speaking" in notices(app)

        events = [e for e in saved_events(run) if e["kind"].startswith("turn_")]
        assert [(e["kind"], e["data"].get("person")) for e in events] == [
            ("turn_started", "Jon"),
            ("turn_started", "Priya"),
            ("turn_ended", None),
        ]
        shares = text(app, SharesPanel)
        assert "Jon" in shares and "94 %" in shares and "6 %" in shares


async def test_progressive_stack_order_after_several_turns(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        # Mira speaks 3 min, Jon 1 min, Priya 20 s; Leo has not spoken.
        for key, seconds in (("1", 180), ("2", 60), ("3", 20)):
            await pilot.press(key, "s")
            await advance(pilot, clock, seconds)
        await pilot.press("d")
        # Hands go up in the "wrong" order: most talkative first.
        await pilot.press("1", "2", "3", "4")
        await settle(pilot)
        assert queue_lines(app) == ["1. Leo new", "2. Priya", "3. Jon", "4. Mira"]
        await pilot.press("s")  # Leo speaks 2 min: now he has more than Priya and Jon
        await advance(pilot, clock, 120)
        await pilot.press("4")
        await settle(pilot)
        assert queue_lines(app) == ["1. Priya", "2. Jon", "3. Leo", "4. Mira"]
        await pilot.press("s", "d", "s", "d")
        await settle(pilot)
        assert queue_lines(app) == ["1. Leo", "2. Mira"]
        started = [
            e["data"]["person"] for e in saved_events(run_of(app)) if e["kind"] == "turn_started"
        ]
        assert started == ["Mira", "Jon", "Priya", "Leo", "Priya", "Jon"]


@pytest.mark.parametrize("size", [BIG, (80, 24)])
async def test_the_queue_shows_every_raised_hand_on_the_wall(tmp_path, clock, size):
    """The panel holds one person per line, next first: all of them, not just the first."""
    app = make_app(tmp_path, clock, mentees=["Mira", "Jon", "Priya", "Leo", "Sam"])
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("3", "5", "2")
        await settle(pilot)
        expected = ["1. Mira new", "2. Priya new", "3. Sam new", "4. Jon new"]
        assert queue_lines(app) == expected
        shown = screen_text(app)
        assert [entry for entry in expected if entry not in shown] == []
        await pilot.press("s", "s", "s")  # the queue shrinks back to one
        await settle(pilot)
        assert "1. Jon new" in screen_text(app)
        assert "Speaking time" in screen_text(app)


# -- 0: the mentor's turn ------------------------------------------------------------
async def test_zero_starts_the_mentor_turn_and_the_share_shows_it(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await pilot.press("1", "s")
        await advance(pilot, clock, 60)
        await pilot.press("0")
        await advance(pilot, clock, 180)
        assert speaker(app) == "Speaking: Ada 03:00"
        shares = text(app, SharesPanel).splitlines()
        # Mentees first with their keys, the mentor under "Mentors".
        assert shares[0].startswith("1 Mira ") and shares[0].endswith(" 25 %")
        assert shares[4] == "Mentors"
        assert shares[5].startswith("  Ada ") and shares[5].endswith(" 75 %")
        assert "█" in shares[5]
        assert "Ada" in screen_text(app) and "75 %" in screen_text(app)
        started = [e["data"] for e in saved_events(run) if e["kind"] == "turn_started"]
        assert started[-1]["person"] == "Ada" and started[-1]["interjection"] is True
        # The mentor interjected: Mira's turn paused at one minute, not ended.
        assert run.session.shares()[1].seconds == 60
        assert run.session.interrupted_view().person == "Mira"
        await pilot.press("0")  # the floor goes back to Mira, her minute intact
        await advance(pilot, clock, 30)
        assert speaker(app) == "Speaking: Mira 01:30"


async def test_the_second_mentor_speaks_from_the_palette(tmp_path, clock):
    app = make_app(tmp_path, clock, mentors=["Ada", "Bo"])
    async with app.run_test(size=BIG) as pilot:
        await palette(pilot, "Mentor speaks now: Bo")
        await advance(pilot, clock, 30)
        assert speaker(app) == "Speaking: Bo 00:30"
        assert saved_events(run_of(app))[-1]["data"]["person"] == "Bo"
        await pilot.press("0")  # no mentee's turn paused: `0` ends the mentor's turn
        await settle(pilot)
        assert speaker(app) == "Speaking: nobody"


async def test_a_mentor_turn_in_a_round_has_no_budget(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await go_to_item(pilot, ROUND_INDEX)
        await pilot.press("0")
        await advance(pilot, clock, 400)
        assert speaker(app) == "Speaking: Ada 06:40"
        # The mentor did not take a mentee's place in the round.
        assert len(text(app, QueuePanel).splitlines()) == 4


# -- palette: attendance ----------------------------------------------------------------
async def test_palette_marks_someone_absent_and_their_hand_key_says_so(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await pilot.press("1")
        await settle(pilot)
        assert text(app, QueuePanel) == "1. Mira new"
        await palette(pilot, "Attendance: Mira is absent")
        assert run.session.roster.status("Mira") == "absent"
        assert text(app, QueuePanel) == "No hands up"  # her hand went down
        before = len(saved_events(run))
        await pilot.press("1")
        await settle(pilot)
        assert "Mira is absent" in notices(app)
        assert len(saved_events(run)) == before
        event = saved_events(run)[-1]
        assert (event["kind"], event["data"]) == (
            "attendance",
            {"person": "Mira", "status": "absent"},
        )
        # Rounds skip her and share the time among those present.
        await go_to_item(pilot, ROUND_INDEX)
        assert text(app, QueuePanel).splitlines() == [
            "1. Jon new (round)",
            "2. Priya new (round)",
            "3. Leo new (round)",
        ]
        await pilot.press("s")
        await settle(pilot)
        assert speaker(app) == "Speaking: Jon 00:00 / 06:40"


async def test_palette_marks_someone_late_with_the_time_and_back_present(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await advance(pilot, clock, 300)
        await palette(pilot, "Attendance: Jon is late")
        event = saved_events(run)[-1]
        assert event["data"] == {"person": "Jon", "status": "late", "wall": clock.wall()}
        await pilot.press("2")  # late people are here: the hand goes up
        await settle(pilot)
        assert text(app, QueuePanel) == "1. Jon new"
        await palette(pilot, "Attendance: Jon has left")
        assert text(app, QueuePanel) == "No hands up"
        await palette(pilot, "Attendance: Jon is here")
        assert run.session.roster.status("Jon") == "present"


async def test_someone_absent_from_the_start(tmp_path, clock):
    app = make_app(tmp_path, clock, absent=("Leo",))
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("4")
        await settle(pilot)
        assert "Leo is absent" in notices(app)
        assert text(app, QueuePanel) == "No hands up"


# -- palette: queue policy --------------------------------------------------------------
async def test_palette_queue_policy_keeps_the_running_turn(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await pilot.press("1", "s")
        await advance(pilot, clock, 120)
        await pilot.press("d", "1", "4", "2", "s")  # Mira raised first but spoke most
        await advance(pilot, clock, 90)
        assert speaker(app) == "Speaking: Leo 01:30"
        assert text(app, QueuePanel).splitlines() == ["1. Jon new", "2. Mira"]
        await palette(pilot, "Queue policy: first come, first served")
        assert speaker(app) == "Speaking: Leo 01:30"
        assert text(app, QueuePanel).splitlines() == ["1. Mira", "2. Jon new"]
        await advance(pilot, clock, 10)
        assert speaker(app) == "Speaking: Leo 01:40"
        assert saved_events(run)[-1]["data"] == {"policy": "fcfs"}
        await palette(pilot, "Queue policy: progressive stack")
        assert speaker(app) == "Speaking: Leo 01:40"
        assert text(app, QueuePanel).splitlines() == ["1. Jon new", "2. Mira"]
