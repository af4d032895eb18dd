"""Run every benchmark and print one table, each figure beside its target.

    python bench/run_all.py

Each script in bench/ ends with `name = value` lines (spec §9); this collects
them, prints a table with the targets of the issues, and ends with all the
`name = value` lines so that runs can be compared.
"""

from __future__ import annotations

import operator
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = ["save_latency.py", "ui_latency.py", "join_load.py", "export_speed.py", "startup.py"]
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


def main() -> int:
    all_figures: dict[str, float] = {}
    print(f"{'figure':<24} {'value':>10}  {'target':>8}  ok   script")
    failed = False
    for script in SCRIPTS:
        figures, seconds, problem = run(script)
        if problem:
            print(f"{script}: failed after {seconds:.0f} s: {problem}")
            failed = True
        for name, value in figures.items():
            all_figures[name] = value
            target = TARGETS.get(name)
            if target is None:
                verdict, shown = "", ""
            else:
                compare, limit = target
                verdict = "yes" if compare(value, limit) else "NO"
                shown = f"{SYMBOL[compare]} {limit:g}"
            print(f"{name:<24} {value:>10g}  {shown:>8}  {verdict:<4} {script}")
    print()
    for name, value in all_figures.items():
        print(f"{name} = {value:g}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
