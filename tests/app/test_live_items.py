"""Item kinds and the timer's states on the wall: rounds, breaks, the board, the close,
the warning, the overrun and its one bell."""

from __future__ import annotations

import pytest

from circle.widgets.bigdigits import BigCountdown
from circle.widgets.board import BoardPanel
from circle.widgets.panels import BigSpeakerPanel
from tests.app.live_helpers import (
    BIG,
    BOARD_INDEX,
    BREAK_INDEX,
    CLOSE_INDEX,
    ROUND_INDEX,
    advance,
    count_bells,
    countdown,
    countdown_state,
    go_to_item,
    live,
    make_app,
    queue_lines,
    region_text,
    run_of,
    saved_events,
    screen_text,
    settle,
    speaker,
    text,
)


# -- item kinds -------------------------------------------------------------------
async def test_round_puts_everyone_in_roster_order_with_a_budget(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        # Leo and Priya spoke before the round: progressive stack would put them last.
        await pilot.press("4", "s")
        await advance(pilot, clock, 100)
        await pilot.press("3", "s")
        await advance(pilot, clock, 50)
        await pilot.press("d")
        await go_to_item(pilot, ROUND_INDEX)
        assert countdown(app)[0] == "Hot seat round"
        assert queue_lines(app) == [
            "1. Mira new (round)",
            "2. Jon new (round)",
            "3. Priya (round)",
            "4. Leo (round)",
        ]
        await pilot.press("s")
        await settle(pilot)
        # 20 min for 4 mentees: 5 min a turn.
        assert speaker(app) == "Speaking: Mira 00:00 / 05:00"
        await advance(pilot, clock, 300)
        assert speaker(app) == "Speaking: Mira 05:00 / 05:00"
        assert "OVER BUDGET" not in screen_text(app)
        await advance(pilot, clock, 1)
        assert speaker(app) == "Speaking: Mira 05:01 / 05:00 OVER BUDGET"
        # A hand raised during the round goes after the round's order.
        await pilot.press("1", "s")
        await settle(pilot)
        assert speaker(app) == "Speaking: Jon 00:00 / 05:00"
        assert queue_lines(app) == ["1. Priya (round)", "2. Leo (round)", "3. Mira"]
        started = [e for e in saved_events(run_of(app)) if e["kind"] == "turn_started"]
        assert [(e["data"]["person"], e["data"]["budget_s"]) for e in started[-2:]] == [
            ("Mira", 300.0),
            ("Jon", 300.0),
        ]
        # Leaving the round takes the round's places away, hands stay.
        await pilot.press("n")
        await pilot.press("n")
        await settle(pilot)
        assert queue_lines(app) == ["1. Mira"]


async def test_a_mentee_speaking_when_the_round_starts_still_has_her_round_turn(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("1", "s")  # Mira is speaking as the round begins
        await advance(pilot, clock, 20)
        await go_to_item(pilot, ROUND_INDEX)
        await pilot.press("d")  # she finishes what she was saying
        await settle(pilot)
        assert queue_lines(app)[0] == "1. Mira (round)"
        started = []
        for _ in range(4):
            await pilot.press("s")
            await settle(pilot)
            started.append(speaker(app).split()[1])
        assert started == ["Mira", "Jon", "Priya", "Leo"]


@pytest.mark.parametrize(
    "size",
    [
        BIG,
        (80, 24),
    ],
)
async def test_round_budget_warning_is_readable_on_the_wall(tmp_path, clock, size):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=size) as pilot:
        await go_to_item(pilot, ROUND_INDEX)
        await pilot.press("s")
        await advance(pilot, clock, 301)
        shown = screen_text(app)
        if size == BIG:  # the big speaker panel: the turn in digits, the budget in words
            panel = live(app).query_one(BigSpeakerPanel)
            assert panel.query_one(BigCountdown).text == "05:01"
            assert "OVER BUDGET (05:00 a turn)" in region_text(app, panel)
            assert panel.has_class("-over")
        else:
            assert "05:01 / 05:00" in shown
            assert "OVER BUDGET" in shown


async def test_break_hides_the_queue_and_the_board(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        screen = live(app)
        await pilot.press("1")
        await go_to_item(pilot, BREAK_INDEX)
        await pilot.pause()
        assert screen.has_class("-kind-break")
        assert screen.query_one("#people").display is False
        assert screen.query_one("#board-column").display is False
        shown = screen_text(app)
        assert "Queue" not in shown and "Mira" not in shown
        assert "Break" in shown
        await pilot.press("n")
        await settle(pilot)
        assert screen.query_one("#people").display is True
        assert "Queue" in screen_text(app)


async def test_board_item_puts_the_board_in_focus(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        screen = live(app)
        await go_to_item(pilot, BOARD_INDEX - 1)
        assert not isinstance(app.focused, BoardPanel)
        await pilot.press("n")
        await settle(pilot)
        assert screen.has_class("-kind-board")
        assert isinstance(app.focused, BoardPanel)


async def test_close_item_shows_the_action_items(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.add_action("Send the reading list", "Ada", "2026-12-18")
        run.session.add_action("Draft the pitch", "Mira")
        await go_to_item(pilot, CLOSE_INDEX)
        notes = text(app, "#notes-extra")
        assert notes.splitlines() == [
            "Action items",
            "☐ Ada: Send the reading list (due 2026-12-18)",
            "☐ Mira: Draft the pitch",
        ]
        assert "Send the reading list" in screen_text(app)


async def test_close_item_without_action_items_says_how_to_add_one(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await go_to_item(pilot, CLOSE_INDEX)
        assert "No action items yet (press t to add one)" in text(app, "#notes-extra")
        assert "No action items yet" in screen_text(app)


# -- the timer's states -----------------------------------------------------------
async def test_warning_at_one_minute_for_a_short_item(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await advance(pilot, clock, 239)  # 5 min item: 1 min (> 20 %) is the threshold
        assert countdown(app)[1:] == ("01:01", "1 min left")
        assert countdown_state(app) == "-ok"
        await advance(pilot, clock, 1)
        assert countdown(app)[1:] == ("01:00", "1 min left")
        assert countdown_state(app) == "-warning"
        await advance(pilot, clock, 30)
        assert countdown(app)[1:] == ("00:30", "30 s left")
        assert countdown_state(app) == "-warning"


async def test_warning_at_twenty_percent_for_a_long_item(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await go_to_item(pilot, ROUND_INDEX)  # 20 min: 20 % is 4 min
        await advance(pilot, clock, 959)
        assert countdown(app)[1] == "04:01"
        assert countdown_state(app) == "-ok"
        await advance(pilot, clock, 1)
        assert countdown(app)[1:] == ("04:00", "4 min left")
        assert countdown_state(app) == "-warning"


async def test_overrun_shows_over_in_words_and_rings_one_bell(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        bells = count_bells(app)
        await advance(pilot, clock, 299)
        assert bells == []
        await advance(pilot, clock, 1)
        assert countdown(app)[1:] == ("00:00", "time is up")
        assert bells == []
        await advance(pilot, clock, 72)
        assert countdown(app)[1:] == ("+01:12", "OVER +01:12")
        assert countdown_state(app) == "-over"
        assert "OVER +01:12" in screen_text(app)
        assert bells == [1]
        for _ in range(5):
            await advance(pilot, clock, 30)
            await pilot.pause(0.6)  # let the screen's own tick run too
        assert countdown(app)[2] == "OVER +03:42"
        assert bells == [1]
        # Paused while over: still over, in words too, and no second bell.
        await pilot.press("space")
        await settle(pilot)
        assert countdown(app)[2] == "PAUSED · OVER +03:42"
        assert countdown_state(app) == "-paused"
        assert bells == [1]


async def test_overrun_bell_rings_once_per_item(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        bells = count_bells(app)
        await advance(pilot, clock, 301)
        await pilot.press("n")
        await advance(pilot, clock, 301)
        assert bells == [1, 1]
        await pilot.press("b")  # back to the first item, still over: no new bell
        await advance(pilot, clock, 5)
        assert countdown_state(app) == "-over"
        assert bells == [1, 1]


async def test_an_item_title_with_brackets_is_shown_as_typed(tmp_path, clock):
    """A title is text: `[/]` would close no tag as markup, and `[b]` would vanish."""
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run_of(app).session.insert_item("Wrap-up [/] and [b]plans[/b]", 300)
        await pilot.press("n")
        await settle(pilot)
        assert "Wrap-up [/] and [b]plans[/b]" in screen_text(app)
