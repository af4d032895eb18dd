"""Where sessions live on disk: TinyDB JSON files, written atomically.

Layout of a data directory:

    index.json           table "sessions": one small summary per session
    sessions/<id>.json   table "events": one document per event (doc id = seq),
                         table "clock": one document, the session clock
    exports/             minutes written by `circle export`

A save touches only its own session file, so its cost doesn't grow with the
number of stored sessions; the index changes only when a summary does. Every
write is atomic (temp file, fsync, rename, fsync of the directory), and a file
that can't be parsed is refused with a StorageError and never rewritten.
The background writer for a running session is in `circle.storage_writer`;
`circle.tinydb_storage` lets TinyDB itself read and write these files.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs

from circle.domain.errors import BadInput, StorageError

try:  # Serialises index updates between processes; absent on Windows.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

Doc = dict[str, Any]
ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class UnknownSession(BadInput):
    """No stored session matches what was asked for."""


class SaveError(StorageError):
    """A write failed (read-only disk, disk full, ...). Nothing was overwritten."""

    def __init__(self, path: Path, exc: BaseException) -> None:
        self.path = path
        self.reason = describe_error(exc)
        super().__init__(f"Can't save to {path}: {self.reason}")


def describe_error(exc: BaseException) -> str:
    """The short reason of a failure, such as "Read-only file system"."""
    if isinstance(exc, SaveError):
        return exc.reason
    if isinstance(exc, OSError) and exc.errno:
        return exc.strerror or os.strerror(exc.errno)
    return str(exc) or type(exc).__name__


# --- the file format ------------------------------------------------------------


def dumps(doc: Any) -> bytes:
    """One document as UTF-8 JSON on one line.

    A lone surrogate (which can't be UTF-8) becomes its JSON escape "\\udXXX",
    so odd terminal input is kept instead of failing the save.
    """
    return json.dumps(doc, ensure_ascii=False).encode("utf-8", "backslashreplace")


def table_bytes(name: str, lines: Sequence[bytes | bytearray]) -> bytes:
    """A TinyDB table, one `"doc_id": {...}` line per document."""
    head = dumps(name) + b": {"
    if not lines:
        return head + b"}"
    return b"".join([head, b"\n", b",\n".join(lines), b"\n}"])


def doc_line(doc_id: int | str, doc: Any) -> bytes:
    return b'"%s": %s' % (str(doc_id).encode(), dumps(doc))


def dump_db(data: Mapping[str, Mapping[str, Any]]) -> bytes:
    """The whole TinyDB document: readable, grep-able, one document a line."""
    tables = [table_bytes(n, [doc_line(k, d) for k, d in t.items()]) for n, t in data.items()]
    return b"{\n" + b",\n".join(tables) + b"\n}\n"


def read_db(path: Path) -> dict[str, dict[str, Doc]] | None:
    """Parse a TinyDB JSON file. Missing or empty: None. Anything odd: StorageError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"Can't read {path}: {describe_error(exc)}") from exc
    if not raw:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _corrupt(path, f"not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise _corrupt(path, f"not valid JSON (line {exc.lineno} column {exc.colno})") from exc
    except (ValueError, RecursionError) as exc:
        raise _corrupt(path, "not valid JSON") from exc
    _check_tables(data, path)
    return data


def _corrupt(path: Path, why: str) -> StorageError:
    return StorageError(f"Corrupt data file {path}: {why}; it was left untouched")


def _check_tables(data: Any, path: Path) -> None:
    if not isinstance(data, dict):
        raise _corrupt(path, "expected a JSON object of tables")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise _corrupt(path, f"table {name!r} is not an object")
        for key, doc in table.items():
            if not key.isdigit() or not isinstance(doc, dict):
                raise _corrupt(path, f"table {name!r} has a bad document {key!r}")


def atomic_write(path: Path, payload: bytes | Sequence[bytes | bytearray]) -> None:
    """Replace `path` with `payload` (bytes, or pieces written in order) so that
    a crash leaves the old or the new file, never a mix."""
    chunks = [payload] if isinstance(payload, bytes | bytearray) else payload
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new entry in `path` survive a power cut."""
    if os.name == "nt":  # pragma: no cover - directories can't be opened there
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- the data directory ---------------------------------------------------------


def resolve_data_dir(cli_value: str | None) -> Path:
    """`--data-dir`, else $CIRCLE_DATA_DIR, else the platform's user data dir."""
    chosen = cli_value or os.environ.get("CIRCLE_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_data_dir("circle"))


class LoadedSession(NamedTuple):
    summary: Doc
    events: list[Doc]
    clock: Doc | None


class Store:
    """The data directory. Thread-safe; every method reads the disk afresh."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.sessions_dir = self.data_dir / "sessions"
        self.exports_dir = self.data_dir / "exports"
        self.index_path = self.data_dir / "index.json"
        self._lock = threading.RLock()

    def session_path(self, session_id: str) -> Path:
        if not _SAFE_ID.match(session_id):  # ids become file names
            raise UnknownSession(f"unknown session {session_id!r}")
        return self.sessions_dir / f"{session_id}.json"

    def ensure_exports_dir(self) -> Path:
        self.exports_dir.mkdir(parents=True, exist_ok=True)
        return self.exports_dir

    # -- reading ------------------------------------------------------------
    def list_sessions(self) -> list[Doc]:
        """Every summary, newest first."""
        summaries = list(self._read_index().values())
        summaries.sort(key=lambda s: (s.get("created_wall") or 0, s["id"]), reverse=True)
        return summaries

    def get_summary(self, session_id: str) -> Doc:
        for summary in self._read_index().values():
            if summary["id"] == session_id:
                return summary
        raise UnknownSession(f"unknown session {session_id!r}")

    def sessions_in_series(self, series: str) -> list[Doc]:
        """Summaries of one series (compared case-insensitively), newest first."""
        key = series.strip().casefold()
        return [s for s in self.list_sessions() if str(s.get("series", "")).casefold() == key]

    def load_session(self, session_id: str) -> LoadedSession:
        summary = self.get_summary(session_id)
        data = self.read_session_data(session_id)
        events = session_events(data, self.session_path(session_id))
        return LoadedSession(summary, events, session_clock(data))

    def read_session_data(self, session_id: str) -> dict[str, dict[str, Doc]]:
        """The session file's tables (shape checked; `session_events` checks the rest)."""
        path = self.session_path(session_id)
        data = read_db(path)
        if data is None:
            why = "is empty" if path.exists() else "is missing"
            raise StorageError(f"Session file {path} {why}; the index lists it")
        return data

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

    # -- writing ------------------------------------------------------------
    def new_session_id(self, created_wall: float) -> str:
        """`YYYYMMDD-HHMM-xxxx` in local time: sorts by creation, unique here."""
        stamp = time.strftime("%Y%m%d-%H%M", time.localtime(created_wall))
        taken = {s["id"] for s in self._read_index().values()}
        while True:
            sid = f"{stamp}-{''.join(random.choice(ID_ALPHABET) for _ in range(4))}"
            if sid not in taken and not self.session_path(sid).exists():
                return sid

    def create_session(self, summary: Doc, first_events: list[Doc]) -> None:
        """Write the session file, then its index entry; durable on return."""
        sid = summary["id"]
        path = self.session_path(sid)
        seqs = [e.get("seq") for e in first_events]
        if not all(type(q) is int for q in seqs) or seqs != sorted(set(seqs)):
            raise ValueError("first_events need integer seqs in increasing order")
        events = {str(e["seq"]): e for e in first_events}
        try:
            with self._index_update() as table:
                if any(s["id"] == sid for s in table.values()) or path.exists():
                    raise ValueError(f"session {sid!r} already exists")
                # The session file goes first: a crash in between leaves an
                # unlisted file, never an index entry without its file.
                self._save(path, lambda: atomic_write(path, dump_db({"events": events})))
                table[str(_next_doc_id(table))] = dict(summary)
        except SaveError as exc:
            if exc.path == self.index_path:  # so that a retry can succeed
                path.unlink(missing_ok=True)
            raise

    def update_summary(self, session_id: str, fields: Mapping[str, Any]) -> None:
        if "id" in fields and fields["id"] != session_id:
            raise ValueError("a session's id can't change")
        with self._index_update() as table:
            for summary in table.values():
                if summary["id"] == session_id:
                    summary.update(fields)
                    return
            raise UnknownSession(f"unknown session {session_id!r}")

    def delete_session(self, session_id: str) -> None:
        """Forget one session: its index entry first, then its file."""
        path = self.session_path(session_id)
        with self._index_update() as table:
            keys = [k for k, s in table.items() if s["id"] == session_id]
            if not keys:
                raise UnknownSession(f"unknown session {session_id!r}")
            for key in keys:
                del table[key]
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        remove_stale_temps(path)

    # -- the index ----------------------------------------------------------
    def _read_index_data(self) -> dict[str, dict[str, Doc]]:
        data = read_db(self.index_path)
        if data is None:
            if self.index_path.exists():
                raise StorageError(f"Index {self.index_path} is empty; it was left untouched")
            return {}
        for summary in data.get("sessions", {}).values():
            if not isinstance(summary.get("id"), str) or not isinstance(
                summary.get("created_wall"), int | float | None
            ):
                raise _corrupt(self.index_path, "a session summary lacks its id or date")
        return data

    def _read_index(self) -> dict[str, Doc]:  # doc id -> summary
        return self._read_index_data().get("sessions", {})

    @contextlib.contextmanager
    def _index_update(self) -> Iterator[dict[str, Doc]]:
        """Read-modify-write of the index, under a thread and a file lock."""
        with self._lock:
            self._save(self.sessions_dir, self._make_dirs)
            with self._file_lock():
                data = self._read_index_data()  # a corrupt index stops us here
                table = data.setdefault("sessions", {})
                yield table
                payload = dump_db(data)
                self._save(self.index_path, lambda: atomic_write(self.index_path, payload))

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        if fcntl is None:  # pragma: no cover
            yield
            return
        lock_path = self.data_dir / ".index.lock"
        try:
            fh = open(lock_path, "a")  # noqa: SIM115 - held across the yield
        except OSError as exc:
            raise SaveError(lock_path, exc) from exc
        with fh:
            fcntl.flock(fh, fcntl.LOCK_EX)  # released when fh closes
            yield

    def _make_dirs(self) -> None:
        if not self.sessions_dir.is_dir():
            self.sessions_dir.mkdir(parents=True, exist_ok=True)
            fsync_dir(self.data_dir)

    @staticmethod
    def _save(path: Path, action: Callable[[], None]) -> None:
        try:
            action()
        except OSError as exc:
            raise SaveError(path, exc) from exc


def _next_doc_id(table: Mapping[str, Any]) -> int:
    return max((int(k) for k in table), default=0) + 1


def session_events(data: Mapping[str, Mapping[str, Doc]], path: Path) -> list[Doc]:
    """The events sorted by seq; a missing or repeated seq makes the file corrupt."""
    events = list(data.get("events", {}).values())
    for event in events:
        seq = event.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise _corrupt(path, "an event has no integer seq")
    events.sort(key=lambda e: e["seq"])
    for before, after in zip(events, events[1:], strict=False):
        if before["seq"] == after["seq"]:
            raise _corrupt(path, f"event seq {after['seq']} appears twice")
    return events


def session_clock(data: Mapping[str, Mapping[str, Doc]]) -> Doc | None:
    clock = data.get("clock") or {}
    return clock[max(clock, key=int)] if clock else None


def remove_stale_temps(path: Path) -> None:
    """Temp files a killed writer left next to `path` (they are never read)."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
