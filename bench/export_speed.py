"""How long `circle export` takes for a big session (spec §9).

A scripted 3-hour session with 500 questions and 2,000 events, built with
the domain and a fake clock. Each run restores the session from its events
at rest and renders the minutes, as `circle export` does: once to Markdown,
once to the HTML page. Targets: export_md_s <= 0.5, export_html_s <= 0.5
(median of the runs).

    .venv/bin/python bench/export_speed.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from circle.domain.agenda import Agenda, AgendaItem
from circle.domain.clock import FakeClock
from circle.domain.session import Session, session_at_rest
from circle.minutes.export import render_html
from circle.minutes.markdown import render_markdown

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
            s.add_action(f"Action {m} for **later**", owner=MENTEES[m % 5], due="next week")
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

    print(f"export speed: {HOURS} h session, {len(events)} events, {questions} questions")
    print(f"median of {runs} runs, restore from events included\n")
    print(f"{'export':<10} {'median s':>9} {'min s':>8} {'max s':>8} {'bytes':>8}")
    for name, times, text in (("markdown", md_times, md), ("html", html_times, page)):
        print(
            f"{name:<10} {statistics.median(times):>9.4f} {min(times):>8.4f}"
            f" {max(times):>8.4f} {len(text.encode()):>8}"
        )
    print()
    print(f"export_md_s = {statistics.median(md_times):.4f}")
    print(f"export_html_s = {statistics.median(html_times):.4f}")


if __name__ == "__main__":
    main()
