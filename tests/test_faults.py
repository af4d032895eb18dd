"""Faults in a live session: the disk failing, the terminal shrinking, a bad file."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest

from circle.agendafiles.parser import resolve_agenda
from circle.app import CircleApp
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun, session_at_rest
from circle.saving import tinystore
from circle.storage import Store
from circle.widgets.panels import TopBar


def make(tmp_path: Path) -> tuple[LiveRun, FakeClock]:
    store, clock = Store(tmp_path), FakeClock()
    run = LiveRun.start_new(
        store,
        clock,
        title="Faults",
        agenda=resolve_agenda("group-circle"),
        mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"],
    )
    return run, clock


async def wait_for(pilot, predicate, tries: int = 80) -> None:
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached")


async def test_disk_full_warns_keeps_going_and_catches_up(tmp_path: Path, monkeypatch) -> None:
    run, _ = make(tmp_path)
    real_write = tinystore.atomic_write
    failing = {"on": True}

    def atomic_write(path, payload, **options):
        if failing["on"] and path.name.startswith(run.session_id):  # this session's files
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(path, payload, **options)

    monkeypatch.setattr(tinystore, "atomic_write", atomic_write)
    app = CircleApp(run.store, run)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("1", "2", "s")
        await wait_for(pilot, lambda: app.save_problem is not None)
        bar = str(app.screen.query_one(TopBar).render())
        assert "NOT SAVING" in bar
        assert "No space left on device" in app.save_problem
        await pilot.press("q", *"Still recorded?", "enter")  # the session goes on in memory
        await pilot.pause()
        assert run.session.board.ordered()[0].text == "Still recorded?"
        failing["on"] = False
        await wait_for(pilot, lambda: app.save_problem is None, tries=100)
        assert "NOT SAVING" not in str(app.screen.query_one(TopBar).render())
    stored = session_at_rest(run.store.load_session(run.session_id).events, None)
    assert stored.board.ordered()[0].text == "Still recorded?"
    assert stored.turn_view()[0] == "Mira"


async def test_resize_to_40x12_and_back(tmp_path: Path) -> None:
    run, _ = make(tmp_path)
    app = CircleApp(run.store, run)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert app.screen.has_class("-too-small")
        assert "Terminal too small" in app.export_screenshot().replace("&#160;", " ")
        await pilot.press("1")  # keys still work while too small
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        assert not app.screen.has_class("-too-small")
        assert [e.person for e in run.session.queue_entries()] == ["Mira"]


@pytest.mark.parametrize("damage", [b"", b'{"events": {"1": {"seq"', b"\xff\xfe garbage"])
def test_corrupt_session_file_is_refused_untouched(tmp_path: Path, damage: bytes) -> None:
    run, _ = make(tmp_path)
    run.close()
    path = run.store.session_path(run.session_id)
    path.write_bytes(damage)
    result = subprocess.run(
        [sys.executable, "-m", "circle", "resume", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert str(path) in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == damage


async def test_wall_clock_jumps_leave_the_timers_alone(tmp_path: Path) -> None:
    run, clock = make(tmp_path)
    app = CircleApp(run.store, run)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("1", "s")
        clock.advance(30)
        clock.jump_wall(-3600)  # NTP, a laptop waking up, daylight saving
        app.screen.refresh_view()
        await pilot.pause()
        assert run.session.timer_view().elapsed_s == 30
        assert run.session.turn_view()[:2] == ("Mira", 30)
        clock.jump_wall(7200)
        clock.advance(5)
        app.screen.refresh_view()
        assert run.session.timer_view().elapsed_s == 35
        assert run.session.timer_view().remaining_s == 300 - 35
