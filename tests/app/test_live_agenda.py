"""The agenda on the live screen: next and previous, pause, more or less time, rebalancing
and the palette's live edits. Each runs the real app headless on a `FakeClock`; "saved"
means flushed through the writer and read back from the store."""

from __future__ import annotations

from textual.widgets import Input

from circle.screens.dialogs import MinutesDialog
from circle.screens.insert import InsertItemDialog
from circle.screens.live import LiveScreen
from circle.widgets.bigdigits import BigCountdown
from circle.widgets.panels import TopBar
from tests.app.live_helpers import (
    BIG,
    CLOSE_INDEX,
    advance,
    agenda_lines,
    assert_rebuild_matches,
    countdown,
    countdown_state,
    go_to_item,
    live,
    make_app,
    new_saved_kinds,
    notices,
    palette,
    run_of,
    saved_events,
    saved_kinds,
    screen_text,
    settle,
    speaker,
    text,
    type_text,
    undo,
    wait_for,
    widget_text,
)


# -- the agenda keys ------------------------------------------------------------
async def test_next_and_previous_item_keys_move_the_agenda_and_are_saved(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await settle(pilot)
        assert countdown(app)[0] == "Check-in and ground rules"
        assert agenda_lines(app)[0].startswith("▶ Check-in")
        before = len(saved_events(run))

        await advance(pilot, clock, 90)
        await pilot.press("n")
        await settle(pilot)
        assert countdown(app)[0] == "Last time's action items"
        rows = agenda_lines(app)
        assert rows[0].startswith("✓ Check-in") and rows[0].endswith("5m 01:30")
        assert rows[1].startswith("▶ Last time's action")
        assert rows[2].startswith("› Hot seat round")

        await pilot.press("pagedown")
        await settle(pilot)
        assert countdown(app)[0] == "Hot seat round"

        await pilot.press("pageup")
        await settle(pilot)
        assert countdown(app)[0] == "Last time's action items"

        await pilot.press("b")
        await settle(pilot)
        assert countdown(app)[0] == "Check-in and ground rules"

        await pilot.press("b")  # the first item: refused with a notice, nothing saved
        await settle(pilot)
        assert "This is the first item" in notices(app)
        events = saved_events(run)[before:]
        assert [e["kind"] for e in events] == ["item_changed"] * 4
        ids = [e["data"]["to"] for e in events]
        assert ids == [1, 2, 1, 0]


async def test_the_last_item_refuses_next(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await go_to_item(pilot, CLOSE_INDEX)
        before = len(saved_events(run_of(app)))
        await pilot.press("n")
        await settle(pilot)
        assert any("last item" in n for n in notices(app))
        assert new_saved_kinds(run_of(app), before) == []


async def test_space_pauses_item_and_turn_time_and_resumes(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await pilot.press("1", "s")
        await advance(pilot, clock, 30)
        assert countdown(app) == ("Check-in and ground rules", "04:30", "5 min left")
        assert "00:30" in speaker(app)

        await pilot.press("space")
        await settle(pilot)
        await advance(pilot, clock, 120)
        title, digits, words = countdown(app)
        assert digits == "04:30"
        assert words == "PAUSED · 5 min left"
        assert countdown_state(app) == "-paused"
        assert "PAUSED" in text(app, TopBar)
        assert "00:30" in speaker(app)  # the turn timer stopped too
        assert "PAUSED" in screen_text(app)

        await pilot.press("space")
        await advance(pilot, clock, 10)
        assert countdown(app)[1:] == ("04:20", "4 min left")
        assert countdown_state(app) == "-ok"
        assert "PAUSED" not in screen_text(app)
        assert "00:40" in speaker(app)
        assert saved_kinds(run)[-2:] == ["paused", "resumed"]


async def test_plus_and_minus_change_the_current_item_by_a_minute(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await settle(pilot)
        await pilot.press("+")
        await settle(pilot)
        assert countdown(app)[1:] == ("06:00", "6 min left")
        assert " 6m " in agenda_lines(app)[0]
        await pilot.press("-", "-")
        await settle(pilot)
        assert countdown(app)[1:] == ("04:00", "4 min left")
        events = saved_events(run)
        assert [(e["kind"], e["data"]["by_s"]) for e in events[-3:]] == [
            ("item_extended", 60),
            ("item_extended", -60),
            ("item_extended", -60),
        ]
        # Shorter than a minute is refused, not crashed.
        await pilot.press("-", "-", "-", "-")
        await settle(pilot)
        assert countdown(app)[1] == "01:00"
        assert any("shorter than 1 min" in n for n in notices(app))


# -- r: rebalance ---------------------------------------------------------------------
async def test_r_refuses_when_on_time(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        before = len(saved_events(run))
        await advance(pilot, clock, 120)
        await pilot.press("r")
        await settle(pilot)
        assert "Nothing to rebalance: the session is on time" in notices(app)
        assert len(saved_events(run)) == before


async def test_r_refuses_when_no_items_are_left(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await go_to_item(pilot, CLOSE_INDEX)
        await advance(pilot, clock, 3600)
        await pilot.press("r")
        await settle(pilot)
        assert "Nothing to rebalance: there are no items after this one" in notices(app)


async def test_r_spreads_the_overrun_in_proportion(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await advance(pilot, clock, 420)  # 5 min item, 7 min spent: 2 min late
        assert "(2 min late)" in text(app, TopBar)
        planned_end = run.session.planned_end_wall()
        assert run.session.forecast_end_wall() == planned_end + 120
        await pilot.press("r")
        await settle(pilot)
        assert "Rebalanced: the remaining items now end on time" in notices(app)
        planned = {row["id"]: row["planned_s"] for row in run.session.item_rows()}
        # 55 min left to absorb 2 min: cuts in proportion, remainder to the longest.
        assert planned == {0: 300, 1: 289, 2: 1156, 3: 290, 4: 867, 5: 578}
        assert run.session.forecast_end_wall() == planned_end
        assert "(on time)" in text(app, TopBar)
        rows = agenda_lines(app)
        # Planned times as m:ss, never a decimal.
        assert "4:49" in rows[1] and "19:16" in rows[2] and "14:27" in rows[4]
        event = saved_events(run)[-1]
        assert event["kind"] == "rebalanced"
        assert event["data"]["planned"] == {"1": 289, "2": 1156, "3": 290, "4": 867, "5": 578}
        # Undo puts the plan back.
        assert await undo(pilot) == "Undone: the rebalance"
        assert run.session.item_rows()[2]["planned_s"] == 1200
        assert_rebuild_matches(run)


async def test_r_with_skipped_and_inserted_items_and_a_pause(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        session = run.session
        await palette(pilot, "Skip item: Break")
        session.insert_item("Guest speaker", 600)  # after the current item
        await advance(pilot, clock, 600)  # 10 min on a 5 min item
        await pilot.press("space")
        await advance(pilot, clock, 180)  # paused 3 min: the wall clock still moves
        await pilot.press("space")
        await settle(pilot)
        # Late: 5 over + 3 paused + 10 inserted - 5 skipped = 13 min.
        assert session.behind_s() == 780
        assert "(13 min late)" in text(app, TopBar)
        await pilot.press("r")
        await settle(pilot)
        rows = {row["title"]: row for row in session.item_rows()}
        assert rows["Break"]["status"] == "skipped"
        assert rows["Break"]["planned_s"] == 300
        new = {title: row["planned_s"] for title, row in rows.items() if title != "Break"}
        inserted = 600 - 780 * 600 // 3600
        assert new["Guest speaker"] == inserted == 470
        assert new["Hot seat round"] == 1200 - 260
        assert new["Open questions"] == 900 - 195
        assert sum(v for k, v in new.items() if k != "Check-in and ground rules") == 3600 - 780
        assert session.behind_s() == 0
        assert session.forecast_end_wall() == session.planned_end_wall()
        assert "(on time)" in text(app, TopBar)
        assert "✗ Break" in screen_text(app)
        assert_rebuild_matches(run)


async def test_r_refuses_an_overrun_too_big_to_absorb(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await advance(pilot, clock, 3600)  # 55 min over on a 5 min item: 55 min left
        before = len(saved_events(run))
        await pilot.press("r")
        await settle(pilot)
        assert (
            "Can't rebalance: 55 min over, but the 5 remaining item(s) have only 50 min to give"
            in notices(app)
        )
        assert len(saved_events(run)) == before


# -- palette: live agenda edits -----------------------------------------------------------
async def test_palette_skip_item(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await palette(pilot, "Skip item: Last time's action items")
        rows = agenda_lines(app)
        assert rows[1].startswith("✗ Last time's action")
        assert rows[2].startswith("› Hot seat round")
        assert "(5 min early)" in text(app, TopBar)
        assert saved_events(run)[-1]["data"] == {"item": 1}
        await pilot.press("n")
        await settle(pilot)
        assert text(app, "#item-title") == "Hot seat round"


async def test_palette_skips_the_current_item(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await advance(pilot, clock, 60)
        await palette(pilot, "Skip item: Check-in and ground rules")
        assert text(app, "#item-title") == "Last time's action items"
        assert agenda_lines(app)[0].startswith("✗ Check-in")


async def test_palette_inserts_an_agenda_item(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await palette(pilot, "Insert an agenda item")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, InsertItemDialog) else None
        )
        assert app.focused is dialog.query_one("#text", Input)
        await type_text(pilot, "Guest speaker")
        await pilot.press("enter")  # no minutes yet: stays open
        await pilot.pause()
        assert "Give its length in minutes" in widget_text(dialog.query_one("#dialog-error"))
        await pilot.press("tab")
        await type_text(pilot, "10")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        rows = agenda_lines(app)
        assert rows[1].startswith("› Guest speaker") and " 10m" in rows[1]
        assert "(10 min late)" in text(app, TopBar)
        event = saved_events(run)[-1]
        assert (event["kind"], event["data"]) == (
            "item_inserted",
            {"title": "Guest speaker", "planned_s": 600, "kind": "discussion"},
        )
        await pilot.press("n")
        await settle(pilot)
        assert text(app, "#item-title") == "Guest speaker"


async def test_palette_moves_an_item_down_and_up(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await palette(pilot, "Move item down: Break")
        titles = [row["title"] for row in run.session.item_rows()]
        assert titles[3:5] == ["Open questions", "Break"]
        rows = agenda_lines(app)
        assert rows[3].lstrip(" ›").startswith("Open questions")
        assert rows[4].lstrip().startswith("Break")
        assert saved_events(run)[-1]["data"] == {"item": 3, "offset": 1}
        await palette(pilot, "Move item up: Break")
        assert [row["title"] for row in run.session.item_rows()][3] == "Break"


async def test_palette_changes_planned_time(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await palette(pilot, "Change planned time: Hot seat round")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, MinutesDialog) else None
        )
        field = dialog.query_one("#text", Input)
        assert app.focused is field and field.value == "20"
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "25")
        await pilot.press("enter")
        await settle(pilot)
        assert " 25m" in agenda_lines(app)[2]
        assert "(5 min late)" in text(app, TopBar)
        assert saved_events(run)[-1]["data"] == {"item": 2, "planned_s": 1500}
        # The current item too: the countdown follows.
        await palette(pilot, "Change planned time: Check-in and ground rules")
        await wait_for(pilot, lambda: isinstance(app.screen, MinutesDialog))
        await pilot.press("backspace")
        await type_text(pilot, "8")
        await pilot.press("enter")
        await settle(pilot)
        assert live(app).query_one("#digits", BigCountdown).text == "08:00"
