"""`x`: confirm, the pulse, a review of open action items, save, offer the export.

The pulse is given person by person on the facilitator's keyboard (typed
masked, so no score is ever projected) or on the phones; the wall shows only
how many have answered (the average only once it closes, from three answers).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from circle.domain.errors import DomainError
from circle.domain.goals import ACTION_STATUSES
from circle.domain.privacy import shown_name, shown_text
from circle.domain.rules import parse_pulse
from circle.screens.dialogs import ConfirmDialog
from circle.widgets.notes import ACTION_MARKS

if TYPE_CHECKING:
    from circle.domain.session import Session
    from circle.runtime import LiveRun

PULSE_QUESTION = "On a scale of 1 to 10, how useful was today?"
STATE_W = max(len(s) for s in ACTION_STATUSES)  # the states line up in a column


class PulseScreen(ModalScreen[None]):
    """Collects scores one person at a time; shows only the count and the average."""

    BINDINGS = [Binding("escape,ctrl+d", "finish", "Finish the pulse", id="pulse.finish")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.people = [p for p in session.roster.people if session.roster.is_here(p)]
        self.turn = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Pulse", classes="dialog-title")
            yield Static(PULSE_QUESTION, id="pulse-question")
            yield Static(id="pulse-summary", markup=False)
            yield Static(id="pulse-who", markup=False)
            yield Input(
                placeholder="a score 1–10, then a comment if you like: 8 good pace",
                password=True,  # never projected, not even while it is typed
                id="score",
            )
            yield Static("", id="dialog-error", markup=False)
            yield Label(
                "enter: next person · escape: finish (phones can answer too)", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self._show()
        self.set_interval(1.0, self._show)

    def _show(self) -> None:
        # While it is open only how many answered: a running average would
        # tell the room what the last person gave.
        summary = self.session.pulse_view().text
        self.query_one("#pulse-summary", Static).update(Content(summary))
        who = (
            f"Person {self.turn + 1} of {len(self.people)}: type your own score"
            if self.turn < len(self.people)
            else "Everyone present has had a turn"
        )
        self.query_one("#pulse-who", Static).update(Content(who))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._record(event.input.value)

    def _record(self, typed: str) -> None:
        error = self.query_one("#dialog-error", Static)
        try:
            score, comment = parse_pulse(typed)
            if score is not None or comment:
                self.session.give_pulse(score, comment)
        except DomainError:
            error.update("Start with a whole number from 1 to 10, or type only a comment")
            return
        error.update("")
        self.query_one("#score", Input).value = ""
        self.turn += 1
        self.query_one("#score", Input).focus()
        self._show()
        if self.turn >= len(self.people):
            self.notify("Everyone present has had a turn: escape to finish", timeout=4)

    def action_finish(self) -> None:
        self.dismiss(None)


class ReviewScreen(ModalScreen[dict[int, str]]):
    """Open action items, one row each: space (or right / left) moves a row through
    open, in progress, done and dropped; enter saves. Answers the changed states."""

    BINDINGS = [
        Binding("enter", "done", "Save", priority=True, id="review.done"),
        Binding("escape", "done", "Save", id="review.escape"),
        Binding("space,right", "cycle(1)", "Next state", id="review.next"),
        Binding("left", "cycle(-1)", "Previous state", id="review.previous"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.actions = session.open_actions()
        self.states = [a.status for a in self.actions]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Review open action items", classes="dialog-title")
            if self.actions:
                rows = [Option(self._row(i)) for i in range(len(self.actions))]
                yield OptionList(*rows, id="review")
                yield Label(
                    "up/down: an item · space: its next state · enter: save",
                    classes="dialog-hint",
                )
            else:
                yield Static("No open action items. Press enter.")

    def _row(self, index: int) -> Content:
        """`◐ in progress  Mira: Send the summary (due 2026-10-01)`; behind the
        blind (this screen may be projected) the state alone."""
        action, state = self.actions[index], self.states[index]
        blind = self.session.blind
        owner = shown_name(blind, action.owner) or ""
        text = shown_text(blind, action.text)
        due = f" (due {shown_text(blind, action.due)})" if action.due else ""
        return Content.assemble(
            (f"{ACTION_MARKS[state]}{state:<{STATE_W}} ", "bold"),
            (owner, "bold"),
            ": " if owner else "",
            text,
            due,
        )

    def action_cycle(self, step: int) -> None:
        rows = self.query(OptionList)
        index = rows.first().highlighted if rows else None
        if index is None:
            return
        position = ACTION_STATUSES.index(self.states[index])
        self.states[index] = ACTION_STATUSES[(position + step) % len(ACTION_STATUSES)]
        rows.first().replace_option_prompt_at_index(index, self._row(index))

    def action_done(self) -> None:
        changed = {
            action.id: state
            for action, state in zip(self.actions, self.states, strict=True)
            if state != action.status
        }
        self.dismiss(changed)


async def run_ending(app: App, run: LiveRun) -> bool:
    """Confirm, the pulse, the review of open action items, then end and save.

    Runs in a worker (it waits for each dialog). True when the session ended
    now; False when it was cancelled or had ended before.
    """
    session = run.session
    if session.ended:
        app.notify("The session has already ended", severity="warning")
        return False
    if not await app.push_screen_wait(ConfirmDialog("End the session now?", "End")):
        return False
    if not session.pulse_open:
        session.open_pulse()
    await app.push_screen_wait(PulseScreen(session))
    changed = await app.push_screen_wait(ReviewScreen(session))
    for action_id, status in changed.items():
        session.set_action_status(action_id, status)
    session.open_pulse(False)
    session.end_session()
    # Waiting for the disk (up to 5 s) happens off the UI's loop.
    saved = await asyncio.to_thread(run.writer.flush, 5.0)
    app.notify(
        "Session ended and saved" if saved else "Session ended; saving is still pending",
        severity="information" if saved else "warning",
    )
    return True


async def offer_export(app: App) -> bool:
    """After the ending: yes exports the minutes now."""
    return await app.push_screen_wait(ConfirmDialog("Export the minutes now?", "Export"))
