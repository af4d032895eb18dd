"""Key press to repainted screen on the live screen: board size, dialogs, undo, long history.

    python bench/ui_latency.py [--rounds N] [--presses N]

Three live screens run side by side in one process (headless, 160x45), each
on a session built with the session's own methods on a fake clock and saved
by the real writer thread: two 3-hour sessions of about 2,000 events, one
with 5 questions on the board and one with 500, and a long day of 50,000
events (the same kinds of events, 5 questions; saved in segments by the
writer and resumed, as after a restart). Keys are pressed alternately on the
screens, who goes first swapped each round, so noise (the writer threads, the
garbage collector, the machine) falls on all alike:

- `v`  upvote the selected question (the board re-sorts and redraws)
- `1`  raise / lower the first mentee's hand (queue, shares and board pushed)
- `q`, then typing: open the "New question" dialog and type a question into
  it, one key at a time, then `escape` (5 and 500 questions)
- `1` then `u`: undo takes the hand back (2,000 and 50,000 events)

One sample is the time from sending the key to the terminal until the first
screen update painted after the key took effect (the session changed, the
dialog is up, the typed character is in the field): the app's `_display` is
wrapped to note when each compositor update leaves for the terminal (its
segments are rendered to the terminal sequence there, as a real terminal
would need).

Figures (last lines):
- ui_median_ms_5     median of `v` and `1`, 5 questions
- ui_median_ms_500   median of `v` and `1`, 500 questions
- ui_ratio           ui_median_ms_500 / ui_median_ms_5 (target <= 1.5)
- ui_median_ms_50k   median of `v` and `1` on the 50,000-event day
- ui_ratio_50k       ui_median_ms_50k / ui_median_ms_5
- ui_dialog_ms       `q` to the dialog on screen, median (5 and 500 questions)
- ui_type_ms         a typed character to its repaint in the dialog, median
- undo_ms_2000       `u` to the repaint, 2,000 events, median
- undo_ms_50k        `u` to the repaint, 50,000 events, median (target <= 50)
- undo_domain_ms_50k `Session.undo()` alone on the 50,000-event day, median
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.widgets import Input

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from circle.agendafiles.parser import resolve_agenda  # noqa: E402
from circle.app import CircleApp  # noqa: E402
from circle.domain.clock import FakeClock  # noqa: E402
from circle.domain.session import Session  # noqa: E402
from circle.runtime import LiveRun, summary_of  # noqa: E402
from circle.screens.dialogs import QuestionDialog  # noqa: E402
from circle.storage import Store  # noqa: E402
from circle.storage_writer import SessionWriter  # noqa: E402
from circle.widgets.board import BoardPanel  # noqa: E402

SIZE = (160, 45)
MENTORS = ["Ada", "Grace"]
MENTEES = ["Mira", "Jon", "Priya", "Leo", "Sam"]
HISTORY_S = 3 * 3600
HISTORY_EVENTS = 2000
KEYS = ("v", "1")
WALL0 = 1_790_000_000.0
LONG_EVENTS = 50_000
LONG_S = 10 * 3600
TYPED = "how do i say no"


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
    elif choice == 8 and c % 40 == 8 and c < HISTORY_EVENTS:  # a long day: no more notes
        session.add_takeaway(f"Takeaway {c}: write it down before the meeting")
    elif choice == 8 and c % 40 == 18 and c < HISTORY_EVENTS:
        session.add_action(f"Action {c}: send the notes", person)
    elif choice == 9 and c % 500 in (9, 19):  # paused for ten events, twice an hour
        session.toggle_pause()
    elif session.queue.waits_in_round(person):  # a round keeps their place: it moves on
        session.next_speaker()
    else:
        session.toggle_hand(person)


def build_session(
    questions: int, events: int = HISTORY_EVENTS, seconds: float = HISTORY_S
) -> Session:
    """`events` events over `seconds`, `questions` of the board's events questions.

    Both 2,000-event sessions get the same non-board events at the same
    moments; on the board, one gets 5 questions and 505 votes, the other 500
    questions and 10. A long day has more of the same (hands, turns, pauses).
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
    step_s = seconds / events
    board_done = common_done = 0
    for step in range(events):
        clock.advance(step_s)
        board_slot = (step + 1) * BOARD_EVENTS // events > step * BOARD_EVENTS // events
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


def start_long(data_dir: Path) -> tuple[CircleApp, LiveRun]:
    """The 50,000-event day, saved in segments by the writer, then resumed (paused)."""
    store = Store(data_dir)
    session = build_session(5, LONG_EVENTS, LONG_S)
    session_id = store.new_session_id(session.started_wall)
    store.create_session(summary_of(session_id, session), session.events[:1])
    writer = SessionWriter(store, session_id)
    for first in range(1, len(session.events), 1000):
        writer.append(session.events[first : first + 1000])
    writer.set_clock({"session_s": session.now(), "wall": session.clock.wall()})
    if not writer.close(timeout=120):
        sys.exit("saving the long day did not complete")
    clock = FakeClock(session.clock.monotonic(), session.clock.wall())
    run = LiveRun.resume(store, session_id, clock)
    return CircleApp(store, run), run


def undo_alone(session: Session, times: int) -> list[float]:
    """Milliseconds of `Session.undo()` itself, each after a new hand (no screen)."""
    samples = []
    for _ in range(times):
        session.toggle_hand(MENTEES[0])
        started = time.perf_counter()
        session.undo()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


# -- measuring ------------------------------------------------------------------------
class PaintClock:
    """Wraps `app._display`: notes when each screen update leaves, and for which version.

    With a `probe` set, also the updates that left while it was true.
    """

    def __init__(self, app: CircleApp, run: LiveRun) -> None:
        self.app, self.run = app, run
        self.painted: list[tuple[float, int]] = []
        self.probe: Callable[[], bool] | None = None
        self.probed: list[float] = []
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
            if self.probe is not None and self.probe():
                self.probed.append(self.painted[-1][0])
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


async def press_until(pilot: Any, paints: PaintClock, key: str, probe: Callable[[], bool]) -> float:
    """Milliseconds from the key to the first paint after `probe()` came true."""
    await pilot.pause()
    if probe():
        raise RuntimeError(f"before {key!r}: what it should bring is already there")
    paints.probed.clear()
    paints.probe = probe
    start = time.perf_counter()
    await pilot.press(key)
    deadline = start + 5.0
    while not paints.probed:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"no repaint showing {key!r}")
        await asyncio.sleep(0.0005)
    paints.probe = None
    return (paints.probed[0] - start) * 1000


async def type_question(pilot: Any, paints: PaintClock) -> tuple[float, list[float]]:
    """`q` to the dialog on screen, then each typed key to its repaint; `escape` closes it."""
    app = pilot.app
    opened = await press_until(pilot, paints, "q", lambda: isinstance(app.screen, QuestionDialog))
    field = app.screen.query_one("#text", Input)
    typed = []
    for n, char in enumerate(TYPED, start=1):
        key = "space" if char == " " else char
        typed.append(await press_until(pilot, paints, key, lambda n=n: len(field.value) >= n))
    await pilot.press("escape")
    await pilot.pause()
    if isinstance(app.screen, QuestionDialog):
        raise RuntimeError("escape did not close the dialog")
    return opened, typed


def board_check(app: CircleApp, votes: int) -> None:
    """The selected question's vote count on screen is the session's (a sanity check)."""
    board = app.screen.query_one(BoardPanel)
    top = str(board.render()).splitlines()[0]
    assert f"▲{votes}" in top, (top, votes)


Samples = dict[tuple[str, str], list[float]]


async def measure(rounds: int, presses: int) -> Samples:
    """Samples by screen ("5", "500", "50k") and what: a key, "dialog", "type", "undo"."""
    samples: Samples = {}

    def add(screen: str, what: str, *ms: float) -> None:
        samples.setdefault((screen, what), []).extend(ms)

    with tempfile.TemporaryDirectory() as tmp:
        built = time.perf_counter()
        apps = {str(n): start(Path(tmp) / f"q{n}", n) for n in (5, 500)}
        apps["50k"] = start_long(Path(tmp) / "long")
        built = time.perf_counter() - built
        for name, (_, run) in apps.items():
            session = run.session
            print(
                f"  {name:>3}: {len(session.events)} events over {session.now() / 3600:.1f} h, "
                f"{len(session.board.ordered())} questions on the board"
            )
        print(f"  (built in {built:.1f} s)")
        add("50k", "undo alone", *undo_alone(apps["50k"][1].session, 30))
        async with contextlib.AsyncExitStack() as stack:
            pilots: dict[str, tuple[Any, PaintClock]] = {}
            for name, (app, run) in apps.items():
                pilot = await stack.enter_async_context(app.run_test(size=SIZE))
                pilots[name] = (pilot, PaintClock(app, run))
            for pilot, _ in pilots.values():
                await pilot.pause(0.2)

            def turn(names: tuple[str, ...], round_: int) -> tuple[str, ...]:
                return names if round_ % 2 == 0 else names[::-1]

            for round_ in range(rounds):
                for _ in range(presses):
                    for key in KEYS:
                        for name in turn(("5", "500", "50k"), round_):
                            pilot, paints = pilots[name]
                            add(name, key, await press_once(pilot, paints, key))
                for name in turn(("5", "500"), round_):
                    pilot, paints = pilots[name]
                    opened, typed = await type_question(pilot, paints)
                    add(name, "dialog", opened)
                    add(name, "type", *typed)
                for _ in range(max(1, presses // 2)):
                    for name in turn(("5", "50k"), round_):
                        pilot, paints = pilots[name]
                        add(name, "1, to undo", await press_once(pilot, paints, "1"))
                        add(name, "undo", await press_once(pilot, paints, "u"))
            for pilot, paints in pilots.values():
                app = pilot.app
                selected = app.screen.query_one(BoardPanel).selected
                board_check(app, paints.run.session.board.get(selected).votes)
        for _, run in apps.values():
            run.writer.flush(10.0)
        for _, run in apps.values():
            run.close(10.0)
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
    for (screen, what), times in sorted(samples.items()):
        row(f"{screen}: {what}", times)

    def median(screens: tuple[str, ...], whats: tuple[str, ...]) -> float:
        pooled = [ms for (n, w), t in samples.items() if n in screens and w in whats for ms in t]
        return statistics.median(pooled)

    median5, median500 = median(("5",), KEYS), median(("500",), KEYS)
    median50k = median(("50k",), KEYS)
    print()
    print(f"ui_median_ms_5 = {median5:.2f}")
    print(f"ui_median_ms_500 = {median500:.2f}")
    print(f"ui_ratio = {median500 / median5:.3f}")
    print(f"ui_median_ms_50k = {median50k:.2f}")
    print(f"ui_ratio_50k = {median50k / median5:.3f}")
    print(f"ui_dialog_ms = {median(('5', '500'), ('dialog',)):.2f}")
    print(f"ui_type_ms = {median(('5', '500'), ('type',)):.2f}")
    print(f"undo_ms_2000 = {median(('5',), ('undo',)):.2f}")
    print(f"undo_ms_50k = {median(('50k',), ('undo',)):.2f}")
    print(f"undo_domain_ms_50k = {median(('50k',), ('undo alone',)):.2f}")


if __name__ == "__main__":
    main()
