"""The room behind the join page: one session's phones and the rules they live by.

Kept apart from the HTTP server so the request handlers can depend on it
without depending on the server that routes to them. Everything here runs on
the server's own loop, reading its session (in the app, a copy that follows
the console's). Changes go to the `desk`, which makes them where the session
lives: a `Desk` in the same process, or the console's over a pipe. What the
app reads of the room (devices seen) is locked.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from circle.domain.session import Session
from circle.web.desk import Desk, Done, Durable, Op
from circle.web.guard import DeviceTokens, WrongCodes, new_secret
from circle.web.snapshot import Board, Fragments, build_live, build_shared
from circle.web.views import EndsAt

SEEN_WINDOW_S = 60.0
STALE_OK_S = 0.05


class Changes(Protocol):
    """Where phones' changes are made: a `Desk`, here or in another process."""

    async def perform(self, op: Op, device: str, data: dict[str, Any]) -> Done: ...


class JoinRoom:
    """The session the phones reach, their tokens, limits and who gave the pulse.

    `stale_ok_s`: in a burst, a board built that long ago may answer a poll
    (see `_fresh_enough`); 0, every poll sees the session as it is.
    """

    def __init__(
        self,
        session_getter: Callable[[], Session],
        on_change: Callable[[], None],
        *,
        secret: bytes | None = None,
        durable: Durable | None = None,
        desk: Changes | None = None,
        stale_ok_s: float = 0.0,
    ) -> None:
        self.session_getter = session_getter
        self.desk: Changes = desk or Desk(session_getter, on_change, durable)
        self.stale_ok_s = stale_ok_s
        self.tokens = DeviceTokens(secret if secret is not None else new_secret())
        self.wrong_codes = WrongCodes()
        self.ends = EndsAt()
        self._board: Board | None = None
        self._fragments: Fragments = {}
        self._wrote: dict[str, int] = {}  # device: the session version its last change made
        self._seen: dict[str, float] = {}
        self._seen_lock = threading.Lock()
        # Who gave the pulse, as the desk answered: what each phone's board says.
        self._pulsed: set[tuple[str, str]] = set()

    @property
    def devices(self) -> int:
        """Distinct devices (valid tokens) that reached the session in the last minute."""
        cutoff = time.monotonic() - SEEN_WINDOW_S
        with self._seen_lock:  # the app may ask from another thread
            self._seen = {d: t for d, t in self._seen.items() if t >= cutoff}
            return len(self._seen)

    def saw(self, device: str) -> None:
        with self._seen_lock:
            self._seen[device] = time.monotonic()

    # -- what a phone sees ---------------------------------------------------
    def board(self, session: Session, device: str) -> Board:
        """The board as it is now, rebuilt only when it moved."""
        board = self._board
        if board is not None and (board.fits(session) or self._fresh_enough(board, device)):
            return board
        return self._rebuild(session)

    def _fresh_enough(self, board: Board, device: str) -> bool:
        """In a burst, a board built a moment ago will do, if it shows this phone's
        own last change.

        Every change of a burst makes a new version; rebuilding the board for
        each poll that finds a newer one would cost what the cache saves. A
        phone polls every second or so: a board `stale_ok_s` old is news to it
        all the same.
        """
        if board.session is not self.session_getter():
            return False
        if time.monotonic() - board.built > self.stale_ok_s:
            return False
        return board.shared.version >= self._wrote.get(device, 0)

    def _rebuild(self, session: Session) -> Board:
        board = self._board
        shared = board.shared if board is not None and board.session is session else None
        if shared is None or shared.version != session.version:
            shared, self._fragments = build_shared(session, self._fragments)
        self._board = Board(session, shared, build_live(session, self.ends), time.monotonic())
        return self._board

    # -- what a phone may do -------------------------------------------------
    async def change(self, op: Op, device: str, data: dict[str, Any]) -> dict[str, Any]:
        """Have the desk make the change; its answer, once it is on disk."""
        done = await self.desk.perform(op, device, data)
        if done.changed:  # this device's next board shows its change
            self._wrote[device] = max(done.version, self._wrote.get(device, 0))
        if op is Op.PULSE:
            self._pulsed.add((self.session_getter().join_code, device))
        return done.reply

    def pulsed(self, session: Session, device: str) -> bool:
        return (session.join_code, device) in self._pulsed
