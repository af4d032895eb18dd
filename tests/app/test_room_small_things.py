"""Small things a live room ran into: the palette's Screenshot saves into the data
directory, durations read as m:ss or N min (never decimals), the palette's words for
attendance and interjections, and "Skip in this round"."""

from __future__ import annotations

from textual.widgets import Input

from circle.screens.dialogs import MinutesDialog, duration_field, parse_duration
from circle.screens.palette import live_commands
from tests.app.live_helpers import (
    BIG,
    ROUND_INDEX,
    advance,
    go_to_item,
    live,
    make_app,
    notices,
    palette,
    queue_lines,
    run_of,
    settle,
    type_text,
    undo,
    wait_for,
)


async def test_the_palettes_screenshot_saves_into_the_data_directory(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await palette(pilot, "Screenshot")
        folder = app.store.data_dir / "screenshots"
        shots = await wait_for(pilot, lambda: list(folder.glob("*.svg")), what="a screenshot")
        assert len(shots) == 1
        assert "Tuesday&#160;circle" in shots[0].read_text()  # the wall, as it was
        assert any(n.startswith(f"Screenshot saved to {folder}") for n in notices(app))


def test_durations_in_a_field_are_minutes_or_m_ss():
    assert [duration_field(m) for m in (20, 4.8, 0.5, 289 / 60, None)] == [
        "20",
        "4:48",
        "0:30",
        "4:49",
        "",
    ]
    assert [parse_duration(t) for t in ("20", "4:48", "0:30", ":45", "4.8")] == [
        1200,
        288,
        30,
        45,
        288,
    ]
    assert [parse_duration(t) for t in ("4:5", "4:60", "x", "", "1:2:3")] == [None] * 5


async def test_after_a_rebalance_times_read_m_ss_never_decimals(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await advance(pilot, clock, 420)  # 2 min over: the rest shrinks
        await pilot.press("r")
        await settle(pilot)
        helps = {name: help for name, help, _ in live_commands(live(app).controls)}
        assert helps["Change planned time: Last time's action items"] == "now 4:49"
        assert helps["Change planned time: Wrap-up: takeaways, action items and pulse"] == (
            "now 9:38"
        )
        await palette(pilot, "Change planned time: Hot seat round")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, MinutesDialog) else None
        )
        field = dialog.query_one("#text", Input)
        assert field.value == "19:16"
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "18:30")
        await pilot.press("enter")
        await settle(pilot)
        planned = {row["title"]: row["planned_s"] for row in run_of(app).session.item_rows()}
        assert planned["Hot seat round"] == 1110


async def test_the_changeover_reads_as_m_ss(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        helps = {name: help for name, help, _ in live_commands(live(app).controls)}
        assert helps["Flash: changeover time"] == "now 0:30"
        await palette(pilot, "Flash: changeover time")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, MinutesDialog) else None
        )
        assert dialog.query_one("#text", Input).value == "0:30"
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "1:15")
        await pilot.press("enter")
        await settle(pilot)
        assert run_of(app).session.changeover_s == 75


async def test_skip_in_this_round_is_in_the_palette_and_undoable(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await go_to_item(pilot, ROUND_INDEX)
        assert queue_lines(app)[1] == "2. Jon new (round)"
        await palette(pilot, "Skip in this round: Jon")
        assert "Jon" not in " ".join(queue_lines(app))
        assert (await undo(pilot)).startswith("Undone")
        assert queue_lines(app)[1] == "2. Jon new (round)"


async def test_the_palette_says_has_left_and_what_an_interjection_does(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        helps = {name: help for name, help, _ in live_commands(live(app).controls)}
        assert helps["Attendance: Jon has left"] == "now is here"
        assert helps["Mentor speaks now: Ada"] == "a mentee's turn pauses; d or 0 gives it back"
        await palette(pilot, "Attendance: Jon has left")
        assert run_of(app).session.roster.status("Jon") == "left"
