"""Derived views of a session: what screens, the join page and tests read.

Nothing here changes state; everything is computed at the moment asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from circle.domain.session import Session

    _Base = Session
else:
    _Base = object


class Share(NamedTuple):
    person: str
    role: str
    seconds: float
    percent: float
    turns: int


class QueueEntry(NamedTuple):
    person: str
    new: bool
    in_round: bool


class ViewsMixin(_Base):
    def timer_view(self):  # -> TimerView
        return self.timer_().view(self.active())

    def forecast_end_wall(self) -> float:
        return self.clock.wall() + self.timer_().remaining_forecast(self.active())

    def planned_end_wall(self) -> float:
        return self.started_wall + self.planned_total_s

    def queue_entries(self) -> list[QueueEntry]:
        return [
            QueueEntry(h.person, not self.queue.has_spoken(h.person), h.in_round)
            for h in self.queue.order(self.active())
        ]

    def shares(self) -> list[Share]:
        """Speaking time per person, mentors included, with each one's share."""
        active = self.active()
        times = {p: self.queue.speaking_time(p, active) for p in self.roster.people}
        total = sum(times.values())
        return [
            Share(p, self.roster.role(p), t, 100 * t / total if total else 0.0, self.queue.turns[p])
            for p, t in times.items()
        ]

    def turn_view(self) -> tuple[str, float, float | None] | None:
        """(speaker, turn seconds, budget) or None when nobody speaks."""
        turn = self.queue.turn
        if turn is None:
            return None
        return turn.person, self.queue.turn_time(self.active()), turn.budget_s

    def item_rows(self) -> list[dict]:
        timer, active = self.timer_(), self.active()
        return [
            {
                "id": item.id,
                "title": item.title,
                "kind": item.kind,
                "planned_s": item.planned_s,
                "original_s": item.original_s,
                "actual_s": timer.elapsed(item, active),
                "status": timer.status_of(item),
                "inserted": item.inserted,
            }
            for item in timer.items
        ]

    def takeaways_for(self, item_id: int) -> list:
        return [t for t in self.takeaways if t.item_id == item_id]

    def open_actions(self) -> list:
        return [a for a in self.actions.values() if not a.done]

    def pulse_summary(self) -> tuple[int, float | None]:
        """(how many gave a score, the average score): all the room ever sees."""
        scores = [p["score"] for p in self.pulse if p["score"] is not None]
        return len(scores), (sum(scores) / len(scores) if scores else None)

    def state(self) -> dict:
        """Everything the session knows, derived now: what rebuild must reproduce."""
        active = self.active()
        return {
            "title": self.title,
            "series": self.series,
            "status": self.status,
            "paused": self.paused,
            "active": round(active, 3),
            "current": self.timer_().item.id,
            "items": [{**row, "actual_s": round(row["actual_s"], 3)} for row in self.item_rows()],
            "attendance": {p: dict(a) for p, a in self.roster.attendance.items()},
            "queue": [e._asdict() for e in self.queue_entries()],
            "policy": self.queue.policy,
            "turn": self._turn_state(),
            "spoken": {s.person: round(s.seconds, 3) for s in self.shares()},
            "turns": dict(self.queue.turns),
            "questions": [
                q.__dict__ | {"voters": list(q.voters)}
                for q in sorted(self.board.questions.values(), key=lambda q: q.id)
            ],
            "moderated": self.board.moderated,
            "actions": [a.__dict__ for a in self.actions.values()],
            "takeaways": [t._asdict() for t in self.takeaways],
            "flash": [self._flash_state(run, active) for run in self.flash_runs],
            "pulse": list(self.pulse),
            "pulse_open": self.pulse_open,
            "blind": self.blind,
            "names": dict(self.name_owner),
        }

    def _turn_state(self) -> dict | None:
        view = self.turn_view()
        if view is None:
            return None
        return {"person": view[0], "seconds": round(view[1], 3), "budget_s": view[2]}

    def _flash_state(self, run, active: float) -> dict:
        pos = run.position(active)
        return {
            "round": pos.round_index,
            "phase": pos.phase,
            "remaining": round(pos.remaining(active), 3),
            "records": [[r.__dict__ for r in row] for row in run.view_records(active)],
        }
