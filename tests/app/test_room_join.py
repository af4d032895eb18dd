"""The join page in the room: `j` shows the card again while the page is open and never
closes it; closing is a palette command that asks first; a port that can't be bound
says so and the page stays off."""

from __future__ import annotations

import socket

from circle.screens.dialogs import ConfirmDialog
from circle.screens.joincard import JoinCard
from circle.screens.live import LiveScreen
from circle.screens.palette import live_commands
from tests.app.live_helpers import (
    BIG,
    live,
    make_app,
    notices,
    palette,
    screen_text,
    settle,
    wait_for,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def card_up(pilot) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, JoinCard), what="the join card")


async def test_j_again_shows_the_card_and_the_page_stays_open(tmp_path, clock):
    app = make_app(tmp_path, clock)
    app.join_host, app.join_port = "127.0.0.1", free_port()
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("j")
        await card_up(pilot)
        server = app.join_server
        for _ in range(3):
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, LiveScreen)
            await pilot.press("j")
            await card_up(pilot)
            assert app.join_server is server and server.running
        assert "Join page closed" not in notices(app)


async def test_closing_the_page_asks_first(tmp_path, clock):
    app = make_app(tmp_path, clock)
    app.join_host, app.join_port = "127.0.0.1", free_port()
    async with app.run_test(size=BIG) as pilot:
        names = [name for name, _, _ in live_commands(live(app).controls)]
        assert "Close the join page" not in names  # nothing to close yet
        await pilot.press("j")
        await card_up(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await palette(pilot, "Close the join page")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        await pilot.press("escape")  # no
        await settle(pilot)
        assert app.join_server is not None and "code " in screen_text(app)
        await palette(pilot, "Close the join page")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.join_server is None, what="the page to close")
        await settle(pilot)
        assert "code " not in screen_text(app)
        await pilot.press("j")  # and j opens it again
        await card_up(pilot)


async def test_j_on_a_port_in_use_says_so_and_the_page_stays_off(tmp_path, clock):
    app = make_app(tmp_path, clock)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app.join_host, app.join_port = "127.0.0.1", port
        async with app.run_test(size=BIG, notifications=True) as pilot:
            await pilot.press("j")
            await wait_for(pilot, lambda: any(str(port) in n for n in notices(app)))
            await settle(pilot)
            assert f"port {port} is already in use" in notices(app)
            assert f"port {port} is already in use" in screen_text(app)  # on the wall
            assert app.join_server is None and app.status.join is None
            assert isinstance(app.screen, LiveScreen)
            assert "code " not in screen_text(app)
