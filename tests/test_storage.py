"""Storage: the file layout, the Store, and the background SessionWriter."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tinydb import TinyDB

from circle import storage_writer
from circle.domain.errors import BadInput, StorageError
from circle.storage import (
    SaveError,
    Store,
    UnknownSession,
    dump_db,
    resolve_data_dir,
)
from circle.storage_writer import SessionDoc, SessionWriter, WriterStatus
from circle.tinydb_storage import AtomicJSONStorage

WALL0 = 1_790_000_000.0


def summary(sid: str, created: float = WALL0, **fields: object) -> dict:
    base = {
        "id": sid,
        "title": "Tuesday circle",
        "series": "Tuesday circle",
        "created_wall": created,
        "status": "running",
        "mentors": ["Ada"],
        "mentees": ["Mira", "Jon", "Priya"],
        "ended_wall": None,
        "duration_s": 0.0,
    }
    return base | fields


def event(seq: int, kind: str = "hand_raised", **data: object) -> dict:
    return {
        "seq": seq,
        "kind": kind,
        "at": seq * 0.5,
        "wall": WALL0 + seq,
        "source": "facilitator",
        "data": data or {"person": "Mira"},
    }


def created(sid: str, store: Store, when: float = WALL0, **fields: object) -> str:
    store.create_session(summary(sid, when, **fields), [event(1, "created", title="T")])
    return sid


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data")


@pytest.fixture
def writers() -> Iterator[list[SessionWriter]]:
    made: list[SessionWriter] = []
    yield made
    for writer in made:
        writer.close(timeout=1.0)


@pytest.fixture
def open_writer(store: Store, writers: list[SessionWriter]) -> Callable[..., SessionWriter]:
    def make(sid: str, on_status: Callable[[WriterStatus], None] | None = None) -> SessionWriter:
        writer = SessionWriter(store, sid, on_status)
        writers.append(writer)
        return writer

    return make


# --- round trip and layout ---------------------------------------------------------


def test_round_trip_through_the_writer(store: Store, open_writer) -> None:
    sid = created("20261122-0930-ab12", store)
    writer = open_writer(sid)
    sent = [event(n, text="naïve – 日本 \U0001f600") for n in range(2, 40)]
    writer.append(sent[:10])
    writer.append(sent[10:])
    writer.set_clock({"session_s": 12.5, "wall": WALL0 + 12.5})
    assert writer.flush()
    assert writer.durable_seq == 39
    loaded = Store(store.data_dir).load_session(sid)
    assert loaded.events == [event(1, "created", title="T"), *sent]
    assert loaded.clock == {"session_s": 12.5, "wall": WALL0 + 12.5}
    assert loaded.summary == summary(sid)


def test_files_are_plain_readable_tinydb(store: Store, open_writer) -> None:
    sid = created("20261122-0930-ab12", store)
    writer = open_writer(sid)
    writer.append([event(2, text="é")])
    writer.set_clock({"session_s": 1.0, "wall": WALL0})
    writer.flush()
    path = store.session_path(sid)
    text = path.read_text(encoding="utf-8")
    assert '"text": "é"' in text  # ensure_ascii off
    assert text.count("\n") > 3  # one document a line, not one long line
    db = TinyDB(path, storage=AtomicJSONStorage)
    assert [d["seq"] for d in db.table("events").all()] == [1, 2]
    assert db.table("clock").all() == [{"session_s": 1.0, "wall": WALL0}]
    index = TinyDB(store.index_path, storage=AtomicJSONStorage)
    assert index.table("sessions").all() == [summary(sid)]
    assert sorted(p.name for p in store.data_dir.iterdir()) == [
        ".index.lock",
        "index.json",
        "sessions",
    ]


def test_tinydb_can_write_through_the_atomic_storage(tmp_path: Path) -> None:
    db = TinyDB(tmp_path / "x.json", storage=AtomicJSONStorage)
    db.table("t").insert({"a": "ü"})
    assert json.loads((tmp_path / "x.json").read_text()) == {"t": {"1": {"a": "ü"}}}
    assert not list(tmp_path.glob(".*.tmp"))


def test_cached_rendering_is_exactly_dump_db(store: Store) -> None:
    data = {
        "events": {str(n): event(n, text=f"q{n} ✓") for n in range(1, 30)},
        "clock": {"1": {"session_s": 3.0, "wall": WALL0}},
        "notes": {"1": {"x": 1}},
    }
    doc = SessionDoc(data, Path("x.json"))
    assert doc.render() == dump_db(data)
    doc.add_event(30, json.dumps(event(30)).encode())
    doc.set_clock(b'{"session_s": 4.0}')
    data["events"]["30"] = event(30)
    data["clock"]["1"] = {"session_s": 4.0}
    assert json.loads(doc.render()) == data
    assert SessionDoc({}, Path("x.json")).render() == dump_db({"events": {}})


def test_lone_surrogates_survive_a_save(store: Store, open_writer) -> None:
    sid = created("20261122-0930-ab12", store)
    writer = open_writer(sid)
    writer.append([event(2, text="bad \ud800 char")])
    assert writer.flush()
    assert store.load_session(sid).events[-1]["data"]["text"] == "bad \ud800 char"


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
    for bad in ("../index", "a/b", ".hidden", ""):
        with pytest.raises(UnknownSession):
            store.session_path(bad)


def test_delete_removes_only_that_session(store: Store) -> None:
    keep = created("20261120-0900-aaaa", store)
    gone = created("20261121-0900-bbbb", store, WALL0 + 1)
    before = sha(store.session_path(keep))
    store.delete_session(gone)
    assert [s["id"] for s in store.list_sessions()] == [keep]
    assert not store.session_path(gone).exists()
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
    with pytest.raises(UnknownSession):
        store.update_summary("20990101-0000-zzzz", {"status": "ended"})
    with pytest.raises(ValueError):
        store.update_summary(sid, {"id": "other"})


def test_create_twice_is_refused(store: Store) -> None:
    sid = created("20261120-0900-aaaa", store)
    with pytest.raises(ValueError, match="already exists"):
        created(sid, store)


@pytest.mark.parametrize("seqs", [[1, 1], [2, 1], ["1"], [None]])
def test_create_needs_increasing_integer_seqs(store: Store, seqs: list) -> None:
    with pytest.raises(ValueError, match="seq"):
        store.create_session(summary("20261120-0900-aaaa"), [{"seq": q} for q in seqs])
    assert store.list_sessions() == []


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


# --- the writer ------------------------------------------------------------------


def test_a_burst_of_200_is_durable_within_a_second(store: Store, open_writer) -> None:
    sid = created("20261122-0930-ab12", store)
    writer = open_writer(sid)
    start = time.monotonic()
    for seq in range(2, 202):
        writer.append([event(seq, text=f"question {seq}")])
    while writer.durable_seq < 201 and time.monotonic() - start < 5:
        time.sleep(0.001)
    elapsed = time.monotonic() - start
    assert writer.durable_seq == 201
    assert elapsed < 1.0
    assert writer.writes < 50  # group commit, not one write per record
    assert len(store.load_session(sid).events) == 201


def test_appends_from_many_threads_are_all_kept(store: Store, open_writer) -> None:
    sid = created("20261122-0930-ab12", store)
    writer = open_writer(sid)
    lock = threading.Lock()
    counter = iter(range(2, 10_000))

    def worker() -> None:
        for _ in range(50):
            with lock:  # seq order is the caller's job; the writer checks it
                writer.append([event(next(counter))])
            writer.set_clock({"session_s": 1.0, "wall": WALL0})

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert writer.flush()
    seqs = [e["seq"] for e in store.load_session(sid).events]
    assert seqs == list(range(1, 202))


def test_bad_appends_are_refused_and_queue_nothing(store: Store, open_writer) -> None:
    sid = created("20261122-0930-ab12", store)
    writer = open_writer(sid)
    with pytest.raises(ValueError):
        writer.append([event(2), event(2)])
    with pytest.raises(ValueError):
        writer.append([event(1)])
    with pytest.raises(TypeError):
        writer.append([event(2, blob=object())])
    writer.append([event(2)])
    assert writer.flush()
    assert [e["seq"] for e in store.load_session(sid).events] == [1, 2]
    assert writer.close()
    with pytest.raises(RuntimeError):
        writer.append([event(3)])


def test_the_writer_keeps_caller_changes_out(store: Store, open_writer) -> None:
    sid = created("20261122-0930-ab12", store)
    writer = open_writer(sid)
    ev = event(2, text="before")
    fields = {"mentees": ["Mira"]}
    writer.append([ev])
    writer.update_summary(fields)
    ev["data"]["text"] = "after"
    fields["mentees"].append("Jon")
    assert writer.flush()
    assert store.load_session(sid).events[-1]["data"]["text"] == "before"
    assert store.get_summary(sid)["mentees"] == ["Mira"]


def test_summary_updates_touch_the_index_not_each_event(store: Store, open_writer) -> None:
    sid = created("20261122-0930-ab12", store)
    writer = open_writer(sid)
    before = sha(store.index_path)
    writer.append([event(2)])
    writer.set_clock({"session_s": 2.0, "wall": WALL0})
    assert writer.flush()
    assert sha(store.index_path) == before
    writer.update_summary({"duration_s": 2.0})
    assert writer.flush()
    assert store.get_summary(sid)["duration_s"] == 2.0


def test_resume_after_reboot_gets_the_last_clock(store: Store, open_writer) -> None:
    sid = created("20261122-0930-ab12", store)
    writer = open_writer(sid)
    last = None
    for tick in range(1, 8):  # the app saves the clock every second or more often
        last = {"session_s": 100.0 + tick * 0.25, "wall": time.time()}
        writer.set_clock(last)
        time.sleep(0.01)
    assert writer.flush()
    # A "reboot": nothing shared with the old process but the files.
    clock = Store(Path(str(store.data_dir))).load_session(sid).clock
    assert clock == last
    assert abs(clock["wall"] - time.time()) < 1.0


def test_a_new_writer_continues_an_existing_file(store: Store, open_writer) -> None:
    sid = created("20261122-0930-ab12", store)
    first = open_writer(sid)
    first.append([event(2)])
    first.set_clock({"session_s": 5.0, "wall": WALL0})
    assert first.close()
    stale = store.session_path(sid).with_name(f".{sid}.json.abc123.tmp")
    stale.write_text("{half a fi")  # what a kill -9 mid-write leaves behind
    second = open_writer(sid)
    assert not stale.exists()
    assert second.durable_seq == 2
    second.append([event(3)])
    assert second.flush()
    loaded = store.load_session(sid)
    assert [e["seq"] for e in loaded.events] == [1, 2, 3]
    assert loaded.clock == {"session_s": 5.0, "wall": WALL0}


# --- failures: saving keeps going, corrupt files are left alone -------------------


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_a_failing_disk_keeps_records_and_recovers(
    store: Store, open_writer, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    patience = 1.5
    if code != errno.EROFS:  # the one-second retry itself is checked with EROFS
        monkeypatch.setattr(storage_writer, "RETRY_S", 0.1)
        patience = 0.3
    sid = created("20261122-0930-ab12", store)
    statuses: list[WriterStatus] = []
    writer = open_writer(sid, statuses.append)
    broken = threading.Event()
    broken.set()
    real_replace = os.replace
    attempts: list[float] = []

    def replace(src: str, dst: str) -> None:
        if broken.is_set() and str(dst).startswith(str(store.data_dir)):
            attempts.append(time.monotonic())
            raise OSError(code, os.strerror(code), str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    before = sha(store.session_path(sid))
    writer.append([event(n) for n in range(2, 30)])
    writer.update_summary({"duration_s": 9.0})
    assert not writer.flush(timeout=patience)
    assert statuses and not statuses[-1].ok
    path = store.session_path(sid)
    assert statuses[-1].message == (
        f"Can't save to {path}: {os.strerror(code)} — keeping changes in memory, retrying"
    )
    assert len(statuses) == 1  # reported once, not on every retry
    assert not writer.ok
    if code == errno.EROFS:
        gaps = [b - a for a, b in zip(attempts, attempts[1:], strict=False)]
        assert gaps and all(0.9 < gap < 1.5 for gap in gaps)
    assert writer.durable_seq == 1
    assert sha(path) == before
    assert not list(path.parent.glob(".*.tmp"))
    writer.append([event(30)])  # still accepted while failing
    broken.clear()
    assert writer.flush(timeout=3.0)
    assert statuses[-1] == WriterStatus(True, "Saving again: all changes written")
    assert writer.ok
    assert writer.durable_seq == 30
    assert [e["seq"] for e in store.load_session(sid).events] == list(range(1, 31))
    assert store.get_summary(sid)["duration_s"] == 9.0


def test_a_failing_index_is_reported_and_retried(
    store: Store, open_writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_writer, "RETRY_S", 0.1)
    sid = created("20261122-0930-ab12", store)
    statuses: list[WriterStatus] = []
    writer = open_writer(sid, statuses.append)
    real_update = Store.update_summary
    broken = [True]

    def update(self: Store, session_id: str, fields: dict) -> None:
        if broken[0]:
            raise SaveError(self.index_path, OSError(errno.EROFS, "Read-only file system"))
        real_update(self, session_id, fields)

    monkeypatch.setattr(Store, "update_summary", update)
    writer.append([event(2)])
    writer.update_summary({"status": "ended"})
    assert not writer.flush(timeout=0.3)
    assert writer.durable_seq == 2  # the events themselves made it
    assert statuses[-1].message.startswith(f"Can't save to {store.index_path}: Read-only")
    broken[0] = False
    assert writer.flush(timeout=3.0)
    assert statuses[-1].ok and store.get_summary(sid)["status"] == "ended"


CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "garbled": lambda raw: raw[:40] + b"\x00}{]]garbage" + raw[60:],
    "not utf-8": lambda raw: raw.replace(b"created", b"cr\xff\xfeated"),
    "wrong structure": lambda raw: b'{"events": [1, 2, 3]}',
    "not an object": lambda raw: b"[]",
    "event without seq": lambda raw: b'{"events": {"1": {"kind": "x"}}}',
    "duplicate seq": lambda raw: b'{"events": {"1": {"seq": 1}, "2": {"seq": 1}}}',
    "empty": lambda raw: b"",
}


# An empty file is "no data" to TinyDB itself; seq rules are the Store's.
SESSION_RULES = {"empty", "event without seq", "duplicate seq"}


@pytest.mark.parametrize("damage", CORRUPTIONS, ids=list(CORRUPTIONS))
def test_a_corrupt_session_file_is_refused_and_untouched(store: Store, damage: str) -> None:
    sid = created("20261122-0930-ab12", store)
    path = store.session_path(sid)
    path.write_bytes(CORRUPTIONS[damage](path.read_bytes()))
    before = sha(path)
    with pytest.raises(StorageError, match=re.escape(str(path))):
        store.load_session(sid)
    with pytest.raises(StorageError, match=re.escape(str(path))):
        SessionWriter(store, sid)
    if damage not in SESSION_RULES:  # beyond TinyDB's own shape: checked by the Store
        with pytest.raises(StorageError, match=re.escape(str(path))):
            AtomicJSONStorage(path).read()
    assert sha(path) == before


def test_a_missing_session_file_is_an_error_naming_it(store: Store) -> None:
    sid = created("20261122-0930-ab12", store)
    store.session_path(sid).unlink()
    with pytest.raises(StorageError, match="missing"):
        store.load_session(sid)


@pytest.mark.parametrize("damage", ["truncated", "garbled", "not utf-8", "not an object", "empty"])
def test_a_corrupt_index_is_refused_and_never_rewritten(store: Store, damage: str) -> None:
    sid = created("20261122-0930-ab12", store)
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


def test_an_index_entry_without_an_id_is_corrupt(store: Store) -> None:
    store.data_dir.mkdir(parents=True)
    store.index_path.write_text('{"sessions": {"1": {"title": "x"}}}')
    with pytest.raises(StorageError, match="index.json"):
        store.list_sessions()


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
        created("20261122-0930-ab12", store)
    assert not store.session_path("20261122-0930-ab12").exists()  # no orphan left
    monkeypatch.setattr(os, "replace", real_replace)
    created("20261122-0930-ab12", store)  # a retry works
    assert store.resolve("last") == "20261122-0930-ab12"
