"""`j`: open or close the join page; the join card shows code, address and QR code.

aiohttp and segno are imported only here, when the page first opens, so
start-up stays fast for sessions that never use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from circle.app import CircleApp


class JoinCard(ModalScreen[None]):
    """Fills the screen until escape: scan the code or type the address."""

    BINDINGS = [Binding("escape,enter,j", "close", "Close the card", id="joincard.close")]

    def __init__(self, code: str, url: str) -> None:
        super().__init__()
        self.code, self.url = code, url

    def compose(self) -> ComposeResult:
        from circle.widgets.qr import qr_lines

        with Vertical(id="join-card"):
            yield Static("Join on your phone", id="join-heading")
            yield Static(Content(" ".join(self.code)), id="join-code")
            yield Static(Content(self.url), id="join-url")
            with Center():
                yield Static(Content("\n".join(qr_lines(self.url))), id="join-qr")
            yield Static(
                "escape closes · ctrl+p → Show the join card brings it back", id="join-hint"
            )

    def action_close(self) -> None:
        self.dismiss(None)


def join_info(app: CircleApp) -> str:
    server = app.join_server
    if server is None or app.run_ is None:
        return ""
    devices = server.devices
    return (
        f"code {app.run_.session.join_code} {server.url.split('/?')[0]}"
        f" · {devices} device{'s' if devices != 1 else ''}"
    )


async def toggle_join(app: CircleApp) -> None:
    if app.run_ is None:
        return
    if app.join_server is not None:
        server, app.join_server = app.join_server, None
        await server.stop()
        app.notify("Join page closed")
        return
    from circle.web.server import JoinError, JoinServer

    run = app.run_
    server = JoinServer(
        lambda: run.session, app.request_refresh, host=app.join_host, port=app.join_port
    )
    try:
        await server.start()
    except JoinError as exc:
        app.notify(str(exc), title="Join page", severity="error", timeout=10, markup=False)
        return
    app.join_server = server
    app.push_screen(JoinCard(run.session.join_code, server.url))


def show_join_card(app: CircleApp) -> None:
    if app.join_server is None or app.run_ is None:
        app.notify("The join page is closed: press j to open it", severity="warning")
        return
    app.push_screen(JoinCard(app.run_.session.join_code, app.join_server.url))
