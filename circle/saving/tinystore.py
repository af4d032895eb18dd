"""TinyDB on circle's files: the storage class and how a file is opened.

`AtomicStorage` is what TinyDB reads and writes through: strict reads (a file
that isn't TinyDB JSON raises StorageError and is never overwritten), atomic
durable writes, and a cache of the state it last read or wrote, so TinyDB's
read-before-every-write costs no disk read. A failed write forgets the cache:
the next read sees what is really on disk.

Importing this module imports TinyDB (a few ms), so the modules that need it
import it where it is first used, never on the way to the first frame.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from circle.saving.atomic import atomic_write
from circle.saving.jsonfile import Tables, Unchanging, read_tables, render_tables

EVENTS = "events"


class AtomicStorage(Storage):
    """TinyDB storage: strict reads, atomic durable writes, last state cached."""

    def __init__(
        self,
        path: str | Path,
        seed: Tables | None = None,
        mode: int | None = None,
        unchanging: str | None = None,
        **_: Any,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.mode = mode
        # A table only ever added to: each of its documents is encoded once.
        self._unchanging = Unchanging(unchanging) if unchanging else None
        # `seed`: the file's tables as the caller just read them (resume reads once).
        self._cache: Tables | None = seed

    def read(self) -> Tables | None:
        if self._cache is None:
            self._cache = read_tables(self.path)
        return self._cache

    def write(self, data: Tables) -> None:
        try:
            atomic_write(self.path, render_tables(data, self._unchanging), mode=self.mode)
        except BaseException:
            # TinyDB changed the cached tables in place before this write: drop
            # them so that what is read next is what the disk holds.
            self._cache = None
            raise
        self._cache = data


def open_db(path: Path, seed: Tables | None = None) -> TinyDB:
    """A TinyDB database on `path` through AtomicStorage."""
    return TinyDB(path, storage=AtomicStorage, seed=seed)


def open_log(path: Path, seed: Tables | None = None) -> Table:
    """A segment's events table, to add events to with `insert_events` only.

    Events never change once recorded, so each is encoded once, not again at
    every commit: a commit's cost follows the events it adds, not the segment.
    """
    return TinyDB(path, storage=AtomicStorage, seed=seed, unchanging=EVENTS).table(EVENTS)


def insert_events(table: Table, events: Sequence[Mapping[str, Any]]) -> None:
    """Events into a segment's table in one write, each under its seq as doc id."""
    table.insert_multiple([Document(event, doc_id=event["seq"]) for event in events])
