"""How long `circle report` takes for a long series.

A series of 50 sessions of 2,000 events each (turns, questions, votes,
action items and goals, carried from session to session, and a pulse),
saved through a real `circle.storage.Store` in a temporary directory. Each
run reads every session from disk and writes the whole report, as `circle
report SERIES --json` and `--html` do. The figure at 10 and 25 sessions (the
series' first sessions) shows how the time grows. Target: report_s <= 1.0,
the slower of the two formats, median of the runs.

    .venv/bin/python bench/report_speed.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from circle.domain.agenda import Agenda, AgendaItem
from circle.domain.carry import SeriesCarry, carry_over
from circle.domain.clock import FakeClock
from circle.domain.session import Session
from circle.report.command import render_report, report_command
from circle.report.facts import load_facts
from circle.report.model import build_report
from circle.runtime import summary_of
from circle.storage import Store

SESSIONS, EVENTS, SIZES = 50, 2000, (10, 25, 50)
SERIES = "Bench cohort"
MENTORS, MENTEES = ["Ada", "Grace"], ["Mira", "Jon", "Priya", "Leo", "Sam"]
AGENDA = Agenda(
    title="Long circle",
    items=(
        AgendaItem("Check-in", 1800, "round"),
        AgendaItem("Goal review", 1800, "goals"),
        AgendaItem("Open questions", 1800, "board"),
        AgendaItem("Wrap-up", 1800, "close"),
    ),
)
STATUSES = ("on track", "at risk", "on track", "done")


def one_session(clock: FakeClock, number: int, carry: SeriesCarry | None) -> Session:
    """A session of EVENTS events, carrying over from the one before."""
    s = Session.create(
        title=f"Circle {number}",
        agenda=AGENDA,
        mentors=MENTORS,
        mentees=MENTEES,
        clock=clock,
        series=SERIES,
        **(carry.session_args() if carry else {}),
        join_code="ABCDEF",
    )
    # A new goal for each mentee every ten sessions; the last review closes
    # the items carried in, all but a few still in progress.
    if number % 10 == 1:
        for mentee in MENTEES:
            s.add_goal(f"Goal {number} of {mentee} | *bold*", owner=mentee, due="2027-01-31")
    for n, action in enumerate(a for a in list(s.actions.values()) if a.carried_in):
        s.set_action_status(action.id, ("done", "dropped", "done", "in progress")[n % 4])
    questions: list[int] = []
    step = 0
    while len(s.events) < EVENTS - 5:
        person = (MENTORS + MENTEES)[step % 7]
        s.start_turn(person)
        if step % 3 == 0 or not questions:
            questions.append(s.add_question(f"Question {step} <b>|</b>", asker=person)["seq"])
        s.vote(questions[step % len(questions)], f"device-{step}")
        if step % 10 == 0:
            s.add_action(f"Action {number}.{step} [link](x)", owner=MENTEES[step % 5])
        if step % 25 == 0:
            goal = list(s.goals)[step % len(s.goals)]
            s.update_goal(goal, STATUSES[step % 4], f"Note {step} # heading")
        if step % 40 == 0:
            s.toggle_status(questions[-1], "parked")
        if step == 200 or step == 400:
            s.next_item()
        clock.advance(15)
        step += 1
    s.end_session()
    for score in (7, 8, 9, 6, 8)[: 2 + number % 4]:
        s.give_pulse(score, "Comment | <script>x</script>")
    return s


def build(store: Store) -> list[str]:
    clock = FakeClock(wall=1_790_000_000.0)
    ids, carry = [], None
    for number in range(1, SESSIONS + 1):
        session = one_session(clock, number, carry)
        session_id = f"{20260000 + number:08d}-0900-b{number:03d}"
        store.create_session(summary_of(session_id, session), list(session.events))
        ids.append(session_id)
        carry = carry_over(session.folded, session_id)
        clock.advance(7 * 86_400)
    return ids


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def partial_report(store: Store, ids: list[str], fmt: str) -> str:
    """The report of the series' first sessions: the same reading and rendering."""
    return render_report(build_report(SERIES, [load_facts(store, sid) for sid in ids]), fmt)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        start = time.perf_counter()
        ids = build(store)
        built = time.perf_counter() - start
        events = sum(len(store.load_session(sid).events) for sid in ids)
        print(f"report speed: {len(ids)} sessions, {events} events, built in {built:.1f} s")
        print(f"median of {runs} runs, every session read from disk\n")
        header = ("sessions", "format", "median s", "min s", "max s", "bytes")
        print("{:>8} {:<6} {:>9} {:>8} {:>8} {:>9}".format(*header))
        medians: dict[tuple[int, str], float] = {}
        for size in SIZES:
            for fmt in ("json", "html"):
                if size == SESSIONS:  # the command itself, series looked up by name
                    out = io.StringIO()

                    def run(fmt: str = fmt, out: io.StringIO = out) -> None:
                        out.seek(0)
                        out.truncate()
                        report_command(store, SERIES.lower(), None, False, fmt, out)

                    times = timed(run, runs)
                    size_bytes = len(out.getvalue().encode())
                else:
                    times = timed(lambda f=fmt, n=size: partial_report(store, ids[:n], f), runs)
                    size_bytes = len(partial_report(store, ids[:size], fmt).encode())
                medians[(size, fmt)] = statistics.median(times)
                print(
                    f"{size:>8} {fmt:<6} {medians[(size, fmt)]:>9.3f} {min(times):>8.3f}"
                    f" {max(times):>8.3f} {size_bytes:>9}"
                )
        per_session = medians[(SESSIONS, "html")] / SESSIONS
        print(f"\nper session (html, 50): {per_session * 1000:.1f} ms")
        print()
        for size in SIZES:
            print(f"report_s_{size} = {max(medians[(size, 'json')], medians[(size, 'html')]):.3f}")
        print(f"report_json_s = {medians[(SESSIONS, 'json')]:.3f}")
        print(f"report_html_s = {medians[(SESSIONS, 'html')]:.3f}")
        print(f"report_s = {max(medians[(SESSIONS, 'json')], medians[(SESSIONS, 'html')]):.3f}")


if __name__ == "__main__":
    main()
