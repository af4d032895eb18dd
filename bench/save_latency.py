"""How long an action takes to be on disk, and what makes that grow.

    python bench/save_latency.py

Each figure times one facilitator action from `SessionWriter.append` until the
writer reports it durable (fsync'd and renamed), in a temp data dir:

- save_median_ms        a fresh session
- save_median_ms_2000   a session already holding 2,000 events
- save_ratio_history    1,000 stored sessions (300 events each) vs none, measured
                        alternately in one run; the cost must not grow with history
- burst_durable_s       200 records appended at once until all are durable
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from circle.storage import Store, dump_db
from circle.storage_writer import SessionWriter

ACTIONS = 50  # per median
HISTORY_SESSIONS = 1000
HISTORY_EVENTS = 300
HISTORY_ROUNDS = 300  # actions in each data dir, alternating
BURST = 200
BURST_RUNS = 7
WALL0 = 1_790_000_000.0


def event(seq: int) -> dict:
    """A realistic event, about 200 bytes of JSON."""
    return {"seq": seq, "kind": "question_added", "at": round(seq * 1.7, 3),
            "wall": WALL0 + seq * 1.7, "source": "join",
            "data": {"qid": f"q{seq}", "by": "Priya",
                     "text": f"How do I prepare a first one-to-one with a new mentee? #{seq}"}}


def summary(sid: str, created: float) -> dict:
    return {"id": sid, "title": "Tuesday circle", "series": "Tuesday circle",
            "created_wall": created, "status": "ended", "mentors": ["Ada", "Grace"],
            "mentees": ["Mira", "Jon", "Priya", "Leo"], "ended_wall": created + 5400,
            "duration_s": 5400.0}


def new_session(store: Store, events: int = 1) -> tuple[SessionWriter, int]:
    now = time.time()
    sid = store.new_session_id(now)
    store.create_session(summary(sid, now) | {"status": "running"},
                         [event(n) for n in range(1, events + 1)])
    return SessionWriter(store, sid), events


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
    body = dump_db({"events": {str(n): event(n) for n in range(1, HISTORY_EVENTS + 1)}})
    table = {}
    for n in range(HISTORY_SESSIONS):
        created = WALL0 - 86400 * 7 * (n + 1)
        sid = time.strftime("%Y%m%d-%H%M-", time.gmtime(created)) + f"{n:04d}"
        (store.sessions_dir / f"{sid}.json").write_bytes(body)
        table[str(n + 1)] = summary(sid, created)
    store.index_path.write_bytes(dump_db({"sessions": table}))
    os.sync()  # leave no dirty pages for the timed fsyncs to pay for


def history_ratio() -> tuple[list[float], list[float], float]:
    with tempfile.TemporaryDirectory() as empty, tempfile.TemporaryDirectory() as full:
        started = time.perf_counter()
        fill_history(Store(Path(full)))
        print(f"  (wrote {HISTORY_SESSIONS} sessions x {HISTORY_EVENTS} events "
              f"in {time.perf_counter() - started:.1f} s)")
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


def row(name: str, times: list[float], unit: str = "ms") -> None:
    ordered = sorted(times)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    print(f"  {name:<34} {statistics.median(times):9.3f} {p90:9.3f} {max(times):9.3f}  {unit}")


def main() -> None:
    print(f"save latency (append -> durable), {os.cpu_count()} cores, temp dir "
          f"{tempfile.gettempdir()}")
    print(f"  {'case':<34} {'median':>9} {'p90':>9} {'max':>9}")
    fresh = median_save(1)
    row("fresh session", fresh)
    with_2000 = median_save(2000)
    row("2,000 events already saved", with_2000)
    with_5000 = median_save(5000)
    row("5,000 events (a long day)", with_5000)
    empty, full, ratio = history_ratio()
    row("no other sessions", empty)
    row(f"{HISTORY_SESSIONS} other sessions", full)
    burst, writes = burst_runs()
    row(f"burst of {BURST}, all durable", burst, "s")
    print(f"  file writes per burst: {writes}")
    print()
    print(f"save_median_ms = {statistics.median(fresh):.3f}")
    print(f"save_median_ms_2000 = {statistics.median(with_2000):.3f}")
    print(f"save_ratio_history = {ratio:.3f}")
    print(f"burst_durable_s = {statistics.median(burst):.4f}")


if __name__ == "__main__":
    main()
