"""CircleApp: screens, the projector theme, the palette, saving and the join page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from circle.domain.errors import CircleError, DomainError
from circle.startup import resume_gc

if TYPE_CHECKING:
    from circle.runtime import LiveRun
    from circle.screens.live import LiveScreen
    from circle.storage import Store
    from circle.storage_writer import WriterStatus


def _live_commands():  # -> type[Provider]
    """The palette's provider, imported when the palette first opens."""
    from circle.screens.palette import LiveCommands

    return LiveCommands


_HERE = Path(__file__).parent
_SCREENS = _HERE / "screens"

PROJECTOR = Theme(
    name="projector",
    primary="#4DA3FF",
    secondary="#FF9F1C",
    accent="#FFD60A",
    warning="#FFB000",
    error="#FF4D4D",
    success="#3DDC84",
    foreground="#FFFFFF",
    background="#000000",
    surface="#0D0D0D",
    panel="#1C1C1C",
    dark=True,
)


class CircleApp(App[None]):
    TITLE = "circle"
    # Every stylesheet a run can need, up front: the first screen is the
    # default screen, whose own CSS_PATH Textual would not load, and a
    # stylesheet loaded later reparses and restyles everything. A run that
    # starts on the live screen never shows home or setup, so it skips theirs.
    CSS_PATH = [_HERE / "app.tcss", _SCREENS / "live.tcss"]
    HOME_CSS_PATH = [_SCREENS / "home.tcss", _SCREENS / "setup.tcss"]
    COMMANDS = App.COMMANDS | {_live_commands}
    BINDINGS = [
        Binding(
            "ctrl+q",
            "quit_now",
            "Quit",
            priority=True,
            id="app.quit",
            tooltip="Quit at once; the session stays resumable",
        ),
    ]

    def __init__(
        self,
        store: Store,
        run: LiveRun | None,
        *,
        join: bool = False,
        host: str = "0.0.0.0",
        port: int | None = None,
    ) -> None:
        super().__init__(css_path=self.CSS_PATH + ([] if run else self.HOME_CSS_PATH))
        self.store = store
        self.run_ = run
        self.join_at_start, self.join_host, self.join_port = join, host, port
        self.join_server: Any = None
        self.fatal_error: str | None = None
        self._refresh_pending = False
        self.save_problem: str | None = None
        self.register_theme(PROJECTOR)
        # Start in the projector theme without the theme watcher, which would
        # parse and apply the whole stylesheet a second time before the first
        # frame: the stylesheet is parsed once, with the projector's colours.
        self.set_reactive(App.theme, PROJECTOR.name)
        self.stylesheet.set_variables(self.get_css_variables())
        self.add_class(f"-theme-{PROJECTOR.name}")

    # -- start and stop -------------------------------------------------------
    def get_default_screen(self) -> Screen:
        # The first screen is the live one (or home) itself, not a blank
        # default with ours pushed on top: one screen to build at start-up.
        if self.run_ is None:
            from circle.screens.home import HomeScreen

            return HomeScreen(self.store)
        from circle.screens.live import LiveScreen

        self._attach(self.run_)
        return LiveScreen(self.run_)

    def open_live(self, run: LiveRun) -> None:
        """From home or setup: run a session on a live screen pushed on top."""
        from circle.screens.live import LiveScreen

        self._attach(run)
        self.push_screen(LiveScreen(run))

    def _attach(self, run: LiveRun) -> None:
        self.run_ = run
        run.status_listeners.append(self._writer_status)
        run.session.listeners.append(self._on_event)
        self.call_later(self._start_run_timers, run)

    def _start_run_timers(self, run: LiveRun) -> None:
        self.set_interval(1.0, run.heartbeat)
        if self.join_at_start:
            self.call_later(self.toggle_join)

    def on_mount(self) -> None:
        self.call_after_refresh(resume_gc)

    def action_quit_now(self) -> None:
        self.exit()

    async def on_unmount(self) -> None:
        if self.join_server is not None:
            await self.join_server.stop()
        if self.run_ is not None:
            self.run_.close()

    def fail(self, message: str) -> None:
        """Stop with a message the command line prints (exit code 2)."""
        self.fatal_error = message
        self.exit()

    # -- the live screen --------------------------------------------------------
    @property
    def live(self) -> LiveScreen | None:
        from circle.screens.live import LiveScreen

        for screen in self.screen_stack:
            if isinstance(screen, LiveScreen):
                return screen
        return None

    def _on_event(self, event: dict) -> None:
        """Events from the join page redraw the screen, coalesced."""
        if event["source"] == "phone" and not self._refresh_pending:
            self._refresh_pending = True
            self.call_later(self._refresh_live)

    def request_refresh(self) -> None:
        """The join page changed something: one redraw for a burst of arrivals."""
        if not self._refresh_pending:
            self._refresh_pending = True
            self.call_later(self._refresh_live)

    def action_show_join_card(self) -> None:
        from circle.screens.joincard import show_join_card

        show_join_card(self)

    def _refresh_live(self) -> None:
        self._refresh_pending = False
        live = self.live
        if live is not None:
            live.refresh_view()

    def _writer_status(self, status: WriterStatus) -> None:
        # Called from the writer's thread.
        self.call_from_thread(self._show_writer_status, status)

    def _show_writer_status(self, status: WriterStatus) -> None:
        # Until saving catches up the wall says so; the session goes on in memory.
        self.save_problem = None if status.ok else status.message
        live = self.live
        if live is not None:
            live.tick()
        severity = "information" if status.ok else "error"
        self.notify(
            status.message,
            title="Saving",
            severity=severity,
            timeout=5 if status.ok else 30,
            markup=False,
        )

    # -- join page ------------------------------------------------------------
    async def toggle_join(self) -> None:
        from circle.screens.joincard import toggle_join

        await toggle_join(self)

    # -- export ---------------------------------------------------------------
    def export_now(self) -> None:
        if self.run_ is not None:
            self._export(self.run_)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, run: LiveRun) -> None:
        from circle.minutes.export import export_to_dir

        try:
            run.writer.flush(5.0)
            path = export_to_dir(
                list(run.session.events),
                run.clock_record(),
                self.store.ensure_exports_dir(),
                run.session_id,
            )
        except (OSError, CircleError) as exc:
            self.call_from_thread(
                self.notify, f"Export failed: {exc}", severity="error", markup=False
            )
            return
        self.call_from_thread(
            self.notify, f"Minutes exported to {path}", title="Export", timeout=10, markup=False
        )

    # -- ending ---------------------------------------------------------------
    def end_session_flow(self) -> None:
        from circle.screens.ending import run_ending

        if self.run_ is not None:
            self.run_worker(run_ending(self, self.run_), exclusive=True, group="ending")

    def act(self, change: Any) -> bool:
        live = self.live
        if live is None:
            return False
        return live.act(change)


__all__ = ["CircleApp", "PROJECTOR", "DomainError"]
