"""`enter` on any field of a dialog submits it: a closed "Asked by" or "Owner" list
never opens again on `enter`; an open one takes `enter` to choose."""

from __future__ import annotations

from textual.widgets import Input, Select

from circle.screens.dialogs import ActionDialog, FlashNoteDialog, QuestionDialog
from circle.screens.insert import InsertItemDialog
from circle.screens.live import LiveScreen
from tests.app.live_helpers import (
    BIG,
    flash_run,
    make_app,
    open_dialog,
    palette,
    run_of,
    saved_events,
    settle,
    type_text,
    wait_for,
)


async def back_on_the_wall(pilot) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LiveScreen), what="the wall")
    await settle(pilot)


async def test_enter_on_the_asked_by_list_adds_the_question(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        dialog = await open_dialog(pilot, "q", QuestionDialog)
        await type_text(pilot, "Is a PhD worth it?")
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#asker", Select)
        await pilot.press("enter")
        await back_on_the_wall(pilot)
        assert saved_events(run_of(app))[-1]["data"]["text"] == "Is a PhD worth it?"
        assert saved_events(run_of(app))[-1]["data"]["asker"] is None


async def test_an_open_list_takes_enter_to_choose_then_enter_adds(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        dialog = await open_dialog(pilot, "q", QuestionDialog)
        await type_text(pilot, "Which team?")
        await pilot.press("tab", "space")  # space opens the list
        asker = dialog.query_one("#asker", Select)
        await wait_for(pilot, lambda: asker.expanded, what="the list to open")
        await pilot.press("down", "down", "enter")  # anonymous, Ada, Mira: choose Mira
        await pilot.pause()
        assert app.screen is dialog and asker.value == "Mira" and not asker.expanded
        await pilot.press("enter")
        await back_on_the_wall(pilot)
        assert saved_events(run_of(app))[-1]["data"]["asker"] == "Mira"


async def test_enter_on_the_owner_list_and_on_the_due_field_adds_the_action(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        dialog = await open_dialog(pilot, "t", ActionDialog)
        await type_text(pilot, "Send the list")
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#owner", Select)
        await pilot.press("enter")
        await back_on_the_wall(pilot)
        assert saved_events(run_of(app))[-1]["kind"] == "action_added"

        dialog = await open_dialog(pilot, "t", ActionDialog)
        await type_text(pilot, "Book the room")
        await pilot.press("tab", "tab")
        assert app.focused is dialog.query_one("#due", Input)
        await type_text(pilot, "2026-12-01")
        await pilot.press("enter")
        await back_on_the_wall(pilot)
        data = saved_events(run_of(app))[-1]["data"]
        assert data["text"] == "Book the room" and data["due"] == "2026-12-01"


async def test_enter_on_the_kind_list_inserts_the_item(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await palette(pilot, "Insert an agenda item")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, InsertItemDialog) else None
        )
        await type_text(pilot, "Lightning talks")
        await pilot.press("tab")
        await type_text(pilot, "10")
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#kind", Select)
        await pilot.press("enter")
        await back_on_the_wall(pilot)
        titles = [row["title"] for row in run_of(app).session.item_rows()]
        assert "Lightning talks" in titles


async def test_enter_on_the_meeting_list_of_a_flash_note_saves_it(tmp_path):
    run, _ = flash_run(tmp_path, mentors=["Ada", "Bo"])
    from circle.app import CircleApp

    app = CircleApp(run.store, run)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("f")
        await settle(pilot)
        dialog = await open_dialog(pilot, "o", FlashNoteDialog)
        await type_text(pilot, "Saying no")
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#meeting", Select)
        await pilot.press("enter")
        await back_on_the_wall(pilot)
        assert saved_events(run)[-1]["data"]["text"] == "Saying no"


async def test_the_hint_says_how_to_open_a_list(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        dialog = await open_dialog(pilot, "q", QuestionDialog)
        hint = str(dialog.query_one(".dialog-hint").render())
        assert hint == "enter: add · escape: cancel · space: open a list"
