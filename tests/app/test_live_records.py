"""What the session keeps: action items, takeaways and decisions, and undo, checked against
a rebuild from storage."""

from __future__ import annotations

from textual.widgets import Input, Label, Select

from circle.screens.dialogs import ANONYMOUS, ActionDialog, TextDialog
from circle.screens.live import LiveScreen
from circle.widgets.bigdigits import BigCountdown
from circle.widgets.panels import QueuePanel
from tests.app.live_helpers import (
    BIG,
    CLOSE_INDEX,
    advance,
    agenda_lines,
    assert_rebuild_matches,
    board_lines,
    go_to_item,
    live,
    make_app,
    open_dialog,
    run_of,
    saved_events,
    saved_kinds,
    screen_text,
    settle,
    speaker,
    submit_text,
    text,
    type_text,
    undo,
    wait_for,
    widget_text,
)


# -- action items ---------------------------------------------------------------------
async def test_action_dialog_with_nobody_speaking_has_no_owner(tmp_path, clock):
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
        assert dialog.query_one("#owner", Select).value == ANONYMOUS  # "(no owner)"
        await type_text(pilot, "Share the slides")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        events = saved_events(run)[before:]
        assert [e["kind"] for e in events] == ["action_added"]
        assert events[0]["data"] == {"text": "Share the slides", "owner": "", "due": ""}
        await go_to_item(pilot, CLOSE_INDEX)
        assert "☐ Share the slides" in screen_text(app)


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
        await type_text(pilot, "2026-12-18")
        await pilot.press("enter")
        await settle(pilot)
        assert saved_events(run)[-1]["data"] == {
            "text": "Apply to two programmes",
            "owner": "Priya",
            "due": "2026-12-18",
        }
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ActionDialog))
        await type_text(pilot, "not this one")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert len(run.session.actions) == 1


# -- k: takeaways ---------------------------------------------------------------------
async def test_k_adds_a_takeaway_under_the_notes(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        dialog = await open_dialog(pilot, "k", TextDialog)
        assert widget_text(dialog.query_one(".dialog-title", Label)) == "New takeaway"
        assert app.focused is dialog.query_one("#text", Input)
        await type_text(pilot, "Ask for feedback early")
        await pilot.press("enter")
        await settle(pilot)
        await submit_text(pilot, "k", TextDialog, "Decision: we meet every two weeks")
        extra = text(app, "#notes-extra").splitlines()
        assert extra == [
            "Takeaways",
            "• Ask for feedback early",
            "Decision: we meet every two weeks",
        ]
        shown = screen_text(app)
        assert "• Ask for feedback early" in shown
        assert "Decision: we meet every two weeks" in shown
        saved = [e["data"] for e in saved_events(run) if e["kind"] == "takeaway_added"]
        assert saved == [
            {"item": 0, "text": "Ask for feedback early", "kind": "takeaway"},
            {"item": 0, "text": "we meet every two weeks", "kind": "decision"},
        ]
        # Takeaways belong to their item: the next item starts with none.
        await pilot.press("n")
        await settle(pilot)
        assert "Ask for feedback early" not in screen_text(app)
        await pilot.press("b")
        await settle(pilot)
        assert "Ask for feedback early" in screen_text(app)


async def test_k_escape_adds_nothing(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        before = len(saved_events(run))
        await open_dialog(pilot, "k", TextDialog)
        await type_text(pilot, "not this")
        await pilot.press("escape")
        await settle(pilot)
        assert len(saved_events(run)) == before
        assert "not this" not in screen_text(app)


# -- u: undo --------------------------------------------------------------------------
async def test_undo_a_hand(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await pilot.press("1", "2")
        await advance(pilot, clock, 5)
        assert await undo(pilot) == "Undone: Jon's hand raised"
        assert text(app, QueuePanel) == "1. Mira new"
        await pilot.press("1")  # lowered, then undo: up again
        assert await undo(pilot) == "Undone: Mira's hand lowered"
        assert text(app, QueuePanel) == "1. Mira new"
        kinds = saved_kinds(run)
        assert kinds[-4:] == ["hand_raised", "undo", "hand_lowered", "undo"]
        assert_rebuild_matches(run)


async def test_undo_a_vote_and_a_status_change(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.add_question("First?")
        run.session.add_question("Second?")
        await settle(pilot)
        await pilot.press("down", "v")
        await settle(pilot)
        assert board_lines(app)[0] == "▸ ▲1  Second?"
        assert await undo(pilot) == "Undone: a vote"
        assert [line[2:] for line in board_lines(app)] == ["▲0  First?", "▲0  Second?"]
        assert_rebuild_matches(run)
        await pilot.press("a")
        await settle(pilot)
        assert "✓ answered" in screen_text(app)
        assert await undo(pilot) == "Undone: question marked answered"
        assert "✓ answered" not in screen_text(app)
        await pilot.press("p")
        assert await undo(pilot) == "Undone: question marked parked"
        assert "[parked]" not in screen_text(app)
        assert_rebuild_matches(run)


async def test_undo_the_next_item_keeps_the_item_clock(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await advance(pilot, clock, 100)
        await pilot.press("n")
        await advance(pilot, clock, 20)
        assert await undo(pilot) == "Undone: the move to another agenda item"
        assert text(app, "#item-title") == "Check-in and ground rules"
        # The 20 s spent on the next item count for this one again.
        assert live(app).query_one("#digits", BigCountdown).text == "03:00"
        assert agenda_lines(app)[1].startswith("› Last time")
        assert_rebuild_matches(run)


async def test_undo_a_hidden_question(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.add_question("Keep me?")
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert "Keep me?" not in screen_text(app)
        assert await undo(pilot) == "Undone: a hidden question"
        assert "Keep me?" in screen_text(app)
        assert_rebuild_matches(run)


async def test_undo_an_action_item(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await open_dialog(pilot, "t", ActionDialog)
        await type_text(pilot, "Write the plan")
        await pilot.press("enter")
        await settle(pilot)
        assert len(run.session.actions) == 1
        assert await undo(pilot) == "Undone: the new action item"
        assert run.session.actions == {}
        await go_to_item(pilot, CLOSE_INDEX)
        assert "Write the plan" not in screen_text(app)
        assert_rebuild_matches(run)


async def test_undo_is_repeatable_and_says_when_there_is_nothing_left(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.add_question("Q?")
        await settle(pilot)
        await pilot.press("1", "s")
        await advance(pilot, clock, 30)
        await pilot.press("v", "n", "space")  # pausing is not undoable: undo skips it
        await advance(pilot, clock, 10)
        said = [await undo(pilot) for _ in range(5)]
        assert said == [
            "Undone: the move to another agenda item",
            "Undone: a vote",
            "Undone: Mira's turn",
            "Undone: Mira's hand raised",
            "Undone: the new question",
        ]
        assert run.session.paused
        assert await undo(pilot) == "Nothing to undo"
        assert speaker(app) == "Speaking: nobody"
        assert text(app, QueuePanel) == "No hands up"
        assert board_lines(app) == ["No questions yet: press q to add one"]
        assert saved_kinds(run).count("undo") == 5
        assert_rebuild_matches(run)


async def test_undo_of_a_turn_brings_back_the_previous_speaker_with_their_time(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await pilot.press("1", "s", "2")
        await advance(pilot, clock, 40)
        await pilot.press("s")
        await advance(pilot, clock, 5)
        assert await undo(pilot) == "Undone: Jon's turn"
        assert speaker(app) == "Speaking: Mira 00:45"
        assert text(app, QueuePanel) == "1. Jon new"
        assert_rebuild_matches(run)


async def test_a_bad_due_date_keeps_the_action_dialog_open_with_what_was_typed(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        before = len(saved_events(run))
        await pilot.press("t")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, ActionDialog) else None
        )
        await type_text(pilot, "Apply to two programmes")
        dialog.query_one("#due", Input).focus()
        await type_text(pilot, "2026-02-30")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog, "a bad date must keep the dialog open"
        assert "2026-02-30 is not a real date" in str(dialog.query_one("#dialog-error").render())
        assert dialog.query_one("#text", Input).value == "Apply to two programmes"
        assert len(saved_events(run)) == before
