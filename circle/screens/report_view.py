"""A series' programme report, read in the app: the Markdown report, scrollable.

Opened from home with `p`. The report reads every session of the series, so
it is built on a worker while "Loading…" shows; `s` saves it into the data
directory's `exports/` beside the minutes, under a name not yet taken (a file
there is never replaced), and says where.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, Static

from circle.domain.errors import CircleError
from circle.report.glance import SeriesRow
from circle.storage import Store

LOADING = "Loading…"


class ReportScreen(Screen):
    """Escape goes back to home."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="report.back"),
        Binding("s", "save", "Save to exports", id="report.save"),
    ]

    def __init__(self, store: Store, row: SeriesRow) -> None:
        super().__init__()
        self.store = store
        self.row = row
        self.text: str | None = None  # the report as Markdown, once built
        self.saved_to: Path | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(LOADING, id="report-status", markup=False)
        with VerticalScroll(id="report-scroll"):
            # Links in a report are never followed: it is read here, not browsed.
            yield Markdown(id="report", open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Programme report of {self.row.name}"
        self.query_one("#report-scroll").focus()
        self.load_report()

    # -- loading ----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="report-load")
    def load_report(self) -> None:
        from circle.report.markdown import render_report_markdown
        from circle.report.series import report_for

        try:
            text = render_report_markdown(report_for(self.store, self.row))
        except (CircleError, OSError) as exc:
            self.app.call_from_thread(self._status, f"The report can't be made: {exc}")
            return
        self.app.call_from_thread(self._show, text)

    async def _show(self, text: str) -> None:
        await self.query_one("#report", Markdown).update(text)
        self.text = text
        self._status("s saves it into the exports folder · escape goes back")

    def _status(self, line: str) -> None:
        # Paths and errors can hold anything: shown as text, never as markup.
        self.query_one("#report-status", Static).update(Content(line))

    # -- saving ---------------------------------------------------------------
    def action_save(self) -> None:
        if self.text is None:
            self.notify("The report is still loading", severity="warning")
            return
        self.save_report(self.text)

    @work(thread=True, exclusive=True, group="report-save")
    def save_report(self, text: str) -> None:
        from circle.report.series import save_report

        try:
            path = save_report(text, self.store.exports_dir, self.row)
        except (CircleError, OSError) as exc:
            self.app.call_from_thread(
                self.notify, f"Not saved: {exc}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self._saved, path)

    def _saved(self, path: Path) -> None:
        self.saved_to = path
        self._status(f"Saved to {path}")
        self.notify(f"Report saved to {path}", title="Report", timeout=10, markup=False)

    def action_back(self) -> None:
        self.dismiss()
