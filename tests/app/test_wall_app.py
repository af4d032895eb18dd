"""The wall (`circle wall`) fed by hand: snapshots in, the room's screen out.

A `FakeFeed` stands in for the channel: each test builds real public
snapshots from a running session (`public_snapshot`) and hands them to the
wall, whose clock is the session's `FakeClock`, so time moves only when the
test says. What the wall shows is read through Textual's public API: the
terminal's text from `export_screenshot`, a widget's own render.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from circle.channel.feed import FeedUpdate
from circle.channel.snapshot import public_snapshot
from circle.domain.clock import FakeClock
from circle.domain.present import HIDDEN_NAME
from circle.runtime import LiveRun
from circle.screens.projected import ProjectedScreen
from circle.wall.app import WallApp
from circle.wall.screen import NOT_RUNNING, WallScreen
from circle.widgets.bigdigits import BigCountdown
from circle.widgets.board import BoardPanel
from circle.widgets.panels import AgendaPanel, SpeakerPanel, TopBar
from tests.app.live_helpers import (
    BIG,
    SMALL,
    flash_run,
    screen_text,
    start_run,
    wait_for,
    widget_text,
    words_present,
)

WALL0 = 1_790_000_000.0
JOIN = {"code": "QX7K2M", "url": "http://10.0.0.5:8765", "devices": 3}
NOTES = "One word for how you arrive today"  # the first item's notes, in the agenda


class FakeFeed:
    """The channel, by hand: `send` what the console would; the wall takes the latest."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[FeedUpdate] = asyncio.Queue()
        self.closed = False

    def send(self, snapshot: dict[str, Any] | None, running: bool = True) -> None:
        self.queue.put_nowait(FeedUpdate(running, snapshot))

    def __aiter__(self) -> AsyncIterator[FeedUpdate]:
        return self

    async def __anext__(self) -> FeedUpdate:
        return await self.queue.get()

    async def aclose(self) -> None:
        self.closed = True


def snap(run: LiveRun, join: dict | None = None) -> dict[str, Any]:
    session = run.session
    return public_snapshot(session, join=join, wall_clock=session.clock.wall())


def room(tmp_path, clock: FakeClock) -> LiveRun:
    """A session in full swing, with things the wall must show and things it must not."""
    run = start_run(tmp_path, clock)
    session = run.session
    session.toggle_hand("Mira")
    session.start_turn("Mira")
    clock.advance(95)
    session.toggle_hand("Jon")
    session.toggle_hand("Priya")
    session.add_question("How do I ask for a raise?", "Jon")
    session.set_moderation(True)
    session.add_question("Private: is my manager any good?", source="phone")  # waiting
    session.add_takeaway("Write the ask down before the meeting")
    session.add_action("Send Jon the salary survey", "Ada")
    return run


def wall_app(clock: FakeClock) -> tuple[WallApp, FakeFeed]:
    feed = FakeFeed()
    return WallApp(feed, session_id="20260921-1413-test", monotonic=clock.monotonic), feed


def wall_screen(app: WallApp) -> WallScreen:
    return app.wall


def digits(app: WallApp) -> str:
    return app.wall.query_one("#digits", BigCountdown).text


def words(app: WallApp) -> str:
    return widget_text(app.wall.query_one("#state-words"))


async def shown(pilot, app: WallApp, feed: FakeFeed, snapshot: dict | None, running=True) -> str:
    """Send one update and wait for the wall to take it; the screen's text."""
    feed.send(snapshot, running)
    await wait_for(pilot, lambda: feed.queue.empty(), what="the wall to take the update")
    await pilot.pause()
    return screen_text(app)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1000.0, WALL0)


# -- what it shows -----------------------------------------------------------------------
async def test_the_wall_shows_what_the_room_may_see(tmp_path, clock):
    run = room(tmp_path, clock)
    run.session.open_pulse()
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        text = await shown(pilot, app, feed, snap(run, JOIN))
        for expected in (
            "Tuesday circle",
            "Check-in and ground rules",  # the item, in the agenda and over the countdown
            "Speaking: Mira",
            "Next: Jon",
            "1. Jon",
            "2. Priya",
            "How do I ask for a raise? — Jon",
            "Questions (1)",
            "Write the ask down before the meeting",
            "code QX7K2M http://10.0.0.5:8765 · 3 devices",
            "pulse 0 of 5 answered",
        ):
            assert expected in text, expected
        assert digits(app) == "03:25" and words(app) == "3 min left"
        assert "01:35" in widget_text(app.wall.query_one(SpeakerPanel))


async def test_the_wall_never_shows_what_is_private(tmp_path, clock):
    run = room(tmp_path, clock)
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        text = await shown(pilot, app, feed, snap(run, JOIN))
        for private in (
            NOTES,  # the facilitator's notes
            "Private: is my manager any good?",  # waiting for approval
            "waiting",
            "salary survey",  # an action item
        ):
            assert private not in text, private
        assert "Notes" not in text  # the notes column is headed by the item instead
        # No selection and no keys to suggest on the room's board.
        board = widget_text(app.wall.query_one(BoardPanel))
        assert "▸" not in board and "press" not in board


async def test_the_blind_reaches_the_wall(tmp_path, clock):
    run = room(tmp_path, clock)
    run.session.set_blind(True)
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        text = await shown(pilot, app, feed, snap(run))
        assert "BLIND" in text and "Tuesday circle" in text  # the title stays
        assert words_present(text, ["Mira", "Jon", "Priya", "Leo", "Ada"]) == []
        assert f"Speaking: {HIDDEN_NAME}" in text and f"Next: {HIDDEN_NAME}" in text
        assert "raise" not in text and "Write the ask" not in text


async def test_the_wall_renders_with_the_live_screens_widgets_and_stylesheet(tmp_path, clock):
    app, feed = wall_app(clock)
    run = room(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await shown(pilot, app, feed, snap(run))
        screen = app.wall
        assert isinstance(screen, ProjectedScreen)
        assert screen.query_one("#agenda").border_title == "Agenda"
        # live.tcss styles it: the agenda's width and the rounded panels of the live screen.
        assert screen.query_one(AgendaPanel).outer_size.width == 34
        agenda = widget_text(screen.query_one(AgendaPanel)).splitlines()
        assert agenda[0].startswith("▶ Check-in") and agenda[0].endswith("5m 01:35")


async def test_a_flash_round_shows_its_slot_and_rotation(tmp_path):
    run, clock = flash_run(tmp_path)
    run.session.start_flash()
    clock.advance(30)
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        text = await shown(pilot, app, feed, snap(run))
        assert "Slot 1 of 3" in text and "Mira with Ada" in text
        assert "Ada ↔ Jon" in text  # the rotation table
        assert app.wall.has_class("-flash")


async def test_a_terminal_too_small(tmp_path, clock):
    run = room(tmp_path, clock)
    app, feed = wall_app(clock)
    async with app.run_test(size=(SMALL[0] - 1, SMALL[1])) as pilot:
        text = await shown(pilot, app, feed, snap(run))
        assert "Terminal too small" in text and "Speaking" not in text


# -- time comes from the snapshot -------------------------------------------------------------
async def test_the_countdown_runs_on_from_the_snapshot_never_on_its_own(tmp_path, clock):
    run = room(tmp_path, clock)
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        await shown(pilot, app, feed, snap(run))
        assert digits(app) == "03:25"
        clock.advance(1.0)  # no new snapshot: derived from the last one's moment
        await wait_for(pilot, lambda: digits(app) == "03:24", what="the countdown to run on")
        assert "01:36" in widget_text(app.wall.query_one(SpeakerPanel))
        clock.advance(60)  # the console has gone quiet: the wall stops, it doesn't count
        await pilot.pause(0.3)
        assert digits(app) == "03:23"
        await shown(pilot, app, feed, snap(run))  # the console speaks again
        assert digits(app) == "02:24"


async def test_a_paused_snapshot_holds_still(tmp_path, clock):
    run = room(tmp_path, clock)
    run.session.toggle_pause()
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        text = await shown(pilot, app, feed, snap(run))
        assert "PAUSED" in text and words(app) == "PAUSED · 3 min left"
        clock.advance(1.5)
        await pilot.pause(0.3)
        assert digits(app) == "03:25"
        assert app.wall.query_one("#countdown").has_class("-paused")


async def test_the_time_of_day_is_the_consoles(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    try:
        run = room(tmp_path, clock)
        app, feed = wall_app(clock)
        async with app.run_test(size=BIG) as pilot:
            await shown(pilot, app, feed, snap(run))
            top = widget_text(app.wall.query_one(TopBar))
            assert top.split()[-1] != ""  # rendered
            assert "14:14" in top  # WALL0 + 95 s, in UTC
    finally:
        monkeypatch.undo()
        time.tzset()


# -- the console away, and odd snapshots --------------------------------------------------
async def test_session_not_running_then_back(tmp_path, clock):
    run = room(tmp_path, clock)
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        before = screen_text(app)
        assert "Connecting to the session" in before
        await shown(pilot, app, feed, snap(run))
        text = await shown(pilot, app, feed, snap(run), running=False)
        assert NOT_RUNNING in text and "Tuesday circle" in text
        assert "Speaking" not in text and "Agenda" not in text  # no frozen countdown
        assert "ctrl+q closes the wall" in text
        run.session.next_item()
        text = await shown(pilot, app, feed, snap(run))
        assert NOT_RUNNING not in text
        assert "Last time's action items" in widget_text(app.wall.query_one("#item-title"))


async def test_a_wall_on_a_session_never_seen_running_names_it(tmp_path, clock):
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        text = await shown(pilot, app, feed, None, running=False)
        assert NOT_RUNNING in text and "20260921-1413-test" in text


async def test_a_snapshot_it_cannot_read_keeps_the_last_good_one(tmp_path, clock):
    run = room(tmp_path, clock)
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        await shown(pilot, app, feed, snap(run))
        broken = snap(run)
        del broken["countdown"]
        broken["title"] = "Broken"
        text = await shown(pilot, app, feed, broken)
        assert "Tuesday circle" in text and "Broken" not in text
        newer = {**snap(run), "schema": 99}
        text = await shown(pilot, app, feed, newer)
        assert "another version of circle" in text
        assert app.return_code is None  # still running


# -- keys ----------------------------------------------------------------------------------
async def test_z_cycles_the_projection_view(tmp_path, clock):
    run = room(tmp_path, clock)
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        await shown(pilot, app, feed, snap(run))
        seen = []
        for _ in range(3):
            await pilot.press("z")
            await pilot.pause()
            text = screen_text(app)
            seen.append((app.wall.projection, "Agenda" in text, "Questions" in text))
        assert seen == [("timer", False, False), ("board", False, True), ("full", True, True)]


OTHER_KEYS = [
    *"nbsdqvaptkufjerhx0123456789?",
    "space", "enter", "escape", "tab", "shift+tab", "up", "down", "delete", "backspace",
    "pagedown", "pageup", "ctrl+p", "ctrl+c", "ctrl+z", "ctrl+s", "f1",
]  # fmt: skip


async def test_other_keys_do_nothing(tmp_path, clock):
    run = room(tmp_path, clock)
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        await shown(pilot, app, feed, snap(run))
        before = screen_text(app)
        for key in OTHER_KEYS:
            await pilot.press(key)
        await pilot.pause(0.1)
        assert screen_text(app) == before
        assert len(app.screen_stack) == 1 and app.screen is app.wall
        assert app.wall.projection == "full" and app.return_code is None
        assert app.focused is None


async def test_its_only_keys_are_z_and_ctrl_q(tmp_path, clock):
    app, feed = wall_app(clock)
    assert WallApp.ENABLE_COMMAND_PALETTE is False
    async with app.run_test(size=BIG):
        assert set(app.screen.active_bindings) == {"z", "ctrl+q"}


async def test_ctrl_q_closes_the_wall_with_exit_code_0(tmp_path, clock):
    app, feed = wall_app(clock)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert feed.closed  # the feed stops retrying
