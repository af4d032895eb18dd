"""Home's first frame with a long history: 1, 1,000 and 5,000 stored sessions.

    python bench/home_load.py [--rounds N]

`circle` with no arguments opens home, which lists the stored sessions from
the index. Three data directories are made: one whose index holds 1 session,
one 1,000 and one 5,000 (weekly sessions going back in time, in a few series;
home reads only the index, so no session file is written). `circle` runs on
each in a real pseudo-terminal (120x40), in rounds, the order turned each
round; the clock stops at the complete first frame, the last byte before the
output goes quiet (bench/ptyframe.py).

Figures (medians over the rounds):
- home_ms_1, home_ms_1000, home_ms_5000
- home_ratio_1000   home_ms_1000 / home_ms_1  (target <= 1.2)
- home_ratio_5000   home_ms_5000 / home_ms_1
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from ptyframe import SPREAD_HEADER, spread, time_to_frame  # noqa: E402

from circle.saving.jsonfile import render_tables  # noqa: E402

COUNTS = (1, 1000, 5000)
WALL0 = 1_790_000_000.0
SERIES = ("Tuesday circle", "Leaders' circle", "New managers", "Engineering mentoring")
MENTORS, MENTEES = ["Ada", "Grace"], ["Mira", "Jon", "Priya", "Leo", "Sam"]


def fill_index(data_dir: Path, count: int) -> None:
    """An index of `count` finished sessions, newest first in time (setup, not timed)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    table = {}
    for n in range(count):
        created = WALL0 - 86400 * 2 * n
        series = SERIES[n % len(SERIES)]
        sid = time.strftime("%Y%m%d-%H%M-", time.gmtime(created)) + f"{n:04d}"
        table[str(n + 1)] = {
            "id": sid,
            "title": f"{series} #{count - n}",
            "series": series,
            "created_wall": created,
            "status": "ended",
            "mentors": MENTORS[: 1 + n % 2],
            "mentees": MENTEES[: 3 + n % 3],
            "ended_wall": created + 5400,
            "duration_s": 5400.0,
        }
    (data_dir / "index.json").write_bytes(render_tables({"sessions": table}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    rounds = parser.parse_args().rounds
    base = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    argv = [sys.executable, "-m", "circle"]
    times: dict[int, list[float]] = {n: [] for n in COUNTS}
    with tempfile.TemporaryDirectory() as tmp:
        dirs = {n: Path(tmp) / f"data-{n}" for n in COUNTS}
        for n, path in dirs.items():
            fill_index(path, n)

        def one(n: int) -> float:
            env = {**base, "CIRCLE_DATA_DIR": str(dirs[n]), "XDG_CACHE_HOME": tmp}
            return time_to_frame(argv, b"Past sessions", env).complete_s

        for n in COUNTS:  # warm-up: the page cache
            one(n)
        for round_ in range(rounds):
            shift = round_ % len(COUNTS)
            for n in COUNTS[shift:] + COUNTS[:shift]:
                times[n].append(one(n))
    median = {n: statistics.median(t) for n, t in times.items()}
    print(f"home's complete first frame, 120x40 pty, {rounds} rounds, {os.cpu_count()} cores")
    print(f"  {'stored sessions':<16} {SPREAD_HEADER}")
    for n, t in times.items():
        print(f"  {n:<16} {spread(t)}")
    for n in COUNTS[1:]:
        per_round = sorted(a / b for a, b in zip(times[n], times[1], strict=True))
        print(f"  ratio {n} vs 1 per round: {per_round[0]:.2f} .. {per_round[-1]:.2f}")
    print()
    for n in COUNTS:
        print(f"home_ms_{n} = {median[n] * 1000:.0f}")
    for n in COUNTS[1:]:
        print(f"home_ratio_{n} = {median[n] / median[1]:.2f}")


if __name__ == "__main__":
    main()
