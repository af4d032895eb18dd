"""CircleApp: screens, the projector theme, saving, the join page, exports and the ending.

Screens never call the app: they post the messages of `circle.screens.messages`
and the app answers each with `@on(...)` below. Downward, the app hands the
live screen its run and a `LiveStatus` it keeps up to date.
"""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.screen import Screen
from textual.theme import Theme

from circle.domain.errors import BadInput, CircleError
from circle.screens.commands import QUIT
from circle.screens.messages import (
    EndRequested,
    ExportRequested,
    JoinCardRequested,
    JoinToggled,
    OpenLive,
    QuitRequested,
)
from circle.screens.status import JoinInfo, LiveStatus
from circle.screens.themes import DEFAULT_THEME, PROJECTOR, THEMES, save_theme_choice
from circle.screens.wall_link import WallLink
from circle.startup import resume_gc

if TYPE_CHECKING:
    from circle.runtime import LiveRun
    from circle.screens.live import LiveScreen
    from circle.storage import Store
    from circle.storage_writer import WriterStatus

_HERE = Path(__file__).parent
# How long a phone waits to hear its write is on disk before being told it is not.
DURABLE_WAIT_S = 5.0
WALLS_AFTER_S = 0.2  # walls attach this long after the first frame (they retry twice a second)
_SCREENS = _HERE / "screens"


class CircleApp(App[None]):
    TITLE = "circle"
    # Every stylesheet a run can need, up front: the first screen is the
    # default screen, whose own CSS_PATH Textual would not load, and a
    # stylesheet loaded later reparses and restyles everything. A run that
    # starts on the live screen never shows home or setup, so it skips theirs.
    CSS_PATH = [_HERE / "app.tcss", _SCREENS / "live.tcss"]
    HOME_CSS_PATH = [_SCREENS / "home.tcss", _SCREENS / "setup.tcss"]
    BINDINGS = [QUIT.binding()]

    def __init__(
        self,
        store: Store,
        run: LiveRun | None,
        *,
        join: bool = False,
        host: str = "0.0.0.0",
        port: int | None = None,
        theme: str = DEFAULT_THEME,
        remember_theme: bool = False,
    ) -> None:
        super().__init__(css_path=self.CSS_PATH + ([] if run else self.HOME_CSS_PATH))
        self.store = store
        self.run_ = run
        self.join_at_start, self.join_host, self.join_port = join, host, port
        self.join_server: Any = None
        self.fatal_error: str | None = None
        self.crash_report: Path | None = None
        self.crashed = False
        self.status = LiveStatus()
        self._refresh_pending = False
        self.walls = WallLink(self._walls_changed)
        self._walls_opening: asyncio.Task | None = None
        self._walls_pending = False
        for known in THEMES:
            self.register_theme(known)
        self._start_theme(theme)
        self._theme_to_remember = theme if remember_theme else None

    @property
    def save_problem(self) -> str | None:
        """Why saving is behind, or None while it keeps up."""
        return self.status.save_problem

    # -- start and stop -------------------------------------------------------
    def get_default_screen(self) -> Screen:
        # The first screen is the live one (or home) itself, not a blank
        # default with ours pushed on top: one screen to build at start-up.
        if self.run_ is None:
            from circle.screens.home import HomeScreen

            return HomeScreen(self.store)
        from circle.screens.live import LiveScreen

        self._attach(self.run_)
        return LiveScreen(self.run_, self.status)

    @on(OpenLive)
    def _open_live(self, message: OpenLive) -> None:
        """From home or setup: run a session on a live screen pushed on top."""
        from circle.screens.live import LiveScreen

        self._attach(message.run)
        self.push_screen(LiveScreen(message.run, self.status))

    def _attach(self, run: LiveRun) -> None:
        self.run_ = run
        run.status_listeners.append(self._writer_status)
        run.session.listeners.append(self._on_event)
        # A run started in the background is saved from its first frame on.
        self.call_after_refresh(run.writer.release)
        self.call_later(self._start_run_timers, run)

    def _start_run_timers(self, run: LiveRun) -> None:
        self.set_interval(1.0, self._heartbeat)
        if self.join_at_start:
            self.call_later(self._toggle_join)
        # Well after the first frame: the terminal gets it before the channel is imported.
        self.call_after_refresh(self.set_timer, WALLS_AFTER_S, partial(self._open_walls, run))

    def _heartbeat(self) -> None:
        if self.run_ is not None:
            self.run_.heartbeat()
        if self.join_server is not None:
            self.join_server.tick()  # the page's timers follow the session clock
        self._update_join_info()  # phones come and go
        self._publish_walls()  # the walls' clocks never run far on their own

    def on_mount(self) -> None:
        self.call_after_refresh(resume_gc)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._theme_to_remember is not None:  # --theme: the next start looks the same
            self._remember_theme(self._theme_to_remember)

    def action_quit_now(self) -> None:
        self.exit()

    @on(QuitRequested)
    def _quit_requested(self) -> None:
        self.exit()

    async def on_unmount(self) -> None:
        if self._walls_opening is not None:
            await self._walls_opening  # finishes by itself; then there is a socket to remove
        await self.walls.close()
        if self.join_server is not None:
            await self.join_server.stop()
        if self.run_ is not None:
            self.run_.close()

    def _handle_exception(self, error: Exception) -> None:
        """A bug: the details go to a file, never a traceback onto the wall.

        Textual would print the traceback (with locals: what people typed)
        once the terminal is restored; the command line prints one line
        naming the report instead. Unmounting still closes the run, so what
        is pending is saved and the session stays resumable.
        """
        from circle.crash import write_crash_report

        if not self.crashed:
            self.crashed = True
            self.crash_report = write_crash_report(self.store.data_dir, error)
        super()._handle_exception(error)
        self._exit_renderables.clear()

    def fail(self, message: str) -> None:
        """Stop with a message the command line prints (exit code 2)."""
        self.fatal_error = message
        self.exit()

    # -- themes and screenshots ------------------------------------------------
    def _start_theme(self, name: str) -> None:
        """Start in `name` without the theme watcher, which would parse and apply
        the whole stylesheet a second time before the first frame: the
        stylesheet is parsed once, with the theme's colours."""
        self.set_reactive(App.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())
        dark = self.current_theme.dark
        self.add_class(f"-theme-{name}")
        self.set_class(dark, "-dark-mode", update=False)
        self.set_class(not dark, "-light-mode", update=False)

    def _theme_changed(self, theme: Theme) -> None:
        self._remember_theme(theme.name)

    @work(thread=True, exclusive=True, group="theme")
    def _remember_theme(self, name: str) -> None:
        """The palette's choice, for the next start: a small file, off the UI loop."""
        try:
            save_theme_choice(self.store.data_dir, name)
        except OSError as exc:
            self.call_from_thread(
                self.notify, f"The theme can't be remembered: {exc}", severity="warning",
                markup=False,
            )

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's "Screenshot": an SVG in the data directory's `screenshots/`.

        Textual's own would deliver it to a downloads directory that a
        projector machine may not have, and fail.
        """
        folder = Path(path) if path else self.store.data_dir / "screenshots"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved = self.save_screenshot(filename, str(folder), time_format)
        except OSError as exc:
            self.notify(f"Screenshot failed: {exc}", severity="error", markup=False)
            return None
        self.notify(f"Screenshot saved to {saved}", title="Screenshot", timeout=10, markup=False)
        return saved

    # -- the live screen --------------------------------------------------------
    @property
    def live(self) -> LiveScreen | None:
        from circle.screens.live import LiveScreen

        for screen in self.screen_stack:
            if isinstance(screen, LiveScreen):
                return screen
        return None

    def _on_event(self, event: dict) -> None:
        """Every event goes to the walls. (The join page asks for its own
        redraws, a few for a burst: see `Desk.changed`.)"""
        self._walls_should_follow()

    def request_refresh(self) -> None:
        """The join page changed something: one redraw for a burst of arrivals."""
        if not self._refresh_pending:
            self._refresh_pending = True
            self.call_later(self._refresh_live)

    def _refresh_live(self) -> None:
        self._refresh_pending = False
        self._update_join_info()
        live = self.live
        if live is not None:
            live.refresh_view()

    def _writer_status(self, status: WriterStatus) -> None:
        # Called from the writer's thread.
        self.call_from_thread(self._show_writer_status, status)

    def _show_writer_status(self, status: WriterStatus) -> None:
        # Until saving catches up the wall says so; the session goes on in memory.
        self.status.save_problem = None if status.ok else status.message
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
    @on(JoinToggled)
    async def _toggle_join(self) -> None:
        """Open the join page and show its card; or close it."""
        if self.run_ is None:
            return
        if self.join_server is not None:
            server, self.join_server = self.join_server, None
            await server.stop()
            self._update_join_info()
            self.notify("Join page closed")
            return
        # Imported when the page first opens: start-up stays fast.
        from circle.web.link import JoinLink
        from circle.web.wire import JoinError

        run = self.run_

        async def durable(seq: int) -> int:
            # A phone is told "saved" only once the write is on disk; while the
            # disk fails it is told it wasn't, rather than waiting for ever.
            # No task of its own (as wait_for would make): a write already on
            # disk is answered in the same step, off a burst's crowded loop.
            async with asyncio.timeout(DURABLE_WAIT_S):
                return await run.durable(seq)

        try:
            # The per-session secret keeps phones' device tokens valid across a
            # resume; reading it is file I/O, kept off the UI's loop.
            secret = await asyncio.to_thread(run.join_secret)
            server = JoinLink(
                lambda: run.session,
                self.request_refresh,
                host=self.join_host,
                port=self.join_port,
                secret=secret,
                durable=durable,
                on_lost=self._join_lost,
            )
            await server.start()
        except (JoinError, OSError, CircleError) as exc:
            self.notify(str(exc), title="Join page", severity="error", timeout=10, markup=False)
            return
        self.join_server = server
        self._update_join_info()
        self._show_join_card()

    def _join_lost(self, message: str) -> None:
        """The page's process ended by itself: the console goes on without it."""
        self.join_server = None
        self._update_join_info()
        self.notify(message, title="Join page", severity="error", timeout=30, markup=False)

    @on(JoinCardRequested)
    def _show_join_card(self) -> None:
        if self.join_server is None or self.run_ is None:
            self.notify("The join page is closed: press j to open it", severity="warning")
            return
        from circle.screens.joincard import JoinCard

        self.push_screen(JoinCard(self.run_.session.join_code, self.join_server.url))

    def _update_join_info(self) -> None:
        server = self.join_server
        join = None
        if server is not None and self.run_ is not None:
            address = server.url.split("/?")[0]
            join = JoinInfo(self.run_.session.join_code, address, server.devices)
        if join != self.status.join:
            self.status.join = join
            self._walls_should_follow()

    # -- the walls (`circle wall`) ----------------------------------------------------
    def _open_walls(self, run: LiveRun) -> None:
        """Serve the session to walls, without delaying anything the console does."""
        import asyncio

        self._walls_opening = asyncio.create_task(self._serve_walls(run))

    async def _serve_walls(self, run: LiveRun) -> None:
        try:
            await self.walls.open(Path(self.store.data_dir), run.session_id)
        except BadInput as exc:  # another console runs this session: two would both write it
            self.fail(str(exc))
        except CircleError as exc:  # the console works on; only walls can't attach
            self.notify(str(exc), title="Wall", severity="warning", timeout=10, markup=False)

    def _walls_changed(self, count: int) -> None:
        """A wall attached or left: the top bar says so, and a new wall gets the room now."""
        self.status.walls = count
        self._publish_walls()
        live = self.live
        if live is not None:
            live.refresh_view()  # the questions waiting for approval show while a wall does

    def _walls_should_follow(self) -> None:
        """The session changed: one snapshot for a burst of changes, after the console's
        own repaint (the room's screen never delays the facilitator's)."""
        if self.walls.count and not self._walls_pending:
            self._walls_pending = True
            self.call_after_refresh(self._publish_walls)

    def _publish_walls(self) -> None:
        self._walls_pending = False
        if self.run_ is not None:
            self.walls.publish(self.run_.session, self.status.join)

    # -- export ---------------------------------------------------------------
    @on(ExportRequested)
    def _export_requested(self) -> None:
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
    @on(EndRequested)
    def _end_requested(self) -> None:
        if self.run_ is not None:
            self.run_worker(self._end(self.run_), exclusive=True, group="ending")

    async def _end(self, run: LiveRun) -> None:
        from circle.screens.ending import offer_export, run_ending

        if not await run_ending(self, run):
            return
        self._refresh_live()  # the wall shows the ended session under the offer
        if await offer_export(self):
            self._export(run)


__all__ = ["CircleApp", "PROJECTOR"]
