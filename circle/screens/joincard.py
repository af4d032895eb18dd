"""The join card: the join page's code, address and QR code, filling the screen.

segno is imported only here (through the QR widget), when the card first
shows, so start-up stays fast for sessions that never open the join page.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class JoinCard(ModalScreen[None]):
    """Fills the screen until escape: scan the code or type the address."""

    # `j` shows the card: pressing it again while the card is up keeps it up.
    BINDINGS = [Binding("escape,enter", "close", "Close the card", id="joincard.close")]

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
                "escape: back to the wall (the page stays open) · j brings the card back",
                id="join-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
