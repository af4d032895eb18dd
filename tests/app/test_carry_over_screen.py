"""The first item shows what a series carried over; each can be closed or kept."""

from __future__ import annotations

from pathlib import Path

from circle.agendafiles.parser import resolve_agenda
from circle.app import CircleApp
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun
from circle.storage import Store
from tests.app.live_helpers import palette


def start(store: Store, clock: FakeClock, title: str) -> LiveRun:
    return LiveRun.start_new(
        store,
        clock,
        title=title,
        agenda=resolve_agenda("group-circle"),
        series="Spring",
        mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"],
    )


async def test_carried_items_are_shown_and_can_be_closed(tmp_path: Path) -> None:
    store, clock = Store(tmp_path), FakeClock()
    first = start(store, clock, "Week 1")
    first.session.add_action("Draft the [b]plan[/b]", owner="Jon")
    parked = first.session.add_question("Salary bands?")["seq"]
    first.session.toggle_status(parked, "parked")
    first.close()
    second = start(store, clock, "Week 2")
    app = CircleApp(store, second)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        notes = str(app.screen.query_one("#notes-extra").render())
        assert "Carried over from last time" in notes
        assert "☐ Jon: Draft the [b]plan[/b]" in notes and "? Salary bands? [parked]" in notes
        await palette(pilot, "Close action item: Jon: Draft the [b]plan[/b]", "Close action")
        notes = str(app.screen.query_one("#notes-extra").render())
        assert "☑ Jon: Draft the [b]plan[/b]" in notes
        await pilot.press("n")  # the next item no longer shows the carry-over
        await pilot.pause()
        assert "Carried over" not in str(app.screen.query_one("#notes-extra").render())
    second.writer.flush(5)
    carried = [a for a in second.session.actions.values() if a.carried_in]
    assert [a.done for a in carried] == [True]
