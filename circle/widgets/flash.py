"""The flash view: the slot's countdown, who meets whom, topic and takeaway."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from circle.domain.present import mmss
from circle.widgets.bigdigits import BigCountdown

if TYPE_CHECKING:
    from circle.domain.flashrun import FlashRun
    from circle.domain.session import Session


class FlashPanel(Vertical):
    """Shown in place of the item countdown while a flash round belongs to the item.

    The live screen mounts it when a round first shows, not at start-up; what
    `show` is given before the panel has its parts is shown once it has them.
    """

    _waiting: tuple[Session, FlashRun, Callable[[str], str]] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="flash-slot", markup=False)
        yield BigCountdown(id="flash-digits")
        yield Static(id="flash-words", markup=False)
        yield Static(id="flash-notes", markup=False)
        yield Static(id="flash-table", markup=False)

    def on_mount(self) -> None:  # composed by now
        if self._waiting is not None:
            self.show(*self._waiting)

    def show(self, session: Session, run: FlashRun, name: Callable[[str], str]) -> None:
        if not self.children:  # not composed yet
            self._waiting = (session, run, name)
            return
        self._waiting = None
        active = session.active()
        pos = run.position(active)
        records = run.view_records(active)
        total = run.rounds
        word = "Round" if len(run.plan.mentors) > 1 else "Slot"
        remaining = max(0.0, pos.remaining(active))
        if pos.phase == "done":
            head = Content.assemble((f"Flash round complete: {total} {word.lower()}s", "bold"))
            digits, words = "00:00", "press f to start another round"
        else:
            meetings = " · ".join(
                f"{name(r.mentee)} with {name(r.mentor)}" for r in records[pos.round_index]
            )
            head = Content.assemble(
                (f"{word} {pos.round_index + 1} of {total}", "bold"), " — ", (meetings, "bold")
            )
            digits = mmss(remaining)
            if pos.phase == "changeover":
                words = f"Changeover {mmss(remaining)} · next: {word.lower()} {pos.round_index + 2}"
            else:
                words = f"{mmss(remaining)} left in this {word.lower()} · f ends it"
        self.query_one("#flash-slot", Static).update(head)
        self.query_one("#flash-digits", BigCountdown).text = digits
        self.query_one("#flash-words", Static).update(Content(words))
        self.set_class(pos.phase == "changeover", "-changeover")
        current = records[min(pos.round_index, total - 1)]
        notes = [
            Content.assemble(
                ("Topic: ", "bold"), r.topic or "—", ("   Takeaway: ", "bold"), r.takeaway or "—"
            )
            for r in current
        ]
        self.query_one("#flash-notes", Static).update(Content("\n").join(notes))
        self.query_one("#flash-table", Static).update(self._table(run, records, name, pos))

    def _table(self, run, records, name, pos) -> Content:
        two = len(run.plan.mentors) > 1
        heading = "Rotation" if two else "Slots"
        lines = [Content.styled(heading, "bold underline")]
        for index, row in enumerate(records):
            marker = "▶ " if index == pos.round_index and pos.phase != "done" else "  "
            pairs = ", ".join(f"{name(r.mentor)} ↔ {name(r.mentee)}" for r in row)
            actual = row[0].actual_s
            timing = f"{mmss(actual)} of {mmss(row[0].planned_s)}" if actual is not None else ""
            sitting = run.plan.rounds[index].sitting_out if two else ()
            sits = f"  (sitting out: {', '.join(name(p) for p in sitting)})" if sitting else ""
            # The table doubles as the round's summary: what each slot was about.
            notes = " · ".join(
                f"{r.topic or '—'} → {r.takeaway}" if r.takeaway else r.topic
                for r in row
                if r.topic or r.takeaway
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
