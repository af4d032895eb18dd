"""The live screen: what the room sees on the wall while a session runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize, ScreenResume
from textual.screen import Screen
from textual.widgets import Static

from circle.domain.present import (
    HIDDEN_NAME,
    HIDDEN_TEXT,
    clock_hm,
    countdown_text,
    minutes_label,
    mmss,
    offset_words,
    state_class,
    state_words,
)
from circle.domain.session import Session
from circle.runtime import LiveRun
from circle.screens.live_keys import LIVE_BINDINGS, LiveKeysMixin
from circle.widgets.board import BoardPanel, BoardRow
from circle.widgets.keybar import KeyBar
from circle.widgets.notes import notes_content
from circle.widgets.panels import (
    AgendaPanel,
    CountdownPanel,
    NotesPanel,
    QueuePanel,
    SharesPanel,
    SpeakerPanel,
    TopBar,
)

if TYPE_CHECKING:
    from circle.widgets.flash import FlashPanel

VIEWS = ("full", "timer", "board")
MIN_SIZE = (80, 24)


class LiveScreen(LiveKeysMixin, Screen):
    BINDINGS = LIVE_BINDINGS

    def __init__(self, run: LiveRun) -> None:
        # The classes the first refresh would set, set now: each later change
        # restyles the whole screen, and the first frame needs none of that.
        kind = run.session.timer_().item.kind
        super().__init__(classes=f"-view-full -kind-{kind}")
        self.live_run = run
        self.projection = "full"
        self._board_version = -1
        self._board_heading = ""
        self._belled: set[tuple] = set()
        self._last_item: int | None = None
        self._notes = Content("")
        self._resumed = False
        self._flash: FlashPanel | None = None  # mounted with the first round shown

    @property
    def session(self) -> Session:
        return self.live_run.session

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="upper"):
            yield AgendaPanel(id="agenda", classes="panel")
            state = state_class(self.session.timer_view(), self.session.paused)
            yield CountdownPanel(id="countdown", classes=f"panel {state}")
            with Vertical(id="people", classes="panel"):
                yield SpeakerPanel(id="speaker")
                yield Static("Queue", classes="panel-heading")
                yield QueuePanel(id="queue")
                yield Static("Speaking time", classes="panel-heading")
                yield SharesPanel(id="shares")
        with Horizontal(id="lower"):
            yield NotesPanel(id="notes-column", classes="panel")
            with Vertical(id="board-column", classes="panel"):
                yield Static("Questions", classes="panel-heading", id="board-heading")
                yield BoardPanel(id="board")
        yield Static("Terminal too small\nMake it at least 80×24", id="too-small")
        yield KeyBar(LIVE_BINDINGS)

    def on_mount(self) -> None:
        self.query_one("#agenda").border_title = "Agenda"
        self.query_one("#people").border_title = "People"
        self.query_one("#notes-column").border_title = "Notes"
        self.refresh_view()
        self.set_interval(0.5, self.tick)

    def on_screen_resume(self, event: ScreenResume) -> None:
        # Runs before Screen's own handler. The first resume comes straight
        # after the mount, which has just styled every widget; restyling them
        # all again was a sixth of the time to the first frame. Later resumes
        # (a dialog closed, a theme changed) restyle as usual.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_resize(self, event: Resize) -> None:
        width, height = event.size
        self.set_class(width < MIN_SIZE[0] or height < MIN_SIZE[1], "-too-small")
        self.set_class(width < 120 or height < 34, "-compact")
        self.set_class(width >= 190 and height >= 55, "-large")

    # -- rendering ----------------------------------------------------------
    def shown_name(self, person: str | None) -> str:
        if person is None:
            return ""
        return HIDDEN_NAME if self.session.blind else person

    def refresh_view(self) -> None:
        """Push the whole state down: after every action or arriving event."""
        self._show_item()
        self._show_board()
        self._show_queue()
        self.tick()

    def tick(self) -> None:
        """Only what changes with time: clocks, the turn timer, the shares."""
        session = self.session
        timer = session.timer_view()
        self._show_topbar()
        item = session.timer_().item
        self.query_one(CountdownPanel).show(
            item.title,
            countdown_text(timer),
            state_words(timer, session.paused),
            state_class(timer, session.paused),
        )
        self.query_one(AgendaPanel).rows = tuple(
            (
                r["status"],
                r["title"],
                minutes_label(r["planned_s"]),
                mmss(r["actual_s"]) if r["status"] in ("done", "current") else "",
            )
            for r in session.item_rows()
        )
        self._show_turn()
        shares = session.shares()
        if session.blind:  # by position and colour the bars would still name people
            shares = sorted(shares, key=lambda s: -s.seconds)
        self.query_one(SharesPanel).shares = tuple(
            (self.shown_name(s.person), "mentee" if session.blind else s.role, round(s.percent))
            for s in shares
        )
        self._show_flash()
        self._ring_bells(timer)

    def _show_topbar(self) -> None:
        session = self.session
        now = session.clock.wall()
        parts = [
            clock_hm(now),
            f"ends {clock_hm(session.forecast_end_wall())} ({offset_words(session.behind_s())})",
        ]
        if session.paused:
            parts.append("PAUSED")
        if session.blind:
            parts.append("BLIND")
        if getattr(self.app, "save_problem", None):
            parts.append("⚠ NOT SAVING")
        if getattr(self.app, "join_server", None) is not None:
            from circle.screens.joincard import join_info

            if info := join_info(self.app):
                parts.append(info)
        self.query_one(TopBar).info = (session.title, " · ".join(parts))

    def _show_turn(self) -> None:
        view = self.session.turn_view()
        if view is None:
            self.query_one(SpeakerPanel).turn = ()
            return
        person, seconds, budget = view
        text = mmss(seconds) + (f" / {mmss(budget)}" if budget else "")
        over = budget is not None and seconds > budget
        self.query_one(SpeakerPanel).turn = (self.shown_name(person), text, over)

    def _show_queue(self) -> None:
        self.query_one(QueuePanel).entries = tuple(
            (self.shown_name(e.person), e.new, e.in_round) for e in self.session.queue_entries()
        )

    def _show_board(self) -> None:
        blind = self.session.blind
        rows = tuple(
            BoardRow(
                q.id, HIDDEN_TEXT if blind else q.text, self.shown_name(q.asker), q.votes, q.status
            )
            for q in self.session.board.ordered()
        )
        self.query_one(BoardPanel).rows = rows
        pending = len(self.session.board.pending())
        heading = f"Questions ({len(rows)})" + (
            f" · {pending} waiting for approval" if pending else ""
        )
        if heading != self._board_heading:
            self._board_heading = heading
            self.query_one("#board-heading", Static).update(heading)

    def _show_item(self) -> None:
        session = self.session
        item = session.timer_().item
        kind = item.kind
        for name in ("round", "flash", "board", "break", "close"):
            self.set_class(kind == name, f"-kind-{name}")
        if item.id != self._last_item:
            self._last_item = item.id
            self._notes = notes_content(item.notes or "")
            if kind == "board":
                self.query_one(BoardPanel).focus()
        self.query_one("#notes-column").border_title = item.title
        heading, extra = self._item_records(item)
        self.query_one(NotesPanel).show(self._notes, heading, extra)

    def _action_line(self, action) -> Content:
        return Content.assemble(
            ("☑ " if action.done else "☐ "),
            (self.shown_name(action.owner), "bold"),
            ": ",
            action.text,
            (f" (due {action.due})" if action.due else "", "italic"),
        )

    def _item_records(self, item) -> tuple[str, tuple[Content, ...]]:
        """Under the notes: the action items at close, what was carried over
        in the first item, else the item's takeaways."""
        session = self.session
        if item.kind == "close":
            extra = tuple(self._action_line(a) for a in session.actions.values())
            return ("Action items" if extra else "No action items yet (press t to add one)"), extra
        takeaways = tuple(
            Content.assemble(("Decision: " if t.kind == "decision" else "• ", "bold"), t.text)
            for t in session.takeaways_for(item.id)
        )
        if session.timer_().items[0] is item:
            carried = self._carried_over()
            if carried:
                title = Content.styled("Takeaways", "bold") if takeaways else None
                lines = (*carried, *((title, *takeaways) if title else ()))
                return "Carried over from last time (close or keep: ctrl+p)", lines
        return ("Takeaways" if takeaways else ""), takeaways

    def _carried_over(self) -> tuple[Content, ...]:
        session = self.session
        actions = [a for a in session.actions.values() if a.carried_in]
        questions = [q for q in session.board.questions.values() if q.carried_in]
        lines = [self._action_line(a) for a in actions]
        for question in questions:
            text = HIDDEN_TEXT if session.blind else question.text
            lines.append(Content.assemble(("? ", "bold $accent"), text, f" [{question.status}]"))
        return tuple(lines)

    def _show_flash(self) -> None:
        run = self.session.flash_runs[-1] if self.session.flash_runs else None
        showing = run is not None and run.item_id == self.session.timer_().item.id
        self.set_class(showing, "-flash")
        if showing:
            self._flash_panel().show(self.session, run, self.shown_name)

    def _flash_panel(self) -> FlashPanel:
        """Mounted beside the countdown when a round first shows (most sessions have none)."""
        if self._flash is None:
            from circle.widgets.flash import FlashPanel

            self._flash = FlashPanel(id="flash", classes="panel")
            self.query_one("#upper").mount(self._flash, after="#countdown")
        return self._flash

    def _ring_bells(self, timer) -> None:
        """One bell when the item reaches zero; one at each flash slot's end."""
        session = self.session
        item_id = session.timer_().item.id
        if timer.over and ("item", item_id) not in self._belled:
            self._belled.add(("item", item_id))
            self.app.bell()
        run = session.flash_runs[-1] if session.flash_runs else None
        if run is not None:
            pos = run.position(session.active())
            key = ("flash", len(session.flash_runs), pos.round_index, pos.phase)
            if pos.phase != "slot" and key not in self._belled:
                self._belled.add(key)
                self.app.bell()

    def set_view(self, view: str) -> None:
        self.projection = view
        for name in VIEWS:
            self.set_class(view == name, f"-view-{name}")
