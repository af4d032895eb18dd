"""The room behind the join page: one session's phones and the rules they live by.

Kept apart from the HTTP server so the request handlers can depend on it
without depending on the server that routes to them. The server may run on
a thread of its own: every read and change of the session goes through
`courier` to the loop that owns it; the rest (tokens, wrong codes, who was
seen) is the server's own, and what the app reads of it is locked.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable

from circle.domain.session import Session
from circle.web.courier import Courier
from circle.web.guard import DeviceTokens, RateLimiter, WrongCodes, new_secret
from circle.web.page import ApiError
from circle.web.snapshot import Board, Fragments, build_live, build_shared
from circle.web.views import EndsAt

log = logging.getLogger("circle.web.server")

WRITE_LIMIT, WRITE_WINDOW_S = 20, 10.0
SEEN_WINDOW_S = 60.0
REDRAW_EVERY_S = 0.1
STALE_OK_S = 0.05
Durable = Callable[[int], Awaitable[None]]


class JoinRoom:
    """The session the phones reach, their tokens, limits and who gave the pulse."""

    def __init__(
        self,
        session_getter: Callable[[], Session],
        on_change: Callable[[], None],
        *,
        secret: bytes | None = None,
        durable: Durable | None = None,
    ) -> None:
        self.session_getter = session_getter
        self.on_change = on_change
        self.durable = durable
        self.tokens = DeviceTokens(secret if secret is not None else new_secret())
        self.wrong_codes = WrongCodes()
        self.limiter = RateLimiter(WRITE_LIMIT, WRITE_WINDOW_S)
        self.ends = EndsAt()
        self.courier = Courier()
        self._board: Board | None = None
        self._fragments: Fragments = {}
        self._wrote: dict[str, int] = {}  # device: the session version its last change made
        # After a slice of phones' changes, the board they poll next is ready.
        self.courier.after_slice = self._board_after_changes
        self._seen: dict[str, float] = {}
        self._seen_lock = threading.Lock()
        self._redrawn_at = -REDRAW_EVERY_S
        self._redraw_due: asyncio.TimerHandle | None = None
        # Who gave the pulse, in memory only: storing it would tie an
        # anonymous score to a device, and a device to a name.
        self._pulsed: set[tuple[str, str]] = set()

    @property
    def devices(self) -> int:
        """Distinct devices (valid tokens) that reached the session in the last minute."""
        cutoff = time.monotonic() - SEEN_WINDOW_S
        with self._seen_lock:  # the app asks from its loop, the server notes from its own
            self._seen = {d: t for d, t in self._seen.items() if t >= cutoff}
            return len(self._seen)

    def saw(self, device: str) -> None:
        with self._seen_lock:
            self._seen[device] = time.monotonic()

    # -- what a phone sees ---------------------------------------------------
    async def board(self, session: Session, device: str) -> Board:
        """The board as it is now, rebuilt on the session's loop only when it moved."""
        board = self._board
        if board is not None and (board.fits(session) or self._fresh_enough(board, device)):
            return board
        return await self.courier.call(lambda: self._rebuild(session))

    def _fresh_enough(self, board: Board, device: str) -> bool:
        """Off the session's loop, in a burst: a board built a moment ago will do,
        if it shows this phone's own last change.

        Every change of a burst makes a new version; rebuilding the board for
        each poll that finds a newer one would cost the session's loop what
        the cache saves. A phone polls every second or so: a board
        `STALE_OK_S` old is news to it all the same.
        """
        if self.courier.owner is None or board.session is not self.session_getter():
            return False
        if time.monotonic() - board.built > STALE_OK_S:
            return False
        return board.shared.version >= self._wrote.get(device, 0)

    def _rebuild(self, session: Session) -> Board:
        board = self._board
        if board is not None and board.fits(session):  # a poll queued ahead rebuilt it
            return board
        shared = board.shared if board is not None and board.session is session else None
        if shared is None or shared.version != session.version:
            shared, self._fragments = build_shared(session, self._fragments)
        self._board = Board(session, shared, build_live(session, self.ends), time.monotonic())
        return self._board

    def _board_after_changes(self) -> None:
        board = self._board
        if board is None or board.session.version == board.shared.version:
            return
        if time.monotonic() - board.built >= STALE_OK_S:
            self._rebuild(board.session)

    def wrote(self, session: Session, device: str) -> None:
        """This device changed the session: its next board shows the change."""
        self._wrote[device] = session.version

    # -- what a phone may do -------------------------------------------------
    def count_write(self, device: str) -> None:
        """One more write from this device, or 429 if it is over its limit."""
        wait = self.limiter.hit(device)
        if wait is not None:
            raise ApiError(
                429,
                f"Too many changes: at most {WRITE_LIMIT} in {WRITE_WINDOW_S:g} seconds",
                {"Retry-After": str(max(1, round(wait)))},
            )

    def changed(self) -> None:
        """Tell the app, at once, or with the next ones once `REDRAW_EVERY_S` has passed.

        A room's burst is hundreds of changes in a fraction of a second: each
        redraw of a long board holds up the keys, so a burst gets a few.
        """
        if self._redraw_due is not None:
            return
        wait = self._redrawn_at + REDRAW_EVERY_S - time.monotonic()
        if wait <= 0:
            self._redraw()
        else:
            self._redraw_due = asyncio.get_running_loop().call_later(wait, self._redraw)

    def _redraw(self) -> None:
        self._redraw_due = None
        self._redrawn_at = time.monotonic()
        try:
            self.on_change()
        except Exception:  # the change is recorded; a redraw hiccup must not fail it
            log.exception("on_change failed")

    async def wait_durable(self, seq: int) -> None:
        if self.durable is None:
            return
        try:
            await self.durable(seq)
        except Exception:
            # The change stays in memory and the writer keeps retrying; the
            # phone must not be told it was saved, nor asked to send it again.
            log.exception("waiting for event %s to be saved failed", seq)
            message = "Received, but not saved to disk yet: the screen shows why"
            raise ApiError(503, message) from None

    def pulsed(self, session: Session, device: str) -> bool:
        return (session.join_code, device) in self._pulsed

    def mark_pulsed(self, session: Session, device: str) -> None:
        self._pulsed.add((session.join_code, device))
