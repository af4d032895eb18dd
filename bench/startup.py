"""Start-up: launch to the complete first live screen, against a minimal Textual app.

    python bench/startup.py [--rounds N]

Three programs run in a real pseudo-terminal (120x40), in rounds, the order
turned each round so that machine noise hits them alike:

- `circle demo` with a warm agenda cache (the cache primed once beforehand),
- `circle demo` cold: XDG_CACHE_HOME an empty directory, fresh for each run,
  as for a first-time user; the OS page cache is warm for both. (The demo's
  agenda is a bundled template, read already parsed from agendas/parsed.json,
  so neither run imports markdown-it: the agenda cache is for a person's own
  agenda files. Cold still shows what an empty cache directory costs.)
- a minimal Textual app showing one Static.

Each run gets an empty data directory. The clock stops at the complete first
frame: the last byte before the output goes quiet (bench/ptyframe.py), not
at the frame's first text.

Figures (medians over the rounds):
- startup_ms, startup_cold_ms, startup_minimal_ms
- startup_first_text_ms  circle demo (warm) to the frame's first text, as the
                         bench timed before: how much of the frame came after
- startup_ratio          startup_ms / startup_minimal_ms       (target <= 1.3)
- startup_ratio_cold     startup_cold_ms / startup_minimal_ms  (target <= 1.3)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ptyframe import SPREAD_HEADER, Frame, spread, time_to_frame  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Minimal(App):\n"
    "    def compose(self):\n"
    "        yield Static('minimal-ready')\n"
    "Minimal().run()\n"
)


def compile_bytecode() -> None:
    """Like `pip install` does: compare with bytecode on both sides.

    Textual's bytecode was compiled when it was installed; circle's, in an
    editable checkout, may never be (PYTHONDONTWRITEBYTECODE is common in CI).
    """
    import compileall

    compileall.compile_dir(str(ROOT / "circle"), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("STARTUP_PAIRS", "15")))
    rounds = parser.parse_args().rounds
    compile_bytecode()
    base = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    circle = [sys.executable, "-m", "circle", "demo"]
    minimal = [sys.executable, "-c", MINIMAL]
    runs: dict[str, list[Frame]] = {"warm": [], "cold": [], "minimal": []}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        warm_cache = root / "cache-warm"

        def env(cache: Path) -> dict[str, str]:
            data = tempfile.mkdtemp(dir=root, prefix="data-")
            return {**base, "XDG_CACHE_HOME": str(cache), "CIRCLE_DATA_DIR": data}

        def cold_cache() -> Path:
            return Path(tempfile.mkdtemp(dir=root, prefix="cache-cold-"))

        def one(kind: str) -> Frame:
            if kind == "minimal":
                return time_to_frame(minimal, b"minimal-ready", env(warm_cache))
            cache = warm_cache if kind == "warm" else cold_cache()
            return time_to_frame(circle, b"Demo circle", env(cache))

        # Warm-up: primes the warm cache and the page cache for all three.
        for kind in runs:
            one(kind)
        kinds = list(runs)
        for round_ in range(rounds):
            for kind in kinds[round_ % 3 :] + kinds[: round_ % 3]:
                runs[kind].append(one(kind))
    median = {k: statistics.median(f.complete_s for f in frames) for k, frames in runs.items()}
    first_text = statistics.median(f.first_text_s for f in runs["warm"])
    cores = os.cpu_count()
    print(f"start-up to the complete first frame, 120x40 pty, {rounds} rounds, {cores} cores")
    print(f"  {'program':<26} {SPREAD_HEADER}   frame bytes")
    names = {"warm": "circle demo, warm cache", "cold": "circle demo, empty cache"}
    for kind, frames in runs.items():
        size = statistics.median(f.bytes for f in frames)
        label = names.get(kind, "minimal Textual app")
        print(f"  {label:<26} {spread([f.complete_s for f in frames])}   {size:>8.0f}")
    print(f"  {'circle demo, first text':<26} {spread([f.first_text_s for f in runs['warm']])}")
    for kind in ("warm", "cold"):
        each = sorted(
            a.complete_s / b.complete_s for a, b in zip(runs[kind], runs["minimal"], strict=True)
        )
        print(f"  {kind} / minimal, round by round: {each[0]:.2f} .. {each[-1]:.2f}")
    print()
    print(f"startup_ms = {median['warm'] * 1000:.0f}")
    print(f"startup_first_text_ms = {first_text * 1000:.0f}")
    print(f"startup_cold_ms = {median['cold'] * 1000:.0f}")
    print(f"startup_minimal_ms = {median['minimal'] * 1000:.0f}")
    print(f"startup_ratio = {median['warm'] / median['minimal']:.2f}")
    print(f"startup_ratio_cold = {median['cold'] / median['minimal']:.2f}")


if __name__ == "__main__":
    main()
