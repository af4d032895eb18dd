"""The background writer of a running session: group commit, never blocking.

One daemon thread owns every write to a session's files. `append`,
`set_clock` and `update_summary` only queue (the UI's event loop never waits
for the disk); the thread wakes, takes everything queued and commits it:

- the new events go into the last segment's TinyDB table with one
  `insert_multiple`, one atomic write (a new segment is started when the last
  one is full, so a commit never rewrites the whole history);
- the clock checkpoint, if one was queued, into `<id>.clock.json`, after the
  events, stamped with the seq of the last event it matches;
- summary changes into the index.

A failed save (read-only disk, disk full) keeps everything in memory, says so
through `on_status` and retries every second. TinyDB itself is loaded on this
thread, at the first commit, so it never delays the first frame.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from circle.saving.atomic import remove_stale_temps
from circle.saving.jsonfile import Tables, render_doc
from circle.saving.layout import SEGMENT_EVENTS, Tail, read_tail
from circle.saving.schema import BadData, check_summary, event_problem
from circle.saving.waiters import DurableWaiters, NotSaved, settle
from circle.storage import Doc, SaveError, Store, UnknownSession, describe_error

if TYPE_CHECKING:
    import asyncio

    from tinydb.table import Table

log = logging.getLogger(__name__)
RETRY_S = 1.0

__all__ = ["NotSaved", "SessionWriter", "WriterStatus", "RETRY_S"]


class WriterStatus(NamedTuple):
    ok: bool
    message: str


def snapshot(record: Mapping[str, Any]) -> Doc:
    """A deep copy made through JSON: later changes by the caller don't leak in,
    and what can't be stored (a lone surrogate, NaN, an object) fails here."""
    return json.loads(render_doc(record))


def _first_segment(events: list[Doc]) -> Tail:
    """The head as it will be once created."""
    return Tail(1, {"events": {str(e["seq"]): e for e in events}}, len(events), events[-1]["seq"])


class SessionWriter:
    """Saves one session in the background. Every public method is thread-safe."""

    def __init__(
        self,
        store: Store,
        session_id: str,
        on_status: Callable[[WriterStatus], None] | None = None,
        *,
        tail: Tail | None = None,
        create: tuple[Doc, list[Doc]] | None = None,
        held: bool = False,
    ) -> None:
        """`tail`: the last segment as resume read it. `create`: (summary, first
        events) of a session not saved yet, which the first commit creates.
        `held`: nothing is written until `release()` (or a flush, or closing):
        the app releases it once its first frame is drawn, so the first
        commit's work never competes with drawing it."""
        self.store = store
        self.session_id = session_id
        self.files = store.files(session_id)
        self.path = self.files.head
        self.on_status = on_status
        self.writes = 0  # event-log writes (group commits), for tests and the bench
        # Resume hands over the last segment it read, having checked every file;
        # else read it (a corrupt file stops us here). From now on it is only written.
        self._clock_checked = tail is not None or create is not None
        self._creating: tuple[Doc, list[Doc]] | None = None
        if create is not None:
            self._creating = (snapshot(create[0]), [snapshot(e) for e in create[1]])
            tail = _first_segment(self._creating[1])
        tail = read_tail(self.files) if tail is None else tail
        remove_stale_temps(self.files.dir, session_id)  # we are these files' only writer
        self._cond = threading.Condition()
        self._events: list[Doc] = []
        self._clock: Doc | None = None
        self._summary: dict[str, Any] = {}
        self._last_seq = tail.last_seq  # highest submitted
        self._durable_seq = 0 if create else tail.last_seq
        # Calls so far (the creation counts as one); flush waits for `_durable` to catch up.
        self._submitted = 1 if create else 0
        self._durable = 0
        self._waiters = DurableWaiters()
        self._stopping = self._closed = self._failing = False
        self._held = held
        self._last_message: str | None = None
        # The writer thread's own state.
        self._pending: list[Doc] = []  # taken from the queue, not yet durable
        self._clock_todo: Doc | None = None
        self._summary_todo: dict[str, Any] = {}
        # Its own copy: the caller's dicts may be the live session's events.
        self._segment, self._count = tail.number, tail.count
        self._seed: Tables | None = json.loads(json.dumps(tail.tables))
        self._table: Table | None = None  # the last segment's events table, once opened
        self._clock_table: Table | None = None
        self._clock_saved = False  # the clock file holds its checkpoint already
        self._recheck = False  # after a failure: look at what really reached the disk
        self._where = self.files.head  # the file the commit is writing, for messages
        self._thread = threading.Thread(
            target=self._run, name=f"circle-writer-{session_id}", daemon=True
        )
        self._thread.start()

    # -- called from anywhere (the UI loop, mostly) --------------------------
    @property
    def durable_seq(self) -> int:
        """The highest event seq known to be on disk."""
        return self._durable_seq

    @property
    def ok(self) -> bool:
        """False from a failed save until a save succeeds again."""
        return not self._failing

    def append(self, events: list[Doc]) -> None:
        """Queue events (seq strictly increasing). Raises on bad input, queues nothing."""
        copies = [snapshot(event) for event in events]
        with self._cond:
            self._check_open()
            last = self._last_seq
            for event in copies:
                problem = event_problem(event, last, first=False)
                if problem:
                    raise ValueError(f"event {event.get('seq')!r} {problem}")
                last = event["seq"]
            self._events.extend(copies)
            self._last_seq = last
            self._submit()

    def set_clock(self, record: Doc) -> None:
        """Queue the clock checkpoint; only the latest one is written."""
        copy = snapshot(record)
        with self._cond:
            self._check_open()
            copy.setdefault("seq", self._last_seq)  # it matches what was sent so far
            self._clock = copy
            self._submit()

    def update_summary(self, fields: Mapping[str, Any]) -> None:
        """Queue changes to this session's index entry."""
        if fields.get("id", self.session_id) != self.session_id:
            raise ValueError("a session's id can't change")
        copy = snapshot(dict(fields))
        try:  # refused now rather than failing every retry later
            check_summary({"id": self.session_id} | copy, self.store.index_path)
        except BadData as exc:
            raise ValueError(f"can't update session {self.session_id}: {exc.why}") from None
        with self._cond:
            self._check_open()
            self._summary.update(copy)
            self._submit()

    def notify_durable(
        self, seq: int, loop: asyncio.AbstractEventLoop, future: asyncio.Future[None]
    ) -> None:
        """Settle `future` (on `loop`) once every event up to `seq` is on disk.

        It fails with NotSaved if the writer closes before that.
        """
        with self._cond:
            if seq <= self._durable_seq:
                settle([(loop, future)])
            elif self._closed:
                settle([(loop, future)], NotSaved(f"event {seq} was not saved"))
            else:
                self._waiters.add(seq, loop, future)
                self.release()  # someone waits for the disk: it can't wait for a frame too

    def release(self) -> None:
        """Start writing, if the writer was created held (the lock is reentrant)."""
        with self._cond:
            if self._held:
                self._held = False
                self._cond.notify_all()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued before this call is durable."""
        self.release()  # whoever waits for the disk can't wait for a first frame too
        with self._cond:
            target = self._submitted
            return self._cond.wait_for(lambda: self._durable >= target, timeout)

    def close(self, timeout: float = 5.0) -> bool:
        """Flush, then stop the thread. False if something could not be saved."""
        ok = self.flush(timeout)
        with self._cond:
            self._closed = self._stopping = True
            self._cond.notify_all()
        self._thread.join(timeout)
        return ok

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"the writer of session {self.session_id!r} is closed")

    def _submit(self) -> None:
        self._submitted += 1
        self._cond.notify_all()

    # -- the writer thread ----------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(
                    lambda: self._stopping or (not self._held and self._has_work())
                )
                if self._stopping and (self._failing or not self._has_work()):
                    break
                target = self._submitted
                self._take_queued()
            if self._commit():
                with self._cond:
                    self._durable = max(self._durable, target)
                    self._cond.notify_all()
            else:
                with self._cond:  # wait a second, unless we are asked to stop
                    self._cond.wait_for(lambda: self._stopping, RETRY_S)
        with self._cond:
            unsaved = self._waiters.take_all()
        settle(unsaved, NotSaved(f"session {self.session_id}: the writer stopped unsaved"))

    def _has_work(self) -> bool:
        queued = self._events or self._clock is not None or self._summary
        todo = self._pending or self._clock_todo or self._summary_todo or self._creating
        return bool(queued or todo)

    def _take_queued(self) -> None:
        """Move everything queued into the writer's own state (under the lock)."""
        self._pending += self._events
        self._events = []
        if self._clock is not None:
            self._clock_todo, self._clock = self._clock, None
        self._summary_todo.update(self._summary)
        self._summary = {}

    def _commit(self) -> bool:
        """The events, then the clock checkpoint, then the index if needed."""
        self._where = self.files.segment(self._segment)  # named if this step fails
        try:
            if self._creating is not None:
                self._where = self.files.head
                self._create(*self._creating)
            if self._recheck:
                self._reread_tail()
            while self._pending:
                self._write_events()
            if self._clock_todo is not None:
                self._where = self.files.clock
                self._write_clock(self._clock_todo)
                self._clock_todo = None
            if self._summary_todo:
                self._where = self.store.index_path
                self.store.update_summary(self.session_id, self._summary_todo)
                self._summary_todo = {}
        except Exception as exc:  # anything at all: keep the data, retry
            path = getattr(exc, "path", self._where)
            self._recheck = self._creating is None and path != self.store.index_path
            if not isinstance(exc, OSError | SaveError):
                log.exception("saving session %s failed", self.session_id)
            self._report(
                False,
                f"Can't save to {path}: {describe_error(exc)}"
                " — keeping changes in memory, retrying",
            )
            return False
        if self._failing:
            self._report(True, "Saving again: all changes written")
        return True

    def _create(self, summary: Doc, first: list[Doc]) -> None:
        """The session's first segment and index entry, as its first commit."""
        try:
            self.store.create_session(summary, first)
        except ValueError:
            # "Already exists": an earlier attempt that reported a failure may
            # have landed whole. Anything else is a real problem.
            if not self._listed():
                raise
            self._recheck = True
        self._creating = None
        self._now_durable(first[-1]["seq"])

    def _listed(self) -> bool:
        try:
            self.store.get_summary(self.session_id)
        except UnknownSession:
            return False
        return self.files.head.exists()

    def _write_events(self) -> None:
        """One atomic write of as many pending events as one segment takes."""
        from circle.saving.tinystore import insert_events, open_log

        fresh = self._count > 0 and self._count + len(self._pending) > SEGMENT_EVENTS
        if fresh or self._count >= SEGMENT_EVENTS:  # the last segment is full: a new one
            number, count = self._segment + 1, 0
            self._where = self.files.segment(number)
            table = open_log(self._where)
        else:
            number, count = self._segment, self._count
            self._where = self.files.segment(number)
            if self._table is None:
                self._table = open_log(self._where, seed=self._seed)
                self._seed = None
            table = self._table
        batch = self._pending[: SEGMENT_EVENTS - count]
        insert_events(table, batch)
        self.writes += 1
        self._segment, self._count, self._table = number, count + len(batch), table
        del self._pending[: len(batch)]
        self._now_durable(batch[-1]["seq"])

    def _write_clock(self, record: Doc) -> None:
        from tinydb.table import Document

        from circle.saving.tinystore import open_db

        if self._clock_table is None:
            # The checkpoint replaces the file's only document, so a file that
            # resume has already checked needn't be read again.
            seed = {} if self._clock_checked else None
            self._clock_table = open_db(self.files.clock, seed=seed).table("clock")
            self._clock_saved = self._clock_table.contains(doc_id=1)
        # One write each time: TinyDB's upsert of a missing document writes an
        # empty table first and inserts second, and a kill between the two
        # would leave a clock file without its checkpoint.
        if self._clock_saved:
            self._clock_table.update(record, doc_ids=[1])
        else:
            self._clock_table.insert(Document(record, doc_id=1))
            self._clock_saved = True

    def _reread_tail(self) -> None:
        """After a failure: the disk may hold more than we know (a write that
        failed only at its last step). Go on from what is really there."""
        tail = read_tail(self.files)
        self._segment, self._count, self._seed = tail.number, tail.count, tail.tables
        self._table = self._clock_table = None
        self._clock_checked = False
        self._pending = [event for event in self._pending if event["seq"] > tail.last_seq]
        self._now_durable(tail.last_seq)
        self._recheck = False

    def _now_durable(self, seq: int) -> None:
        with self._cond:
            self._durable_seq = max(self._durable_seq, seq)
            ready = self._waiters.due(self._durable_seq)
        settle(ready)

    def _report(self, ok: bool, message: str) -> None:
        self._failing = not ok
        if message == self._last_message:
            return  # say each problem once, not every second
        self._last_message = message
        if self.on_status is None:
            return
        try:
            self.on_status(WriterStatus(ok, message))
        except Exception:  # a broken callback must not stop the saving
            log.exception("on_status callback failed")
