"""The flash view: the slot's countdown, who meets whom, topic and takeaway."""

from __future__ import annotations

from typing import NamedTuple

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from circle.domain.present import mmss
from circle.widgets.bigdigits import BigCountdown


class FlashMeeting(NamedTuple):
    mentee: str
    mentor: str
    topic: str
    takeaway: str


class FlashSlot(NamedTuple):
    """One slot (with two mentors: one round) and its meetings."""

    meetings: tuple[FlashMeeting, ...]
    sitting_out: tuple[str, ...]  # mentees without a mentor this round
    planned_s: float
    actual_s: float | None  # None until the slot has ended


class FlashView(NamedTuple):
    slots: tuple[FlashSlot, ...]
    current: int  # the slot in progress, or the last one
    phase: str  # slot, changeover or done
    remaining_s: float  # of the phase
    two_mentors: bool  # rounds of several meetings, not slots


class FlashPanel(Vertical):
    """Shown in place of the item countdown while a flash round belongs to the item.

    The live screen mounts it when a round first shows, not at start-up; what
    `show` is given before the panel has its parts is shown once it has them.
    """

    _waiting: FlashView | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="flash-slot", markup=False)
        yield BigCountdown(id="flash-digits")
        yield Static(id="flash-words", markup=False)
        yield Static(id="flash-notes", markup=False)
        yield Static(id="flash-table", markup=False)

    def on_mount(self) -> None:  # composed by now
        if self._waiting is not None:
            self.show(self._waiting)

    def show(self, view: FlashView) -> None:
        if not self.children:  # not composed yet
            self._waiting = view
            return
        self._waiting = None
        total = len(view.slots)
        word = "Round" if view.two_mentors else "Slot"
        if view.phase == "done":
            head = Content.assemble((f"Flash round complete: {total} {word.lower()}s", "bold"))
            digits, words = "00:00", "press f to start another round"
        else:
            meetings = " · ".join(
                f"{m.mentee} with {m.mentor}" for m in view.slots[view.current].meetings
            )
            head = Content.assemble(
                (f"{word} {view.current + 1} of {total}", "bold"), " — ", (meetings, "bold")
            )
            left = mmss(view.remaining_s)
            digits = left
            if view.phase == "changeover":
                words = f"Changeover {left} · next: {word.lower()} {view.current + 2}"
            else:
                words = f"{left} left in this {word.lower()} · f ends it"
        self.query_one("#flash-slot", Static).update(head)
        self.query_one("#flash-digits", BigCountdown).text = digits
        self.query_one("#flash-words", Static).update(Content(words))
        self.set_class(view.phase == "changeover", "-changeover")
        current = view.slots[min(view.current, total - 1)]
        notes = [
            Content.assemble(
                ("Topic: ", "bold"), m.topic or "—", ("   Takeaway: ", "bold"), m.takeaway or "—"
            )
            for m in current.meetings
        ]
        self.query_one("#flash-notes", Static).update(Content("\n").join(notes))
        self.query_one("#flash-table", Static).update(self._table(view))

    @staticmethod
    def _table(view: FlashView) -> Content:
        lines = [Content.styled("Rotation" if view.two_mentors else "Slots", "bold underline")]
        for index, slot in enumerate(view.slots):
            marker = "▶ " if index == view.current and view.phase != "done" else "  "
            pairs = ", ".join(f"{m.mentor} ↔ {m.mentee}" for m in slot.meetings)
            actual = slot.actual_s
            timing = f"{mmss(actual)} of {mmss(slot.planned_s)}" if actual is not None else ""
            sitting = slot.sitting_out
            sits = f"  (sitting out: {', '.join(sitting)})" if sitting else ""
            # The table doubles as the round's summary: what each slot was about.
            notes = " · ".join(
                f"{m.topic or '—'} → {m.takeaway}" if m.takeaway else m.topic
                for m in slot.meetings
                if m.topic or m.takeaway
            )
            lines.append(
                Content.assemble(
                    marker,
                    f"{index + 1}. ",
                    pairs,
                    sits,
                    (f"  {timing}", "$text-muted"),
                    (f"  {notes}" if notes else "", "italic"),
                )
            )
        return Content("\n").join(lines)
