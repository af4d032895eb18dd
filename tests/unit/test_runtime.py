"""A running session is saved as it happens and comes back exactly on resume."""

from __future__ import annotations

import asyncio
import errno
import threading
from pathlib import Path

import pytest

from circle import storage_writer
from circle.agendafiles.parser import resolve_agenda
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun, session_at_rest
from circle.saving import index, jsonfile, layout, tinystore
from circle.storage import Store
from circle.storage_writer import NotSaved


def start(store: Store, clock: FakeClock, **kwargs) -> LiveRun:
    args = dict(
        title="Tuesday circle",
        agenda=resolve_agenda("group-circle"),
        mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"],
    )
    args.update(kwargs)
    return LiveRun.start_new(store, clock, **args)


def test_resume_restores_everything_after_a_reboot(tmp_path: Path) -> None:
    store, clock = Store(tmp_path), FakeClock()
    run = start(store, clock)
    s = run.session
    s.toggle_hand("Mira")
    s.toggle_hand("Jon")
    s.next_speaker()
    clock.advance(42)
    qid = s.add_question("What next?")["seq"]
    s.vote(qid)
    s.add_action("Write it down")
    s.add_takeaway("Small steps")
    s.set_attendance("Priya", "late")
    s.next_item()
    clock.advance(30)
    s.toggle_pause()
    clock.advance(100)
    run.heartbeat()
    assert run.writer.flush(5)
    before = s.state()
    # A reboot: new process, monotonic clock near zero, wall clock much later.
    fresh = FakeClock(monotonic=2.0, wall=clock.wall() + 3600)
    resumed = LiveRun.resume(store, run.session_id, fresh)
    assert resumed.session.state() == before
    fresh.advance(50)  # still paused: nothing moves
    assert resumed.session.state()["items"] == before["items"]
    resumed.session.toggle_pause()
    fresh.advance(10)
    assert resumed.session.timer_view().elapsed_s == before["items"][1]["actual_s"] + 10
    run.close()
    resumed.close()


def test_summary_and_status_follow_the_session(tmp_path: Path) -> None:
    store, clock = Store(tmp_path), FakeClock()
    run = start(store, clock)
    assert store.latest_unfinished() == run.session_id
    run.session.end_session()
    run.close()
    summary = store.get_summary(run.session_id)
    assert summary["status"] == "ended"
    assert store.latest_unfinished() is None


def test_series_carry_over(tmp_path: Path) -> None:
    store, clock = Store(tmp_path), FakeClock()
    first = start(store, clock, series="Spring cohort")
    s = first.session
    done = s.add_action("Done already")["seq"]
    s.add_action("Still open", owner="Jon")
    s.set_action_done(done)
    parked = s.add_question("Later, please")["seq"]
    s.toggle_status(parked, "parked")
    s.add_question("Open but not parked")
    first.close()
    clock.advance(7 * 86400)
    second = start(
        store, clock, title="Week 2", series="spring cohort", mentees=["Mira", "Jon", "Priya"]
    )
    carried = [a for a in second.session.actions.values() if a.carried_in]
    assert [(a.text, a.owner) for a in carried] == [("Still open", "Jon")]
    questions = list(second.session.board.questions.values())
    assert [(q.text, q.status, q.carried_in) for q in questions] == [
        ("Later, please", "parked", True)
    ]
    second.close()
    rebuilt = session_at_rest(store.load_session(second.session_id).events, None)
    assert len(rebuilt.actions) == 1


# --- saving as it happens -----------------------------------------------------------


async def test_durable_returns_once_the_event_is_on_disk(tmp_path: Path, monkeypatch) -> None:
    store, clock = Store(tmp_path), FakeClock()
    run = start(store, clock)
    gate = threading.Event()
    real = tinystore.atomic_write

    def slow(path: Path, payload: bytes, **options: object) -> None:
        gate.wait(5)  # the disk holds every write until the test lets go
        real(path, payload, **options)

    monkeypatch.setattr(tinystore, "atomic_write", slow)
    seq = run.session.add_question("Saved before the phone hears so?")["seq"]
    waiting = asyncio.ensure_future(run.durable(seq))
    await asyncio.sleep(0.2)
    assert not waiting.done() and run.writer.durable_seq < seq
    gate.set()
    await asyncio.wait_for(waiting, 3)
    assert run.writer.durable_seq >= seq
    assert store.load_session(run.session_id).events[-1]["seq"] == seq
    await asyncio.wait_for(run.durable(seq), 0.01)  # already durable: at once
    run.close()


async def test_many_waiters_share_the_writer_thread(tmp_path: Path) -> None:
    store, clock = Store(tmp_path), FakeClock()
    run = start(store, clock)
    threads = threading.active_count()
    seqs = [run.session.add_question(f"Question {n}")["seq"] for n in range(100)]
    waiters = [asyncio.ensure_future(run.durable(seq)) for seq in reversed(seqs)]
    assert threading.active_count() == threads  # never a thread per waiter
    cancelled = asyncio.ensure_future(run.durable(seqs[-1] + 50))  # never comes
    await asyncio.wait_for(asyncio.gather(*waiters), 5)
    cancelled.cancel()
    run.close()
    with pytest.raises(asyncio.CancelledError):
        await cancelled


async def test_durable_fails_if_the_writer_stops_unsaved(tmp_path: Path, monkeypatch) -> None:
    store, clock = Store(tmp_path), FakeClock()
    run = start(store, clock)

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tinystore, "atomic_write", full)
    seq = run.session.add_question("Lost?")["seq"]
    waiting = asyncio.ensure_future(run.durable(seq))
    assert not await asyncio.to_thread(run.close, 0.3)
    with pytest.raises(NotSaved):
        await asyncio.wait_for(waiting, 3)
    with pytest.raises(NotSaved):  # asked after the writer stopped
        await asyncio.wait_for(run.durable(seq), 3)


def test_a_new_session_can_be_saved_by_the_writer_thread(tmp_path: Path, monkeypatch) -> None:
    store, clock = Store(tmp_path), FakeClock()
    monkeypatch.setattr(storage_writer, "RETRY_S", 0.05)
    refused = [True]
    real = tinystore.atomic_write

    def first_refused(path: Path, payload: bytes, **options: object) -> None:
        if refused:
            refused.pop()
            raise OSError(errno.EROFS, "Read-only file system")
        real(path, payload, **options)

    monkeypatch.setattr(tinystore, "atomic_write", first_refused)
    statuses: list = []
    run = start(store, clock, background=True)
    run.status_listeners.append(statuses.append)
    run.session.toggle_hand("Mira")  # recorded before the session is even on disk
    assert run.writer.flush(3)
    assert [s["id"] for s in store.list_sessions()] == [run.session_id]
    assert [e["kind"] for e in store.load_session(run.session_id).events][-1] == "hand_raised"
    assert run.writer.ok
    run.close()


def test_resume_reads_each_file_once(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(storage_writer, "SEGMENT_EVENTS", 5)
    store, clock = Store(tmp_path), FakeClock()
    run = start(store, clock)
    for n in range(12):
        run.session.add_question(f"Question {n}")
        assert run.writer.flush()
    run.heartbeat()
    assert run.close()
    reads: list[Path] = []
    real = jsonfile.read_tables

    def counting(path: Path):
        reads.append(path)
        return real(path)

    for module in (layout, tinystore, index):
        monkeypatch.setattr(module, "read_tables", counting)
    resumed = LiveRun.resume(store, run.session_id, FakeClock(wall=clock.wall() + 60))
    resumed.session.add_question("After the restart")
    resumed.heartbeat()
    assert resumed.close()
    files = store.files(run.session_id)
    session_reads = [path for path in reads if path != store.index_path]
    last = files.last_segment()
    assert last >= 3
    expected = [files.segment(n) for n in range(1, last + 1)] + [files.segment(last + 1)]
    assert sorted(map(str, session_reads)) == sorted(map(str, [*expected, files.clock]))
    assert len(session_reads) == len(set(session_reads))  # each file once


def test_the_join_secret_survives_a_resume(tmp_path: Path) -> None:
    store, clock = Store(tmp_path), FakeClock()
    run = start(store, clock)
    secret = run.join_secret()
    assert run.join_secret() is secret  # asked often, read once
    run.close()
    resumed = LiveRun.resume(store, run.session_id, clock)
    assert resumed.join_secret() == secret and len(secret) == 32
    resumed.close()
