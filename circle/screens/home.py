"""Home (`circle` with no arguments): the series and their sessions, a new one,
resume, export, delete, and a series' programme report.

The series list on the left says where each series stands (stage, pulse trend,
open goals, owed items); the table on the right lists the sessions of the
highlighted series, or of every series one after the other. Both come from the
index alone, read once: no session file is opened to draw home.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, OptionList, Static

from circle.domain.errors import CircleError
from circle.report.glance import SeriesGlance, series_glances
from circle.screens.messages import OpenLive, QuitRequested
from circle.storage import Store
from circle.widgets.series import SeriesList
from circle.widgets.sessions import (
    COLUMNS,
    SessionTable,
    date_text,
    is_unfinished,
    people_text,
    row_of,
)

if TYPE_CHECKING:
    from circle.runtime import LiveRun

EMPTY = "No sessions yet — press n to set one up"
HEADING = "Past sessions"
UPGRADE_AFTER_S = 0.5


class HomeScreen(Screen):
    BINDINGS = [
        Binding("n", "new", "New session", id="home.new"),
        Binding("r", "resume", "Resume", id="home.resume"),
        Binding("e", "export", "Export", id="home.export"),
        Binding("p", "report", "Series report", id="home.report"),
        Binding("delete", "delete", "Delete", key_display="del", id="home.delete"),
        Binding("q", "quit", "Quit", id="home.quit"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.sessions: list[dict] = []  # every session, newest first
        self.shown: list[dict] = []  # the table's sessions, in its order
        self.glances: list[SeriesGlance] = []
        self.unfinished: dict | None = None
        # The index as it was read: coming back to home rereads it only if it changed.
        self._read_stamp: tuple[int, ...] | None = None
        # Sessions whose missing series fields were looked for: once each is enough.
        self._upgrade_tried: set[str] = set()
        self._resuming = False  # one session is being read to resume: never two at once

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="resume-panel"):
            yield Static("Unfinished session", id="resume-heading")
            with Horizontal(id="resume-row"):
                yield Static("", id="resume-info", markup=False)
                yield Button("Resume (r)", id="resume", variant="success")
        with Horizontal(id="home-body"):
            with Vertical(id="series-pane"):
                yield Static("Series", id="series-heading")
                yield SeriesList(id="series-list")
            with Vertical(id="sessions-pane"):
                yield Static(HEADING, id="sessions-heading", markup=False)
                yield SessionTable(
                    self.show_rows, id="sessions", cursor_type="row", zebra_stripes=True
                )
                yield Static(EMPTY, id="empty", markup=False)
        with Horizontal(id="home-buttons"):
            yield Button("New session (n)", id="new", variant="primary")
            yield Button("Export (e)", id="export")
            yield Button("Series report (p)", id="report")
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
        error = None
        self._read_stamp = self._index_stamp()
        try:
            self.sessions = self.store.list_sessions()
        except CircleError as exc:
            self.sessions, error = [], str(exc)
            self.notify(error, title="Can't read the sessions", severity="error", markup=False)
        self.glances = series_glances(self.sessions)
        count = len(self.glances)
        self.query_one("#series-heading", Static).update(f"Series ({count})" if count else "Series")
        self.query_one(SeriesList).show(self.glances, len(self.sessions))
        self.query_one("#series-pane").display = bool(self.sessions)
        self.fill_table()
        empty = self.query_one("#empty", Static)
        empty.update(Content(f"The sessions can't be read: {error}" if error else EMPTY))
        empty.display = not self.sessions
        self.query_one(SessionTable).display = bool(self.sessions)
        self._show_unfinished()
        self._upgrade_old_summaries()

    def fill_table(self) -> None:
        """The sessions of the highlighted series, newest first; with "All
        series", every series' sessions in turn, the series met last first."""
        table = self.query_one(SessionTable)
        selected = self.selected_id()
        chosen = self.query_one(SeriesList).chosen()
        by_id = {summary["id"]: summary for summary in self.sessions}
        groups = [chosen] if chosen is not None else self.glances
        self.shown = [by_id[sid] for g in groups for sid in reversed(g.row.session_ids)]
        table.clear()
        ids = [summary["id"] for summary in self.shown]
        position = ids.index(selected) if selected in ids else None
        self.show_rows((position or 0) + table.ahead())
        if position is not None:
            table.move_cursor(row=position, animate=False)
        count = len(self.shown)
        heading = HEADING if chosen is None else f"{HEADING} of {chosen.row.name}"
        self.query_one("#sessions-heading", Static).update(
            Content(f"{heading} ({count:,})" if count else heading)
        )

    def _show_unfinished(self) -> None:
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
        """Make the first `count` sessions of the table's list rows."""
        table = self.query_one(SessionTable)
        end = min(count, len(self.shown))
        # Counted afresh each time: adding a row can move the cursor, whose
        # watcher calls this again before the loop goes on.
        while table.row_count < end:
            summary = self.shown[table.row_count]
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

    def selected_series(self) -> SeriesGlance | None:
        """The highlighted series, else the selected session's series."""
        chosen = self.query_one(SeriesList).chosen()
        sid = self.selected_id()
        if chosen is None and sid is not None:
            chosen = next((g for g in self.glances if sid in g.row.session_ids), None)
        return chosen

    @on(OptionList.OptionHighlighted, "#series-list")
    def _series_highlighted(self) -> None:
        self.fill_table()

    @on(OptionList.OptionSelected, "#series-list")
    def _series_selected(self) -> None:
        """enter on a series: on to its sessions."""
        self.query_one(SessionTable).focus()

    # -- an index from before the series fields -------------------------------
    def _upgrade_old_summaries(self) -> None:
        """Sessions saved before the index kept stage, pulse and goals get them
        now, on a worker; until then the cards show "—"."""
        wanted = [sid for g in self.glances for sid in g.unknown]
        todo = [sid for sid in wanted if sid not in self._upgrade_tried]
        if todo:
            self._upgrade_tried.update(todo)
            # After the first frame has gone out: it never waits for old sessions.
            self.set_timer(UPGRADE_AFTER_S, lambda: self.upgrade_summaries(todo))

    @work(thread=True, group="home-upgrade")
    def upgrade_summaries(self, session_ids: list[str]) -> None:
        try:
            found = self.store.upgrade_summaries(session_ids)
        except CircleError:  # the index can't be written: the cards keep their "—"
            return
        if found:
            self.app.call_from_thread(self.reload)

    # -- actions --------------------------------------------------------------
    def action_new(self) -> None:
        from circle.screens.setup import SetupScreen

        self.app.push_screen(SetupScreen(self.store, self.sessions), self._set_up)

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
        if not self._resuming:  # a second press while reading would open it twice
            self._resuming = True
            self.resume_session(session_id)

    @work(thread=True, group="home-resume")
    def resume_session(self, session_id: str) -> None:
        """Read and rebuild the session off the UI's loop: a long one takes a moment."""
        from circle.domain.clock import SystemClock
        from circle.runtime import LiveRun

        try:
            run = LiveRun.resume(self.store, session_id, SystemClock())
        except CircleError as exc:
            self.app.call_from_thread(self._resume_failed, str(exc))
            return
        self.app.call_from_thread(self._resumed, run)

    def _resume_failed(self, why: str) -> None:
        self._resuming = False
        self.notify(why, title="Can't resume", severity="error", markup=False)

    def _resumed(self, run: LiveRun) -> None:
        self._resuming = False
        self.post_message(OpenLive(run))

    def action_report(self) -> None:
        """The programme report of the highlighted series (or the selected session's)."""
        chosen = self.selected_series()
        if chosen is None:
            self.notify("No series yet: start a session with n", severity="warning")
            return
        from circle.screens.report_view import ReportScreen

        self.app.push_screen(ReportScreen(self.store, chosen.row))

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

    @work(thread=True, exclusive=True, group="home-delete")
    def delete_session(self, session_id: str, title: str) -> None:
        """Its files and its index entry go off the UI's loop (each with an fsync)."""
        try:
            self.store.delete_session(session_id)
        except CircleError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Can't delete", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self._deleted, title)

    def _deleted(self, title: str) -> None:
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
            "report": self.action_report,
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
