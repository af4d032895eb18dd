"""Start-up: launch to the first drawn live screen, against a minimal Textual app.

Both run in a real pseudo-terminal; the clock stops when the screen shows a
marker text. Pairs alternate so that machine noise hits both alike.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

PAIRS = int(os.environ.get("STARTUP_PAIRS", "20"))
MINIMAL = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Minimal(App):\n"
    "    def compose(self):\n"
    "        yield Static('minimal-ready')\n"
    "Minimal().run()\n"
)


def time_to_text(argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 30) -> float:
    """Seconds from spawn until `marker` appears on the terminal."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(argv[0], argv, env)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
                if marker in seen.replace(b"\x1b", b""):
                    return time.perf_counter() - start
                seen = seen[-4096:]
        raise RuntimeError(f"{argv!r} did not show {marker!r} within {timeout} s")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def compile_bytecode() -> None:
    """Like `pip install` does: compare with bytecode on both sides.

    Textual's bytecode was compiled when it was installed; circle's, in an
    editable checkout, may never be (PYTHONDONTWRITEBYTECODE is common in CI).
    """
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "circle"), quiet=1)


def main() -> None:
    compile_bytecode()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    circle = [sys.executable, "-m", "circle", "demo"]
    minimal = [sys.executable, "-c", MINIMAL]
    circle_times, minimal_times = [], []
    with tempfile.TemporaryDirectory() as data:
        env["CIRCLE_DATA_DIR"] = data
        # One warm-up each, so both start with the same page cache.
        time_to_text(circle, b"Demo circle", env)
        time_to_text(minimal, b"minimal-ready", env)
        for _ in range(PAIRS):
            circle_times.append(time_to_text(circle, b"Demo circle", env))
            minimal_times.append(time_to_text(minimal, b"minimal-ready", env))
    c, m = statistics.median(circle_times), statistics.median(minimal_times)
    print(
        f"{'app':<20} {'median ms':>10} {'min ms':>8} {'max ms':>8}   ({PAIRS} alternating pairs)"
    )
    for name, times in (("circle demo", circle_times), ("minimal Textual", minimal_times)):
        print(
            f"{name:<20} {statistics.median(times) * 1000:>10.0f} {min(times) * 1000:>8.0f} "
            f"{max(times) * 1000:>8.0f}"
        )
    print(f"startup_ms = {c * 1000:.0f}")
    print(f"startup_minimal_ms = {m * 1000:.0f}")
    print(f"startup_ratio = {c / m:.2f}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
