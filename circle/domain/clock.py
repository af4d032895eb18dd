"""Injected clocks: the domain never reads the time itself.

The monotonic reading drives every timer; the wall reading is only for
display and the minutes. Tests use `FakeClock` and move time by hand.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def wall(self) -> float: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock for tests: starts where told and only moves with `advance`."""

    def __init__(self, monotonic: float = 1000.0, wall: float = 1_790_000_000.0) -> None:
        self._mono = monotonic
        self._wall = wall

    def monotonic(self) -> float:
        return self._mono

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += seconds

    def jump_wall(self, seconds: float) -> None:
        """The wall clock jumps (NTP, DST, a user) while monotonic time does not."""
        self._wall += seconds


class FollowedClock:
    """Another process's clock, as last heard, run on by this machine's own.

    The join page's process shows the console's session: its timers must
    read the console's time, fake or real, not a clock of their own. Between
    two readings it moves with the local monotonic clock.
    """

    def __init__(self, monotonic: float = 0.0, wall: float = 0.0) -> None:
        self.set(monotonic, wall)

    def set(self, monotonic: float, wall: float) -> None:
        self._mono, self._wall, self._since = monotonic, wall, time.monotonic()

    def monotonic(self) -> float:
        return self._mono + time.monotonic() - self._since

    def wall(self) -> float:
        return self._wall + time.monotonic() - self._since
