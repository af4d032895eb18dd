"""The files of one session, and reading them back.

    sessions/<id>.json        segment 1 (the head): TinyDB, table "events",
                              starting with the `created` event
    sessions/<id>.<n>.json    segments 2, 3, ...: table "events", the events
                              that follow, at most SEGMENT_EVENTS a file
    sessions/<id>.clock.json  table "clock": one checkpoint, rewritten once a
                              second, with the seq of the last event it matches
    sessions/<id>.secret      32 random bytes, mode 0600: the join page's key

A commit writes only the last segment (and the small clock file), so its cost
stays flat however long the session runs. Files written by earlier versions
keep everything in `<id>.json` (tables "events" and "clock"); they are read
the same way: a head, no further segments, and its own clock table.

Segments are made in order and deleted in reverse, so they always form an
unbroken run 1..n, and the head exists as long as any of them does.
"""

from __future__ import annotations

import bisect
import contextlib
from pathlib import Path
from typing import Any, NamedTuple

from circle.domain.errors import StorageError
from circle.saving.jsonfile import Tables, read_tables
from circle.saving.schema import bad_data, check_clock, check_events

Doc = dict[str, Any]
SEGMENT_EVENTS = 500  # a commit serialises at most this many events


class LoadedSession(NamedTuple):
    summary: Doc
    events: list[Doc]
    clock: Doc | None


class SessionFiles:
    """Where one session's files are (the id is already known to be safe)."""

    def __init__(self, sessions_dir: Path, session_id: str) -> None:
        self.dir = sessions_dir
        self.session_id = session_id
        self.head = sessions_dir / f"{session_id}.json"
        self.clock = sessions_dir / f"{session_id}.clock.json"
        self.secret = sessions_dir / f"{session_id}.secret"

    def segment(self, number: int) -> Path:
        return self.head if number == 1 else self.dir / f"{self.session_id}.{number}.json"

    def last_segment(self) -> int:
        number = 1
        while self.segment(number + 1).exists():
            number += 1
        return number

    def taken(self) -> bool:
        """Any file of this id exists (a new session must not inherit one)."""
        return any(p.exists() for p in (self.head, self.segment(2), self.clock, self.secret))

    def remove(self) -> None:
        """Delete every file, last segment first, the head last."""
        paths = [self.segment(n) for n in range(self.last_segment(), 1, -1)]
        for path in [*paths, self.clock, self.secret, self.head]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


class Tail(NamedTuple):
    """The last segment as read: where the writer goes on appending."""

    number: int
    tables: Tables
    count: int
    last_seq: int


class SessionRead(NamedTuple):
    events: list[Doc]
    clock: Doc | None
    tail: Tail
    starts: list[tuple[int, Path]]  # (first seq, file) of each segment, in order

    def file_of(self, seq: int) -> Path:
        """The segment that holds event `seq`."""
        firsts = [first for first, _ in self.starts]
        return self.starts[max(bisect.bisect_right(firsts, seq) - 1, 0)][1]


def _missing(files: SessionFiles) -> StorageError:
    return StorageError(f"Session file {files.head} is missing; the index lists it")


def _segment_events(tables: Tables, path: Path, after: int, head: bool) -> list[Doc]:
    events = list(tables.get("events", {}).values())
    if not events and not head:
        raise bad_data(path, "the segment holds no events")
    check_events(events, path, after, head)
    return events


def read_session(files: SessionFiles) -> SessionRead:
    """Every segment and the clock, each file read once, all checked."""
    head = read_tables(files.head)
    if head is None:
        raise _missing(files)
    events: list[Doc] = []
    starts: list[tuple[int, Path]] = []
    number, tables, last = 1, head, 0
    while True:
        path = files.segment(number)
        found = _segment_events(tables, path, last, head=number == 1)
        starts.append((found[0]["seq"], path))
        events += found
        last = found[-1]["seq"]
        tail = Tail(number, tables, len(found), last)
        following = read_tables(files.segment(number + 1))
        if following is None:
            break
        number, tables = number + 1, following
    return SessionRead(events, read_clock(files, head, last), tail, starts)


def read_tail(files: SessionFiles) -> Tail:
    """Only the last segment: what a writer needs to go on appending."""
    number = files.last_segment()
    path = files.segment(number)
    tables = read_tables(path)
    if tables is None:
        raise _missing(files)
    events = _segment_events(tables, path, 0, head=number == 1)
    return Tail(number, tables, len(events), events[-1]["seq"])


def read_clock(files: SessionFiles, head: Tables, last_seq: int) -> Doc | None:
    """The newest clock checkpoint that matches the event log.

    A checkpoint ahead of the log (its events never reached the disk) is
    ignored: the events' own times are the truth then.
    """
    tables = read_tables(files.clock)
    if tables is not None:
        docs = list(tables.get("clock", {}).values())
        if not docs:  # no checkpoint yet: the events' own times are the truth
            return None
        if len(docs) != 1:
            raise bad_data(files.clock, "a clock file holds exactly one checkpoint")
        checkpoint = check_clock(docs[0], files.clock, needs_seq=True)
        return checkpoint if checkpoint["seq"] <= last_seq else None
    legacy = head.get("clock") or {}
    if legacy:  # written by earlier versions, inside the head file
        return check_clock(legacy[max(legacy, key=int)], files.head, needs_seq=False)
    return None
