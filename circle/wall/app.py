"""WallApp: `circle wall`, the projected view of a session running in the console.

It follows the updates of a channel feed (`circle.channel.WallFeed`, or any
async iterable of `(running, snapshot)` pairs: tests feed it by hand) and
shows each on a `WallScreen`. Two keys only, from `WALL_COMMANDS`: `z` cycles
the projection view, `ctrl+q` closes the wall. Textual's own keys and its
command palette are off: the room's screen does nothing else, whatever is
pressed on it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterable, Callable
from pathlib import Path
from typing import Any, Protocol

from textual.app import App
from textual.screen import Screen

import circle.screens
from circle.screens.commands import wall_bindings
from circle.screens.theme import start_in_projector
from circle.startup import resume_gc
from circle.wall.screen import WallScreen

SCREENS = Path(circle.screens.__file__).parent
TICK_S = 0.2  # the countdown's second turns over at most this late


class Update(Protocol):
    """What a feed yields (`circle.channel.FeedUpdate`)."""

    running: bool
    snapshot: dict[str, Any] | None


class WallApp(App[None], inherit_bindings=False):
    TITLE = "circle wall"
    ENABLE_COMMAND_PALETTE = False
    CSS_PATH = [SCREENS / "live.tcss", Path(__file__).parent / "wall.tcss"]
    BINDINGS = wall_bindings()

    def __init__(
        self,
        updates: AsyncIterable[Update],
        *,
        session_id: str = "",
        monotonic: Callable[[], float] = time.monotonic,
        tick_s: float = TICK_S,
    ) -> None:
        super().__init__()
        self.updates = updates
        self.session_id = session_id
        start_in_projector(self)

        self.wall = WallScreen(monotonic, session_id, tick_s=tick_s)

    def get_default_screen(self) -> Screen:
        return self.wall

    def on_mount(self) -> None:
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        """After the first frame, when the screen has its panels to show updates in."""
        resume_gc()
        self.run_worker(self._follow(), name="wall feed", exclusive=True)

    async def _follow(self) -> None:
        async for update in self.updates:
            self.wall.show_update(update.running, update.snapshot)

    async def on_unmount(self) -> None:
        close = getattr(self.updates, "aclose", None)
        if close is not None:
            await close()  # the feed stops retrying and hangs up

    def action_cycle_view(self) -> None:
        self.wall.cycle_view()
