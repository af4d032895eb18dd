"""What people typed is data: shown literally, never as markup; the privacy blind hides it."""

from __future__ import annotations

import pytest

from circle.screens.dialogs import ActionDialog
from circle.widgets.board import BoardPanel
from circle.widgets.panels import TopBar
from tests.app.live_helpers import (
    BIG,
    CLOSE_INDEX,
    PEOPLE,
    add_question,
    advance,
    go_to_item,
    live,
    make_app,
    notices,
    palette,
    region_text,
    run_of,
    saved_events,
    screen_text,
    settle,
    speaker,
    svg_text,
    text,
    wait_for,
    words_present,
)

# -- typed text is data ----------------------------------------------------------------
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
        assert app.return_code is None  # still running


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
        assert dialog is not None and app.return_code is None


async def test_escape_sequences_typed_in_a_question_are_stripped(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.add_question("bell\x07 and \x1b[31mred\x1b[0m")
        await settle(pilot)
        assert "bell and red" in screen_text(app)
        assert saved_events(run)[-1]["data"]["text"] == "bell and red"


# -- h: the privacy blind -------------------------------------------------------------
QUESTIONS = ["Should I negotiate my salary?", "Where do you find side projects?"]


async def room_with_names(pilot, clock) -> None:
    """Someone speaking, hands up, questions with askers, action items with owners."""
    app = pilot.app
    session = run_of(app).session
    for question, asker in zip(QUESTIONS, ["Priya", None], strict=True):
        session.add_question(question, asker)
    session.add_action("Share the salary survey", "Leo")
    await pilot.press("1", "s", "2", "3")
    await advance(pilot, clock, 30)
    await pilot.press("0")
    await advance(pilot, clock, 30)


def exposed(app) -> list[str]:
    """Names and question texts readable anywhere on the screen (text and SVG),
    a question wrapped over the board's lines included."""
    board = region_text(app, live(app).query_one(BoardPanel)) if app.live else ""
    shown = screen_text(app) + "\n" + svg_text(app) + "\n" + board
    return words_present(shown, PEOPLE) + [q for q in QUESTIONS if q in shown]


@pytest.mark.parametrize("size", [BIG, (80, 24)])
async def test_h_hides_every_name_and_question(tmp_path, clock, size):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=size) as pilot:
        run = run_of(app)
        await room_with_names(pilot, clock)
        # At 80×24 only the selected question is shown whole (the others are cut).
        questions = QUESTIONS if size == BIG else QUESTIONS[:1]
        assert set(exposed(app)) >= {"Ada", "Mira", "Jon", "Priya", *questions}
        await pilot.press("h")
        await settle(pilot)
        assert exposed(app) == []
        assert "BLIND" in text(app, TopBar)
        assert "(hidden)" in screen_text(app)
        # Timers keep running behind the blind.
        await advance(pilot, clock, 30)
        assert "01:00" in speaker(app)
        assert exposed(app) == []
        for view in ("timer", "board", "full"):
            await pilot.press("z")
            await settle(pilot)
            assert exposed(app) == [], view
        await go_to_item(pilot, CLOSE_INDEX)  # the action items, owners and text
        assert "Share the salary survey" not in screen_text(app)
        assert exposed(app) == []
        await pilot.press("h")
        await settle(pilot)
        assert "Leo" in screen_text(app) or size != BIG
        assert "Share the salary survey" in screen_text(app) or size != BIG
        assert "BLIND" not in text(app, TopBar)
        assert [e["data"]["on"] for e in saved_events(run) if e["kind"] == "blind"] == [
            True,
            False,
        ]


async def test_h_off_shows_names_again(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await room_with_names(pilot, clock)
        await pilot.press("h", "h")
        await settle(pilot)
        assert set(exposed(app)) >= {"Ada", "Mira", "Jon", "Priya", *QUESTIONS}


async def test_h_notices_do_not_name_anyone(tmp_path, clock):
    """A notice is on the projected screen too: behind the blind it names nobody."""
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        await room_with_names(pilot, clock)
        await pilot.press("h")
        await settle(pilot)
        await palette(pilot, "Attendance: Leo is absent")
        await pilot.press("4")  # Leo is absent: the notice says so
        await pilot.press("2")  # Jon's hand down: undo it
        await pilot.press("u")
        await settle(pilot)
        await pilot.pause(0.2)
        assert exposed(app) == [], notices(app)


async def test_h_hides_takeaways_and_action_items_too(tmp_path, clock):
    """Everything people typed is hidden, not only names and questions."""
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        session = run_of(app).session
        session.add_takeaway("Leo: wants to move to the platform team")
        await settle(pilot)
        assert "platform team" in screen_text(app)
        await pilot.press("h")
        await settle(pilot)
        assert "platform team" not in screen_text(app)
        await go_to_item(pilot, CLOSE_INDEX)
        session.add_action("Ask about the platform team", owner="Mira", due="2026-12-24")
        app.screen.refresh_view()
        await settle(pilot)
        shown = screen_text(app)
        assert "platform team" not in shown and "2026-12-24" not in shown
        await pilot.press("h")
        await settle(pilot)
        assert "platform team" in screen_text(app)
