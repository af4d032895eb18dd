"""The board: the selected question in full, every question in full in the board-only
view, and a cursor that stays on its row after `a`, `p` or `delete`."""

from __future__ import annotations

import pytest

from circle.widgets.board import BoardPanel
from tests.app.live_helpers import (
    BIG,
    SMALL,
    board_lines,
    live,
    make_app,
    notices,
    region_text,
    run_of,
    saved_kinds,
    settle,
)

# 280 characters: the longest question a board takes.
LONG = (
    "When two of my managers disagree about what I should work on next quarter, and "
    "both say it is my call, how do I decide without burning a bridge with the one I "
    "do not pick, and how do I explain it to my team, who have been waiting on this "
    "decision for a month already? Any ideas?!?"
)


def board(app) -> BoardPanel:
    return live(app).query_one(BoardPanel)


def on_the_wall(app) -> str:
    return region_text(app, board(app))


@pytest.mark.parametrize("size", [(120, 40), BIG])
async def test_the_selected_question_is_shown_whole(tmp_path, clock, size):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=size) as pilot:
        session = run_of(app).session
        session.add_question("Short one?")
        session.add_question(LONG, "Jon")
        await settle(pilot)
        assert len(LONG) == 280
        assert LONG not in on_the_wall(app)  # not selected: one line, cut with "…"
        assert any(line.endswith("…") for line in board_lines(app))
        await pilot.press("down")
        await settle(pilot)
        assert f"{LONG} — Jon" in on_the_wall(app)  # selected: every word of it
        assert "Short one?" in on_the_wall(app)
        await pilot.press("up")
        await settle(pilot)
        assert LONG not in on_the_wall(app)


@pytest.mark.parametrize("size", [SMALL, BIG])
async def test_the_board_only_view_wraps_every_question(tmp_path, clock, size):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=size) as pilot:
        session = run_of(app).session
        others = [LONG[:200].replace("managers", "mentors"), LONG[:150].replace("two", "three")]
        for question in (LONG, *others):
            session.add_question(question)
        await settle(pilot)
        await pilot.press("z", "z")
        await settle(pilot)
        assert live(app).projection == "board"
        shown = on_the_wall(app)
        for question in (LONG, *others):
            assert question in shown
        await pilot.press("z")  # back to the full wall: one line each but the selected
        await settle(pilot)
        assert others[1] not in on_the_wall(app)


@pytest.mark.parametrize("key", ["a", "p", "delete"])
async def test_after_a_p_or_delete_the_cursor_stays_on_its_row(tmp_path, clock, key):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        session = run_of(app).session
        for question in ("First?", "Second?", "Third?", "Fourth?"):
            session.add_question(question)
        await settle(pilot)
        await pilot.press("down")  # Second?
        await pilot.press(key)
        await settle(pilot)
        lines = board_lines(app)
        assert lines[1] == "▸ ▲0  Third?"  # the next question, on the same row
        assert "▸" not in "".join(lines[2:])
        await pilot.press(key)  # the same key again acts on Third?, not Second? again
        await settle(pilot)
        assert board_lines(app)[1] == "▸ ▲0  Fourth?"
        moved = {"a": "question_status", "p": "question_status", "delete": "question_hidden"}
        assert saved_kinds(run_of(app))[-2:] == [moved[key]] * 2
        statuses = {q.text: (q.status, q.hidden) for q in session.board.questions.values()}
        changed = {"a": ("answered", False), "p": ("parked", False), "delete": ("open", True)}
        assert statuses["Second?"] == statuses["Third?"] == changed[key]
        assert statuses["Fourth?"] == statuses["First?"] == ("open", False)


async def test_the_last_row_keeps_the_cursor_on_the_new_last_row(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        session = run_of(app).session
        for question in ("First?", "Second?"):
            session.add_question(question)
        await settle(pilot)
        await pilot.press("down", "delete")
        await settle(pilot)
        assert board_lines(app) == ["▸ ▲0  First?"]


async def test_p_on_an_answered_question_is_refused_with_a_message(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.add_question("Done already?")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        before = saved_kinds(run)
        await pilot.press("p")
        await settle(pilot)
        assert "An answered question can't be parked: press a to reopen it first" in notices(app)
        assert saved_kinds(run) == before
        assert board_lines(app) == ["▸ ▲0  Done already? ✓ answered"]
        await pilot.press("a", "p")  # reopened, it parks
        await settle(pilot)
        assert board_lines(app) == ["▸ ▲0  Done already? [parked]"]
