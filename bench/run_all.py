"""Run every benchmark and print one table, each figure beside its target.

    python bench/run_all.py

Each script in bench/ ends with `name = value` lines; this collects them,
prints a table with each figure beside its target, and ends with all the
`name = value` lines so that runs can be compared. Scripts that a checkout
doesn't have yet (the wall's, the programme report's) are left out.
"""

from __future__ import annotations

import operator
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = [
    "save_latency.py",
    "ui_latency.py",
    "join_load.py",
    "join_live.py",
    "export_speed.py",
    "startup.py",
    "home_load.py",
    "report_speed.py",
    "wall_lag.py",
]
LE, GE, EQ = operator.le, operator.ge, operator.eq
TARGETS: dict[str, tuple[object, float]] = {
    "save_median_ms": (LE, 10),
    "save_median_ms_2000": (LE, 25),
    "save_ratio_history": (LE, 1.2),
    "burst_durable_s": (LE, 1.0),
    "ui_ratio": (LE, 1.5),
    "join_rps": (GE, 300),
    "join_p99_ms": (LE, 100),
    "join_lost": (EQ, 0),
    "join_durable_s": (LE, 1.0),
    "export_md_s": (LE, 0.5),
    "export_html_s": (LE, 0.5),
    "startup_ratio": (LE, 1.3),
    "startup_ratio_cold": (LE, 1.3),
    "export_cmd_s": (LE, 0.5),
    "join_p99_ms_500": (LE, 150),
    "ui_ms_during_burst": (LE, 50),
    "poll_bytes_unchanged": (LE, 200),
    "join_live_lost": (EQ, 0),
    "undo_ms_50k": (LE, 50),
    "resume_ms_50k": (LE, 600),
    "home_ratio_1000": (LE, 1.2),
    "report_s": (LE, 1),
    "wall_lag_ms": (LE, 100),
    "ui_ratio_3_walls": (LE, 1.5),
}
SYMBOL = {LE: "≤", GE: "≥", EQ: "="}
FIGURE = re.compile(r"^([a-z][a-z0-9_]*) = (-?[0-9.]+(?:e[-+]?\d+)?)\s*$")


def run(script: str) -> tuple[dict[str, float], float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(BENCH / script)], capture_output=True, text=True, timeout=1800
    )
    figures = {}
    for line in result.stdout.splitlines():
        match = FIGURE.match(line.strip())
        if match:
            figures[match.group(1)] = float(match.group(2))
    problem = "" if result.returncode == 0 else (result.stderr.strip().splitlines() or ["?"])[-1]
    return figures, time.perf_counter() - start, problem


def target_text(name: str) -> str:
    compare, limit = TARGETS[name]
    return f"{SYMBOL[compare]} {limit:g}"


def main() -> int:
    all_figures: dict[str, float] = {}
    print(f"{'figure':<24} {'value':>10}  {'target':>8}  ok   script")
    failed = False
    for script in [s for s in SCRIPTS if (BENCH / s).exists()]:
        figures, seconds, problem = run(script)
        if problem:
            print(f"{script}: failed after {seconds:.0f} s: {problem}")
            failed = True
        for name, value in figures.items():
            all_figures[name] = value
            verdict, shown = "", ""
            if name in TARGETS:
                compare, limit = TARGETS[name]
                verdict = "yes" if compare(value, limit) else "NO"
                shown = target_text(name)
            print(f"{name:<24} {value:>10g}  {shown:>8}  {verdict:<4} {script}")
    for name in TARGETS:
        if name not in all_figures:  # its script is missing here, or failed
            print(f"{name:<24} {'-':>10}  {target_text(name):>8}  not measured")
    print()
    for name, value in all_figures.items():
        print(f"{name} = {value:g}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
