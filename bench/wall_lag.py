"""From a key on the console to the change on the wall, in real terminals.

    python bench/wall_lag.py [--presses N] [--rounds N] [--no-ui]

Part 1, the lag. `circle new` (the console) and `circle wall` each run in a
real pseudo-terminal of 120×40, read by a terminal emulator (pyte), as two
terminals side by side on one machine. The bench presses `1` on the console
(Mira's hand up, then down again) N times; for each press it notes when the
console's own screen shows the change and when the wall's does, both from
the moment the key was written. Between presses it waits a random 50–150 ms.

Part 2, the console with walls attached. bench/ui_latency.py's measurement
(key to repainted screen on a 3-hour session with 5 and with 500 questions)
run twice on the same two consoles: with no wall, then with 3 walls attached
to each (3 real `WallApp`s per console, each in its own process, headless).

Figures (last lines):
- wall_lag_ms          median, key on the console to the change on the wall (target <= 100)
- wall_lag_p99_ms      99th percentile of the same
- wall_console_ms      median, key to the change on the console's own screen
- wall_extra_ms        median of (wall - console) per press: what the wall adds
- ui_ratio_no_walls    ui_latency's ui_ratio, no wall attached
- ui_ratio_3_walls     the same with 3 walls attached to each console (target: unchanged)
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import math
import os
import pty
import random
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

import pyte

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (ROOT, BENCH):  # run from a checkout without installing; ui_latency beside us
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from circle.channel import find_running  # noqa: E402

SIZE = (120, 40)
TITLE = "Wall bench"
PEOPLE = ["--mentor", "Ada", "--mentee", "Mira", "--mentee", "Jon", "--mentee", "Priya"]
HAND_UP, HAND_DOWN = "1. Mira", "No hands up"  # the queue panel, on both screens
HEADLESS_WALL = (
    "import sys\n"
    "from pathlib import Path\n"
    "from circle.channel.feed import WallFeed\n"
    "from circle.wall.app import WallApp\n"
    "WallApp(WallFeed(Path(sys.argv[1]), sys.argv[2])).run(headless=True, size=(160, 45))\n"
)


# -- a program in a real terminal --------------------------------------------------------
class Terminal:
    """A program in a pseudo-terminal, its output kept on a pyte screen."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(*SIZE)
        self.stream = pyte.ByteStream(self.screen)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the terminal's size first, then the program
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
            os.execvpe(argv[0], argv, env)

    def pump(self) -> bool:
        """Take what the program wrote so far; False once it is gone."""
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        self.stream.feed(data)
        return bool(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def pump_until(terminals: list[Terminal], done: Any, timeout: float, what: str) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        left = deadline - time.perf_counter()
        if left <= 0:
            shown = "\n\n".join(t.text() for t in terminals)
            raise RuntimeError(f"timed out waiting for {what}\n{shown}")
        ready, _, _ = select.select([t.fd for t in terminals], [], [], min(left, 0.05))
        for terminal in terminals:
            if terminal.fd in ready:
                terminal.pump()


# -- part 1: the lag -----------------------------------------------------------------------
def measure_lag(presses: int) -> list[tuple[float, float]]:
    """(console ms, wall ms) per press, both from the moment the key was written."""
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    env.pop("TMUX", None)
    pairs = []
    with tempfile.TemporaryDirectory(prefix="wl", dir="/tmp") as data:
        circle = [sys.executable, "-m", "circle", "--data-dir", data]
        console = Terminal(
            [*circle, "new", "--agenda", "group-circle", "--title", TITLE, *PEOPLE], env
        )
        wall = None
        try:
            pump_until([console], lambda: TITLE in console.text(), 30, "the console")
            # It serves its session a moment after its first frame.
            pump_until([console], lambda: find_running(Path(data)), 30, "the console's socket")
            wall = Terminal([sys.executable, "-m", "circle.wall", "--data-dir", data], env)
            both = [console, wall]
            pump_until(
                both,
                lambda: "wall connected" in console.text() and HAND_DOWN in wall.text(),
                30,
                "the wall to attach",
            )
            for index in range(presses):
                want = HAND_UP if index % 2 == 0 else HAND_DOWN
                os.write(console.fd, b"1")
                start = time.perf_counter()
                seen: dict[str, float] = {}

                def changed(want: str = want, seen: dict[str, float] = seen) -> bool:
                    now = time.perf_counter()
                    for name, terminal in (("console", console), ("wall", wall)):
                        if name not in seen and want in terminal.text():
                            seen[name] = now
                    return len(seen) == 2

                pump_until(both, changed, 10, f"press {index + 1} on both screens")
                pairs.append(((seen["console"] - start) * 1000, (seen["wall"] - start) * 1000))
                pause_until = time.perf_counter() + random.uniform(0.05, 0.15)
                while time.perf_counter() < pause_until:  # keep reading: never let a terminal block
                    pump_until(both, lambda until=pause_until: time.perf_counter() >= until, 1, "")
        finally:
            if wall is not None:
                wall.close()
            console.close()
    return pairs


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


# -- part 2: ui_latency with walls attached ---------------------------------------------------
async def ui_medians(rounds: int, presses: int) -> dict[int, dict[int, float]]:
    """Median ms per question count, with 0 and then 3 walls attached to each console."""
    import ui_latency as ui

    medians: dict[int, dict[int, float]] = {}
    walls: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="wu", dir="/tmp") as tmp:
        apps = {n: ui.start(Path(tmp) / f"q{n}", n) for n in (5, 500)}
        (app5, run5), (app500, run500) = apps[5], apps[500]
        try:
            async with app5.run_test(size=ui.SIZE) as pilot5, app500.run_test(size=ui.SIZE) as p500:
                pilots = {
                    5: (pilot5, ui.PaintClock(app5, run5)),
                    500: (p500, ui.PaintClock(app500, run500)),
                }
                for pilot, _ in pilots.values():
                    await _until(pilot, lambda p=pilot: p.app.walls.hub is not None)
                for count in (0, 3):
                    for pilot, paints in pilots.values():
                        for _ in range(count - pilot.app.status.walls):
                            walls.append(_headless_wall(paints.run))
                        await _until(pilot, lambda p=pilot, c=count: p.app.status.walls == c, 60)
                    samples = await _press_rounds(ui, pilots, rounds, presses)
                    medians[count] = {n: statistics.median(times) for n, times in samples.items()}
        finally:
            for process in walls:
                process.terminate()
            for process in walls:
                process.wait(10)
            for _, run in apps.values():
                run.writer.flush(10.0)
    return medians


def _headless_wall(run: Any) -> subprocess.Popen:
    argv = [sys.executable, "-c", HEADLESS_WALL, str(run.store.data_dir), run.session_id]
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, cwd=ROOT)


async def _until(pilot: Any, condition: Any, timeout: float = 10) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("timed out waiting for the walls")
        await pilot.pause(0.05)


async def _press_rounds(ui: Any, pilots: dict, rounds: int, presses: int) -> dict[int, list[float]]:
    """ui_latency's rounds: its keys alternately on the two consoles, who goes first swapped."""
    samples: dict[int, list[float]] = {5: [], 500: []}
    for round_ in range(rounds):
        order = (5, 500) if round_ % 2 == 0 else (500, 5)
        for _ in range(presses):
            for key in ui.KEYS:
                for n in order:
                    pilot, paints = pilots[n]
                    samples[n].append(await ui.press_once(pilot, paints, key))
    return samples


# -- report --------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=100, help="key presses for the lag")
    parser.add_argument("--rounds", type=int, default=6, help="ui_latency rounds per wall count")
    parser.add_argument("--ui-presses", type=int, default=10, help="per key, per round")
    parser.add_argument("--no-ui", action="store_true", help="the lag only")
    args = parser.parse_args()
    print(
        f"Wall lag: `circle` and `circle wall` in two {SIZE[0]}x{SIZE[1]} pseudo-terminals (pyte), "
        f"{os.cpu_count()} cores"
    )
    pairs = measure_lag(args.presses)
    console = [c for c, _ in pairs]
    wall = [w for _, w in pairs]
    extra = [w - c for c, w in pairs]
    print(f"  {'':<26} {'n':>5} {'median':>9} {'p99':>9} {'max':>9}  ms")
    for name, values in (
        ("console (its own repaint)", console),
        ("wall", wall),
        ("wall - console", extra),
    ):
        print(
            f"  {name:<26} {len(values):>5} {statistics.median(values):9.1f} "
            f"{p99(values):9.1f} {max(values):9.1f}"
        )
    ratios = {}
    if not args.no_ui:
        print("The console's key-to-paint latency (bench/ui_latency.py), 0 and 3 walls per console")
        medians = asyncio.run(ui_medians(args.rounds, args.ui_presses))
        for count, by_n in medians.items():
            ratios[count] = by_n[500] / by_n[5]
            print(
                f"  {count} walls: median {by_n[5]:.2f} ms (5 questions), "
                f"{by_n[500]:.2f} ms (500 questions), ratio {ratios[count]:.3f}"
            )
    print()
    print(f"wall_lag_ms = {statistics.median(wall):.1f}")
    print(f"wall_lag_p99_ms = {p99(wall):.1f}")
    print(f"wall_console_ms = {statistics.median(console):.1f}")
    print(f"wall_extra_ms = {statistics.median(extra):.1f}")
    if ratios:
        print(f"ui_ratio_no_walls = {ratios[0]:.3f}")
        print(f"ui_ratio_3_walls = {ratios[3]:.3f}")


if __name__ == "__main__":
    main()
