"""The wall at every size: too small, 80×24, 160×45, projection views; a tick that does not
reflow the screen."""

from __future__ import annotations

import pytest

from circle.widgets.bigdigits import BigCountdown
from circle.widgets.board import BoardPanel
from tests.app.live_helpers import (
    BIG,
    CLOSE_INDEX,
    advance,
    board_lines,
    count_layouts,
    go_to_item,
    live,
    make_app,
    region_text,
    run_of,
    saved_kinds,
    screen_text,
    settle,
    widget_text,
)


# -- sizes ----------------------------------------------------------------------------
async def test_too_small_below_80_by_24(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(79, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "Terminal too small" in shown
        assert "Agenda" not in shown and "Queue" not in shown
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        shown = screen_text(app)
        assert "Terminal too small" not in shown
        assert "Agenda" in shown and "Queue" in shown and "Questions (0)" in shown
        await pilot.resize_terminal(80, 23)
        await settle(pilot)
        assert "Terminal too small" in screen_text(app)
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        assert "Terminal too small" not in screen_text(app)
        assert live(app).has_class("-large")


async def test_80_by_24_shows_everything_at_once(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        run = run_of(app)
        await pilot.press("1", "2", "s")
        run.session.add_question("What should I read first?")
        await advance(pilot, clock, 65)
        shown = screen_text(app)
        for expected in (
            "Tuesday circle",
            "ends ",
            "Agenda",
            "Check-in",
            "4 min left",
            "Speaking: Mira",
            "01:05",
            "Queue",
            "1. Jon new",
            "Mira",
            "100 %",
        ):
            assert expected in shown, expected
        assert "Terminal too small" not in shown
        # The board is narrow here: the selected question wraps, whole.
        assert "What should I read first?" in region_text(app, live(app).query_one(BoardPanel))


async def test_big_countdown_is_at_least_six_rows_at_160_by_45(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        digits = live(app).query_one("#digits", BigCountdown)
        rows = [line for line in widget_text(digits).splitlines() if line.strip()]
        assert len(rows) >= 6


# -- z: projection views --------------------------------------------------------------
async def test_z_cycles_full_timer_and_board_views(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.add_question("Visible in the board view?")
        await advance(pilot, clock, 65)
        screen = live(app)
        full_digits = screen.query_one("#digits", BigCountdown).region.height
        assert screen.projection == "full"
        assert not screen.has_class("-view-timer") and not screen.has_class("-view-board")

        await pilot.press("z")
        await settle(pilot)
        assert screen.projection == "timer"
        assert screen.has_class("-view-timer") and not screen.has_class("-view-full")
        for hidden in ("#agenda", "#people", "#lower"):
            assert screen.query_one(hidden).display is False, hidden
        assert screen.query_one("#countdown").display is True
        assert screen.query_one("#digits", BigCountdown).region.height > full_digits
        shown = screen_text(app)
        assert "Check-in and ground rules" in shown and "4 min left" in shown
        assert "Visible in the board view?" not in shown

        await pilot.press("z")
        await settle(pilot)
        assert screen.projection == "board"
        assert screen.has_class("-view-board") and not screen.has_class("-view-timer")
        assert screen.query_one("#upper").display is False
        assert screen.query_one("#notes-column").display is False
        assert screen.query_one("#board-column").display is True
        assert "Visible in the board view?" in screen_text(app)
        # Board keys still work in the board view.
        await pilot.press("v")
        await settle(pilot)
        assert board_lines(app)[0].startswith("▸ ▲1")

        await pilot.press("z")
        await settle(pilot)
        assert screen.projection == "full"
        assert screen.has_class("-view-full")
        assert not screen.has_class("-view-timer") and not screen.has_class("-view-board")
        for shown_again in ("#agenda", "#people", "#lower", "#countdown"):
            assert screen.query_one(shown_again).display is True
        # Views are a display choice, not an event.
        assert "view" not in " ".join(saved_kinds(run))


@pytest.mark.parametrize("size", [(120, 34), (120, 45), BIG])
async def test_a_sixty_character_question_fits_one_line_at_120_columns(tmp_path, clock, size):
    question = "How do you decide which of two job offers to take, honestly?"
    assert len(question) == 60
    app = make_app(tmp_path, clock)
    async with app.run_test(size=size) as pilot:
        run = run_of(app)
        run.session.add_question(question)
        run.session.add_question(question.replace("job", "dev"), "Priya")
        await settle(pilot)
        shown = screen_text(app)
        other = question.replace("job", "dev")
        assert question in shown
        assert other in shown  # the question first; the asker's name gets what is left
        if size == BIG:
            assert other + " — Priya" in shown


async def test_close_item_shows_the_action_items_at_80_by_24(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        run = run_of(app)
        run.session.add_action("Send the list", "Ada")
        await go_to_item(pilot, CLOSE_INDEX)
        assert "Ada: Send the list" in region_text(app, live(app).query_one("#notes-column"))


async def test_takeaways_show_under_the_notes_at_80_by_24(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        run_of(app).session.add_takeaway("Keep it short")
        await settle(pilot)
        assert "Keep it short" in region_text(app, live(app).query_one("#notes-column"))


# -- the tick redraws only what changes with time ------------------------------------
@pytest.mark.parametrize("seconds", [0, 1])
async def test_a_tick_does_not_lay_the_screen_out_again(tmp_path, clock, seconds):
    """Twice a second the clocks are pushed down; unchanged text must not reflow the wall."""
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run_of(app).session.add_question("Steady?")
        await pilot.press("1", "s")
        await advance(pilot, clock, 10)
        await pilot.pause(0.6)
        screen = live(app)
        layouts = count_layouts(screen)
        clock.advance(seconds)  # 4:50 left -> 4:49: same words, same sizes
        screen.tick()
        await pilot.pause(0.1)
        assert layouts == []
