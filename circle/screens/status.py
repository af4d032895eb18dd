"""What the app knows and the live screen shows: saving trouble, the join page, the walls.

The app owns one `LiveStatus`, updates it as things change and hands it to the
live screen, which reads it at every tick. Plain data: the screen never asks
the app anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class JoinInfo(NamedTuple):
    """The open join page: its code, where phones go, how many came in the last minute."""

    code: str
    address: str
    devices: int

    def words(self) -> str:
        """'code ABCDEF http://10.0.0.5:8080 · 2 devices'."""
        plural = "" if self.devices == 1 else "s"
        return f"code {self.code} {self.address} · {self.devices} device{plural}"


@dataclass
class LiveStatus:
    save_problem: str | None = None  # why saving is behind; None while it keeps up
    join: JoinInfo | None = None  # None while the join page is closed
    walls: int = 0  # walls attached (`circle wall`); the console shows what is private
