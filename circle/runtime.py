"""A session being run: the domain, the writer that saves it, and the series.

No Textual here: the CLI and the app both start, resume and close sessions
through this, and tests drive it with a fake clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from circle.domain.agenda import Agenda
from circle.domain.carry import SeriesCarry, carry_over
from circle.domain.clock import Clock
from circle.domain.errors import StorageError
from circle.domain.series import series_name
from circle.domain.session import Event, Session, session_at_rest
from circle.saving.index import series_fields
from circle.storage import LoadedSession, Store, Tail
from circle.storage_writer import SessionWriter, WriterStatus

__all__ = ["LiveRun", "series_carry_over", "session_at_rest", "summary_of"]


def series_carry_over(store: Store, series: str) -> SeriesCarry | None:
    """What the latest session of `series` hands on (the domain's rule), or None."""
    earlier = store.sessions_in_series(series)
    if not earlier:
        return None
    latest = earlier[0]
    # Read and rebuilt once; a damaged file is reported naming it, never rewritten.
    past = store.open_session(latest["id"], _at_rest).value
    return carry_over(past.folded, latest["id"])


def _at_rest(loaded: LoadedSession) -> Session:
    return session_at_rest(loaded.events, loaded.clock)


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
        # What the home screen's series view reads, without opening a session file.
        **series_fields(session.folded),
    }


class LiveRun:
    """Owns one running session and its writer; every event is saved as it happens."""

    def __init__(
        self,
        store: Store,
        session_id: str,
        session: Session,
        *,
        tail: Tail | None = None,
        create: tuple[dict, list[dict]] | None = None,
        held: bool = False,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.session = session
        self.writer = SessionWriter(
            store, session_id, on_status=self._status, tail=tail, create=create, held=held
        )
        self._join_secret: bytes | None = None
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
        background: bool = False,
    ) -> LiveRun:
        """A new session, saved before this returns; with `background`, saved by
        the writer's first commit instead, once the app has drawn its first
        frame and releases the writer (a flush or closing releases it too),
        which keeps the disk and TinyDB's import off the way to that frame."""
        carried = series_carry_over(store, series_name(title, series))
        session = Session.create(
            title=title,
            agenda=agenda,
            mentors=mentors,
            mentees=mentees,
            clock=clock,
            series=series,
            absent=absent,
            **(carried.session_args() if carried else {}),
        )
        session_id = store.new_session_id(session.started_wall)
        first = (summary_of(session_id, session), list(session.events))
        if background:
            return cls(store, session_id, session, create=first, held=True)
        return cls(store, session_id, session, tail=store.create_session(*first))

    @classmethod
    def resume(cls, store: Store, session_id: str, clock: Clock) -> LiveRun:
        """Every file read once and checked, the session rebuilt once; a file
        that doesn't fit raises StorageError naming it, and nothing is written."""

        def restore(loaded: LoadedSession) -> Session:
            saved = (loaded.clock or {}).get("session_s", 0.0)
            return Session.restore(loaded.events, clock, saved)

        opened = store.open_session(session_id, restore)
        run = cls(store, session_id, opened.value, tail=opened.tail)
        # The room settles in before time runs again: a resumed session comes
        # back paused (recorded, so it is saved like any pause); `space` goes on.
        run.session.pause_on_resume()
        return run

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

    async def durable(self, seq: int) -> int:
        """Return once every event up to `seq` is on disk (fsync'd and renamed),
        with the last event that is: a burst's later ones are often there too.

        What a phone is told "saved" only after. Raises NotSaved if the writer
        stops first; while the disk fails it waits (the caller sets a timeout).
        """
        if self.writer.durable_seq < seq:
            loop = asyncio.get_running_loop()
            future: asyncio.Future[None] = loop.create_future()
            self.writer.notify_durable(seq, loop, future)
            await future
        return self.writer.durable_seq

    def join_secret(self) -> bytes:
        """The session's key for signing phones' device tokens (the same after resume).

        It is kept beside the session's files, so a session started in the
        background is saved first (the page may open before the first frame).
        Blocking: call it off the UI's loop."""
        if self._join_secret is None:
            if self.writer.durable_seq == 0 and not self.writer.flush():
                raise StorageError(
                    f"The join page can't open: session {self.session_id} is not saved yet"
                    f" ({self.store.files(self.session_id).head})"
                )
            self._join_secret = self.store.join_secret(self.session_id)
        return self._join_secret

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
        self.writer.close(timeout)
        return ok
