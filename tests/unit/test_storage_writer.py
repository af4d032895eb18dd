"""The background writer: group commit, segments, the clock file, failures."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from pathlib import Path

import pytest

from circle import storage_writer
from circle.saving import tinystore
from circle.storage import SaveError, Store
from circle.storage_writer import SessionWriter, WriterStatus
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


def written_paths(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file TinyDB's storage writes from now on, in order."""
    paths: list[Path] = []
    real = tinystore.atomic_write

    def spy(path: Path, payload: bytes, **options: object) -> None:
        paths.append(path)
        real(path, payload, **options)

    monkeypatch.setattr(tinystore, "atomic_write", spy)
    return paths


def test_round_trip_through_the_writer(store: Store, open_writer) -> None:
    sid = created(SID, store)
    writer = open_writer(sid)
    sent = [question(n, "naïve – 日本 \U0001f600") for n in range(2, 40)]
    writer.append(sent[:10])
    writer.append(sent[10:])
    writer.set_clock({"session_s": 12.5, "wall": WALL0 + 12.5})
    assert writer.flush()
    assert writer.durable_seq == 39
    loaded = Store(store.data_dir).load_session(sid)
    assert loaded.events == [created_event(), *sent]
    assert loaded.clock == {"session_s": 12.5, "wall": WALL0 + 12.5, "seq": 39}
    assert loaded.summary == summary(sid)


def test_a_burst_of_200_is_durable_within_a_second(store: Store, open_writer) -> None:
    sid = created(SID, store)
    writer = open_writer(sid)
    start = time.monotonic()
    for seq in range(2, 202):
        writer.append([question(seq, f"question {seq}")])
    while writer.durable_seq < 201 and time.monotonic() - start < 5:
        time.sleep(0.001)
    elapsed = time.monotonic() - start
    assert writer.durable_seq == 201
    assert elapsed < 1.0
    assert writer.writes < 50  # group commit, not one write per record
    assert len(store.load_session(sid).events) == 201


def test_200_records_queued_together_are_one_atomic_write(
    store: Store, open_writer, monkeypatch
) -> None:
    sid = created(SID, store)
    writer = open_writer(sid)
    paths = written_paths(monkeypatch)
    writer.append([question(seq, f"question {seq}") for seq in range(2, 202)])
    assert writer.flush()
    assert writer.writes == 1 and paths == [store.session_path(sid)]


def test_a_commit_never_rewrites_the_history(store: Store, open_writer, monkeypatch) -> None:
    monkeypatch.setattr(storage_writer, "SEGMENT_EVENTS", 10)
    sid = created(SID, store)
    writer = open_writer(sid)
    files = store.files(sid)
    for seq in range(2, 26):  # one action at a time: the head fills, then segment 2
        writer.append([event(seq)])
        assert writer.flush()
    assert [files.segment(n).exists() for n in (1, 2, 3, 4)] == [True, True, True, False]
    done = {n: sha(files.segment(n)) for n in (1, 2)}
    paths = written_paths(monkeypatch)
    for seq in range(26, 36):
        writer.append([event(seq)])
        writer.set_clock({"session_s": seq * 0.5, "wall": WALL0 + seq})
        assert writer.flush()
    assert set(paths) == {files.segment(3), files.segment(4), files.clock}
    assert {n: sha(files.segment(n)) for n in (1, 2)} == done  # full segments stay put
    counts = [len(json.loads(files.segment(n).read_text())["events"]) for n in (1, 2, 3, 4)]
    assert counts == [10, 10, 10, 5]
    assert [e["seq"] for e in store.load_session(sid).events] == list(range(1, 36))


def test_a_batch_bigger_than_a_segment_fills_whole_segments(
    store: Store, open_writer, monkeypatch
) -> None:
    monkeypatch.setattr(storage_writer, "SEGMENT_EVENTS", 10)
    sid = created(SID, store)
    writer = open_writer(sid)
    writer.append([event(seq) for seq in range(2, 4)])  # the head: 3 events
    assert writer.flush()
    writer.append([event(seq) for seq in range(4, 29)])  # 25: doesn't fit the head
    assert writer.flush()
    files = store.files(sid)
    counts = [len(json.loads(files.segment(n).read_text())["events"]) for n in (1, 2, 3, 4)]
    assert counts == [3, 10, 10, 5] and not files.segment(5).exists()
    assert [e["seq"] for e in store.load_session(sid).events] == list(range(1, 29))


def test_the_clock_checkpoint_has_its_own_small_file(store: Store, open_writer) -> None:
    sid = created(SID, store)
    writer = open_writer(sid)
    writer.append([event(2), event(3)])
    assert writer.flush()
    head = sha(store.session_path(sid))
    for tick in range(5):
        writer.set_clock({"session_s": 10.0 + tick, "wall": WALL0 + tick})
        assert writer.flush()
    assert sha(store.session_path(sid)) == head  # a tick never rewrites the event log
    clock = json.loads(store.files(sid).clock.read_text())
    assert clock == {"clock": {"1": {"session_s": 14.0, "wall": WALL0 + 4, "seq": 3}}}


def test_appends_from_many_threads_are_all_kept(store: Store, open_writer) -> None:
    sid = created(SID, store)
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


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ([event(2), event(2)], ValueError),
        ([event(1)], ValueError),
        ([event(2, blob=object())], TypeError),
        ([question(2, "lone \ud800 surrogate")], ValueError),  # not UTF-8: refused
        ([event(2, person=float("nan"))], ValueError),
        ([event(2, "teleported")], ValueError),
        ([event(2, "created")], ValueError),
        ([event(2) | {"data": None}], ValueError),
    ],
    ids=["repeat", "old seq", "object", "surrogate", "nan", "unknown kind", "created", "null"],
)
def test_bad_appends_are_refused_and_queue_nothing(
    store: Store, open_writer, bad: list, error: type
) -> None:
    sid = created(SID, store)
    writer = open_writer(sid)
    with pytest.raises(error):
        writer.append(bad)
    writer.append([event(2)])
    assert writer.flush()
    assert [e["seq"] for e in store.load_session(sid).events] == [1, 2]
    assert writer.close()
    with pytest.raises(RuntimeError):
        writer.append([event(3)])


def test_the_writer_keeps_caller_changes_out(store: Store, open_writer) -> None:
    sid = created(SID, store)
    writer = open_writer(sid)
    ev = question(2, "before")
    fields = {"mentees": ["Mira"]}
    writer.append([ev])
    writer.update_summary(fields)
    ev["data"]["text"] = "after"
    fields["mentees"].append("Jon")
    assert writer.flush()
    assert store.load_session(sid).events[-1]["data"]["text"] == "before"
    assert store.get_summary(sid)["mentees"] == ["Mira"]


def test_summary_updates_touch_the_index_not_each_event(store: Store, open_writer) -> None:
    sid = created(SID, store)
    writer = open_writer(sid)
    before = sha(store.index_path)
    writer.append([event(2)])
    writer.set_clock({"session_s": 2.0, "wall": WALL0})
    assert writer.flush()
    assert sha(store.index_path) == before
    writer.update_summary({"duration_s": 2.0})
    assert writer.flush()
    assert store.get_summary(sid)["duration_s"] == 2.0
    with pytest.raises(ValueError, match="'mentors' that is text"):
        writer.update_summary({"mentors": "Ada"})


def test_resume_after_reboot_gets_the_last_clock(store: Store, open_writer) -> None:
    sid = created(SID, store)
    writer = open_writer(sid)
    last = None
    for tick in range(1, 8):  # the app saves the clock every second or more often
        last = {"session_s": 100.0 + tick * 0.25, "wall": time.time()}
        writer.set_clock(last)
        time.sleep(0.01)
    assert writer.flush()
    # A "reboot": nothing shared with the old process but the files.
    clock = Store(Path(str(store.data_dir))).load_session(sid).clock
    assert clock == last | {"seq": 1}
    assert abs(clock["wall"] - time.time()) < 1.0


def test_a_new_writer_continues_and_clears_stale_temps(store: Store, open_writer) -> None:
    sid = created(SID, store)
    first = open_writer(sid)
    first.append([event(2)])
    first.set_clock({"session_s": 5.0, "wall": WALL0})
    assert first.close()
    stale = [
        store.sessions_dir / f".{name}.abc123.tmp"  # what a kill -9 mid-write leaves
        for name in (f"{sid}.json", f"{sid}.2.json", f"{sid}.clock.json")
    ]
    for path in stale:
        path.write_text("{half a fi")
    other = store.sessions_dir / ".20261122-0930-ab123.json.x.tmp"  # another session's
    other.write_text("{")
    second = open_writer(sid)
    assert not any(path.exists() for path in stale) and other.exists()
    assert second.durable_seq == 2
    second.append([event(3)])
    assert second.flush()
    loaded = store.load_session(sid)
    assert [e["seq"] for e in loaded.events] == [1, 2, 3]
    assert loaded.clock == {"session_s": 5.0, "wall": WALL0, "seq": 2}


# --- failures: saving keeps going -------------------------------------------------


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_a_failing_disk_keeps_records_and_recovers(
    store: Store, open_writer, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    patience = 1.5
    if code != errno.EROFS:  # the one-second retry itself is checked with EROFS
        monkeypatch.setattr(storage_writer, "RETRY_S", 0.1)
        patience = 0.3
    sid = created(SID, store)
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


def test_a_write_that_landed_but_failed_is_not_repeated(
    store: Store, open_writer, monkeypatch
) -> None:
    """The rename happened, the directory fsync failed: the retry finds the events
    on disk and neither writes them twice nor gets stuck."""
    monkeypatch.setattr(storage_writer, "RETRY_S", 0.05)
    sid = created(SID, store)
    writer = open_writer(sid)
    real = tinystore.atomic_write
    failures = [OSError(errno.EIO, "Input/output error")]

    def landed_then_failed(path: Path, payload: bytes, **options: object) -> None:
        real(path, payload, **options)
        if failures:
            raise failures.pop()

    monkeypatch.setattr(tinystore, "atomic_write", landed_then_failed)
    writer.append([event(2), event(3)])
    writer.append([event(4)])
    assert writer.flush(timeout=3.0)
    assert [e["seq"] for e in store.load_session(sid).events] == [1, 2, 3, 4]
    assert writer.durable_seq == 4 and writer.ok


def test_a_failing_index_is_reported_and_retried(
    store: Store, open_writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_writer, "RETRY_S", 0.1)
    sid = created(SID, store)
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


def test_a_broken_status_callback_does_not_stop_saving(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(storage_writer, "RETRY_S", 0.05)
    sid = created(SID, store)
    calls: list[WriterStatus] = []

    def broken(status: WriterStatus) -> None:
        calls.append(status)
        raise RuntimeError("a bug in the listener")

    writer = SessionWriter(store, sid, broken)
    fail = [True]
    real = tinystore.atomic_write

    def once(path: Path, payload: bytes, **options: object) -> None:
        if fail:
            fail.pop()
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, payload, **options)

    monkeypatch.setattr(tinystore, "atomic_write", once)
    writer.append([event(2)])
    assert writer.flush(timeout=3.0) and writer.close()
    assert [c.ok for c in calls] == [False, True]


def test_a_failing_new_segment_is_the_file_named(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(storage_writer, "SEGMENT_EVENTS", 3)
    monkeypatch.setattr(storage_writer, "RETRY_S", 0.05)
    sid = created(SID, store)
    statuses: list[WriterStatus] = []
    writer = SessionWriter(store, sid, statuses.append)
    writer.append([event(2), event(3)])
    assert writer.flush()
    real = tinystore.atomic_write
    broken = [True]

    def refuse(path: Path, payload: bytes, **options: object) -> None:
        if broken:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, payload, **options)

    monkeypatch.setattr(tinystore, "atomic_write", refuse)
    writer.append([event(4)])
    assert not writer.flush(timeout=0.3)
    assert statuses[-1].message.startswith(f"Can't save to {store.files(sid).segment(2)}: ")
    broken.clear()
    assert writer.close(timeout=3)
    assert [e["seq"] for e in store.load_session(sid).events] == [1, 2, 3, 4]


def test_the_clock_file_always_holds_its_checkpoint(tmp_path: Path) -> None:
    """Each checkpoint is one write: a reader (or a kill) between two writes
    never finds the clock file without its checkpoint."""
    import threading

    from circle.domain.agenda import Agenda, AgendaItem
    from circle.domain.clock import SystemClock
    from circle.runtime import LiveRun
    from circle.saving.jsonfile import read_tables

    store = Store(tmp_path)
    agenda = Agenda("A", (AgendaItem("Check-in", 300),))
    run = LiveRun.start_new(
        store, SystemClock(), title="T", agenda=agenda, mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"], background=True,
    )  # fmt: skip
    path = store.files(run.session_id).clock
    seen: list[int] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            tables = read_tables(path) if path.exists() else None
            if tables is not None:
                seen.append(len(tables.get("clock", {})))

    reader = threading.Thread(target=read)
    reader.start()
    for n in range(150):
        run.heartbeat()
        run.session.add_question(f"Question {n}")
        run.writer.flush(5)
    done.set()
    reader.join()
    assert run.close()
    assert seen and set(seen) == {1}


def test_a_clock_file_without_a_checkpoint_means_none(tmp_path: Path) -> None:
    from circle.domain.clock import FakeClock
    from circle.runtime import LiveRun
    from tests.conftest import small_agenda

    store = Store(tmp_path)
    run = LiveRun.start_new(
        store, FakeClock(), title="T", agenda=small_agenda(), mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"],
    )  # fmt: skip
    assert run.close()
    store.files(run.session_id).clock.write_text('{"clock": {}}')
    assert store.load_session(run.session_id).clock is None


def held_writer(store: Store, sid: str) -> SessionWriter:
    """The writer of a session started in the background, not saved yet."""
    return SessionWriter(store, sid, create=(summary(sid), [created_event()]), held=True)


def test_a_held_writer_writes_nothing_until_it_is_released(store: Store) -> None:
    """A session started in the background waits for the app's first frame."""
    sid = "20261122-0930-cd01"
    writer = held_writer(store, sid)
    try:
        writer.append([question(2, "Asked before the first frame")])
        time.sleep(0.3)  # the thread had every chance to commit
        assert writer.writes == 0
        assert not store.files(sid).head.exists()
        writer.release()
        deadline = time.monotonic() + 5
        while writer.durable_seq < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert writer.durable_seq == 2
        loaded = Store(store.data_dir).load_session(sid)
        assert [e["seq"] for e in loaded.events] == [1, 2]
    finally:
        writer.close()


def test_a_flush_does_not_wait_for_a_release(store: Store) -> None:
    sid = "20261122-0930-cd02"
    writer = held_writer(store, sid)
    try:
        assert writer.flush(timeout=5)
        assert writer.durable_seq == 1
    finally:
        writer.close()


def test_closing_a_held_writer_saves_what_it_holds(store: Store) -> None:
    sid = "20261122-0930-cd03"
    writer = held_writer(store, sid)
    writer.append([question(2, "Last words")])
    assert writer.close()
    assert [e["seq"] for e in Store(store.data_dir).load_session(sid).events] == [1, 2]
