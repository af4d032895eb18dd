"""Home (`circle` with no arguments): past sessions, a new one, resume, export, delete."""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Static

from circle.domain.errors import CircleError
from circle.domain.present import duration_words
from circle.screens.messages import OpenLive, QuitRequested
from circle.storage import Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from circle.runtime import LiveRun

EMPTY = "No sessions yet — press n to set one up"
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


class HomeScreen(Screen):
    BINDINGS = [
        Binding("n", "new", "New session", id="home.new"),
        Binding("r", "resume", "Resume", id="home.resume"),
        Binding("e", "export", "Export", id="home.export"),
        Binding("delete", "delete", "Delete", key_display="del", id="home.delete"),
        Binding("q", "quit", "Quit", id="home.quit"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.sessions: list[dict] = []
        self.unfinished: dict | None = None
        # The index as it was read: coming back to home rereads it only if it changed.
        self._read_stamp: tuple[int, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="resume-panel"):
            yield Static("Unfinished session", id="resume-heading")
            with Horizontal(id="resume-row"):
                yield Static("", id="resume-info", markup=False)
                yield Button("Resume (r)", id="resume", variant="success")
        yield Static("Past sessions", id="sessions-heading")
        yield SessionTable(self.show_rows, id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static(EMPTY, id="empty", markup=False)
        with Horizontal(id="home-buttons"):
            yield Button("New session (n)", id="new", variant="primary")
            yield Button("Export (e)", id="export")
            yield Button("Delete (del)", id="delete", variant="error")
            yield Button("Quit (q)", id="quit")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"sessions in {self.store.data_dir}"
        table = self.query_one(SessionTable)
        for column in COLUMNS:
            table.add_column(column, key=column.lower())
        self.reload()
        # Focused before the first frame, not after it (focus() waits a turn): the
        # table is drawn once, not twice.
        self.set_focus(table)

    def on_screen_resume(self) -> None:
        # Also sent when home first shows, right after on_mount has read the
        # index: that, or a dialog closed with nothing changed, reads nothing.
        if self._index_stamp() != self._read_stamp:
            self.reload()

    # -- showing the sessions -------------------------------------------------
    def _index_stamp(self) -> tuple[int, ...] | None:
        """Which index file is on disk: every change replaces it (a new inode)."""
        try:
            stat = os.stat(self.store.index_path)
        except OSError:
            return None
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def reload(self) -> None:
        """Read the index afresh; a corrupt store is reported, never a crash."""
        table = self.query_one(SessionTable)
        selected = self.selected_id()
        error = None
        self._read_stamp = self._index_stamp()
        try:
            self.sessions = self.store.list_sessions()
        except CircleError as exc:
            self.sessions, error = [], str(exc)
            self.notify(error, title="Can't read the sessions", severity="error", markup=False)
        table.clear()
        ids = [summary["id"] for summary in self.sessions]
        position = ids.index(selected) if selected in ids else None
        self.show_rows((position or 0) + table.ahead())
        if position is not None:
            table.move_cursor(row=position, animate=False)
        count = len(self.sessions)
        heading = f"Past sessions ({count:,})" if count else "Past sessions"
        self.query_one("#sessions-heading", Static).update(heading)
        empty = self.query_one("#empty", Static)
        empty.update(Content(f"The sessions can't be read: {error}" if error else EMPTY))
        empty.display = not self.sessions
        table.display = bool(self.sessions)
        self.unfinished = next((s for s in self.sessions if is_unfinished(s)), None)
        panel = self.query_one("#resume-panel")
        panel.display = self.unfinished is not None
        if self.unfinished is not None:
            info = " — ".join(
                part
                for part in (
                    str(self.unfinished.get("title", "")),
                    date_text(self.unfinished.get("created_wall")),
                    people_text(self.unfinished),
                )
                if part
            )
            self.query_one("#resume-info", Static).update(Content(info))

    def show_rows(self, count: int) -> None:
        """Make the first `count` sessions (newest first) rows of the table."""
        table = self.query_one(SessionTable)
        end = min(count, len(self.sessions))
        # Counted afresh each time: adding a row can move the cursor, whose
        # watcher calls this again before the loop goes on.
        while table.row_count < end:
            summary = self.sessions[table.row_count]
            table.add_row(*row_of(summary), key=summary["id"])

    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        try:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        except Exception:  # noqa: BLE001 - no valid cursor: nothing selected
            return None
        return row_key.value

    def selected(self) -> dict | None:
        sid = self.selected_id()
        return next((s for s in self.sessions if s["id"] == sid), None)

    # -- actions --------------------------------------------------------------
    def action_new(self) -> None:
        from circle.screens.setup import SetupScreen

        self.app.push_screen(SetupScreen(self.store), self._set_up)

    def _set_up(self, run: LiveRun | None) -> None:
        """Setup closed: with a session started, run it (escape gives None)."""
        if run is not None:
            self.post_message(OpenLive(run))

    def action_resume(self, session_id: str | None = None) -> None:
        """The selected session if it is unfinished, else the latest unfinished one."""
        if session_id is None:
            chosen = self.selected()
            if chosen is not None and is_unfinished(chosen):
                session_id = chosen["id"]
            elif self.unfinished is not None:
                session_id = self.unfinished["id"]
        if session_id is None:
            self.notify("Nothing to resume: every session has ended", severity="warning")
            return
        from circle.domain.clock import SystemClock
        from circle.runtime import LiveRun

        try:
            run = LiveRun.resume(self.store, session_id, SystemClock())
        except CircleError as exc:
            self.notify(str(exc), title="Can't resume", severity="error", markup=False)
            return
        self.post_message(OpenLive(run))

    def action_export(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.notify("No session selected", severity="warning")
            return
        self.export_session(chosen["id"])

    @work(thread=True, exclusive=True, group="home-export")
    def export_session(self, session_id: str) -> None:
        from circle.minutes.export import export_to_dir

        try:
            loaded = self.store.load_session(session_id)
            path = export_to_dir(
                loaded.events, loaded.clock, self.store.ensure_exports_dir(), session_id
            )
        except (OSError, CircleError) as exc:
            self.app.call_from_thread(
                self.notify, f"Export failed: {exc}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(
            self.notify, f"Minutes exported to {path}", title="Export", timeout=10, markup=False
        )

    def action_delete(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.notify("No session selected", severity="warning")
            return
        from circle.screens.dialogs import ConfirmDialog

        title = str(chosen.get("title", ""))
        question = (
            f"Delete the session '{title}' of {date_text(chosen.get('created_wall'))}?"
            " Its data is removed for good; other sessions are kept."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete_session(chosen["id"], title)

        self.app.push_screen(ConfirmDialog(question, "Delete"), answered)

    def delete_session(self, session_id: str, title: str) -> None:
        try:
            self.store.delete_session(session_id)
        except CircleError as exc:
            self.notify(str(exc), title="Can't delete", severity="error", markup=False)
            return
        self.reload()
        self.notify(f"Deleted '{title}'", timeout=4, markup=False)

    def action_quit(self) -> None:
        self.post_message(QuitRequested())

    # -- mouse ----------------------------------------------------------------
    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions = {
            "resume": lambda: self.action_resume(self.unfinished and self.unfinished["id"]),
            "new": self.action_new,
            "export": self.action_export,
            "delete": self.action_delete,
            "quit": self.action_quit,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            action()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        """enter on a row: resume it when it is unfinished."""
        chosen = self.selected()
        if chosen is not None and is_unfinished(chosen):
            self.action_resume(chosen["id"])
        elif chosen is not None:
            self.notify("That session has ended: e exports its minutes", timeout=4)
