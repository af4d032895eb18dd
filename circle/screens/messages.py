"""What a screen asks of the app: Textual messages, posted upward, handled in `CircleApp`.

A screen never imports the app. What only the app can do (run a session's
timers, the join page's server, exports on a thread, quitting) a screen asks
for with one of these; the app handles each with `@on(...)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from circle.runtime import LiveRun


class OpenLive(Message):
    """Home or setup has a session to run: show it on a live screen."""

    def __init__(self, run: LiveRun) -> None:
        super().__init__()
        self.run = run


class ExportRequested(Message):
    """`e`, or yes to the export offered at the end: the running session's minutes now."""


class JoinToggled(Message):
    """`j`: open the join page (and show its card), or close it."""


class JoinCardRequested(Message):
    """The palette: show the join card of the open page again."""


class EndRequested(Message):
    """`x`: confirm, the pulse, the review of action items, save, offer the export."""


class QuitRequested(Message):
    """Home's quit: leave the app."""
