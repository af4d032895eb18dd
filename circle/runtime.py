"""A session being run: the domain, the writer that saves it, and the series.

No Textual here: the CLI and the app both start, resume and close sessions
through this, and tests drive it with a fake clock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from circle.domain.agenda import Agenda
from circle.domain.clock import Clock
from circle.domain.session import Event, Session, session_at_rest
from circle.storage import Store
from circle.storage_writer import SessionWriter, WriterStatus


class CarryOver(NamedTuple):
    """What the previous session of a series hands to the next one."""

    mentors: list[str]
    mentees: list[str]
    actions: tuple[dict, ...]
    questions: tuple[dict, ...]
    source_id: str


def series_carry_over(store: Store, series: str) -> CarryOver | None:
    """Open action items and parked questions of the latest session in `series`."""
    earlier = store.sessions_in_series(series)
    if not earlier:
        return None
    latest = earlier[0]
    loaded = store.load_session(latest["id"])
    past = session_at_rest(loaded.events, loaded.clock)
    actions = tuple(
        {"text": a.text, "owner": a.owner, "due": a.due}
        for a in past.actions.values()
        if not a.done
    )
    questions = tuple(
        {"text": q.text, "asker": q.asker}
        for q in past.board.questions.values()
        if q.status == "parked" and not q.hidden
    )
    return CarryOver(past.roster.mentors, past.roster.mentees, actions, questions, latest["id"])


def summary_of(session_id: str, session: Session) -> dict:
    return {
        "id": session_id,
        "title": session.title,
        "series": session.series,
        "created_wall": session.started_wall,
        "status": session.status,
        "mentors": session.roster.mentors,
        "mentees": session.roster.mentees,
        "ended_wall": session.ended_at,
        "duration_s": round(session.now() - session.events[0]["at"], 1),
    }


class LiveRun:
    """Owns one running session and its writer; every event is saved as it happens."""

    def __init__(self, store: Store, session_id: str, session: Session) -> None:
        self.store = store
        self.session_id = session_id
        self.session = session
        self.writer = SessionWriter(store, session_id, on_status=self._status)
        self.status_listeners: list[Callable[[WriterStatus], None]] = []
        self._last_status = session.status
        self._closed = False
        session.listeners.append(self._saved)

    @classmethod
    def start_new(
        cls,
        store: Store,
        clock: Clock,
        *,
        title: str,
        agenda: Agenda,
        mentors: list[str],
        mentees: list[str],
        series: str | None = None,
        absent: tuple[str, ...] = (),
    ) -> LiveRun:
        carried = series_carry_over(store, (series or "").strip() or " ".join(title.split()))
        session = Session.create(
            title=title,
            agenda=agenda,
            mentors=mentors,
            mentees=mentees,
            clock=clock,
            series=series,
            absent=absent,
            carried_actions=carried.actions if carried else (),
            carried_questions=carried.questions if carried else (),
        )
        session_id = store.new_session_id(session.started_wall)
        store.create_session(summary_of(session_id, session), list(session.events))
        return cls(store, session_id, session)

    @classmethod
    def resume(cls, store: Store, session_id: str, clock: Clock) -> LiveRun:
        loaded = store.load_session(session_id)
        saved = (loaded.clock or {}).get("session_s", 0.0)
        session = Session.restore(loaded.events, clock, saved)
        return cls(store, session_id, session)

    # -- saving -----------------------------------------------------------
    def _saved(self, event: Event) -> None:
        self.writer.append([event])
        if self.session.status != self._last_status:
            self._last_status = self.session.status
            self.writer.update_summary(summary_of(self.session_id, self.session))

    def clock_record(self) -> dict:
        """The session clock as stored: what resume and the minutes read."""
        return {
            "session_s": round(self.session.now(), 3),
            "wall": round(self.session.clock.wall(), 3),
        }

    def heartbeat(self) -> None:
        """Save the session clock: resume restores timers from it (spec §4)."""
        self.writer.set_clock(self.clock_record())

    def _status(self, status: WriterStatus) -> None:
        for listener in self.status_listeners:
            listener(status)

    def close(self, timeout: float = 5.0) -> bool:
        """Write what is pending (and the duration so far) and stop the writer."""
        if self._closed:
            return True
        self._closed = True
        self.heartbeat()
        self.writer.update_summary(summary_of(self.session_id, self.session))
        ok = self.writer.flush(timeout)
        self.writer.close()
        return ok
