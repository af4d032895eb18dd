"""How long `circle export` takes for a big session.

    python bench/export_speed.py [--runs N]

A scripted 3-hour session with 500 questions and 2,000 events, built with
the domain and a fake clock. Figures (medians of the runs):

- export_md_s, export_html_s   in memory: restore the session from its events
                               at rest and render the minutes (target <= 0.5 each)
- export_cmd_md_s, export_cmd_html_s
                               the whole command, as a person runs it: the session
                               saved in a data directory by the app's writer, then
                               `python -m circle export ID -o FILE --force [--html]`
                               in a subprocess, from launch to exit (interpreter
                               start, imports, reading and checking the files, the
                               rebuild, rendering, the atomic write)
- export_cmd_s                 the slower of the two commands (target <= 0.5)
- export_html_s_10k, export_html_s_50k
                               in memory, HTML, for a long day of 10,000 and 50,000
                               events (bench/save_latency.py's long session)
- export_html_growth           time per event at 50,000 over time per event at
                               2,000, same kind of session: 1.0 is linear
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from circle.domain.agenda import Agenda, AgendaItem  # noqa: E402
from circle.domain.clock import FakeClock  # noqa: E402
from circle.domain.session import Session, session_at_rest  # noqa: E402
from circle.minutes.export import render_html  # noqa: E402
from circle.minutes.markdown import render_markdown  # noqa: E402
from circle.runtime import summary_of  # noqa: E402
from circle.storage import Store  # noqa: E402
from circle.storage_writer import SessionWriter  # noqa: E402

GROWTH_SIZES = (2_000, 10_000, 50_000)

EVENTS, QUESTIONS, HOURS = 2000, 500, 3
PULSES = 7
AGENDA = Agenda(
    title="Long day",
    items=(
        AgendaItem("Check-in", 1800, "discussion"),
        AgendaItem("Hot seat", 1800, "round"),
        AgendaItem("Flash mentoring", 1800, "flash"),
        AgendaItem("Open questions", 1800, "board"),
        AgendaItem("Deep dive", 1800, "discussion"),
        AgendaItem("Wrap-up", 1800, "close"),
    ),
)
MENTORS, MENTEES = ["Ada", "Grace"], ["Mira", "Jon", "Priya", "Leo", "Sam"]


class Builder:
    """Drives a session minute by minute, counting what it adds."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.s = Session.create(
            title="Big circle",
            agenda=AGENDA,
            mentors=MENTORS,
            mentees=MENTEES,
            clock=self.clock,
            join_code="ABCDEF",
        )
        self.votes: dict[int, int] = {}
        self.n = 0

    @property
    def people(self) -> list[str]:
        return MENTORS + MENTEES

    def question(self) -> None:
        text = f"Question {self.n} about | *markdown* and <b>html</b> [x](http://y) " * 2
        asker = None if self.n % 3 == 0 else MENTEES[self.n % 5]
        self.votes[self.s.add_question(text[:200], asker=asker)["seq"]] = 0
        self.n += 1

    def vote(self, k: int) -> None:
        visible = [q for q in self.votes if self.s.board.questions[q].visible]
        qid = visible[(k * 7) % len(visible)]
        self.votes[qid] += 1
        self.s.vote(qid, f"device-{self.votes[qid]}")

    def minute(self, m: int) -> None:
        s = self.s
        if m and m % 30 == 0:
            s.next_item()
            if s.timer_().item.kind == "flash":
                s.start_flash()
        s.start_turn(self.people[m % len(self.people)])
        while self.n < QUESTIONS * (m + 1) // (HOURS * 60):
            self.question()
        for k in range(3):
            self.vote(m * 3 + k)
        if m % 3 == 0:
            s.toggle_status(list(self.votes)[m], "answered" if m % 2 else "parked")
        if m % 6 == 0:
            s.add_takeaway(f"Takeaway {m}: keep `notes` short | <i>always</i>")
            s.add_action(f"Action {m} for **later**", owner=MENTEES[m % 5], due="2026-12-31")
        if m % 18 == 0:
            s.hide_question(list(self.votes)[m + 1])
        if s.current_flash() is not None and m % 4 == 0:
            s.flash_note("topic", f"Topic {m} | #{m}")
        self.clock.advance(60)

    def finish(self) -> tuple[list[dict], dict]:
        s = self.s
        k = 0
        while len(s.events) < EVENTS - 1 - PULSES:
            self.vote(k)
            k += 1
        s.end_session()
        for p in range(PULSES):
            s.give_pulse(5 + p % 5, f"Comment {p}\n# not a heading | <script>x</script>")
        return s.events, {"session_s": s.now(), "wall": self.clock.wall()}


def build() -> tuple[list[dict], dict]:
    builder = Builder()
    for m in range(HOURS * 60):
        builder.minute(m)
    events, clock = builder.finish()
    # Stored sessions come back from JSON: time the export on that shape.
    return json.loads(json.dumps(events)), clock


def timed(fn: Callable[[], str], runs: int) -> tuple[list[float], str]:
    times, out = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return times, out


def save(data_dir: Path, events: list[dict], clock: dict) -> str:
    """Store the session as the app does: first segment, then the writer, the clock."""
    store = Store(data_dir)
    session = session_at_rest(events, clock)
    sid = store.new_session_id(session.started_wall)
    store.create_session(summary_of(sid, session), events[:1])
    writer = SessionWriter(store, sid)
    for start in range(1, len(events), 500):
        writer.append(events[start : start + 500])
    writer.set_clock(clock)
    if not writer.close(timeout=60):
        sys.exit("saving the session did not complete")
    return sid


def command_times(events: list[dict], clock: dict, runs: int) -> dict[str, list[float]]:
    """`circle export` in a subprocess, Markdown and HTML alternately, launch to exit."""
    times: dict[str, list[float]] = {"md": [], "html": []}
    with tempfile.TemporaryDirectory() as tmp:
        sid = save(Path(tmp) / "data", events, clock)
        env = {**os.environ, "CIRCLE_DATA_DIR": str(Path(tmp) / "data")}
        base = [sys.executable, "-m", "circle", "export", sid, "--force"]
        argv = {
            "md": [*base, "-o", str(Path(tmp) / "minutes.md")],
            "html": [*base, "--html", "-o", str(Path(tmp) / "minutes.html")],
        }
        for run in range(runs + 1):
            for kind, args in argv.items():
                start = time.perf_counter()
                subprocess.run(args, env=env, check=True, capture_output=True, cwd=ROOT)
                if run:  # the first of each warms the page cache
                    times[kind].append(time.perf_counter() - start)
    return times


def growth(runs: int) -> dict[int, float]:
    """Median seconds of the HTML minutes of a long day, by its number of events."""
    from save_latency import WALL0, long_session

    medians = {}
    for size in GROWTH_SIZES:
        session = long_session(size)
        events = json.loads(json.dumps(session.events))
        clock = {"session_s": session.now(), "wall": WALL0 + session.now()}
        times, _ = timed(lambda e=events, c=clock: render_html(session_at_rest(e, c)), runs)
        medians[size] = statistics.median(times)
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    events, clock = build()
    session = session_at_rest(events, clock)
    questions = len(session.board.questions)
    assert len(events) == EVENTS and questions == QUESTIONS, (len(events), questions)

    md_times, md = timed(lambda: render_markdown(session_at_rest(events, clock)), runs)
    html_times, page = timed(lambda: render_html(session_at_rest(events, clock)), runs)
    commands = command_times(events, clock, runs)
    long_day = growth(max(3, runs // 3))

    print(f"export speed: {HOURS} h session, {len(events)} events, {questions} questions")
    print(f"median of {runs} runs, restore from events included, {os.cpu_count()} cores\n")
    print(f"{'export':<26} {'median s':>9} {'min s':>8} {'max s':>8} {'bytes':>8}")
    in_memory = (("markdown, in memory", md_times, md), ("html, in memory", html_times, page))
    for name, times, text in in_memory:
        print(
            f"{name:<26} {statistics.median(times):>9.4f} {min(times):>8.4f}"
            f" {max(times):>8.4f} {len(text.encode()):>8}"
        )
    for kind, times in commands.items():
        name = f"circle export{' --html' if kind == 'html' else ''}"
        print(f"{name:<26} {statistics.median(times):>9.4f} {min(times):>8.4f} {max(times):>8.4f}")
    print("\nHTML minutes of a long day (in memory):")
    for size, seconds in long_day.items():
        print(f"  {size:>6} events  {seconds:8.3f} s  {seconds / size * 1e6:7.1f} us per event")
    cmd_md, cmd_html = (statistics.median(commands[k]) for k in ("md", "html"))
    first, last = GROWTH_SIZES[0], GROWTH_SIZES[-1]
    print()
    print(f"export_md_s = {statistics.median(md_times):.4f}")
    print(f"export_html_s = {statistics.median(html_times):.4f}")
    print(f"export_cmd_md_s = {cmd_md:.3f}")
    print(f"export_cmd_html_s = {cmd_html:.3f}")
    print(f"export_cmd_s = {max(cmd_md, cmd_html):.3f}")
    print(f"export_html_s_10k = {long_day[10_000]:.3f}")
    print(f"export_html_s_50k = {long_day[50_000]:.3f}")
    print(f"export_html_growth = {(long_day[last] / last) / (long_day[first] / first):.2f}")


if __name__ == "__main__":
    main()
