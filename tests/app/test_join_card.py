"""`j` on the live screen: the app opens the join page and shows its card; `j` again shows
the card again, and the palette closes the page after asking."""

from __future__ import annotations

import socket

from circle.screens.dialogs import ConfirmDialog
from circle.screens.joincard import JoinCard
from circle.screens.live import LiveScreen
from tests.app.live_helpers import (
    BIG,
    make_app,
    notices,
    palette,
    run_of,
    screen_text,
    settle,
    wait_for,
    widget_text,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_j_opens_the_page_shows_the_card_and_the_palette_closes_it(tmp_path, clock):
    app = make_app(tmp_path, clock)
    app.join_host, app.join_port = "127.0.0.1", free_port()
    async with app.run_test(size=BIG) as pilot:
        code = run_of(app).session.join_code
        await pilot.press("j")
        card = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, JoinCard) else None
        )
        assert widget_text(card.query_one("#join-code")) == " ".join(code)
        assert f":{app.join_port}" in widget_text(card.query_one("#join-url"))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert f"code {code} http://" in screen_text(app)  # the top bar while it is open

        await palette(pilot, "Show the join card")
        await wait_for(pilot, lambda: isinstance(app.screen, JoinCard), what="the card again")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("j")  # open: j shows the card again, and never closes the page
        await wait_for(pilot, lambda: isinstance(app.screen, JoinCard), what="the card by j")
        await pilot.press("j")  # on the card: it stays up
        await pilot.pause()
        assert isinstance(app.screen, JoinCard) and app.join_server is not None
        await pilot.press("escape")
        await settle(pilot)
        assert app.join_server is not None

        await palette(pilot, "Close the join page")
        confirm = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, ConfirmDialog) else None
        )
        assert "Close the join page?" in widget_text(confirm.query_one(".dialog-title"))
        await pilot.press("n")  # not yet
        await settle(pilot)
        assert app.join_server is not None
        await palette(pilot, "Close the join page")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.join_server is None, what="the page to close")
        await settle(pilot)
        assert "Join page closed" in notices(app)
        assert f"code {code}" not in screen_text(app)

        await palette(pilot, "Show the join card")
        assert "The join page is closed: press j to open it" in notices(app)
        assert isinstance(app.screen, LiveScreen)
