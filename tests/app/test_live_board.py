"""The question board: the question dialog, selecting, voting, answering, parking, hiding
and moderating phone questions."""

from __future__ import annotations

from textual.widgets import Input, Label, Select

from circle.screens.dialogs import MinutesDialog, QuestionDialog
from circle.screens.live import LiveScreen
from circle.screens.palette import live_commands
from tests.app.live_helpers import (
    BIG,
    add_question,
    assert_rebuild_matches,
    board_lines,
    live,
    make_app,
    notices,
    palette,
    run_of,
    saved_events,
    saved_kinds,
    screen_text,
    settle,
    type_text,
    wait_for,
    widget_text,
)


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
        await pilot.press("space")  # open it
        await pilot.press("down", "down", "down", "enter")  # anonymous, Ada, Mira, Jon
        await pilot.pause()
        assert dialog.query_one("#asker", Select).value == "Jon"
        await pilot.press("enter")  # on the closed list: adds the question
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
        await pilot.press("a")  # First? goes down; the selection stays on its row
        await settle(pilot)
        assert board_lines(app) == ["  ▲2  Third?", "▸ ▲0  Second?", "  ▲0  First? ✓ answered"]
        await pilot.press("up")
        await pilot.press("p")
        await settle(pilot)
        assert board_lines(app) == [
            "▸ ▲0  Second?",
            "  ▲2  Third? [parked]",
            "  ▲0  First? ✓ answered",
        ]
        await pilot.press("down", "p")  # unpark
        await settle(pilot)
        assert board_lines(app)[:2] == ["  ▲2  Third?", "▸ ▲0  Second?"]
        await pilot.press("down", "p")  # an answered question is not parked
        await settle(pilot)
        assert "An answered question can't be parked: press a to reopen it first" in notices(app)
        assert board_lines(app)[2] == "▸ ▲0  First? ✓ answered"
        await pilot.press("delete")
        await settle(pilot)
        assert board_lines(app) == ["  ▲2  Third?", "▸ ▲0  Second?"]
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


# -- palette: moderation ----------------------------------------------------------------
async def test_palette_turns_on_approval_of_phone_questions(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await palette(pilot, "Approve phone questions: turn on")
        assert run.session.board.moderated
        assert saved_events(run)[-1]["data"] == {"on": True}
        event = run.session.add_question("From a phone?", source="phone")
        await settle(pilot)
        assert run.session.board.get(event["seq"]).pending
        assert "From a phone?" not in board_lines(app)
        assert "1 waiting for approval" in screen_text(app)
        run.session.add_question("From the keyboard")  # the facilitator's go straight up
        await palette(pilot, "Approve question: From a phone?")
        assert "From a phone?" in screen_text(app)
        assert "waiting for approval" not in screen_text(app)
        await palette(pilot, "Approve phone questions: turn off")
        assert not run.session.board.moderated


async def test_palette_unhides_a_question(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.add_question("Hidden by mistake?")
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert "Hidden by mistake?" not in screen_text(app)
        await palette(pilot, "Unhide question: Hidden by mistake?")
        assert "Hidden by mistake?" in screen_text(app)
        assert saved_kinds(run)[-1] == "question_unhidden"


async def test_palette_shows_typed_text_literally(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        for question in ("[bold red]boom[/]", "[/"):
            event = run.session.add_question(question)
            run.session.hide_question(event["seq"])
        await settle(pilot)
        await palette(pilot, "Unhide question: [/", "Unhide")
        await palette(pilot, "Unhide question: [bold red]boom[/]", "Unhide")
        assert [q.hidden for q in run.session.board.questions.values()] == [False, False]
        assert "[bold red]boom[/]" in screen_text(app)


async def test_change_planned_time_of_an_item_with_brackets_in_its_title(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.insert_item("Plan [/", 600)
        await settle(pilot)
        # Run the palette command directly (the palette itself has its own markup bug).
        commands = {name: run_cmd for name, _, run_cmd in live_commands(live(app).controls)}
        commands["Change planned time: Plan [/"]()
        await wait_for(pilot, lambda: isinstance(app.screen, MinutesDialog))
        await pilot.pause()
        assert "Plan [/" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)


async def test_a_key_that_leaves_the_board_alone_does_not_rebuild_it(
    tmp_path, clock, monkeypatch
):
    """With hundreds of questions, building the board's rows again was most of
    a hand key's time: only a change to a question (or the blind) rebuilds them."""
    from circle.screens import live_rows

    built: list[int] = []
    real = live_rows.board_rows

    def counting(session, **kwargs):
        built.append(1)
        return real(session, **kwargs)

    monkeypatch.setattr(live_rows, "board_rows", counting)
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await settle(pilot)
        for n in range(3):
            run.session.add_question(f"Question {n}", None)
        await settle(pilot)
        before = len(built)
        await pilot.press("1", "1", "space", "space")  # hands and pause: no question changes
        await settle(pilot)
        assert len(built) == before
        await pilot.press("v")  # a vote changes the board: drawn again
        await settle(pilot)
        assert len(built) == before + 1
        assert board_lines(app)[0].startswith("▸ ▲1  Question 0")
        await pilot.press("h")  # the blind changes what the board shows
        await settle(pilot)
        assert len(built) == before + 2
        assert "Question 0" not in screen_text(app)
