"""Key press to repainted screen on the live screen, and whether it grows with the board.

    python bench/ui_latency.py [--rounds N] [--presses N]

Two live screens run side by side in one process (headless, 160×45), each on a
3-hour session of about 2,000 events built with the session's own methods on a
fake clock: one with 5 questions on the board, one with 500. Keys are pressed
alternately on the two, so noise (the writer thread, the garbage collector, the
machine) falls on both alike:

- `v`  upvote the selected question (the board re-sorts and redraws)
- `1`  raise / lower the first mentee's hand (queue, shares and board pushed)

One sample is the time from sending the key to the terminal until the first
screen update painted after the action changed the session: the app's
`_display` is wrapped to note when each compositor update leaves for the
terminal (its segments are rendered to the terminal sequence there, as a real
terminal would need). Every action is also saved by the real writer thread.

Figures (last lines):
- ui_median_ms_5    median over all samples, 5 questions
- ui_median_ms_500  median over all samples, 500 questions
- ui_ratio          ui_median_ms_500 / ui_median_ms_5 (target <= 1.5)
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from circle.agendafiles.parser import resolve_agenda  # noqa: E402
from circle.app import CircleApp  # noqa: E402
from circle.domain.clock import FakeClock  # noqa: E402
from circle.domain.session import Session  # noqa: E402
from circle.runtime import LiveRun, summary_of  # noqa: E402
from circle.storage import Store  # noqa: E402
from circle.widgets.board import BoardPanel  # noqa: E402

SIZE = (160, 45)
MENTORS = ["Ada", "Grace"]
MENTEES = ["Mira", "Jon", "Priya", "Leo", "Sam"]
HISTORY_S = 3 * 3600
HISTORY_EVENTS = 2000
KEYS = ("v", "1")
WALL0 = 1_790_000_000.0


# -- a 3-hour session ---------------------------------------------------------------
BOARD_EVENTS = 510  # questions plus votes: the same count in both sessions
ITEM_CHANGES = (300, 600, 900, 1200)  # the session ends up on "Open questions" (a board item)


def common_event(session: Session, c: int) -> None:
    """The c-th event that has nothing to do with the board: the same in both sessions."""
    person = MENTEES[c % len(MENTEES)]
    choice = c % 10
    if c in ITEM_CHANGES:
        session.next_item()
    elif choice == 5 and session.queue.hands:
        session.next_speaker()
    elif choice == 6:
        if session.queue.turn is not None:
            session.end_turn()
        else:
            session.mentor_turn(c % 2)
    elif choice == 8 and c % 40 == 8:
        session.add_takeaway(f"Takeaway {c}: write it down before the meeting")
    elif choice == 8 and c % 40 == 18:
        session.add_action(f"Action {c}: send the notes", person)
    elif choice == 9 and c % 500 in (9, 19):  # paused for ten events, twice an hour
        session.toggle_pause()
    else:
        session.toggle_hand(person)


def build_session(questions: int) -> Session:
    """HISTORY_EVENTS events over three hours, `questions` of the board's events questions.

    Both sessions get the same non-board events at the same moments; on the
    board, one gets 5 questions and 505 votes, the other 500 questions and 10.
    """
    clock = FakeClock(1000.0, WALL0)
    session = Session.create(
        title="Long Saturday circle",
        agenda=resolve_agenda("group-circle"),
        mentors=MENTORS,
        mentees=MENTEES,
        clock=clock,
        join_code="BENCH1",
    )
    ids: list[int] = []
    step_s = HISTORY_S / HISTORY_EVENTS
    board_done = common_done = 0
    for step in range(HISTORY_EVENTS):
        clock.advance(step_s)
        board_slot = (
            step + 1
        ) * BOARD_EVENTS // HISTORY_EVENTS > step * BOARD_EVENTS // HISTORY_EVENTS
        if board_slot:
            if board_done < questions:
                asker = None if board_done % 4 else MENTEES[board_done % len(MENTEES)]
                text = f"Question {board_done + 1}: how would you handle this at work?"
                ids.append(session.add_question(text, asker)["seq"])
            else:
                session.vote(ids[board_done % len(ids)])
            board_done += 1
        else:
            common_event(session, common_done)
            common_done += 1
    return session


def start(data_dir: Path, questions: int) -> tuple[CircleApp, LiveRun]:
    store = Store(data_dir)
    session = build_session(questions)
    session_id = store.new_session_id(session.started_wall)
    store.create_session(summary_of(session_id, session), list(session.events))
    run = LiveRun(store, session_id, session)
    return CircleApp(store, run), run


# -- measuring ------------------------------------------------------------------------
class PaintClock:
    """Wraps `app._display`: notes when each screen update leaves, and for which version."""

    def __init__(self, app: CircleApp, run: LiveRun) -> None:
        self.app, self.run = app, run
        self.painted: list[tuple[float, int]] = []
        self.console = Console(
            file=io.StringIO(),
            width=SIZE[0],
            height=SIZE[1],
            force_terminal=True,
            color_system="truecolor",
            legacy_windows=False,
        )
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None and hasattr(renderable, "render_segments"):
                renderable.render_segments(self.console)  # the terminal sequence
            self.painted.append((time.perf_counter(), run.session.version))
            original(screen, renderable)

        app._display = display  # type: ignore[method-assign]

    def first_paint_at_or_after(self, version: int, since: float) -> float | None:
        for at, seen in self.painted:
            if at >= since and seen >= version:
                return at
        return None


async def press_once(pilot: Any, paints: PaintClock, key: str) -> float:
    """Milliseconds from the key to the first paint showing its change."""
    session = paints.run.session
    await pilot.pause()
    paints.painted.clear()
    version = session.version + 1
    start = time.perf_counter()
    await pilot.press(key)
    deadline = start + 5.0
    while (at := paints.first_paint_at_or_after(version, start)) is None:
        if session.version < version and time.perf_counter() > start + 1.0:
            raise RuntimeError(f"key {key!r} changed nothing")
        if time.perf_counter() > deadline:
            raise RuntimeError(f"no repaint after {key!r}")
        await asyncio.sleep(0.0005)
    return (at - start) * 1000


def board_check(app: CircleApp, votes: int) -> None:
    """The selected question's vote count on screen is the session's (a sanity check)."""
    board = app.screen.query_one(BoardPanel)
    top = str(board.render()).splitlines()[0]
    assert f"▲{votes}" in top, (top, votes)


async def measure(rounds: int, presses: int) -> dict[tuple[int, str], list[float]]:
    samples: dict[tuple[int, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        built = time.perf_counter()
        apps = {n: start(Path(tmp) / f"q{n}", n) for n in (5, 500)}
        built = time.perf_counter() - built
        for n, (_, run) in apps.items():
            board = run.session.board
            print(
                f"  {n:>3} questions: {len(run.session.events)} events over "
                f"{run.session.now() / 3600:.1f} h, {len(board.ordered())} on the board"
            )
        print(f"  (built in {built:.1f} s)")
        (app5, run5), (app500, run500) = apps[5], apps[500]
        async with app5.run_test(size=SIZE) as pilot5, app500.run_test(size=SIZE) as pilot500:
            pilots = {
                5: (pilot5, PaintClock(app5, run5)),
                500: (pilot500, PaintClock(app500, run500)),
            }
            for pilot, _ in pilots.values():
                await pilot.pause(0.2)
            for round_ in range(rounds):
                for _ in range(presses):
                    for key in KEYS:
                        order = (5, 500) if round_ % 2 == 0 else (500, 5)
                        for n in order:  # alternate, and swap who goes first each round
                            pilot, paints = pilots[n]
                            ms = await press_once(pilot, paints, key)
                            samples.setdefault((n, key), []).append(ms)
            for pilot, paints in pilots.values():
                app = pilot.app
                selected = app.screen.query_one(BoardPanel).selected
                board_check(app, paints.run.session.board.get(selected).votes)
            for _, run in apps.values():
                run.writer.flush(10.0)
    return samples


def row(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p90 = ordered[max(0, int(len(ordered) * 0.9) - 1)]
    print(
        f"  {name:<28} {len(times):>5} {statistics.median(times):9.2f} {p90:9.2f} {max(times):9.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--presses", type=int, default=10, help="per key, per round")
    args = parser.parse_args()
    print(
        f"UI latency (key -> repainted screen), {SIZE[0]}x{SIZE[1]} headless, "
        f"{os.cpu_count()} cores"
    )
    samples = asyncio.run(measure(args.rounds, args.presses))
    print(f"  {'case':<28} {'n':>5} {'median':>9} {'p90':>9} {'max':>9}  ms")
    for key in KEYS:
        for n in (5, 500):
            row(f"{n} questions, key {key}", samples[(n, key)])
    all5 = [ms for (n, _), times in samples.items() if n == 5 for ms in times]
    all500 = [ms for (n, _), times in samples.items() if n == 500 for ms in times]
    row("5 questions, all keys", all5)
    row("500 questions, all keys", all500)
    median5, median500 = statistics.median(all5), statistics.median(all500)
    print()
    print(f"ui_median_ms_5 = {median5:.2f}")
    print(f"ui_median_ms_500 = {median500:.2f}")
    print(f"ui_ratio = {median500 / median5:.3f}")


if __name__ == "__main__":
    main()
