"""The live screen (issue 4, spec §3 and §8): each key, what the wall shows, what is saved.

Every test runs the real app headless on a `FakeClock`; time moves only with
`advance()`. "Saved" means flushed through the writer and read back from the
store, not the in-memory log.
"""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Label, Select

from circle.domain.clock import FakeClock
from circle.runtime import LiveRun
from circle.screens.dialogs import ActionDialog, QuestionDialog
from circle.screens.help import HelpScreen
from circle.screens.live import LiveScreen
from circle.screens.live_keys import LIVE_BINDINGS
from circle.widgets.bigdigits import BigCountdown
from circle.widgets.board import BoardPanel
from circle.widgets.panels import (
    AgendaPanel,
    CountdownPanel,
    QueuePanel,
    SharesPanel,
    TopBar,
)
from tests.live_helpers import (
    BIG,
    BOARD_INDEX,
    BREAK_INDEX,
    CLOSE_INDEX,
    ROUND_INDEX,
    advance,
    assert_rebuild_matches,
    board_lines,
    count_bells,
    go_to_item,
    live,
    make_app,
    new_saved_kinds,
    notices,
    run_of,
    saved_events,
    saved_kinds,
    screen_text,
    settle,
    speaker,
    text,
    type_text,
    wait_for,
    widget_text,
)

# -- reading the screen ---------------------------------------------------------


def countdown(app) -> tuple[str, str, str]:
    """(item title, big digits, state words)."""
    screen = live(app)
    return (
        widget_text(screen.query_one("#item-title")),
        screen.query_one("#digits", BigCountdown).text,
        widget_text(screen.query_one("#state-words")),
    )


def countdown_state(app) -> str:
    panel = live(app).query_one(CountdownPanel)
    states = [c for c in ("-ok", "-warning", "-over", "-paused") if panel.has_class(c)]
    assert len(states) == 1, states
    return states[0]


def queue_lines(app) -> list[str]:
    return text(app, QueuePanel).splitlines()


def agenda_lines(app) -> list[str]:
    return text(app, AgendaPanel).splitlines()


async def add_question(pilot, question: str) -> None:
    await pilot.press("q")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, QuestionDialog))
    await type_text(pilot, question)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LiveScreen))
    await settle(pilot)


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


# -- people keys ------------------------------------------------------------------
async def test_hand_keys_raise_and_lower_in_roster_order(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await settle(pilot)
        assert queue_lines(app) == ["No hands up"]
        before = len(saved_events(run))
        await pilot.press("3", "1", "4", "2")
        await settle(pilot)
        # Nobody has spoken: ties go to whoever raised first.
        assert queue_lines(app) == ["1. Priya new", "2. Mira new", "3. Leo new", "4. Jon new"]
        await pilot.press("1")
        await settle(pilot)
        assert queue_lines(app) == ["1. Priya new", "2. Leo new", "3. Jon new"]
        events = saved_events(run)[before:]
        assert [(e["kind"], e["data"]["person"]) for e in events] == [
            ("hand_raised", "Priya"),
            ("hand_raised", "Mira"),
            ("hand_raised", "Leo"),
            ("hand_raised", "Jon"),
            ("hand_lowered", "Mira"),
        ]
        await pilot.press("5")  # four mentees: no fifth
        await settle(pilot)
        assert "There is no mentee 5: the roster has 4" in notices(app)
        assert len(saved_events(run)) == before + 5


async def test_s_starts_the_head_of_the_queue_and_d_ends_the_turn(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await settle(pilot)
        assert speaker(app) == "Speaking: nobody"
        await pilot.press("s")  # empty queue
        await settle(pilot)
        assert "Nobody is in the queue" in notices(app)

        await pilot.press("2", "3", "s")
        await advance(pilot, clock, 75)
        assert speaker(app) == "Speaking: Jon 01:15"
        assert queue_lines(app) == ["1. Priya new"]
        await pilot.press("s")
        await advance(pilot, clock, 5)
        assert speaker(app) == "Speaking: Priya 00:05"
        assert queue_lines(app) == ["No hands up"]
        await pilot.press("d")
        await settle(pilot)
        assert speaker(app) == "Speaking: nobody"
        await pilot.press("d")
        await settle(pilot)
        assert "Nobody is speaking" in notices(app)

        events = [e for e in saved_events(run) if e["kind"].startswith("turn_")]
        assert [(e["kind"], e["data"].get("person")) for e in events] == [
            ("turn_started", "Jon"),
            ("turn_started", "Priya"),
            ("turn_ended", None),
        ]
        shares = text(app, SharesPanel)
        assert "Jon" in shares and "94 %" in shares and "6 %" in shares


async def test_progressive_stack_order_after_several_turns(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        # Mira speaks 3 min, Jon 1 min, Priya 20 s; Leo has not spoken.
        for key, seconds in (("1", 180), ("2", 60), ("3", 20)):
            await pilot.press(key, "s")
            await advance(pilot, clock, seconds)
        await pilot.press("d")
        # Hands go up in the "wrong" order: most talkative first.
        await pilot.press("1", "2", "3", "4")
        await settle(pilot)
        assert queue_lines(app) == ["1. Leo new", "2. Priya", "3. Jon", "4. Mira"]
        await pilot.press("s")  # Leo speaks 2 min: now he has more than Priya and Jon
        await advance(pilot, clock, 120)
        await pilot.press("4")
        await settle(pilot)
        assert queue_lines(app) == ["1. Priya", "2. Jon", "3. Leo", "4. Mira"]
        await pilot.press("s", "d", "s", "d")
        await settle(pilot)
        assert queue_lines(app) == ["1. Leo", "2. Mira"]
        started = [
            e["data"]["person"] for e in saved_events(run_of(app)) if e["kind"] == "turn_started"
        ]
        assert started == ["Mira", "Jon", "Priya", "Leo", "Priya", "Jon"]


@pytest.mark.parametrize("size", [BIG, (80, 24)])
async def test_the_queue_shows_every_raised_hand_on_the_wall(tmp_path, clock, size):
    """The panel holds one person per line, next first: all of them, not just the first."""
    app = make_app(tmp_path, clock, mentees=["Mira", "Jon", "Priya", "Leo", "Sam"])
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("3", "5", "2")
        await settle(pilot)
        expected = ["1. Mira new", "2. Priya new", "3. Sam new", "4. Jon new"]
        assert queue_lines(app) == expected
        shown = screen_text(app)
        assert [entry for entry in expected if entry not in shown] == []
        await pilot.press("s", "s", "s")  # the queue shrinks back to one
        await settle(pilot)
        assert "1. Jon new" in screen_text(app)
        assert "Speaking time" in screen_text(app)


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
        run.session.add_action("Send the reading list", "Ada", "Friday")
        run.session.add_action("Draft the pitch", "Mira")
        await go_to_item(pilot, CLOSE_INDEX)
        notes = text(app, "#notes-extra")
        assert notes.splitlines() == [
            "Action items",
            "☐ Ada: Send the reading list (due Friday)",
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


# -- the board keys -----------------------------------------------------------------
async def test_question_dialog_adds_an_anonymous_question(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await settle(pilot)
        assert board_lines(app) == ["No questions yet: press q to add one"]
        before = len(saved_events(run))
        await pilot.press("q")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, QuestionDialog) else None
        )
        assert widget_text(dialog.query_one(".dialog-title", Label)) == "New question"
        assert app.focused is dialog.query_one("#text", Input)
        assert dialog.query_one("#asker", Select).value == "__anonymous__"
        # Screen keys are typed, not triggered, while the field has focus.
        await type_text(pilot, "How do I pick a mentor? 1 n s q")
        assert dialog.query_one("#text", Input).value == "How do I pick a mentor? 1 n s q"
        assert run.session.timer_().current == 0 and not run.session.queue.hands
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert board_lines(app) == ["▸ ▲0  How do I pick a mentor? 1 n s q"]
        assert "Questions (1)" in screen_text(app)
        events = saved_events(run)[before:]
        assert [e["kind"] for e in events] == ["question_added"]
        assert events[0]["data"]["text"] == "How do I pick a mentor? 1 n s q"
        assert events[0]["data"]["asker"] is None


async def test_question_dialog_with_a_chosen_asker(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("q")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, QuestionDialog) else None
        )
        await type_text(pilot, "Is a PhD worth it?")
        await pilot.press("tab")  # to the "Asked by" list
        assert app.focused is dialog.query_one("#asker", Select)
        await pilot.press("enter")  # open it
        await pilot.press("down", "down", "down", "enter")  # anonymous, Ada, Mira, Jon
        await pilot.pause()
        assert dialog.query_one("#asker", Select).value == "Jon"
        dialog.query_one("#text", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert board_lines(app) == ["▸ ▲0  Is a PhD worth it? — Jon"]
        assert saved_events(run_of(app))[-1]["data"]["asker"] == "Jon"


async def test_question_dialog_escape_and_empty(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        before = len(saved_events(run))
        await pilot.press("q")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, QuestionDialog) else None
        )
        await pilot.press("enter")  # empty: stays open with a message
        await pilot.pause()
        assert app.screen is dialog
        assert "A question can't be empty" in widget_text(dialog.query_one("#dialog-error"))
        await type_text(pilot, "never mind")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert board_lines(app) == ["No questions yet: press q to add one"]
        assert len(saved_events(run)) == before


async def test_select_vote_answer_park_and_hide(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        for question in ("First?", "Second?", "Third?"):
            await add_question(pilot, question)
        assert board_lines(app) == ["▸ ▲0  First?", "  ▲0  Second?", "  ▲0  Third?"]
        before = len(saved_events(run))

        await pilot.press("down", "down")
        await settle(pilot)
        assert board_lines(app)[2] == "▸ ▲0  Third?"
        await pilot.press("v", "v")  # two votes from the room: Third? goes to the top
        await settle(pilot)
        assert board_lines(app) == ["▸ ▲2  Third?", "  ▲0  First?", "  ▲0  Second?"]
        await pilot.press("up")  # already at the top: stays
        await pilot.press("down")
        await pilot.press("a")
        await settle(pilot)
        assert board_lines(app) == ["  ▲2  Third?", "  ▲0  Second?", "▸ ▲0  First? ✓ answered"]
        await pilot.press("up")
        await pilot.press("p")
        await settle(pilot)
        assert board_lines(app) == [
            "  ▲2  Third?",
            "▸ ▲0  Second? [parked]",
            "  ▲0  First? ✓ answered",
        ]
        await pilot.press("p")  # unpark
        await settle(pilot)
        assert board_lines(app)[1] == "▸ ▲0  Second?"
        await pilot.press("delete")
        await settle(pilot)
        assert [line[2:] for line in board_lines(app)] == ["▲2  Third?", "▲0  First? ✓ answered"]
        await pilot.press("backspace")
        await settle(pilot)
        assert len(board_lines(app)) == 1
        assert "Questions (1)" in screen_text(app)
        assert "Second?" not in screen_text(app)

        events = saved_events(run)[before:]
        assert [e["kind"] for e in events] == [
            "question_voted",
            "question_voted",
            "question_status",
            "question_status",
            "question_status",
            "question_hidden",
            "question_hidden",
        ]
        assert [e["data"].get("status") for e in events[2:5]] == ["answered", "parked", "open"]
        assert_rebuild_matches(run)


async def test_board_keys_without_a_question_say_so(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        before = len(saved_events(run))
        for key in ("v", "a", "p", "delete", "backspace", "up", "down"):
            await pilot.press(key)
        await settle(pilot)
        assert "No question selected: add one with q" in notices(app)
        assert len(saved_events(run)) == before


# -- action items ---------------------------------------------------------------------
async def test_action_dialog_defaults_to_the_first_mentor(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        before = len(saved_events(run))
        await pilot.press("t")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, ActionDialog) else None
        )
        assert widget_text(dialog.query_one(".dialog-title", Label)) == "New action item"
        assert app.focused is dialog.query_one("#text", Input)
        assert dialog.query_one("#owner", Select).value == "Ada"
        await type_text(pilot, "Share the slides")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        events = saved_events(run)[before:]
        assert [e["kind"] for e in events] == ["action_added"]
        assert events[0]["data"] == {"text": "Share the slides", "owner": "Ada", "due": ""}
        await go_to_item(pilot, CLOSE_INDEX)
        assert "☐ Ada: Share the slides" in screen_text(app)


async def test_action_dialog_defaults_to_the_speaker_and_takes_a_due_date(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await pilot.press("3", "s", "t")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, ActionDialog) else None
        )
        assert dialog.query_one("#owner", Select).value == "Priya"
        await type_text(pilot, "Apply to two programmes")
        dialog.query_one("#due", Input).focus()
        await type_text(pilot, "Friday")
        await pilot.press("enter")
        await settle(pilot)
        assert saved_events(run)[-1]["data"] == {
            "text": "Apply to two programmes",
            "owner": "Priya",
            "due": "Friday",
        }
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ActionDialog))
        await type_text(pilot, "not this one")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert len(run.session.actions) == 1


# -- help, palette, quit ------------------------------------------------------------
async def test_help_lists_every_key(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        before = len(saved_events(run))
        await pilot.press("?")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        shown = screen_text(app)
        for binding in LIVE_BINDINGS[:12]:
            assert binding.description in shown
        await pilot.press("n")  # screen keys do nothing under the help
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert run.session.timer_().current == 0
        assert len(saved_events(run)) == before


async def test_palette_offers_every_key_with_its_description(tmp_path, clock):
    from circle.screens.palette import live_commands

    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        names = {name: help_text for name, help_text, _ in live_commands(live(app))}
        for binding in LIVE_BINDINGS:
            assert binding.description in names
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "Next speaker")
        await pilot.pause(0.3)
        assert "Next speaker" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)


async def test_palette_runs_a_key_action(tmp_path, clock):
    from tests.live_helpers import palette

    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await palette(pilot, "Next item")
        assert countdown(app)[0] == "Last time's action items"
        assert saved_kinds(run_of(app))[-1] == "item_changed"


@pytest.mark.parametrize("where", ["screen", "question", "action", "help", "palette"])
async def test_ctrl_q_quits_with_code_zero_from_anywhere(tmp_path, clock, where):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await pilot.press("1")
        opener = {"question": "q", "action": "t", "help": "?", "palette": "ctrl+p"}.get(where)
        if opener:
            await pilot.press(opener)
            await wait_for(pilot, lambda: not isinstance(app.screen, LiveScreen))
            if where in ("question", "action"):
                await type_text(pilot, "half typed")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app._exit, what="the app to exit")
    assert app.return_code == 0
    # Resumable: what was done is on disk, and the half-typed text is not.
    resumed = LiveRun.resume(run.store, run.session_id, FakeClock())
    assert resumed.session.queue.is_raised("Mira")
    assert not resumed.session.board.questions and not resumed.session.actions
    resumed.close()


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
            "What should I read first?",
        ):
            assert expected in shown, expected
        assert "Terminal too small" not in shown


async def test_big_countdown_is_at_least_six_rows_at_160_by_45(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        digits = live(app).query_one("#digits", BigCountdown)
        rows = [line for line in widget_text(digits).splitlines() if line.strip()]
        assert len(rows) >= 6


# -- typed text is data (§8) ---------------------------------------------------------
INJECTIONS = ["[bold red]boom[/]", "[/", "[link=http://x]click[/link]", "[@click=app.quit]x"]


async def test_markup_in_a_typed_question_shows_literally(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        for question in INJECTIONS:
            await add_question(pilot, question)
        await pilot.press("v")
        await settle(pilot)
        shown = screen_text(app)
        for question in INJECTIONS:
            assert question in shown
        assert [q.text for q in run.session.board.questions.values()] == INJECTIONS
        assert [e["data"]["text"] for e in saved_events(run) if e["kind"] == "question_added"] == (
            INJECTIONS
        )
        assert not app._exit


async def test_markup_in_names_action_items_and_the_speaker(tmp_path, clock):
    app = make_app(tmp_path, clock, mentees=["[b]Zed", "Kim [/", "Lu", "Mo"])
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await pilot.press("2", "1", "s")
        run.session.add_question("[red]q[/red]", "Kim [/")
        run.session.add_action("[/] fix [b]it", "[b]Zed")
        await advance(pilot, clock, 30)
        shown = screen_text(app)
        assert "Speaking: Kim [/" in shown
        assert "1. [b]Zed new" in shown
        assert "[red]q[/red] — Kim [/" in shown
        await go_to_item(pilot, CLOSE_INDEX)
        assert "☐ [b]Zed: [/] fix [b]it" in screen_text(app)
        await pilot.press("t")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, ActionDialog) else None
        )
        await pilot.pause()
        assert "Kim [/" in screen_text(app)  # the owner list shows the name literally
        await pilot.press("escape")
        await settle(pilot)
        assert dialog is not None and not app._exit


async def test_escape_sequences_typed_in_a_question_are_stripped(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.add_question("bell\x07 and \x1b[31mred\x1b[0m")
        await settle(pilot)
        assert "bell and red" in screen_text(app)
        assert saved_events(run)[-1]["data"]["text"] == "bell and red"


# -- keys whichever panel has focus ------------------------------------------------------
async def test_screen_keys_work_while_the_board_has_focus(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.add_question("A?")
        run.session.add_question("B?")
        await settle(pilot)
        board = live(app).query_one(BoardPanel)
        board.focus()
        await pilot.pause()
        assert app.focused is board
        await pilot.press("1", "s", "2", "down", "v", "space", "space", "+", "n")
        await settle(pilot)
        assert app.focused is board
        session = run.session
        assert session.queue.turn is not None and session.queue.turn.person == "Mira"
        assert session.queue.is_raised("Jon")
        assert [q.votes for q in session.board.ordered()] == [1, 0]
        assert session.timer_().current == 1
        assert new_saved_kinds(run, 0)[-8:] == [
            "hand_raised",
            "turn_started",
            "hand_raised",
            "question_voted",
            "paused",
            "resumed",
            "item_extended",
            "item_changed",
        ]
        # The selected row is highlighted while the board has focus.
        assert board_lines(app)[0].startswith("▸ ▲1  B?")


async def test_every_key_action_is_saved_before_the_app_closes(tmp_path, clock):
    """Everything done on the screen is on disk: a rebuild from storage matches."""
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await pilot.press("1", "2", "s")
        await advance(pilot, clock, 40)
        await add_question(pilot, "Why?")
        await pilot.press("v", "p", "space")
        await advance(pilot, clock, 20)
        await pilot.press("space", "+", "n", "s", "d")
        await advance(pilot, clock, 15)
        kinds = saved_kinds(run)
        for kind in (
            "hand_raised",
            "turn_started",
            "question_added",
            "question_voted",
            "question_status",
            "paused",
            "resumed",
            "item_extended",
            "item_changed",
            "turn_ended",
        ):
            assert kind in kinds, f"{kind} was not saved"
        assert_rebuild_matches(run)


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
        assert "Send the list" in screen_text(app)


async def test_takeaways_show_under_the_notes_at_80_by_24(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        run_of(app).session.add_takeaway("Keep it short")
        await settle(pilot)
        assert "Keep it short" in screen_text(app)


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
        layouts: list[int] = []
        original = screen._refresh_layout

        def counting(*args, **kwargs):
            layouts.append(1)
            return original(*args, **kwargs)

        screen._refresh_layout = counting  # type: ignore[method-assign]
        clock.advance(seconds)  # 4:50 left -> 4:49: same words, same sizes
        screen.tick()
        await pilot.pause(0.1)
        assert layouts == []
