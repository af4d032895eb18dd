"""`e` exports now; `x` ends: confirm, pulse, review, save, offer the export."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

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
        await pilot.press("space", "space", "enter")  # the first item: open, in progress, done
        await wait_for(pilot, lambda: run.session.ended)
        await pilot.press("y")  # export now
        await wait_for(pilot, lambda: (tmp_path / "exports").is_dir())
        await app.workers.wait_for_complete()
    run.writer.flush(5)
    stored = session_at_rest(run.store.load_session(run.session_id).events, None)
    assert stored.ended and sorted(p["score"] for p in stored.pulse) == [7, 9]
    assert stored.actions[open_action].done
    assert [p["comment"] for p in stored.pulse] == ["Very useful", ""]
    assert run.store.get_summary(run.session_id)["status"] == "ended"
    minutes = next((tmp_path / "exports").iterdir()).read_text(encoding="utf-8")
    assert "Unfinished" not in minutes and "Very useful" in minutes


async def review(app: CircleApp, pilot, run: LiveRun) -> ReviewScreen:
    """Through the confirm and the pulse to the review of action items."""
    await pilot.press("x")
    await pilot.pause()
    await pilot.press("y")
    await wait_for(pilot, lambda: isinstance(app.screen, PulseScreen))
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def review_rows(screen: ReviewScreen) -> list[str]:
    rows = screen.query_one(OptionList)
    return [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]


async def test_the_review_sets_any_of_the_four_states(tmp_path: Path) -> None:
    run, _ = make(tmp_path)
    session = run.session
    summary = session.add_action("Send the summary", owner="Ada", due="2026-10-01")["seq"]
    room = session.add_action("Book the room", owner="Jon")["seq"]
    slides = session.add_action("Share the slides", owner="Mira")["seq"]
    session.set_action_status(slides, "in progress")
    done = session.add_action("Already done", owner="Priya")["seq"]
    session.set_action_done(done)
    app = CircleApp(run.store, run)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await review(app, pilot, run)
        # Only what is still owed is reviewed, each row with its state in words.
        assert review_rows(screen) == [
            "☐ open        Ada: Send the summary (due 2026-10-01)",
            "☐ open        Jon: Book the room",
            "◐ in progress Mira: Share the slides",
        ]
        await pilot.press("space")  # Send the summary: in progress
        await pilot.press("down", "left")  # Book the room: back round to dropped
        await pilot.press("down", "right", "right", "left")  # Share the slides: done
        await pilot.pause()
        assert review_rows(screen) == [
            "◐ in progress Ada: Send the summary (due 2026-10-01)",
            "☒ dropped     Jon: Book the room",
            "☑ done        Mira: Share the slides",
        ]
        await pilot.press("enter")
        await wait_for(pilot, lambda: session.ended)
        await pilot.press("n")  # no export
    stored = session_at_rest(run.store.load_session(run.session_id).events, None)
    statuses = {a: stored.actions[a].status for a in (summary, room, slides, done)}
    assert statuses == {summary: "in progress", room: "dropped", slides: "done", done: "done"}


async def test_the_review_records_only_what_changed(tmp_path: Path) -> None:
    run, _ = make(tmp_path)
    session = run.session
    session.add_action("Send the summary", owner="Ada")
    app = CircleApp(run.store, run)
    async with app.run_test(size=(120, 40)) as pilot:
        await review(app, pilot, run)
        await pilot.press("space", "left", "enter")  # in progress, then open again
        await wait_for(pilot, lambda: session.ended)
        await pilot.press("n")
    kinds = [e["kind"] for e in run.store.load_session(run.session_id).events]
    assert "action_status" not in kinds


async def test_the_review_keeps_typed_text_behind_the_blind(tmp_path: Path) -> None:
    run, _ = make(tmp_path)
    run.session.add_action("Call the recruiter", owner="Jon", due="2026-10-01")
    run.session.set_blind(True)
    app = CircleApp(run.store, run)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await review(app, pilot, run)
        assert review_rows(screen) == ["☐ open        •••: (hidden) (due (hidden))"]
        shown = screen_text(app)
        assert "recruiter" not in shown and "2026-10-01" not in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: run.session.ended)


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
