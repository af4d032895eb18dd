"""How long an action takes to be on disk, what makes that grow, and resume.

    python bench/save_latency.py

Each save figure times one facilitator action from `SessionWriter.append` until
the writer reports it durable (the segment fsync'd and renamed), in a temp
data dir:

- save_median_ms        a fresh session
- save_median_ms_2000   a session already holding 2,000 events
- save_median_ms_50k    a session already holding 50,000 events (a commit
                        writes only the last segment, so this stays flat)
- save_ratio_50k        save_median_ms_50k / save_median_ms
- save_ratio_history    1,000 stored sessions (300 events each) vs none, measured
                        alternately in one run; the cost must not grow with history
- burst_durable_s       200 records appended at once until all are durable
- resume_ms_50k         `LiveRun.resume` of a 50,000-event session (built with
                        the session's own methods) to a restored Session, its
                        writer ready: every file read and checked, one rebuild
- undo_session_ms_50k   `Session.undo()` on that resumed session (10,000
                        questions, 10,000 takeaways), each taking back a hand
                        just raised: the domain's part of the `u` key
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from circle.domain.agenda import Agenda, AgendaItem  # noqa: E402
from circle.domain.clock import FakeClock, SystemClock  # noqa: E402
from circle.domain.session import Session  # noqa: E402
from circle.runtime import LiveRun, summary_of  # noqa: E402
from circle.saving.jsonfile import render_tables  # noqa: E402
from circle.storage import Store  # noqa: E402
from circle.storage_writer import SessionWriter  # noqa: E402

ACTIONS = 50  # per median
HISTORY_SESSIONS = 1000
HISTORY_EVENTS = 300
HISTORY_ROUNDS = 300  # actions in each data dir, alternating
BURST = 200
BURST_RUNS = 7
LONG_EVENTS = 50_000
RESUME_RUNS = 5
UNDOS = 30
WALL0 = 1_790_000_000.0
MENTORS, MENTEES = ["Ada", "Grace"], ["Mira", "Jon", "Priya", "Leo", "Sam"]
AGENDA = Agenda(
    title="Long day",
    items=tuple(
        AgendaItem(f"Item {n}", 1800, kind)
        for n, kind in enumerate(["discussion", "round", "board", "discussion", "close"])
    ),
)


def event(seq: int) -> dict:
    """A realistic event, about 200 bytes of JSON."""
    return {
        "seq": seq,
        "kind": "question_added",
        "at": round(seq * 1.7, 3),
        "wall": WALL0 + seq * 1.7,
        "source": "phone",
        "data": {
            "qid": seq,
            "by": "Priya",
            "text": f"How do I prepare a first one-to-one with a new mentee? #{seq}",
        },
    }


def created(seq: int = 1) -> dict:
    session = Session.create(
        title="Tuesday circle",
        agenda=AGENDA,
        mentors=MENTORS,
        mentees=MENTEES,
        clock=FakeClock(wall=WALL0),
        join_code="ABCDEF",
    )
    return session.events[0] | {"seq": seq}


def summary(sid: str, created_wall: float) -> dict:
    return {
        "id": sid,
        "title": "Tuesday circle",
        "series": "Tuesday circle",
        "created_wall": created_wall,
        "status": "ended",
        "mentors": MENTORS,
        "mentees": MENTEES,
        "ended_wall": created_wall + 5400,
        "duration_s": 5400.0,
    }


def new_session(store: Store, events: int = 1) -> tuple[SessionWriter, int]:
    """A session of `events` events; the writer saves those past the first segment."""
    now = time.time()
    sid = store.new_session_id(now)
    store.create_session(summary(sid, now) | {"status": "running"}, [created()])
    writer = SessionWriter(store, sid)
    for start in range(2, events + 1, 1000):
        writer.append([event(n) for n in range(start, min(start + 1000, events + 1))])
    if not writer.flush(timeout=60):
        sys.exit("setting up a session did not complete")
    return writer, events


def time_actions(writer: SessionWriter, seq: int, count: int) -> tuple[list[float], int]:
    """Milliseconds from append to durable, one isolated action at a time."""
    times = []
    for _ in range(count):
        seq += 1
        start = time.perf_counter()
        writer.append([event(seq)])
        if not writer.flush(timeout=10):
            sys.exit("a save did not complete")
        times.append((time.perf_counter() - start) * 1000)
        time.sleep(0.003)  # a person's next action is never instantaneous
    return times, seq


def median_save(events: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        writer, seq = new_session(Store(Path(tmp)), events)
        time_actions(writer, seq, 5)  # warm up
        times, _ = time_actions(writer, seq + 5, ACTIONS)
        writer.close()
    return times


def fill_history(store: Store) -> None:
    """1,000 finished sessions, written straight to disk (this is setup, not the test)."""
    store.sessions_dir.mkdir(parents=True)
    events = [created(), *(event(n) for n in range(2, HISTORY_EVENTS + 1))]
    body = render_tables({"events": {str(e["seq"]): e for e in events}})
    table = {}
    for n in range(HISTORY_SESSIONS):
        created_wall = WALL0 - 86400 * 7 * (n + 1)
        sid = time.strftime("%Y%m%d-%H%M-", time.gmtime(created_wall)) + f"{n:04d}"
        (store.sessions_dir / f"{sid}.json").write_bytes(body)
        table[str(n + 1)] = summary(sid, created_wall)
    store.index_path.write_bytes(render_tables({"sessions": table}))
    os.sync()  # leave no dirty pages for the timed fsyncs to pay for


def history_ratio() -> tuple[list[float], list[float], float]:
    with tempfile.TemporaryDirectory() as empty, tempfile.TemporaryDirectory() as full:
        started = time.perf_counter()
        fill_history(Store(Path(full)))
        print(
            f"  (wrote {HISTORY_SESSIONS} sessions x {HISTORY_EVENTS} events "
            f"in {time.perf_counter() - started:.1f} s)"
        )
        runs = [list(new_session(Store(Path(d)))) for d in (empty, full)]
        samples: list[list[float]] = [[], []]
        for _ in range(HISTORY_ROUNDS):  # alternate action by action: noise hits both alike
            for which, run in enumerate(runs):
                times, run[1] = time_actions(run[0], run[1], 1)
                samples[which] += times
        for writer, _ in runs:
            writer.close()
    return samples[0], samples[1], statistics.median(samples[1]) / statistics.median(samples[0])


def burst_runs() -> tuple[list[float], list[int]]:
    seconds, writes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        writer, seq = new_session(Store(Path(tmp)))
        for _ in range(BURST_RUNS):
            before = writer.writes
            start = time.perf_counter()
            for _ in range(BURST):  # 200 questions arriving, one append each
                seq += 1
                writer.append([event(seq)])
            if not writer.flush(timeout=10):
                sys.exit("a burst did not complete")
            seconds.append(time.perf_counter() - start)
            writes.append(writer.writes - before)
            time.sleep(0.05)
        writer.close()
    return seconds, writes


def long_session(count: int) -> Session:
    """A long day built with the session's own methods: turns, questions, votes."""
    clock, rng = FakeClock(wall=WALL0), random.Random(7)
    session = Session.create(
        title="Long day",
        agenda=AGENDA,
        mentors=MENTORS,
        mentees=MENTEES,
        clock=clock,
        join_code="ABCDEF",
    )
    people, questions = MENTORS + MENTEES, []
    while len(session.events) < count:
        clock.advance(0.2)
        step = len(session.events) % 5
        if step == 0 or not questions:
            text = f"Question {len(questions)}: how do I keep a mentee's momentum?"
            questions.append(session.add_question(text, asker=rng.choice(MENTEES))["seq"])
        elif step in (1, 3):
            try:
                session.vote(rng.choice(questions), f"device-{len(session.events)}")
            except Exception:  # noqa: BLE001 - a vote a person may not give: try another
                continue
        elif step == 2:
            session.start_turn(rng.choice(people))
        else:
            session.add_takeaway(f"Takeaway {len(session.events)}: small steps")
    return session


def resume_long() -> tuple[list[float], list[float], list[float]]:
    """Resume a 50,000-event session, then time saves and undos on it."""
    session = long_session(LONG_EVENTS)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        sid = store.new_session_id(WALL0)
        store.create_session(summary_of(sid, session), session.events[:1])
        writer = SessionWriter(store, sid)
        for start in range(1, LONG_EVENTS, 1000):
            writer.append(session.events[start : start + 1000])
        writer.set_clock({"session_s": session.now(), "wall": WALL0 + session.now()})
        if not writer.close(timeout=120):
            sys.exit("saving the long session did not complete")
        files = len(list(store.sessions_dir.iterdir()))
        size = sum(p.stat().st_size for p in store.sessions_dir.iterdir())
        print(f"  ({LONG_EVENTS} events in {files} files, {size / 1e6:.1f} MB)")
        times = []
        for _ in range(RESUME_RUNS):
            start = time.perf_counter()
            run = LiveRun.resume(store, sid, SystemClock())
            times.append((time.perf_counter() - start) * 1000)
            # Every event back, and at most one more per resume: its pause.
            assert LONG_EVENTS <= len(run.session.events) <= LONG_EVENTS + RESUME_RUNS
            run.close()
        run = LiveRun.resume(store, sid, SystemClock())
        undos = []
        for _ in range(UNDOS):
            run.session.toggle_hand(MENTEES[0])
            start = time.perf_counter()
            run.session.undo()
            undos.append((time.perf_counter() - start) * 1000)
        if not run.close(timeout=60):
            sys.exit("saving the undos did not complete")
        run = LiveRun.resume(store, sid, SystemClock())
        seq = run.session.last_seq
        time_actions(run.writer, seq, 5)  # warm up
        saves, _ = time_actions(run.writer, seq + 5, ACTIONS)
        run.close()
    return times, saves, undos


def row(name: str, times: list[float], unit: str = "ms") -> None:
    ordered = sorted(times)
    p90 = ordered[max(int(len(ordered) * 0.9) - 1, 0)]
    print(f"  {name:<34} {statistics.median(times):9.3f} {p90:9.3f} {max(times):9.3f}  {unit}")


def main() -> None:
    print(
        f"save latency (append -> durable), {os.cpu_count()} cores, temp dir "
        f"{tempfile.gettempdir()}"
    )
    print(f"  {'case':<34} {'median':>9} {'p90':>9} {'max':>9}")
    fresh = median_save(1)
    row("fresh session", fresh)
    with_2000 = median_save(2000)
    row("2,000 events already saved", with_2000)
    resumes, with_50k, undos = resume_long()
    row("50,000 events already saved", with_50k)
    empty, full, ratio = history_ratio()
    row("no other sessions", empty)
    row(f"{HISTORY_SESSIONS} other sessions", full)
    burst, writes = burst_runs()
    row(f"burst of {BURST}, all durable", burst, "s")
    print(f"  file writes per burst: {writes}")
    row("resume of 50,000 events", resumes)
    row("undo on 50,000 events", undos)
    print()
    print(f"save_median_ms = {statistics.median(fresh):.3f}")
    print(f"save_median_ms_2000 = {statistics.median(with_2000):.3f}")
    print(f"save_median_ms_50k = {statistics.median(with_50k):.3f}")
    print(f"save_ratio_50k = {statistics.median(with_50k) / statistics.median(fresh):.3f}")
    print(f"save_ratio_history = {ratio:.3f}")
    print(f"burst_durable_s = {statistics.median(burst):.4f}")
    print(f"resume_ms_50k = {statistics.median(resumes):.0f}")
    print(f"undo_session_ms_50k = {statistics.median(undos):.1f}")


if __name__ == "__main__":
    main()
