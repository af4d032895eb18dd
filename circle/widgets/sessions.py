"""The home screen's table of sessions: one row per session, made as it comes into view."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from circle.domain.present import duration_words

COLUMNS = ("Date", "Title", "Status", "Duration", "People")
EVERY_ROW = sys.maxsize


def date_text(wall: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(wall or 0))


def people_text(summary: dict) -> str:
    """Mentors, then mentees: "Ada · Mira, Jon, Priya"."""
    mentors = ", ".join(summary.get("mentors") or [])
    mentees = ", ".join(summary.get("mentees") or [])
    return " · ".join(part for part in (mentors, mentees) if part)


def is_unfinished(summary: dict) -> bool:
    return summary.get("status") != "ended"


def row_of(summary: dict) -> tuple[Any, ...]:
    return (
        date_text(summary.get("created_wall")),
        Text(str(summary.get("title", ""))),
        "unfinished" if is_unfinished(summary) else "ended",
        duration_words(summary.get("duration_s")),
        Text(people_text(summary)),
    )


class SessionTable(DataTable):
    """The sessions, made rows a screen ahead of the cursor and of the view as they move.

    DataTable measures every cell of every row it is given, and with a long
    history (1,000 sessions are 5,000 cells) that was most of the time home
    took to appear, for rows nobody looks at first. `more(n)` makes sure the
    first n sessions are rows; the rest follow as the list is moved through.
    """

    # No keys of its own: DataTable's (arrows, page up/down, ctrl+home/end) stay as they are.
    BINDINGS: ClassVar[list[Binding]] = []

    def __init__(self, more: Callable[[int], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._more = more

    def ahead(self) -> int:
        """Rows kept ready past the cursor and the top of the view: a screen's worth.

        That fills the view on the first frame, and a page down always has a
        page to go to.
        """
        return max(self.size.height, self.app.size.height)

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        self._more(new.row + self.ahead())
        super().watch_cursor_coordinate(old, new)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._more(int(new) + self.ahead())  # a row is one line high

    def action_scroll_bottom(self) -> None:
        self._more(EVERY_ROW)  # the oldest session is a row before the cursor goes there
        super().action_scroll_bottom()
