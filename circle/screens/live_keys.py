"""The live screen's keys (spec §3) and what each one does.

Bindings are screen-level and `priority`, so they work whichever panel has
focus; dialogs are separate modal screens, so typing in one never triggers
them. Each binding has an id (remappable) and a description (footer, help,
command palette).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from circle.domain.errors import DomainError


def _key(key: str, action: str, description: str, show: bool = False, **kw: Any) -> Binding:
    return Binding(
        key, action, description, show=show, priority=True, id=f"live.{action.split('(')[0]}", **kw
    )


LIVE_BINDINGS = [
    _key("n,pagedown", "next_item", "Next item", show=True, key_display="n"),
    _key("b,pageup", "previous_item", "Previous item", key_display="b"),
    _key("space", "toggle_pause", "Pause / resume", show=True),
    _key("plus", "extend(60)", "One minute more", key_display="+"),
    _key("minus", "extend(-60)", "One minute less", key_display="-"),
    *[_key(str(n), f"hand({n})", f"Raise / lower hand of mentee {n}") for n in range(1, 6)],
    _key("0", "mentor_turn", "Mentor speaks now"),
    _key("s", "next_speaker", "Next speaker", show=True),
    _key("d", "end_turn", "Speaker done"),
    _key("q", "new_question", "New question", show=True),
    _key("up", "select(-1)", "Select previous question"),
    _key("down", "select(1)", "Select next question"),
    _key("v", "upvote", "Upvote the selected question"),
    _key("a", "answered", "Mark the selected question answered"),
    _key("p", "park", "Park / unpark the selected question"),
    _key("delete,backspace", "hide_question", "Hide the selected question", key_display="del"),
    _key("t", "new_action", "New action item", show=True),
    _key("k", "new_takeaway", "New takeaway or decision"),
    _key("u", "undo", "Undo the last action", show=True),
    _key("f", "flash", "Flash mentoring: start / next slot"),
    _key("o", "flash_topic", "Flash: the slot's topic"),
    _key("j", "toggle_join", "Open / close the join page"),
    _key("e", "export", "Export the minutes now"),
    _key("r", "rebalance", "Rebalance the remaining items"),
    _key("h", "toggle_blind", "Privacy blind"),
    _key("z", "cycle_view", "Projection view: full, timer, board"),
    _key("x", "end_session", "End the session", show=True),
    _key("question_mark", "help", "Help: all keys", show=True, key_display="?"),
]

if TYPE_CHECKING:
    from circle.screens.live import LiveScreen

    _Base = LiveScreen
else:
    _Base = object


class LiveKeysMixin(_Base):
    def act(self, change: Callable[[], Any], notice: str | None = None) -> bool:
        """Run a domain change; a refusal becomes a short notice, never a crash."""
        try:
            change()
        except DomainError as exc:
            self.tell(str(exc), severity="warning", timeout=4)
            return False
        self.refresh_view()
        if notice:
            self.tell(notice)
        return True

    def tell(self, message: str, severity: str = "information", timeout: float = 3) -> None:
        """A notice on the wall: behind the blind it names nobody."""
        if self.session.blind:
            from circle.domain.present import HIDDEN_NAME

            for person in sorted(self.session.roster.people, key=len, reverse=True):
                message = message.replace(person, HIDDEN_NAME)
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    # -- agenda -------------------------------------------------------------
    def action_next_item(self) -> None:
        self.act(self.session.next_item)

    def action_previous_item(self) -> None:
        self.act(self.session.previous_item)

    def action_toggle_pause(self) -> None:
        self.act(self.session.toggle_pause)

    def action_extend(self, by_s: int) -> None:
        self.act(lambda: self.session.extend(by_s))

    def action_rebalance(self) -> None:
        self.act(self.session.rebalance, "Rebalanced: the remaining items now end on time")

    # -- people -------------------------------------------------------------
    def action_hand(self, number: int) -> None:
        def change() -> None:
            self.session.toggle_hand(self.session.roster.mentee(number))

        self.act(change)

    def action_mentor_turn(self) -> None:
        self.act(self.session.mentor_turn)

    def action_next_speaker(self) -> None:
        self.act(self.session.next_speaker)

    def action_end_turn(self) -> None:
        self.act(self.session.end_turn)

    # -- board --------------------------------------------------------------
    def selected_question(self) -> int | None:
        from circle.widgets.board import BoardPanel

        selected = self.query_one(BoardPanel).selected
        if selected is None:
            self.notify("No question selected: add one with q", severity="warning", timeout=3)
        return selected

    def action_select(self, step: int) -> None:
        from circle.widgets.board import BoardPanel

        self.query_one(BoardPanel).select_step(step)

    def _on_selected(self, change: Callable[[int], Any]) -> None:
        qid = self.selected_question()
        if qid is not None:
            self.act(lambda: change(qid))

    def action_upvote(self) -> None:
        self._on_selected(self.session.vote)

    def action_answered(self) -> None:
        self._on_selected(lambda qid: self.session.toggle_status(qid, "answered"))

    def action_park(self) -> None:
        self._on_selected(lambda qid: self.session.toggle_status(qid, "parked"))

    def action_hide_question(self) -> None:
        self._on_selected(self.session.hide_question)

    def action_new_question(self) -> None:
        from circle.screens.dialogs import QuestionDialog, QuestionInput

        def added(result: QuestionInput | None) -> None:
            if result is not None:
                self.act(lambda: self.session.add_question(result.text, result.asker))

        self.app.push_screen(QuestionDialog(self.session.roster.people), added)

    # -- records ------------------------------------------------------------
    def action_new_action(self) -> None:
        from circle.screens.dialogs import ActionDialog, ActionInput

        def added(result: ActionInput | None) -> None:
            if result is not None:
                self.act(lambda: self.session.add_action(result.text, result.owner, result.due))

        owner = self.session.default_owner()
        self.app.push_screen(ActionDialog(self.session.roster.people, owner), added)

    def action_new_takeaway(self) -> None:
        if self.flash_on_item() is not None:
            self.flash_note("takeaway")
            return

        from circle.screens.dialogs import TextDialog

        def added(text: str | None) -> None:
            if text is not None:
                kind = "decision" if text.lower().startswith("decision:") else "takeaway"
                clean = text.split(":", 1)[1].strip() if kind == "decision" else text
                self.act(lambda: self.session.add_takeaway(clean, kind))

        self.app.push_screen(
            TextDialog("New takeaway", "A takeaway (start with 'Decision:' for a decision)"), added
        )

    def action_undo(self) -> None:
        try:
            what = self.session.undo()
        except DomainError as exc:
            self.tell(str(exc), severity="warning")
            return
        self.refresh_view()
        self.tell(f"Undone: {what}")

    # -- views --------------------------------------------------------------
    def action_toggle_blind(self) -> None:
        on = not self.session.blind
        self.act(
            lambda: self.session.set_blind(on),
            "Blind on: names and questions hidden" if on else "Blind off",
        )

    def action_cycle_view(self) -> None:
        from circle.screens.live import VIEWS

        self.set_view(VIEWS[(VIEWS.index(self.projection) + 1) % len(VIEWS)])

    def action_help(self) -> None:
        from circle.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(LIVE_BINDINGS))

    # -- flash --------------------------------------------------------------
    def action_flash(self) -> None:
        session = self.session
        if session.current_flash() is not None:
            self.act(session.advance_flash)
            return
        if session.timer_().item.kind == "flash":
            self.act(session.start_flash)
            return

        from circle.screens.dialogs import MinutesDialog

        def chosen(total_s: int | None) -> None:
            if total_s is not None:
                self.act(lambda: session.start_flash(total_s))

        def refusal(total_s: int) -> str | None:
            from circle.domain.flash import plan_flash

            try:
                plan_flash(
                    total_s, session.flash_mentees(), session.roster.mentors, session.changeover_s
                )
            except DomainError as exc:
                return str(exc)
            return None

        dialog = MinutesDialog("Flash round: total time in minutes", 20, check=refusal)
        self.app.push_screen(dialog, chosen)

    def flash_on_item(self):
        """The flash round of the current item, running or finished, if any."""
        runs = self.session.flash_runs
        if runs and runs[-1].item_id == self.session.timer_().item.id:
            return runs[-1]
        return None

    def action_flash_topic(self) -> None:
        if self.flash_on_item() is None:
            self.notify("No flash round on this item: press f to start one", severity="warning")
            return
        self.flash_note("topic")

    def flash_note(self, field: str) -> None:
        """Topic or takeaway for the slot in progress (or the one just ended)."""
        from circle.screens.dialogs import FlashNoteDialog

        run = self.flash_on_item()
        records = run.view_records(self.session.active())[run.focus_round(self.session.active())]
        meetings = [f"{r.mentee} with {r.mentor}" for r in records]

        def chosen(result: tuple[int, str] | None) -> None:
            if result is not None:
                meeting, text = result
                self.act(lambda: self.session.flash_note(field, text, meeting))

        current = [getattr(r, field) for r in records]
        self.app.push_screen(FlashNoteDialog(field, meetings, current), chosen)

    # -- handled by the app (join page, export, ending) ---------------------
    async def action_toggle_join(self) -> None:
        await self.app.toggle_join()

    def action_export(self) -> None:
        self.app.export_now()

    def action_end_session(self) -> None:
        self.app.end_session_flow()
