"""The live screen: the facilitator's console, and what the room sees when no wall runs.

It is a `ProjectedScreen`, the same panels as `circle wall`. It is given the
running session and the app's `LiveStatus`, pushes plain rows down to its
panels (`live_rows`), changes the session through `LiveControls`, and asks
the app, by message, for what only the app does (join page, export, ending).
Its keys are the rows of `commands.LIVE_COMMANDS`; each row's action is an
`action_...` method here: `n` -> `next_item` -> `action_next_item` ->
`Session.next_item`, which records the event the writer saves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from circle.domain.present import state_class
from circle.domain.rules import flash_refusal, parse_takeaway
from circle.domain.session import Session
from circle.runtime import LiveRun
from circle.screens import live_rows as rows
from circle.screens.commands import LIVE_COMMANDS, bar_keys, live_bindings
from circle.screens.live_controls import LiveControls
from circle.screens.messages import (
    EndRequested,
    ExportRequested,
    JoinCardRequested,
    JoinToggled,
)
from circle.screens.projected import ProjectedScreen
from circle.screens.status import LiveStatus
from circle.widgets.board import BoardPanel
from circle.widgets.panels import (
    AgendaPanel,
    BigSpeakerPanel,
    CountdownPanel,
    QueuePanel,
    SharesPanel,
    SpeakerPanel,
    TopBar,
)

if TYPE_CHECKING:
    from textual.command import Provider


def _palette() -> type[Provider]:
    """The palette's provider, imported when the palette first opens."""
    from circle.screens.palette import LiveCommands

    return LiveCommands


class LiveScreen(ProjectedScreen):
    BINDINGS = live_bindings()
    COMMANDS = {_palette}

    def __init__(self, run: LiveRun, status: LiveStatus | None = None) -> None:
        super().__init__(run.session.timer_().item.kind, bar_keys())
        self.live_run = run
        self.status = status or LiveStatus()
        self.controls = LiveControls(self, run.session, self.refresh_view)
        self._belled: set[tuple] = set()
        self._last_item: int | None = None
        self._board_shown: tuple | None = None  # what the board was drawn from

    @property
    def session(self) -> Session:
        return self.live_run.session

    def countdown_state(self) -> str:
        return state_class(self.session.timer_view(), self.session.paused, self.session.ended)

    def on_mount(self) -> None:
        self.show_panel_titles()
        self.refresh_view()
        self.set_interval(0.5, self.tick)

    # -- pushing the state down ---------------------------------------------------
    def refresh_view(self) -> None:
        """The whole state: after every action or arriving event."""
        self._show_item()
        self._show_board()
        self.query_one(QueuePanel).entries = rows.queue_rows(self.session)
        self.tick()

    def tick(self) -> None:
        """Only what changes with time: clocks, the turn timer, the shares."""
        session = self.session
        timer = session.timer_view()
        self.query_one(TopBar).info = rows.top_row(session, self.status)
        self.query_one(CountdownPanel).show(rows.countdown_row(session, timer))
        self.query_one(AgendaPanel).rows = rows.agenda_rows(session)
        self.query_one(SpeakerPanel).turn = rows.turn_row(session)
        self.query_one(BigSpeakerPanel).show(rows.speaker_row(session))
        self.query_one(SharesPanel).shares = rows.share_rows(session)
        self._show_flash()
        self._ring_bells(timer.over)

    def _show_board(self) -> None:
        # The questions waiting for approval are the facilitator's: on the
        # console only while a wall shows the room its own board.
        waiting = self.status.walls > 0
        # Most keys leave the board as it was: with hundreds of questions,
        # building its rows again was most of such a key's time.
        session = self.session
        drawn_from = (*session.board_mark(), waiting)
        if drawn_from == self._board_shown:
            return
        self._board_shown = drawn_from
        board = rows.board_rows(session, waiting=waiting)
        approved = sum(1 for row in board if not row.waiting)
        self.show_board(board, rows.board_heading(self.session, approved))

    def _show_item(self) -> None:
        item = self.session.timer_().item
        self.show_kind(item.kind)
        if item.id != self._last_item:
            self._last_item = item.id
            if item.kind == "board":
                self.query_one(BoardPanel).focus()
        self.show_notes(item.title, rows.notes_view(self.session, item))

    def _show_flash(self) -> None:
        run = rows.flash_on_screen(self.session)
        self.show_flash(None if run is None else rows.flash_view(self.session, run))

    def _ring_bells(self, over: bool) -> None:
        """One bell when the item reaches zero; one at each flash slot's end."""
        session = self.session
        item_id = session.timer_().item.id
        if over and ("item", item_id) not in self._belled:
            self._belled.add(("item", item_id))
            self.app.bell()
        run = session.flash_runs[-1] if session.flash_runs else None
        if run is not None:
            pos = run.position(session.active())
            key = ("flash", len(session.flash_runs), pos.round_index, pos.phase)
            if pos.phase != "slot" and key not in self._belled:
                self._belled.add(key)
                self.app.bell()

    # -- keys: one action per row of LIVE_COMMANDS ---------------------------------
    def action_next_item(self) -> None:
        self.controls.act(self.session.next_item)

    def action_previous_item(self) -> None:
        self.controls.act(self.session.previous_item)

    def action_toggle_pause(self) -> None:
        self.controls.act(self.session.toggle_pause)

    def action_extend(self, by_s: int) -> None:
        self.controls.act(lambda: self.session.extend(by_s))

    def action_rebalance(self) -> None:
        notice = "Rebalanced: the remaining items now end on time"
        self.controls.act(self.session.rebalance, notice)

    def action_hand(self, number: int) -> None:
        session = self.session
        self.controls.act(lambda: session.toggle_hand(session.roster.mentee(number)))

    def action_mentor_turn(self) -> None:
        self.controls.act(self.session.mentor_turn)

    def action_next_speaker(self) -> None:
        self.controls.act(self.session.next_speaker)

    def action_end_turn(self) -> None:
        self.controls.act(self.session.end_turn)

    def action_select(self, step: int) -> None:
        self.query_one(BoardPanel).select_step(step)

    def action_upvote(self) -> None:
        self._on_selected(self.session.vote)

    def action_answered(self) -> None:
        self._on_selected(lambda qid: self.session.toggle_status(qid, "answered"), hold=True)

    def action_park(self) -> None:
        board = self.query_one(BoardPanel)
        index = board.selected_index
        if index is not None and board.rows[index].status == "answered":
            # Parking is for later; an answered question is done. Reopen it first.
            notice = "An answered question can't be parked: press a to reopen it first"
            self.controls.tell(notice, severity="warning", timeout=4)
            return
        self._on_selected(lambda qid: self.session.toggle_status(qid, "parked"), hold=True)

    def action_hide_question(self) -> None:
        self._on_selected(self.session.hide_question, hold=True)

    def _on_selected(self, change: Callable[[int], object], hold: bool = False) -> None:
        """A change to the selected question. With `hold` the selection stays on
        its row (the next question) rather than following the one that moved."""
        board = self.query_one(BoardPanel)
        qid, row = board.selected, board.selected_index
        if qid is None or row is None:
            self.notify("No question selected: add one with q", severity="warning", timeout=3)
            return
        if self.controls.act(lambda: change(qid)) and hold:
            board.select_row(row)

    def action_new_question(self) -> None:
        from circle.screens.dialogs import QuestionDialog

        dialog = QuestionDialog(self.session.roster.people)
        self.controls.ask(dialog, lambda q: self.session.add_question(q.text, q.asker))

    def action_new_action(self) -> None:
        from circle.screens.dialogs import ActionDialog

        session = self.session
        dialog = ActionDialog(session.roster.people, session.default_owner())
        self.controls.ask(dialog, lambda a: session.add_action(a.text, a.owner, a.due))

    def action_new_goal(self) -> None:
        from circle.screens.goal_dialogs import GoalDialog

        session = self.session
        dialog = GoalDialog(session.roster.mentees, session.default_goal_owner())
        self.controls.ask(dialog, lambda g: session.add_goal(g.text, g.owner, g.horizon, g.due))

    def action_new_takeaway(self) -> None:
        if rows.flash_on_item(self.session) is not None:
            self.flash_note("takeaway")
            return
        from circle.screens.dialogs import TextDialog

        hint = "A takeaway (start with 'Decision:' for a decision)"

        def add(typed: str) -> None:
            kind, text = parse_takeaway(typed)
            self.session.add_takeaway(text, kind)

        self.controls.ask(TextDialog("New takeaway", hint), add)

    def action_undo(self) -> None:
        self.controls.undo()

    def action_toggle_blind(self) -> None:
        on = not self.session.blind
        notice = "Blind on: names and everything typed hidden" if on else "Blind off"
        self.controls.act(lambda: self.session.set_blind(on), notice)

    def action_cycle_view(self) -> None:
        self.cycle_view()

    def action_help(self) -> None:
        from circle.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(LIVE_COMMANDS, self.session.stage))

    def action_flash(self) -> None:
        session = self.session
        if session.current_flash() is not None:
            self.controls.act(session.advance_flash)
            return
        if session.timer_().item.kind == "flash":
            self.controls.act(session.start_flash)
            return
        from circle.screens.dialogs import MinutesDialog

        def refusal(total_s: int) -> str | None:
            mentees, mentors = session.flash_mentees(), session.roster.mentors
            return flash_refusal(total_s, mentees, mentors, session.changeover_s)

        dialog = MinutesDialog("Flash round: total time in minutes", 20, check=refusal)
        self.controls.ask(dialog, session.start_flash)

    def action_flash_topic(self) -> None:
        if rows.flash_on_item(self.session) is None:
            self.notify("No flash round on this item: press f to start one", severity="warning")
            return
        self.flash_note("topic")

    def flash_note(self, field: str) -> None:
        """Topic or takeaway for the slot in progress (or the one just ended)."""
        from circle.screens.dialogs import FlashNoteDialog

        session = self.session
        run = rows.flash_on_item(session)
        if run is None:
            return
        records = run.view_records(session.active())[run.focus_round(session.active())]
        meetings = [f"{r.mentee} with {r.mentor}" for r in records]
        current = [r.topic if field == "topic" else r.takeaway for r in records]
        dialog = FlashNoteDialog(field, meetings, current)
        self.controls.ask(dialog, lambda chosen: session.flash_note(field, chosen[1], chosen[0]))

    # -- what the app does, asked by message -----------------------------------------
    def action_toggle_join(self) -> None:
        """Open the join page, or show its card again while it is open: `j` never
        closes it (phones would lose it); the palette's "Close the join page" does."""
        self.post_message(JoinCardRequested() if self.status.join is not None else JoinToggled())

    def close_join_page(self) -> None:
        """The palette's "Close the join page", after a yes."""
        from circle.screens.dialogs import ConfirmDialog

        if self.status.join is None:
            self.notify("The join page is not open", severity="warning", timeout=3)
            return
        question = "Close the join page? Phones lose it until it is opened again with j."

        def answered(yes: bool | None) -> None:
            if yes and self.status.join is not None:
                self.post_message(JoinToggled())

        self.app.push_screen(ConfirmDialog(question, yes="Close it"), answered)

    def action_export(self) -> None:
        self.post_message(ExportRequested())

    def action_end_session(self) -> None:
        if self.controls.refused_when_ended():
            return
        self.post_message(EndRequested())
