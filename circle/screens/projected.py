"""The projected layout: one rendering for two audiences.

The live screen (the console, on the facilitator's laptop) and the wall
(`circle wall`, on the projector) are both a `ProjectedScreen`: the same
panels in the same places, styled by the same stylesheet (live.tcss, whose
rules name `ProjectedScreen`), fed the same typed rows. The console builds
its rows from the running session, the wall from the public snapshot the
console sends it; neither this screen nor its widgets know which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.content import Content
from textual.events import Resize, ScreenResume
from textual.screen import Screen
from textual.widgets import Static

from circle.widgets.board import BoardPanel, BoardRow
from circle.widgets.keybar import KeyBar, KeyHint
from circle.widgets.notes import NotesPanel, NotesView
from circle.widgets.panels import (
    AgendaPanel,
    BigSpeakerPanel,
    CountdownPanel,
    QueuePanel,
    SharesPanel,
    SpeakerPanel,
    TopBar,
)

if TYPE_CHECKING:
    from circle.widgets.flash import FlashPanel, FlashView

VIEWS = ("full", "timer", "board")
MIN_SIZE = (80, 24)
KINDS = ("round", "flash", "board", "break", "close")


class ProjectedScreen(Screen):
    """The panels of a running session; subclasses push rows into them."""

    BINDINGS = []  # the keys are the console's and the wall's own
    # Whether the board is the console's (a selection, keys in its hints) or the room's.
    BOARD_SELECTABLE = True

    def __init__(self, kind: str | None, hints: tuple[KeyHint, ...]) -> None:
        # The classes the first refresh would set, set now: each later change
        # restyles the whole screen, and the first frame needs none of that.
        super().__init__(classes="-view-full" + (f" -kind-{kind}" if kind else ""))
        self.projection = "full"
        self._hints = hints
        self._border_titles: dict[str, str] = {}
        self._resumed = False
        self._flash: FlashPanel | None = None  # mounted with the first round shown

    def countdown_state(self) -> str:
        """The countdown's state class in the first frame."""
        return "-ok"

    def compose(self) -> ComposeResult:
        # The size classes before the first frame: set on the first resize
        # instead, they would lay out and draw the whole screen a second time.
        width, height = self.app.size
        if width and height:
            self.fit(width, height)
        yield TopBar(id="topbar")
        # A grid, so the people panel can span both rows on a small terminal
        # (everyone fits at 80×24) and sit beside the countdown on a big one.
        with Container(id="body"):
            with Horizontal(id="upper"):
                yield AgendaPanel(id="agenda", classes="panel")
                yield CountdownPanel(id="countdown", classes=f"panel {self.countdown_state()}")
                yield BigSpeakerPanel(id="speaker-big", classes="panel")
            with Vertical(id="people", classes="panel"):
                yield SpeakerPanel(id="speaker")
                yield Static("Queue", classes="panel-heading")
                yield QueuePanel(id="queue")
                yield Static("Speaking time", classes="panel-heading")
                yield SharesPanel(id="shares")
            with Horizontal(id="lower"):
                yield NotesPanel(id="notes-column", classes="panel")
                with Vertical(id="board-column", classes="panel"):
                    yield BoardPanel(id="board", selectable=self.BOARD_SELECTABLE)
        yield Static("Terminal too small\nMake it at least 80×24", id="too-small")
        yield KeyBar(self._hints)

    def show_panel_titles(self) -> None:
        """The panels' border titles: call from `on_mount`, before the first rows."""
        self._set_border_title("#agenda", "Agenda")
        self._set_border_title("#people", "People")
        self._set_border_title("#notes-column", "Notes")

    def on_screen_resume(self, event: ScreenResume) -> None:
        # Runs before Screen's own handler. The first resume comes straight
        # after the mount, which has just styled every widget; restyling them
        # all again was a sixth of the time to the first frame. Later resumes
        # (a dialog closed, a theme changed) restyle as usual.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_resize(self, event: Resize) -> None:
        self.fit(*event.size)

    def fit(self, width: int, height: int) -> None:
        """The layout for this terminal's size."""
        self.set_class(width < MIN_SIZE[0] or height < MIN_SIZE[1], "-too-small")
        compact = width < 120 or height < 34
        big = not compact and height >= 40  # room for the speaker beside the countdown
        large = width >= 190 and height >= 55
        self.set_class(compact, "-compact")
        self.set_class(not compact and not big, "-mid")
        self.set_class(big, "-speaker-big")
        self.set_class(big and not large and width >= 160, "-wide")
        self.set_class(large, "-large")

    # -- rows into panels ---------------------------------------------------------
    def show_kind(self, kind: str) -> None:
        """The current item's kind: breaks hide people and board, a board item widens it."""
        for name in KINDS:
            self.set_class(kind == name, f"-kind-{name}")

    def show_notes(self, title: str, view: NotesView) -> None:
        self._set_border_title("#notes-column", title)
        self.query_one(NotesPanel).show(view)

    def show_board(self, board: tuple[BoardRow, ...], heading: str) -> None:
        self.query_one(BoardPanel).rows = board
        self._set_border_title("#board-column", heading)

    def _set_border_title(self, selector: str, title: str) -> None:
        """A panel's title as text, never markup (an item's title comes from an
        agenda file or the palette), set only when it changes: each set redraws."""
        if self._border_titles.get(selector) != title:
            self._border_titles[selector] = title
            self.query_one(selector).border_title = Content(title)

    def show_flash(self, view: FlashView | None) -> None:
        """A flash round in place of the item countdown, or the countdown again."""
        self.set_class(view is not None, "-flash")
        if view is not None:
            self._flash_panel().show(view)

    def _flash_panel(self) -> FlashPanel:
        """Mounted beside the countdown when a round first shows (most sessions have none)."""
        if self._flash is None:
            from circle.widgets.flash import FlashPanel

            self._flash = FlashPanel(id="flash", classes="panel")
            self.query_one("#upper").mount(self._flash, after="#countdown")
        return self._flash

    # -- projection views (z) -------------------------------------------------------
    def set_view(self, view: str) -> None:
        self.projection = view
        for name in VIEWS:
            self.set_class(view == name, f"-view-{name}")
        # The board alone has the room to show every question whole.
        self.query_one(BoardPanel).wrap_all = view == "board"

    def cycle_view(self) -> None:
        self.set_view(VIEWS[(VIEWS.index(self.projection) + 1) % len(VIEWS)])
