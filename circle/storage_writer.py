"""The background writer of a running session: group commit, never blocking.

One daemon thread owns every write to a session's file. `append`,
`set_clock` and `update_summary` only queue (the UI's event loop never waits
for the disk); the thread wakes, takes everything queued and rewrites the file
once, atomically. The file is kept in memory as rendered JSON, so a save
serialises only the new events. A failed save (read-only disk, disk full)
keeps everything in memory, says so through `on_status` and retries every
second.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from circle.storage import (
    Doc,
    SaveError,
    Store,
    atomic_write,
    describe_error,
    doc_line,
    dumps,
    remove_stale_temps,
    session_clock,
    session_events,
    table_bytes,
)

log = logging.getLogger(__name__)
RETRY_S = 1.0


class WriterStatus(NamedTuple):
    ok: bool
    message: str


class SessionDoc:
    """A session file as rendered bytes: each event is serialised once, ever.

    `render()` is byte-for-byte what `dump_db` gives for the same tables, so
    the file stays an ordinary TinyDB JSON document.
    """

    def __init__(self, data: Mapping[str, Mapping[str, Doc]], path: Path) -> None:
        self._events = bytearray()
        self.last_seq = 0
        for event in session_events(data, path):
            self.add_event(event["seq"], dumps(event))
        clock = session_clock(data)
        self._clock = None if clock is None else dumps(clock)
        # Tables other than ours are kept as they were.
        self._extra = [
            table_bytes(name, [doc_line(k, d) for k, d in table.items()])
            for name, table in data.items()
            if name not in ("events", "clock")
        ]
        self.dirty = False

    def add_event(self, seq: int, line: bytes) -> None:
        if self._events:
            self._events += b",\n"
        self._events += b'"%d": ' % seq
        self._events += line
        self.last_seq = seq
        self.dirty = True

    def set_clock(self, line: bytes) -> None:
        self._clock = line
        self.dirty = True

    def render(self) -> bytes:
        return b"".join(self.render_parts())

    def render_parts(self) -> list[bytes | bytearray]:
        """The file in pieces, so the big events table is written without a copy."""
        parts: list[bytes | bytearray] = [b'{\n"events": {']
        parts += [b"\n", self._events, b"\n}"] if self._events else [b"}"]
        if self._clock is not None:
            parts += [b",\n", table_bytes("clock", [b'"1": ' + self._clock])]
        for table in self._extra:
            parts += [b",\n", table]
        parts.append(b"\n}\n")
        return parts


class SessionWriter:
    """Saves one session in the background. Every public method is thread-safe."""

    def __init__(
        self,
        store: Store,
        session_id: str,
        on_status: Callable[[WriterStatus], None] | None = None,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.path = store.session_path(session_id)
        self.on_status = on_status
        self.writes = 0  # session-file writes, for tests and the bench
        # Read once (a corrupt file stops us here); from now on it is only written.
        self._doc = SessionDoc(store.read_session_data(session_id), self.path)
        remove_stale_temps(self.path)  # we are this file's only writer
        self._cond = threading.Condition()
        self._events: list[tuple[int, bytes]] = []
        self._clock: bytes | None = None
        self._summary: dict[str, Any] = {}
        self._summary_todo: dict[str, Any] = {}  # writer thread only
        self._last_seq = self._doc.last_seq  # highest submitted
        self._durable_seq = self._doc.last_seq
        self._submitted = 0  # calls so far; flush waits for `_durable` to catch up
        self._durable = 0
        self._stopping = False
        self._closed = False
        self._failing = False
        self._last_message: str | None = None
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
        lines = [(event["seq"], dumps(event)) for event in events]  # snapshot now
        with self._cond:
            self._check_open()
            last = self._last_seq
            for seq, _ in lines:
                if not isinstance(seq, int) or isinstance(seq, bool) or seq <= last:
                    raise ValueError(f"event seq {seq!r} doesn't follow {last}")
                last = seq
            self._events.extend(lines)
            self._last_seq = last
            self._submit()

    def set_clock(self, record: Doc) -> None:
        """Queue the session clock; only the latest one is written."""
        line = dumps(record)
        with self._cond:
            self._check_open()
            self._clock = line
            self._submit()

    def update_summary(self, fields: Mapping[str, Any]) -> None:
        """Queue changes to this session's index entry."""
        if fields.get("id", self.session_id) != self.session_id:
            raise ValueError("a session's id can't change")
        snapshot = json.loads(dumps(dict(fields)))  # later changes by the caller don't leak in
        with self._cond:
            self._check_open()
            self._summary.update(snapshot)
            self._submit()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued before this call is durable."""
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
                self._cond.wait_for(lambda: self._stopping or self._has_work())
                if self._stopping and (self._failing or not self._has_work()):
                    return
                target = self._submitted
                self._take_queued()
            if self._commit():
                with self._cond:
                    self._durable = max(self._durable, target)
                    self._cond.notify_all()
            else:
                with self._cond:  # wait a second, unless we are asked to stop
                    self._cond.wait_for(lambda: self._stopping, RETRY_S)

    def _has_work(self) -> bool:
        queued = self._events or self._clock is not None or self._summary
        return bool(queued or self._doc.dirty or self._summary_todo)

    def _take_queued(self) -> None:
        """Move everything queued into the writer's own state (under the lock)."""
        for seq, line in self._events:
            self._doc.add_event(seq, line)
        self._events = []
        if self._clock is not None:
            self._doc.set_clock(self._clock)
            self._clock = None
        self._summary_todo.update(self._summary)
        self._summary = {}

    def _commit(self) -> bool:
        """Write the session file once for the whole batch, then the index if needed."""
        path = self.path
        try:
            if self._doc.dirty:
                atomic_write(self.path, self._doc.render_parts())
                self.writes += 1
                self._doc.dirty = False
                self._durable_seq = self._doc.last_seq
            if self._summary_todo:
                path = self.store.index_path
                self.store.update_summary(self.session_id, self._summary_todo)
                self._summary_todo = {}
        except Exception as exc:  # anything at all: keep the data, retry
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
