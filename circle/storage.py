"""Where sessions live on disk: TinyDB JSON files, written atomically.

Layout of a data directory:

    index.json                table "sessions": one summary per session
    sessions/<id>.json        the session's first events segment (see below)
    sessions/<id>.<n>.json    further segments, sessions/<id>.clock.json the
                              clock checkpoint, sessions/<id>.secret its join key
    exports/                  minutes written by `circle export` and `e`

(`circle.saving.layout` describes a session's files.) Every record goes
through TinyDB's tables on `circle.saving.tinystore.AtomicStorage`: strict
reads, atomic durable writes. A save touches only its own session's last
segment, so its cost doesn't grow with history; the index changes only when a
summary does. A file that can't be parsed or doesn't fit the schema is refused
with a StorageError naming it and is never rewritten. The background writer of
a running session is `circle.storage_writer`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import platformdirs

from circle.domain.errors import BadInput, CircleError, DomainError, StorageError
from circle.saving.atomic import atomic_write, fsync_dir, remove_stale_temps
from circle.saving.index import Index, lacks_series_fields, series_fields
from circle.saving.jsonfile import corrupt, describe_error
from circle.saving.layout import LoadedSession, SessionFiles, SessionRead, Tail, read_session
from circle.saving.schema import BadData, bad_data, check_events, check_summary

Doc = dict[str, Any]
T = TypeVar("T")
ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SECRET_BYTES = 32
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# What folding a session raises when an event's data doesn't fit its kind.
_FOLD_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError, DomainError)

__all__ = [
    "Doc",
    "LoadedSession",
    "Opened",
    "SaveError",
    "StorageError",
    "Store",
    "Tail",
    "UnknownSession",
    "atomic_write",
    "describe_error",
    "resolve_data_dir",
]


class UnknownSession(BadInput):
    """No stored session matches what was asked for."""


class SaveError(StorageError):
    """A write failed (read-only disk, disk full, ...). Nothing was overwritten."""

    def __init__(self, path: Path, exc: BaseException) -> None:
        self.path = path
        self.reason = describe_error(exc)
        super().__init__(f"Can't save to {path}: {self.reason}")


class Opened(NamedTuple):
    """A session read back and rebuilt: what resume hands to its writer."""

    loaded: LoadedSession
    value: Any  # what the caller's `build` made of it (a Session)
    tail: Tail


def resolve_data_dir(cli_value: str | None) -> Path:
    """`--data-dir`, else $CIRCLE_DATA_DIR, else the platform's user data dir."""
    chosen = cli_value or os.environ.get("CIRCLE_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_data_dir("circle"))


class Store:
    """The data directory. Thread-safe; every method reads the disk afresh."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.sessions_dir = self.data_dir / "sessions"
        self.exports_dir = self.data_dir / "exports"
        self.index_path = self.data_dir / "index.json"
        self._index = Index(self.index_path, self.data_dir / ".index.lock", SaveError)

    def files(self, session_id: str) -> SessionFiles:
        if not _SAFE_ID.match(session_id):  # ids become file names
            raise UnknownSession(f"unknown session {session_id!r}")
        return SessionFiles(self.sessions_dir, session_id)

    def session_path(self, session_id: str) -> Path:
        """The session's first file, `sessions/<id>.json`."""
        return self.files(session_id).head

    def ensure_exports_dir(self) -> Path:
        self.exports_dir.mkdir(parents=True, exist_ok=True)
        return self.exports_dir

    # -- reading the index ---------------------------------------------------
    def list_sessions(self) -> list[Doc]:
        """Every summary, newest first (the index alone: no session file is read)."""
        summaries = self._index.all()
        summaries.sort(key=lambda s: (s.get("created_wall") or 0, s["id"]), reverse=True)
        return summaries

    def get_summary(self, session_id: str) -> Doc:
        summary = self._index.find(session_id)
        if summary is None:
            raise UnknownSession(f"unknown session {session_id!r}")
        return summary

    def sessions_in_series(self, series: str) -> list[Doc]:
        """Summaries of one series (compared case-insensitively), newest first."""
        found = self._index.in_series(series)
        found.sort(key=lambda s: (s.get("created_wall") or 0, s["id"]), reverse=True)
        return found

    def resolve(self, ref: str) -> str:
        """An id, a unique id prefix, or "last" (the newest, in any state)."""
        summaries = self.list_sessions()
        if ref == "last":
            if not summaries:
                raise UnknownSession("unknown session 'last': there are no sessions yet")
            return summaries[0]["id"]
        ids = [s["id"] for s in summaries]
        if ref in ids:
            return ref
        matches = [i for i in ids if ref and i.startswith(ref)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            shown = ", ".join(matches[:5])
            raise UnknownSession(f"ambiguous session {ref!r}: matches {shown}")
        raise UnknownSession(f"unknown session {ref!r}")

    def latest_unfinished(self) -> str | None:
        for summary in self.list_sessions():
            if summary.get("status") != "ended":
                return summary["id"]
        return None

    # -- reading a session ---------------------------------------------------
    def read_session(self, session_id: str) -> tuple[Doc, SessionRead]:
        """The summary and every file of the session, schema-checked."""
        summary = self.get_summary(session_id)
        return summary, read_session(self.files(session_id))

    def open_session(self, session_id: str, build: Callable[[LoadedSession], T]) -> Opened:
        """Read the session and `build` something of it (a Session), checked.

        An event whose data doesn't fit its kind makes `build` fail: that is
        bad data, reported naming the segment that holds the event.
        """
        with _gc_paused():
            summary, read = self.read_session(session_id)
            loaded = LoadedSession(summary, read.events, read.clock)
            return Opened(loaded, _build_checked(loaded, read, build), read.tail)

    def load_session(self, session_id: str) -> LoadedSession:
        """The stored session, checked down to rebuilding it once."""
        from circle.domain.session import session_at_rest

        opened = self.open_session(session_id, lambda s: session_at_rest(s.events, s.clock))
        return opened.loaded

    # -- writing ---------------------------------------------------------------
    def new_session_id(self, created_wall: float) -> str:
        """`YYYYMMDD-HHMM-xxxx` in local time: sorts by creation, unique here."""
        stamp = time.strftime("%Y%m%d-%H%M", time.localtime(created_wall))
        taken = {s["id"] for s in self._index.all()}
        while True:
            sid = f"{stamp}-{''.join(random.choice(ID_ALPHABET) for _ in range(4))}"
            if sid not in taken and not self.files(sid).taken():
                return sid

    def create_session(self, summary: Doc, first_events: list[Doc]) -> Tail:
        """Write the session's first segment, then its index entry; durable on return.

        Returns the first segment as written, for the writer that goes on.
        """
        from tinydb import Query

        from circle.saving.tinystore import insert_events, open_db

        sid = summary["id"]
        files = self.files(sid)
        seqs = [e.get("seq") for e in first_events]
        if not all(type(q) is int for q in seqs) or seqs != sorted(set(seqs)):
            raise ValueError("first_events need integer seqs in increasing order")
        try:  # never write what would be refused when read back
            check_events(first_events, files.head, 0, head=True)
            check_summary(summary, self.index_path)
        except BadData as exc:
            raise ValueError(f"can't create session {sid}: {exc.why}") from None
        self._make_dirs()
        with self._index.changing() as table:
            if table.contains(Query().id == sid) or files.taken():
                raise ValueError(f"session {sid!r} already exists")
            # The session file goes first: a crash in between leaves an
            # unlisted file, never an index entry without its file.
            head = open_db(files.head, seed={})
            self._save(files.head, lambda: insert_events(head.table("events"), first_events))
            try:
                self._save(self.index_path, lambda: table.insert(dict(summary)))
            except SaveError:
                files.remove()  # so that a retry can succeed
                raise
        return Tail(1, head.storage.read() or {}, len(first_events), seqs[-1])

    def update_summary(self, session_id: str, fields: Mapping[str, Any]) -> None:
        from tinydb import Query

        if "id" in fields and fields["id"] != session_id:
            raise ValueError("a session's id can't change")
        self._make_dirs()
        with self._index.changing() as table:
            here = Query().id == session_id
            found = table.get(here)  # checked first: no write for nothing
            if found is None:
                raise UnknownSession(f"unknown session {session_id!r}")
            try:  # never write what would be refused when read back
                check_summary(dict(found) | dict(fields), self.index_path)
            except BadData as exc:
                raise ValueError(f"can't update session {session_id}: {exc.why}") from None
            self._save(self.index_path, lambda: table.update(dict(fields), here))

    def upgrade_summaries(self, session_ids: list[str]) -> dict[str, Doc]:
        """Give summaries written before the series fields existed their stage,
        pulse, open goals and owed items, read from each session once; all of
        them in one write of the index. Returns what was added, by id.

        A session that can't be read keeps its summary as it is (the home
        screen shows "—"): upgrading never refuses a data directory."""
        from circle.domain.session import session_at_rest

        found: dict[str, Doc] = {}
        for sid in session_ids:
            try:
                files = self.files(sid)
                if not files.head.exists():  # listed, its files gone: nothing to read
                    continue
                # The files alone: the summary is in the index the caller just read.
                read = read_session(files)
                found[sid] = series_fields(session_at_rest(read.events, read.clock).folded)
            except (CircleError, OSError, *_FOLD_ERRORS):  # unreadable: left as it is
                continue
        if found:
            self._add_fields(found)
        return found

    def _add_fields(self, fields_by_id: Mapping[str, Doc]) -> None:
        from tinydb import Query

        self._make_dirs()
        with self._index.changing() as table:
            # Only where still missing: a running session's writer may have
            # saved fresher ones since they were read.
            todo = {
                doc["id"]: fields_by_id[doc["id"]]
                for doc in table.search(Query().id.one_of(list(fields_by_id)))
                if lacks_series_fields(doc)
            }
            if todo:
                updates = [(dict(f), Query().id == sid) for sid, f in todo.items()]
                self._save(self.index_path, lambda: table.update_multiple(updates))

    def delete_session(self, session_id: str) -> None:
        """Forget one session: its index entry first, then its files."""
        from tinydb import Query

        files = self.files(session_id)
        self._make_dirs()
        with self._index.changing() as table:
            here = Query().id == session_id
            if not table.contains(here):
                raise UnknownSession(f"unknown session {session_id!r}")
            self._save(self.index_path, lambda: table.remove(here))
        files.remove()
        remove_stale_temps(files.dir, session_id)

    def join_secret(self, session_id: str) -> bytes:
        """The session's key for signing phones' device tokens: made once, kept.

        32 random bytes in `sessions/<id>.secret`, readable by its owner only;
        never in the index or an export.
        """
        files = self.files(session_id)
        if not files.head.exists():
            raise UnknownSession(f"unknown session {session_id!r}")
        try:
            secret = files.secret.read_bytes()
        except FileNotFoundError:
            try:
                atomic_write(files.secret, os.urandom(SECRET_BYTES), overwrite=False, mode=0o600)
            except FileExistsError:
                pass  # made a moment ago by another thread or process: use theirs
            except OSError as exc:
                raise SaveError(files.secret, exc) from exc
            secret = files.secret.read_bytes()
        if len(secret) != SECRET_BYTES:
            raise corrupt(files.secret, f"a join secret is {SECRET_BYTES} bytes")
        return secret

    def _make_dirs(self) -> None:
        def make() -> None:
            if not self.sessions_dir.is_dir():
                self.sessions_dir.mkdir(parents=True, exist_ok=True)
                fsync_dir(self.data_dir)

        self._save(self.sessions_dir, make)

    @staticmethod
    def _save(path: Path, action: Callable[[], object]) -> None:
        try:
            action()
        except OSError as exc:
            raise SaveError(path, exc) from exc


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a session is read and rebuilt.

    Tens of thousands of new dicts, none of them garbage, would otherwise set
    off collection after collection: a third of a long session's resume time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build_checked(loaded: LoadedSession, read: SessionRead, build: Callable[..., T]) -> T:
    try:
        return build(loaded)
    except _FOLD_ERRORS as exc:
        failing = _first_failing(loaded, build)
        why = " ".join(f"{type(exc).__name__}: {exc}".split())[:120]
        where = read.file_of(failing)
        raise bad_data(where, f"event {failing} doesn't fit its kind ({why})") from None


def _first_failing(loaded: LoadedSession, build: Callable[..., Any]) -> int:
    """The seq of the first event that makes `build` fail (it fails on them all)."""
    events = loaded.events
    low, high = 1, len(events)  # the shortest failing prefix is in [low, high]
    while low < high:
        middle = (low + high) // 2
        try:
            build(loaded._replace(events=events[:middle]))
        except _FOLD_ERRORS:
            high = middle
        else:
            low = middle + 1
    return events[high - 1]["seq"]
