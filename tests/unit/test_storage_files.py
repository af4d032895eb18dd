"""Storage on disk: the files, the TinyDB storage class, the Store, and damaged files.

Bad data (files that parse but don't fit) has its own module,
test_storage_bad_data.py; the background writer, test_storage_writer.py.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tinydb import Query, TinyDB

from circle.domain.errors import BadInput, StorageError
from circle.minutes.export import write_atomic
from circle.saving import jsonfile
from circle.saving.atomic import atomic_write
from circle.saving.tinystore import AtomicStorage, insert_events, open_log
from circle.storage import SaveError, Store, UnknownSession, resolve_data_dir
from tests.unit.storage_helpers import (
    SID,
    WALL0,
    created,
    created_event,
    event,
    question,
    sha,
    summary,
)

# --- the files -------------------------------------------------------------------


def test_files_are_plain_readable_tinydb(store: Store, open_writer) -> None:
    sid = created(SID, store)
    writer = open_writer(sid)
    writer.append([question(2, "é")])
    writer.set_clock({"session_s": 1.0, "wall": WALL0})
    assert writer.flush()
    path = store.session_path(sid)
    text = path.read_text(encoding="utf-8")
    assert '"text": "é"' in text  # ensure_ascii off
    lines = text.splitlines()  # one document a line, grep-able
    assert lines[:2] == ["{", '"events": {'] and lines[-2:] == ["}", "}"]
    assert lines[2].startswith('"1": {"seq": 1, "kind": "created"')
    assert lines[3].startswith('"2": {"seq": 2, "kind": "question_added"')
    db = TinyDB(path, storage=AtomicStorage)
    assert [d["seq"] for d in db.table("events").all()] == [1, 2]
    assert [d.doc_id for d in db.table("events").all()] == [1, 2]  # doc id = seq
    clock = TinyDB(store.files(sid).clock, storage=AtomicStorage).table("clock").all()
    assert clock == [{"session_s": 1.0, "wall": WALL0, "seq": 2}]
    index = TinyDB(store.index_path, storage=AtomicStorage).table("sessions")
    assert index.search(Query().id == sid) == [summary(sid)]
    assert sorted(p.name for p in store.data_dir.iterdir()) == [
        ".index.lock",
        "index.json",
        "sessions",
    ]
    assert sorted(p.name for p in store.sessions_dir.iterdir()) == [
        f"{sid}.clock.json",
        f"{sid}.json",
    ]


def test_tinydb_writes_through_the_atomic_storage(tmp_path: Path) -> None:
    db = TinyDB(tmp_path / "x.json", storage=AtomicStorage)
    db.table("t").insert({"a": "ü"})
    db.table("t").update({"b": 2}, Query().a == "ü")
    assert json.loads((tmp_path / "x.json").read_text()) == {"t": {"1": {"a": "ü", "b": 2}}}
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_storage_reads_the_disk_once(tmp_path: Path, monkeypatch) -> None:
    """TinyDB reads before every write; the cache makes that free."""
    path = tmp_path / "x.json"
    path.write_text('{"t": {"1": {"a": 1}}}')
    reads: list[Path] = []
    real_read = jsonfile.read_tables

    def counting(p: Path):
        reads.append(p)
        return real_read(p)

    monkeypatch.setattr("circle.saving.tinystore.read_tables", counting)
    table = TinyDB(path, storage=AtomicStorage).table("t")
    for n in range(5):
        table.insert({"a": n + 2})
    assert len(table.search(Query().a > 3)) == 3
    assert reads == [path]
    assert len(json.loads(path.read_text())["t"]) == 6


def test_a_failed_write_forgets_the_cache(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "x.json"
    table = TinyDB(path, storage=AtomicStorage).table("t")
    table.insert({"a": 1})

    def refuse(*_args, **_kwargs) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("circle.saving.tinystore.atomic_write", refuse)
    with pytest.raises(OSError):
        table.insert({"a": 2})
    monkeypatch.undo()
    assert [d["a"] for d in table.all()] == [1]  # what the disk holds, not what failed
    table.insert({"a": 3})
    assert list(json.loads(path.read_text())["t"].values()) == [{"a": 1}, {"a": 3}]


def test_a_log_encodes_each_event_once_and_writes_the_same_file(
    tmp_path: Path, monkeypatch
) -> None:
    """Events never change once recorded: a commit encodes only the ones it adds."""
    encoded: list[int] = []
    real_encode = jsonfile._encode

    def counting(value: dict | str) -> str:
        if isinstance(value, dict):  # not a table's name
            encoded.append(value["seq"])
        return real_encode(value)

    monkeypatch.setattr(jsonfile, "_encode", counting)
    path = tmp_path / "log.json"
    log = open_log(path)
    events = [{"seq": n, "kind": "note", "data": {"text": f"ü {n}"}} for n in range(1, 8)]
    for batch in (events[:3], events[3:4], events[4:]):
        insert_events(log, batch)
    assert sorted(encoded) == list(range(1, 8))  # once each, whatever the commits
    plain = jsonfile.render_tables({"events": {str(e["seq"]): e for e in events}})
    assert path.read_bytes() == plain
    # Read back from the disk (new objects), each is encoded again, once, at the next commit.
    encoded.clear()
    again = open_log(path, seed=jsonfile.read_tables(path))
    insert_events(again, [{"seq": 8, "kind": "note", "data": {}}])
    assert sorted(encoded) == list(range(1, 9))
    assert list(json.loads(path.read_text())["events"]) == [str(n) for n in range(1, 9)]


def test_what_is_not_utf8_json_is_not_written(tmp_path: Path) -> None:
    table = TinyDB(tmp_path / "x.json", storage=AtomicStorage).table("t")
    for bad in ("lone \ud800 surrogate", float("nan")):
        with pytest.raises(ValueError):
            table.insert({"a": bad})
    assert not (tmp_path / "x.json").exists()


# --- the one atomic write ---------------------------------------------------------


def test_atomic_write_replaces_or_refuses_to(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    atomic_write(path, b"one")
    atomic_write(path, [b"tw", bytearray(b"o")])
    assert path.read_bytes() == b"two"
    with pytest.raises(FileExistsError):
        atomic_write(path, b"three", overwrite=False)
    assert path.read_bytes() == b"two"
    atomic_write(tmp_path / "new.txt", b"x", overwrite=False, mode=0o640)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # mkstemp's, unless told
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt", "new.txt"]


def test_a_failing_atomic_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "f.txt"
    atomic_write(path, b"old")

    def no_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", no_fsync)
    with pytest.raises(OSError):
        atomic_write(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_minutes_are_written_by_the_same_atomic_write(tmp_path: Path, monkeypatch) -> None:
    calls: list[dict] = []
    real = atomic_write

    def spy(path: Path, payload: bytes, **options) -> None:
        calls.append(options)
        real(path, payload, **options)

    monkeypatch.setattr("circle.minutes.export.atomic_write", spy)
    path = tmp_path / "minutes.md"
    write_atomic(path, "# Minutes ✓\n", overwrite=False)
    assert path.read_text(encoding="utf-8") == "# Minutes ✓\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # minutes are for sharing
    with pytest.raises(FileExistsError):
        write_atomic(path, "other", overwrite=False)
    write_atomic(path, "forced", overwrite=True)
    assert path.read_text() == "forced"
    assert calls == [{"overwrite": flag, "mode": 0o644} for flag in (False, False, True)]


# --- the Store -----------------------------------------------------------------


def test_sessions_are_listed_newest_first(store: Store) -> None:
    created("20261120-0900-aaaa", store, WALL0)
    created("20261122-0900-cccc", store, WALL0 + 200)
    created("20261121-0900-bbbb", store, WALL0 + 100)
    created("20261121-0900-bbbc", store, WALL0 + 100)
    ids = [s["id"] for s in store.list_sessions()]
    assert ids == [
        "20261122-0900-cccc",
        "20261121-0900-bbbc",
        "20261121-0900-bbbb",
        "20261120-0900-aaaa",
    ]
    assert Store(store.data_dir / "nowhere").list_sessions() == []


def test_resolve_last_prefix_and_unknown(store: Store) -> None:
    created("20261120-0900-aaaa", store, WALL0, status="ended")
    created("20261122-0900-cccc", store, WALL0 + 200, status="ended")
    created("20261121-0900-bbbb", store, WALL0 + 100)
    assert store.resolve("last") == "20261122-0900-cccc"
    assert store.resolve("20261121-0900-bbbb") == "20261121-0900-bbbb"
    assert store.resolve("20261120") == "20261120-0900-aaaa"
    assert store.latest_unfinished() == "20261121-0900-bbbb"
    with pytest.raises(UnknownSession, match="unknown session 'nope'"):
        store.resolve("nope")
    with pytest.raises(UnknownSession, match="ambiguous"):
        store.resolve("2026112")
    with pytest.raises(UnknownSession, match="unknown session ''"):
        store.resolve("")
    with pytest.raises(UnknownSession, match="unknown session 'nope'"):
        store.load_session("nope")
    assert issubclass(UnknownSession, BadInput)


def test_resolve_last_with_no_sessions(store: Store) -> None:
    with pytest.raises(UnknownSession, match="no sessions"):
        store.resolve("last")
    assert store.latest_unfinished() is None


def test_ids_that_are_not_file_names_are_unknown(store: Store) -> None:
    for bad in ("../index", "a/b", ".hidden", "", "a.2"):
        with pytest.raises(UnknownSession):
            store.session_path(bad)


def test_delete_removes_only_that_session(store: Store, open_writer) -> None:
    keep = created("20261120-0900-aaaa", store)
    gone = created("20261121-0900-bbbb", store, WALL0 + 1)
    writer = open_writer(gone)
    writer.set_clock({"session_s": 1.0, "wall": WALL0})
    assert writer.close()
    store.join_secret(gone)
    before = sha(store.session_path(keep))
    store.delete_session(gone)
    assert [s["id"] for s in store.list_sessions()] == [keep]
    assert sorted(p.name for p in store.sessions_dir.iterdir()) == [f"{keep}.json"]
    assert sha(store.session_path(keep)) == before
    assert store.load_session(keep).events[0]["kind"] == "created"
    with pytest.raises(UnknownSession):
        store.delete_session(gone)


def test_update_summary_and_series(store: Store) -> None:
    sid = created("20261120-0900-aaaa", store, series="Tuesdays")
    created("20261121-0900-bbbb", store, WALL0 + 1, series="Other")
    store.update_summary(sid, {"status": "ended", "ended_wall": WALL0 + 50, "duration_s": 50.0})
    got = store.get_summary(sid)
    assert (got["status"], got["ended_wall"], got["duration_s"]) == ("ended", WALL0 + 50, 50.0)
    assert [s["id"] for s in store.sessions_in_series("tuesdays ")] == [sid]
    before = sha(store.index_path)
    with pytest.raises(UnknownSession):
        store.update_summary("20990101-0000-zzzz", {"status": "ended"})
    assert sha(store.index_path) == before  # nothing written for nothing
    with pytest.raises(ValueError):
        store.update_summary(sid, {"id": "other"})
    with pytest.raises(ValueError, match="'title' that is a number"):
        store.update_summary(sid, {"title": 5})  # it would make the index unreadable
    assert sha(store.index_path) == before


def test_create_twice_is_refused(store: Store) -> None:
    sid = created("20261120-0900-aaaa", store)
    with pytest.raises(ValueError, match="already exists"):
        created(sid, store)


@pytest.mark.parametrize("seqs", [[1, 1], [2, 1], ["1"], [None]])
def test_create_needs_increasing_integer_seqs(store: Store, seqs: list) -> None:
    with pytest.raises(ValueError, match="seq"):
        store.create_session(summary("20261120-0900-aaaa"), [{"seq": q} for q in seqs])
    assert store.list_sessions() == []


def test_create_needs_the_created_event_first(store: Store) -> None:
    with pytest.raises(ValueError, match="'created'"):
        store.create_session(summary(SID), [event(1)])
    with pytest.raises(ValueError, match="no 'agenda'"):
        broken = created_event()
        del broken["data"]["agenda"]
        store.create_session(summary(SID), [broken])
    assert store.list_sessions() == [] and not store.session_path(SID).exists()


def test_new_session_ids_sort_by_time_and_are_unique(store: Store) -> None:
    first = store.new_session_id(WALL0)
    later = store.new_session_id(WALL0 + 3600 * 25)
    assert first < later
    assert len(first) == len("20261122-0930-ab12")
    assert first[:13] == time.strftime("%Y%m%d-%H%M", time.localtime(WALL0))
    assert len({store.new_session_id(WALL0) for _ in range(50)}) > 45


def test_resolve_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CIRCLE_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(str(tmp_path / "cli")) == tmp_path / "cli"
    assert resolve_data_dir(None) == tmp_path / "env"
    monkeypatch.delenv("CIRCLE_DATA_DIR")
    assert resolve_data_dir(None).name == "circle"


def test_create_on_a_read_only_disk_is_a_storage_error(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        if str(dst).endswith("index.json"):
            raise OSError(errno.EROFS, "Read-only file system")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(StorageError, match="Can't save to .*index.json: Read-only"):
        created(SID, store)
    assert not store.session_path(SID).exists()  # no orphan left
    monkeypatch.setattr(os, "replace", real_replace)
    created(SID, store)  # a retry works
    assert store.resolve("last") == SID


# --- the join secret --------------------------------------------------------------


def test_the_join_secret_is_made_once_private_and_kept(store: Store) -> None:
    sid = created(SID, store)
    secret = store.join_secret(sid)
    assert isinstance(secret, bytes) and len(secret) == 32
    path = store.files(sid).secret
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Store(store.data_dir).join_secret(sid) == secret  # a new process: the same
    other = created("20261123-0930-cd34", store)
    assert store.join_secret(other) != secret
    assert secret not in store.index_path.read_bytes()
    assert secret.hex() not in store.index_path.read_text()
    with pytest.raises(UnknownSession):
        store.join_secret("20990101-0000-zzzz")


def test_threads_asking_at_once_get_one_secret(store: Store) -> None:
    sid = created(SID, store)
    got: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: got.append(store.join_secret(sid))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(got)) == 1 and len(got) == 8


def test_a_damaged_secret_is_refused_and_kept(store: Store) -> None:
    sid = created(SID, store)
    path = store.files(sid).secret
    path.write_bytes(b"short")
    with pytest.raises(StorageError, match=re.escape(str(path))):
        store.join_secret(sid)
    assert path.read_bytes() == b"short"


# --- files that can't be read are refused and left alone ---------------------------

CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "garbled": lambda raw: raw[:40] + b"\x00}{]]garbage" + raw[60:],
    "not utf-8": lambda raw: raw.replace(b"created", b"cr\xff\xfeated"),
    "wrong structure": lambda raw: b'{"events": [1, 2, 3]}',
    "not an object": lambda raw: b"[]",
    "not a number": lambda raw: raw.replace(b'"at": 0.0', b'"at": NaN'),
    "empty": lambda raw: b"",
}


@pytest.mark.parametrize("damage", CORRUPTIONS, ids=list(CORRUPTIONS))
def test_a_corrupt_session_file_is_refused_and_untouched(store: Store, damage: str) -> None:
    from circle.storage_writer import SessionWriter

    sid = created(SID, store)
    path = store.session_path(sid)
    path.write_bytes(CORRUPTIONS[damage](path.read_bytes()))
    before = sha(path)
    for attempt in (lambda: store.load_session(sid), lambda: SessionWriter(store, sid)):
        with pytest.raises(StorageError, match=re.escape(str(path))):
            attempt()
    with pytest.raises(StorageError, match=re.escape(str(path))):
        AtomicStorage(path).read()
    assert sha(path) == before


def test_a_missing_session_file_is_an_error_naming_it(store: Store) -> None:
    sid = created(SID, store)
    store.session_path(sid).unlink()
    with pytest.raises(StorageError, match="missing"):
        store.load_session(sid)


@pytest.mark.parametrize("damage", ["truncated", "garbled", "not utf-8", "not an object", "empty"])
def test_a_corrupt_index_is_refused_and_never_rewritten(store: Store, damage: str) -> None:
    sid = created(SID, store)
    raw = store.index_path.read_bytes().replace(b"running", b"r\xffnning")
    store.index_path.write_bytes(CORRUPTIONS[damage](raw))
    before = sha(store.index_path)
    attempts: list[Callable[[], object]] = [
        store.list_sessions,
        lambda: store.resolve("last"),
        lambda: store.load_session(sid),
        lambda: store.update_summary(sid, {"status": "ended"}),
        lambda: store.delete_session(sid),
        lambda: created("20261123-0930-zzzz", store),
    ]
    for attempt in attempts:
        with pytest.raises(StorageError, match=re.escape(str(store.index_path))):
            attempt()
    assert sha(store.index_path) == before
    assert not Path(store.session_path("20261123-0930-zzzz")).exists()


@pytest.mark.parametrize(
    "entry",
    [{"title": "x"}, {"id": 5}, {"id": "a", "title": 7}, {"id": "a", "mentors": "Ada"}],
    ids=["no id", "id a number", "title a number", "mentors not a list"],
)
def test_an_index_entry_that_does_not_fit_is_refused(store: Store, entry: dict) -> None:
    store.data_dir.mkdir(parents=True)
    store.index_path.write_text(json.dumps({"sessions": {"1": entry}}))
    with pytest.raises(StorageError, match="index.json"):
        store.list_sessions()


def test_read_errors_name_the_file(store: Store, monkeypatch) -> None:
    sid = created(SID, store)

    def unreadable(self: Path) -> bytes:
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    with pytest.raises(StorageError, match=f"Can't read {re.escape(str(store.index_path))}"):
        store.load_session(sid)


def test_save_errors_say_why(tmp_path: Path) -> None:
    error = SaveError(tmp_path, OSError(errno.ENOSPC, "No space left on device"))
    assert str(error) == f"Can't save to {tmp_path}: No space left on device"
