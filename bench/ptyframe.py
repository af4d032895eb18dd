"""Time a terminal program to its complete first frame, in a real pseudo-terminal.

Used by bench/startup.py and bench/home_load.py (not a benchmark itself).

A Textual app writes its first screen in several pieces: terminal set-up
sequences, then the frame (tens of KB, which the pty hands over 4 KB at a
time), and a few tens of milliseconds later a second full repaint that
Textual makes once it has settled the terminal's size (a minimal Textual app
does it too). The first text of the frame is no sign that the screen is
drawn: the frame is complete when the output goes quiet. So the clock stops
at the last byte written before `QUIET_S` of silence, once a marker text has
been seen. The live screen's clock ticks once a second, well after that.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

QUIET_S = 0.3


@dataclass
class Frame:
    first_text_s: float  # the marker text arrived (what the old startup bench timed)
    complete_s: float  # the last byte before the output went quiet
    bytes: int  # everything written up to complete_s


ROOT = Path(__file__).resolve().parent.parent


def time_to_frame(
    argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 30
) -> Frame:
    """Spawn `argv` on a pty, in the checkout (so `-m circle` is this one); time its first frame."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        try:
            os.chdir(ROOT)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    seen = b""
    first: float | None = None
    last = start
    total = 0
    try:
        while True:
            now = time.perf_counter()
            if now - start > timeout:
                raise RuntimeError(f"{argv!r} did not settle within {timeout} s")
            if first is not None and now - last >= QUIET_S:
                return Frame(first - start, last - start, total)
            ready, _, _ = select.select([fd], [], [], 0.01)
            if not ready:
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:  # the program exited
                raise RuntimeError(f"{argv!r} exited before its frame: {seen[-300:]!r}") from None
            last = time.perf_counter()
            total += len(data)
            if first is None:
                seen = (seen + data)[-8192:]
                if marker in seen.replace(b"\x1b", b""):
                    first = last
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def spread(times: list[float]) -> str:
    """Median, quartiles and extremes in ms: how noisy the machine was."""
    ordered = sorted(times)
    q1, _, q3 = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else (ordered * 3)
    return (
        f"{statistics.median(ordered) * 1000:>8.0f} {q1 * 1000:>7.0f} {q3 * 1000:>7.0f} "
        f"{ordered[0] * 1000:>7.0f} {ordered[-1] * 1000:>7.0f}"
    )


SPREAD_HEADER = f"{'median':>8} {'q1':>7} {'q3':>7} {'min':>7} {'max':>7}  ms"
