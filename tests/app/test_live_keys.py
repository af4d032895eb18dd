"""The keys themselves: help, the palette, ctrl+q from anywhere, keys whichever panel has
focus, every key's action saved, and nothing moving but the fake clock."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Static

from circle.domain.clock import FakeClock
from circle.runtime import LiveRun
from circle.screens.commands import APP_COMMANDS, LIVE_COMMANDS
from circle.screens.help import HelpScreen
from circle.screens.live import LiveScreen
from circle.screens.palette import live_commands
from circle.widgets.board import BoardPanel
from tests.app.live_helpers import (
    BIG,
    add_question,
    advance,
    assert_rebuild_matches,
    board_lines,
    countdown,
    live,
    make_app,
    new_saved_kinds,
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
        for command in LIVE_COMMANDS[:12]:
            assert command.description in shown
        listed = widget_text(app.screen.query_one(Static)).splitlines()
        for command in (*LIVE_COMMANDS, *APP_COMMANDS):
            assert f"{command.help_keys}  {command.description}" in (
                line.strip() for line in listed
            )
        await pilot.press("n")  # screen keys do nothing under the help
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert run.session.timer_().current == 0
        assert len(saved_events(run)) == before


async def test_palette_offers_every_key_with_its_description(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        names = {name: help_text for name, help_text, _ in live_commands(live(app).controls)}
        for command in LIVE_COMMANDS:
            assert names[command.description] == f"key {command.key}"
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "Next speaker")
        await pilot.pause(0.3)
        assert "Next speaker" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)


async def test_palette_runs_a_key_action(tmp_path, clock):
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
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to exit")
    assert app.return_code == 0
    # Resumable: what was done is on disk, and the half-typed text is not.
    resumed = LiveRun.resume(run.store, run.session_id, FakeClock())
    assert resumed.session.queue.is_raised("Mira")
    assert not resumed.session.board.questions and not resumed.session.actions
    resumed.close()


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


async def test_fake_clock_is_the_only_time_source(tmp_path):
    """Nothing moves unless the fake clock does, however long the app runs."""
    clock = FakeClock()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        before = screen_text(app)
        await pilot.pause(1.2)  # two screen ticks and a heartbeat
        assert screen_text(app) == before
