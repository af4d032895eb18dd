"""Setup in a live room: Tab goes through the names in order, the here/absent toggles say
their state in words, a session needs a mentor who is here, the agenda's intro shows, and
nothing is called wrong before anything is typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from circle.app import CircleApp
from circle.domain.roster import NO_PRESENT_MENTOR
from circle.screens.setup import SetupScreen
from circle.screens.setup_form import AbsentToggle
from circle.storage import Store
from tests.app.live_helpers import notices, record_notices, type_text

SIZE = (130, 50)
NAMES = ["mentor-1", "mentor-2", "mentee-1", "mentee-2", "mentee-3", "mentee-4", "mentee-5"]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data")


async def open_setup(pilot) -> SetupScreen:
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SetupScreen)
    return screen


def problems(screen: SetupScreen) -> str:
    return str(screen.query_one("#problems", Static).render())


def toggle(screen: SetupScreen, slot: str) -> AbsentToggle:
    return screen.query_one(f"#{slot}-absent", AbsentToggle)


async def test_tab_goes_through_the_names_in_order_and_a_space_never_ticks(store):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(pilot)
        await type_text(pilot, "Tuesday")
        await pilot.press("tab", "tab")  # past the series, to the first name
        typed = ["Sam Patel", "Dee Ann Roe", "Mira Chen", "Jon Li", "Priya K", "Leo M", "Eli N"]
        for slot, name in zip(NAMES, typed, strict=True):
            assert app.focused is screen.query_one(f"#{slot}", Input), slot
            await type_text(pilot, name)  # spaces included
            await pilot.press("tab")
        for slot, name in zip(NAMES, typed, strict=True):
            assert screen.query_one(f"#{slot}", Input).value == name
            assert not toggle(screen, slot).absent, slot
        # After the last name, Tab reaches the toggles, in the same order.
        for slot in NAMES:
            assert app.focused is toggle(screen, slot), slot
            await pilot.press("tab")
        assert screen.absent() == []


async def test_a_toggle_says_here_or_absent_in_words(store):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(pilot)
        mentee = toggle(screen, "mentee-2")
        assert str(mentee.render()).strip() == "here"
        mentee.focus()
        await pilot.press("space")
        assert mentee.absent and str(mentee.render()).strip() == "ABSENT"
        await pilot.press("enter")
        assert not mentee.absent and str(mentee.render()).strip() == "here"
        await pilot.click(f"#{mentee.id}")
        assert mentee.absent


async def test_a_session_with_no_mentor_here_is_refused_with_a_reason(store):
    app = record_notices(CircleApp(store, None))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(pilot)
        await type_text(pilot, "Tuesday")
        await pilot.press("tab", "tab")
        for name in ("Ada", "Ben", "Mira", "Jon", "Priya"):
            await type_text(pilot, name)
            await pilot.press("tab")
        start = screen.query_one("#start", Button)
        assert not start.disabled and problems(screen) == ""
        for slot in ("mentor-1", "mentor-2"):
            toggle(screen, slot).focus()
            await pilot.press("space")
        await pilot.pause()
        assert NO_PRESENT_MENTOR in problems(screen)
        assert start.disabled
        assert screen.query_one("#mentor-1", Input).has_class("-invalid")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert f"Can't start yet: {NO_PRESENT_MENTOR}" in notices(app)
        assert store.list_sessions() == []
        toggle(screen, "mentor-2").focus()
        await pilot.press("space")  # Ben is here after all
        await pilot.pause()
        assert problems(screen) == "" and not start.disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "LiveScreen"
        roster = app.run_.session.roster
        assert roster.status("Ada") == "absent" and roster.status("Ben") == "present"


async def test_setup_shows_the_agendas_intro(store, tmp_path):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(pilot)
        intro = str(screen.query_one("#agenda-intro", Static).render())
        assert intro.startswith("A regular session for one or two mentors and three to five")
        assert "\n" not in intro  # the paragraph reflowed, not the file's line breaks
        mine = tmp_path / "mine.md"
        mine.write_text("# Mine\n\nWhy we [bold]meet[/].\n\n## Talk (10 min)\n")
        screen.query_one("#agenda-file", Input).value = str(mine)
        await pilot.pause()
        await screen.workers.wait_for_complete()  # read off the UI's loop
        await pilot.pause()
        assert str(screen.query_one("#agenda-intro", Static).render()) == "Why we [bold]meet[/]."


async def test_nothing_is_called_wrong_before_anything_is_typed(store):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(pilot)
        assert problems(screen) == ""
        assert not screen.query(".-invalid")
        assert screen.query_one("#start", Button).disabled
        await type_text(pilot, "T")
        await pilot.pause()
        assert "A session has 1 or 2 mentors, not 0" in problems(screen)
