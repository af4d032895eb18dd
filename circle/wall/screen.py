"""The wall's screen: the live screen's panels, fed from the console's snapshots.

A `ProjectedScreen` like the console's live screen, so the room sees the
same rendering. It keeps the latest snapshot and redraws from it whenever
one arrives and a few times a second (the countdown, the clocks), deriving
every time shown from the moment the snapshot was taken. While the console
is away it hides the panels and says `Session not running`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from circle.screens.commands import wall_bar_keys
from circle.screens.projected import ProjectedScreen
from circle.wall.rows import MALFORMED, WallView, readable, wall_view
from circle.widgets.panels import (
    AgendaPanel,
    BigSpeakerPanel,
    CountdownPanel,
    QueuePanel,
    SharesPanel,
    SpeakerPanel,
    TopBar,
)

NOT_RUNNING = "Session not running"
CONNECTING = "Connecting to the session…"


class WallScreen(ProjectedScreen, inherit_bindings=False):
    """No keys of its own: the wall's app has the only two (z and ctrl+q)."""

    BOARD_SELECTABLE = False

    def __init__(
        self, monotonic: Callable[[], float], session_id: str = "", *, tick_s: float = 0.2
    ) -> None:
        super().__init__(None, wall_bar_keys())
        self.monotonic = monotonic
        self.session_id = session_id
        self.tick_s = tick_s
        self.snapshot: dict[str, Any] | None = None
        self.running = False
        self._shown: WallView | None = None
        self.add_class("-waiting")

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static(CONNECTING, id="waiting", markup=False)

    def on_mount(self) -> None:
        self.show_panel_titles()
        self.set_interval(self.tick_s, self._tick)

    def _tick(self) -> None:
        if self.running and self._has_panels():
            self.tick()

    def _has_panels(self) -> bool:
        """False once the wall is closing and its panels are going."""
        return self.is_attached and bool(self.children)

    # -- what the channel says ---------------------------------------------------------
    def show_update(self, running: bool, snapshot: dict[str, Any] | None) -> None:
        """The console's latest word: a snapshot, or that it isn't running."""
        if not self._has_panels():
            return
        if not running:
            self.running = False
            self._wait(NOT_RUNNING)
            return
        if snapshot is None:
            return
        if not readable(snapshot):
            self._wait("The console runs another version of circle: update both")
            return
        previous, self.snapshot = self.snapshot, snapshot
        if not self.tick():
            self.snapshot = previous  # of another shape: keep showing the last good one
            return
        self.running = True
        self.remove_class("-waiting")

    def _wait(self, why: str) -> None:
        title = self.snapshot["title"] if self.snapshot else self.session_id
        lines = [
            why,
            str(title),
            "",
            "The wall follows it again as soon as it is resumed",
            "ctrl+q closes the wall",
        ]
        self.query_one("#waiting", Static).update(Content("\n".join(lines)))
        self.add_class("-waiting")

    # -- drawing -------------------------------------------------------------------------
    def tick(self) -> bool:
        """Redraw from the latest snapshot at this moment; False if it can't be read."""
        if self.snapshot is None:
            return False
        try:
            view = wall_view(self.snapshot, self.monotonic())
        except MALFORMED:
            return False
        self._show(view)
        return True

    def _show(self, view: WallView) -> None:
        old, self._shown = self._shown, view
        self.show_kind(view.kind)
        self.query_one(TopBar).info = view.top
        self.query_one(CountdownPanel).show(view.countdown)
        self.query_one(AgendaPanel).rows = view.agenda
        speaker = self.query_one(SpeakerPanel)
        speaker.turn = view.turn
        speaker.next_name = view.next_name
        self.query_one(BigSpeakerPanel).show(view.speaker)
        self.query_one(QueuePanel).entries = view.queue
        self.query_one(SharesPanel).shares = view.shares
        self.show_board(view.board, view.board_heading)
        self.show_notes(view.notes_title, view.notes)
        if old is None or view.flash != old.flash:
            self.show_flash(view.flash)
