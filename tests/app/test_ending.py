"""`e` exports now; `x` ends: confirm, pulse, review, save, offer the export."""

from __future__ import annotations

from pathlib import Path

from circle.agendafiles.parser import resolve_agenda
from circle.app import CircleApp
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun, session_at_rest
from circle.screens.ending import PulseScreen, ReviewScreen
from circle.storage import Store


def make(tmp_path: Path) -> tuple[LiveRun, FakeClock]:
    store, clock = Store(tmp_path), FakeClock()
    run = LiveRun.start_new(
        store,
        clock,
        title="Closing day",
        agenda=resolve_agenda("group-circle"),
        mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"],
    )
    return run, clock


def screen_text(app: CircleApp) -> str:
    return app.export_screenshot().replace("&#160;", " ")


async def wait_for(pilot, predicate, tries: int = 50) -> None:
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached")


async def test_e_exports_the_minutes(tmp_path: Path) -> None:
    run, _ = make(tmp_path)
    run.session.add_question("Is <b>this</b> literal?")
    app = CircleApp(run.store, run)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        exports = tmp_path / "exports"
        await wait_for(pilot, lambda: exports.is_dir() and any(exports.iterdir()))
        await app.workers.wait_for_complete()
        written = next(exports.iterdir())
        assert written.name.endswith("-closing-day.md")
        text = written.read_text(encoding="utf-8")
        assert text.startswith("# Closing day — ")
        assert "Unfinished session" in text and "Is \\<b\\>this\\</b\\> literal?" in text


async def test_x_runs_the_whole_ending(tmp_path: Path) -> None:
    run, clock = make(tmp_path)
    open_action = run.session.add_action("Send the summary", owner="Ada")["seq"]
    run.session.add_action("Book the room", owner="Jon")
    clock.advance(600)
    app = CircleApp(run.store, run)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")  # confirm
        await wait_for(pilot, lambda: isinstance(app.screen, PulseScreen))
        # Person 1: score 9 with a comment; person 2: 7 without; person 3 skips.
        await pilot.press(*"9 Very useful", "enter")
        await pilot.press("1", "1", "enter")  # 11 is refused, nothing recorded
        assert "1 to 10" in str(app.screen.query_one("#dialog-error").render())
        await pilot.press("backspace", "backspace", "7", "enter")
        await pilot.pause()
        shown = screen_text(app)
        # While the pulse is open the room sees how many answered, never an average.
        present = len(run.session.roster.people)
        assert f"2 of {present} answered" in shown and "average" not in shown
        # Typed masked: no individual score or comment is projected.
        assert "Very useful" not in shown and ">9<" not in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("space", "enter")  # tick the first open action item: done
        await wait_for(pilot, lambda: run.session.ended)
        await pilot.press("y")  # export now
        await wait_for(pilot, lambda: (tmp_path / "exports").is_dir())
        await app.workers.wait_for_complete()
    run.writer.flush(5)
    stored = session_at_rest(run.store.load_session(run.session_id).events, None)
    assert stored.ended and stored.pulse_summary() == (2, 8.0)
    assert stored.actions[open_action].done
    assert [p["comment"] for p in stored.pulse] == ["Very useful", ""]
    assert run.store.get_summary(run.session_id)["status"] == "ended"
    minutes = next((tmp_path / "exports").iterdir()).read_text(encoding="utf-8")
    assert "Unfinished" not in minutes and "Very useful" in minutes


async def test_x_can_be_cancelled(tmp_path: Path) -> None:
    run, _ = make(tmp_path)
    app = CircleApp(run.store, run)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert not run.session.ended
        assert type(app.screen).__name__ == "LiveScreen"
