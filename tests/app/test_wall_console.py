"""The console's side of the wall: a real hub on a real socket, real `WallFeed`s attached.

The console (CircleApp on the live screen) serves its session once its first
frame is drawn. These tests attach walls as `circle wall` does, through the
channel's own feed, and check what the console shows and sends.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import circle.channel.snapshot as snapshot_module
from circle.app import CircleApp
from circle.channel import paths
from circle.channel.feed import FeedUpdate, WallFeed
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun
from circle.widgets.panels import TopBar
from tests.app.live_helpers import (
    BIG,
    board_lines,
    make_app,
    notices,
    palette,
    record_notices,
    run_of,
    settle,
    wait_for,
    widget_text,
)


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Short enough for the socket to live in it; and a private $XDG_RUNTIME_DIR."""
    path = Path(tempfile.mkdtemp(prefix="cw", dir="/tmp"))
    runtime = Path(tempfile.mkdtemp(prefix="cr", dir="/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    yield path
    shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(runtime, ignore_errors=True)


def top(app: CircleApp) -> str:
    return widget_text(app.live.query_one(TopBar))


def feed_for(app: CircleApp) -> WallFeed:
    run = run_of(app)
    feed = WallFeed(run.store.data_dir, run.session_id, retry_s=0.05)
    feed.start()
    return feed


async def attached(pilot, app: CircleApp, count: int) -> None:
    await wait_for(pilot, lambda: app.status.walls == count, what=f"{count} walls attached")
    await settle(pilot)


async def update_where(feed: WallFeed, test, timeout: float = 5.0) -> FeedUpdate:
    """The feed's updates until one whose snapshot passes `test`."""
    async with asyncio.timeout(timeout):
        while True:
            update = await anext(feed)
            if update.snapshot is not None and test(update.snapshot):
                return update


def queue_names(snapshot: dict[str, Any]) -> list[str]:
    return [entry["name"] for entry in snapshot["queue"]]


async def test_the_top_bar_says_wall_connected_while_walls_are_attached(data_dir, clock):
    app = make_app(data_dir, clock)
    async with app.run_test(size=BIG) as pilot:
        assert "wall connected" not in top(app)
        first = feed_for(app)
        await attached(pilot, app, 1)
        assert top(app).endswith("wall connected ")
        second = feed_for(app)
        await attached(pilot, app, 2)
        assert "wall connected (2)" in top(app)
        await first.aclose()
        await attached(pilot, app, 1)
        assert "wall connected" in top(app) and "(2)" not in top(app)
        await second.aclose()
        await attached(pilot, app, 0)
        assert "wall connected" not in top(app)


async def test_a_key_on_the_console_reaches_the_wall(data_dir, clock):
    app = make_app(data_dir, clock)
    async with app.run_test(size=BIG) as pilot:
        feed = feed_for(app)
        first = await update_where(feed, lambda s: True)
        assert first.running and first.snapshot["title"] == "Tuesday circle"
        assert queue_names(first.snapshot) == []
        await pilot.press("1")
        await update_where(feed, lambda s: queue_names(s) == ["Mira"])
        await pilot.press("h")
        update = await update_where(feed, lambda s: s["blind"])
        assert queue_names(update.snapshot) == ["•••"]
        await feed.aclose()


async def test_the_console_sends_every_second_without_changes(data_dir, clock):
    app = make_app(data_dir, clock)
    async with app.run_test(size=BIG) as pilot:
        feed = feed_for(app)
        first = await update_where(feed, lambda s: True)
        clock.advance(30)  # no event: only time passes
        later = await update_where(
            feed, lambda s: s["taken"]["monotonic"] > first.snapshot["taken"]["monotonic"]
        )
        assert later.snapshot["countdown"]["remaining_s"] == pytest.approx(
            first.snapshot["countdown"]["remaining_s"] - 30
        )
        await feed.aclose()
        await pilot.pause()


async def test_no_snapshot_is_built_while_no_wall_is_attached(data_dir, clock, monkeypatch):
    built: list[int] = []
    real = snapshot_module.public_snapshot

    def counting(*args: Any, **kwargs: Any) -> dict:
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(snapshot_module, "public_snapshot", counting)
    app = make_app(data_dir, clock)
    async with app.run_test(size=BIG) as pilot:
        await wait_for(pilot, lambda: app.walls.hub is not None, what="the hub")
        for key in "1s2n":
            await pilot.press(key)
        await pilot.pause(1.2)  # a heartbeat too
        assert built == []
        feed = feed_for(app)
        first = await asyncio.wait_for(anext(feed), 5)  # a new wall gets the room as it is now
        assert queue_names(first.snapshot) == ["Jon"]
        assert first.snapshot["item"]["title"] == "Last time's action items"
        assert built
        await feed.aclose()


async def test_waiting_questions_show_on_the_console_while_a_wall_is_attached(data_dir, clock):
    app = make_app(data_dir, clock)
    async with app.run_test(size=BIG) as pilot:
        session = run_of(app).session
        session.set_moderation(True)
        session.add_question("Shown to all?")
        session.add_question("From a phone, not yet approved?", source="phone")
        await settle(pilot)
        # Without a wall the console is the projected screen: nothing waiting is on it.
        assert not any("not yet approved" in line for line in board_lines(app))
        feed = feed_for(app)
        await attached(pilot, app, 1)
        lines = board_lines(app)
        waiting = [line for line in lines if "From a phone, not yet approved?" in line]
        assert waiting and "waiting" in waiting[0] and "ctrl+p" in waiting[0]
        heading = app.live.query_one("#board-column").border_title
        assert "Questions (1) · 1 waiting for approval" in str(heading)
        update = await update_where(feed, lambda s: True)
        assert [q["text"] for q in update.snapshot["board"]] == ["Shown to all?"]
        await palette(pilot, "Approve question: From a phone, not yet approved?")
        update = await update_where(feed, lambda s: len(s["board"]) == 2)
        assert "From a phone, not yet approved?" in [q["text"] for q in update.snapshot["board"]]
        assert not any("waiting" in line for line in board_lines(app))
        await feed.aclose()
        await attached(pilot, app, 0)


async def test_behind_the_blind_the_palette_names_waiting_questions_by_number(data_dir, clock):
    app = make_app(data_dir, clock)
    async with app.run_test(size=BIG) as pilot:
        session = run_of(app).session
        session.set_moderation(True)
        event = session.add_question("My boss is awful, what now?", source="phone")
        session.set_blind(True)
        await settle(pilot)
        await palette(pilot, f"Approve question #{event['seq']} (hidden)", "Approve question")
        assert not session.board.get(event["seq"]).pending


async def test_the_pulse_progress_is_in_the_top_bar(data_dir, clock):
    app = make_app(data_dir, clock)
    async with app.run_test(size=BIG) as pilot:
        session = run_of(app).session
        session.open_pulse()
        session.give_pulse(8)
        await settle(pilot)
        assert "pulse 1 of 5 answered" in top(app)


async def test_quitting_removes_the_socket_and_the_wall_waits(data_dir, clock):
    app = make_app(data_dir, clock)
    run = run_of(app)
    async with app.run_test(size=BIG) as pilot:
        feed = feed_for(app)
        await attached(pilot, app, 1)
        socket = paths.socket_path(run.store.data_dir, run.session_id)
        assert socket is not None and socket.exists()
        assert paths.find_running(run.store.data_dir) == [run.session_id]
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    assert not socket.exists()
    assert paths.find_running(run.store.data_dir) == []
    update = await asyncio.wait_for(anext(feed), 5)
    if update.running:  # a last snapshot sent before the console went
        update = await asyncio.wait_for(anext(feed), 5)
    assert update.running is False
    await feed.aclose()


async def test_a_second_console_on_the_same_session_stops_with_one_line(data_dir):
    clock = FakeClock()
    first = make_app(data_dir, clock)
    run = run_of(first)
    async with first.run_test(size=BIG) as pilot:
        await wait_for(pilot, lambda: first.walls.hub is not None, what="the first console's hub")
        second = record_notices(
            CircleApp(run.store, LiveRun.resume(run.store, run.session_id, clock))
        )
        async with second.run_test(size=BIG) as pilot2:
            await wait_for(pilot2, lambda: second.fatal_error is not None, what="the refusal")
        assert "already running in another console" in second.fatal_error
        assert notices(second) == []
        assert first.walls.hub is not None and first.walls.hub.path.exists()


def test_the_console_loads_no_channel_before_its_first_frame() -> None:
    """The hub is imported when it opens, after the first frame: start-up pays nothing."""
    code = (
        "import sys, circle.app, circle.screens.live\n"
        "print(sorted(m for m in sys.modules if m.startswith('circle.channel')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
