"""The room rules through the real keys: ended, rounds, interjections, ad-hoc flash."""

from __future__ import annotations

from textual.screen import ModalScreen

from circle.widgets.panels import TopBar
from tests.app.live_helpers import (
    BIG,
    ROUND_INDEX,
    advance,
    countdown,
    countdown_state,
    go_to_item,
    make_app,
    notices,
    palette,
    queue_lines,
    run_of,
    saved_kinds,
    settle,
    speaker,
    text,
    undo,
)


async def test_after_the_end_keys_say_so_before_any_dialog_opens(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        run.session.end_session()  # as `x` does once its dialogs are through
        app.screen.refresh_view()
        await settle(pilot)
        assert countdown(app)[2] == "ENDED" and countdown_state(app) == "-ended"
        assert "ENDED" in text(app, TopBar) and "ends " not in text(app, TopBar)
        digits = countdown(app)[1]
        for key in ("q", "t", "k", "x"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, ModalScreen), key
        assert notices(app).count("The session has ended") == 4
        await pilot.press("n", "1")
        await settle(pilot)
        assert notices(app).count("The session has ended") == 6
        await advance(pilot, clock, 120)
        assert countdown(app)[1] == digits  # the clock stopped with the session


async def test_a_number_key_never_drops_a_round_member(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        run = run_of(app)
        await go_to_item(pilot, ROUND_INDEX)
        before = queue_lines(app)
        assert any("Leo" in line for line in before)
        await pilot.press("4")
        await settle(pilot)
        assert "Leo is already in the round" in notices(app)
        assert queue_lines(app) == before
        await palette(pilot, "Skip in this round: Leo")
        await settle(pilot)
        assert not any("Leo" in line for line in queue_lines(app))
        assert saved_kinds(run)[-1] == "round_skipped"
        await undo(pilot)
        assert queue_lines(app) == before


async def test_a_mentor_interjects_and_gives_the_floor_back(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("1", "s")
        await advance(pilot, clock, 5)
        await pilot.press("0")
        await advance(pilot, clock, 40)
        assert speaker(app).startswith("Speaking: Ada")
        await pilot.press("d")  # the mentor stops: Mira goes on from 0:05
        await advance(pilot, clock, 10)
        assert speaker(app) == "Speaking: Mira 00:15"


async def test_an_ad_hoc_flash_round_gives_the_item_its_countdown_back(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        title = countdown(app)[0]
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("backspace", "backspace", "1", "0", "enter")  # a 10-minute round
        await settle(pilot)
        assert run_of(app).session.flash_on_screen() is not None
        await advance(pilot, clock, 10 * 60 + 5)
        assert run_of(app).session.flash_on_screen() is None
        assert countdown(app)[0] == title
        assert "left" in countdown(app)[2] or "OVER" in countdown(app)[2]
