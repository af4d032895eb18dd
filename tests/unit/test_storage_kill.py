"""kill -9 at random moments: what was reported durable is on disk, whole.

A child process appends events as fast as a busy room would (single actions
and bursts) and prints each new `durable_seq` once the writer says it is on
disk. The parent SIGKILLs it after a random delay, then checks that the file
loads, holds every event up to the last reported seq, with no gap or repeat.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from circle.storage import Store

ROUNDS = 60
ROUNDS_PER_DIR = 10  # a fresh data dir now and then keeps files small; others resume

CHILD = textwrap.dedent(
    """
    import random, sys, threading, time
    from pathlib import Path
    from circle.domain.agenda import Agenda, AgendaItem
    from circle.domain.clock import FakeClock
    from circle.domain.session import Session
    from circle.storage import Store
    from circle.storage_writer import SessionWriter

    store = Store(Path(sys.argv[1]))
    sid = store.latest_unfinished()
    if sid is None:
        now = time.time()
        sid = store.new_session_id(now)
        agenda = Agenda("Kill test", (AgendaItem("Questions", 600, "board"),))
        first = Session.create(title="Kill test", agenda=agenda, mentors=["Ada"],
                               mentees=["Mira", "Jon", "Priya"], clock=FakeClock(wall=now))
        store.create_session(
            {"id": sid, "title": "Kill test", "series": "Kill test", "created_wall": now,
             "status": "running", "mentors": ["Ada"], "mentees": ["Mira", "Jon", "Priya"],
             "ended_wall": None, "duration_s": 0.0},
            first.events[:1])
    seq = store.load_session(sid).events[-1]["seq"]
    writer = SessionWriter(store, sid)
    print("ready", sid, seq, flush=True)

    def report():
        last = writer.durable_seq
        while True:
            seen = writer.durable_seq
            if seen != last:
                sys.stdout.write(f"{seen}\\n")
                sys.stdout.flush()
                last = seen
            time.sleep(0.0005)

    threading.Thread(target=report, daemon=True).start()
    while True:
        batch = []
        for _ in range(random.choice([1, 1, 1, 3, 20])):
            seq += 1
            batch.append({"seq": seq, "kind": "question_added", "at": seq * 0.01,
                          "wall": time.time(), "source": "phone",
                          "data": {"text": f"question {seq} – é", "asker": "Mira"}})
        writer.append(batch)
        writer.set_clock({"session_s": seq * 0.01, "wall": time.time()})
        time.sleep(random.choice([0.0, 0.001, 0.003]))
    """
)


def start_child(data_dir: Path) -> tuple[subprocess.Popen[str], str, int]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    ready, _, _ = select.select([child.stdout], [], [], 20)
    assert ready, "the child never started"
    word, sid, seq = child.stdout.readline().split()
    assert word == "ready"
    return child, sid, int(seq)


def kill_and_collect(child: subprocess.Popen[str], delay: float) -> int | None:
    """SIGKILL after `delay` s; the last durable seq the child reported, if any."""
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    assert child.stdout is not None
    out = child.stdout.read()
    child.wait()
    assert child.returncode == -signal.SIGKILL
    lines = out.split()
    # Only a complete line counts: the kill may cut the last one short.
    complete = lines if out.endswith("\n") else lines[:-1]
    return int(complete[-1]) if complete else None


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_never_loses_what_was_reported_durable(tmp_path: Path) -> None:
    rng = random.Random()
    progressed = 0
    for round_no in range(ROUNDS):
        data_dir = tmp_path / f"data{round_no // ROUNDS_PER_DIR}"
        child, sid, start_seq = start_child(data_dir)
        reported = kill_and_collect(child, rng.uniform(0.0, 0.3))
        loaded = Store(data_dir).load_session(sid)  # raises if torn or corrupt
        seqs = [e["seq"] for e in loaded.events]
        assert seqs == list(range(1, len(seqs) + 1)), f"gap or repeat in round {round_no}"
        assert seqs[-1] >= start_seq
        if reported is not None:
            assert seqs[-1] >= reported, f"round {round_no}: lost durable events"
            progressed += reported > start_seq
        if loaded.clock is not None:
            assert loaded.clock["session_s"] <= seqs[-1] * 0.01 + 1e-9
    assert progressed >= ROUNDS // 2, "the child rarely got to save: the test proved little"
