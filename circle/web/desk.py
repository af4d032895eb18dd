"""What a phone may change, done where the session lives.

The join page's server runs in a process of its own and only reads a copy
of the session there. Every change a phone asks for comes to the `Desk`, on
the loop that owns the real session (the console's), as an `Op` and its
data: checked completely, counted against the device's write limit, then
made, with no await in between, so there is one copy of the state to change
and nothing to lock. No aiohttp here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any, NamedTuple

from circle.domain.session import Session
from circle.web import page
from circle.web.guard import RateLimiter
from circle.web.page import ApiError, Change

log = logging.getLogger("circle.web.server")

WRITE_LIMIT, WRITE_WINDOW_S = 20, 10.0
REDRAW_EVERY_S = 0.1
# Returns once every event up to the seq given is on disk, with the last one
# that is, if it knows.
Durable = Callable[[int], Awaitable[int | None]]
NOT_SAVED = "Received, but not saved to disk yet: the screen shows why"


class Op(StrEnum):
    """A change a phone may ask for."""

    QUESTION = "question"  # the page's script: JSON {text, name}
    FORM = "form"  # the JavaScript-off form: {text, name}
    VOTE = "vote"  # {id, on}
    HAND = "hand"  # {name, up}
    PULSE = "pulse"  # {score, comment}


class Done(NamedTuple):
    """A change made: the phone's answer, and where the session stands after it."""

    reply: dict[str, Any]
    seq: int  # the last event: the answer waits until it is on disk
    version: int  # the device's next board shows at least this version
    changed: bool


def _vote(desk: Desk, session: Session, device: str, data: dict[str, Any]) -> Change:
    return page.plan_vote(session, device, int(data["id"]), bool(data["on"]))


def _pulse(desk: Desk, session: Session, device: str, data: dict[str, Any]) -> Change:
    give = page.plan_pulse(session, data, already=desk.pulsed(session, device))

    def change() -> dict[str, Any]:
        reply = give()
        desk.mark_pulsed(session, device)
        return reply

    return change


PLANS: dict[Op, Callable[[Desk, Session, str, dict[str, Any]], Change]] = {
    Op.QUESTION: lambda _desk, session, device, data: page.plan_question_json(
        session, device, data
    ),
    Op.FORM: lambda _desk, session, device, data: page.plan_question_form(session, device, data),
    Op.VOTE: _vote,
    Op.HAND: lambda _desk, session, device, data: page.plan_hand(session, device, data),
    Op.PULSE: _pulse,
}


class Desk:
    """Makes phones' changes to the session; `on_change()` tells the app, `durable(seq)`
    returns once every event up to `seq` is on disk (without it, at once)."""

    def __init__(
        self,
        session_getter: Callable[[], Session],
        on_change: Callable[[], None],
        durable: Durable | None = None,
    ) -> None:
        self.session_getter = session_getter
        self.on_change = on_change
        self.durable = durable
        self.limiter = RateLimiter(WRITE_LIMIT, WRITE_WINDOW_S)
        self._redrawn_at = -REDRAW_EVERY_S
        self._redraw_due: asyncio.TimerHandle | None = None
        # Who gave the pulse, in memory only: storing it would tie an
        # anonymous score to a device, and a device to a name.
        self._pulsed: set[tuple[str, str]] = set()

    def act(self, op: Op, device: str, data: dict[str, Any]) -> Done:
        """Check, count the write and make the change, all at once; ApiError or
        DomainError if refused (and then nothing is stored or counted)."""
        session = self.session_getter()
        change = PLANS[op](self, session, device, data)
        self.count_write(device)
        before = session.last_seq
        reply = change()
        changed = session.last_seq != before
        if changed:
            self.changed()
        return Done(reply, session.last_seq, session.version, changed)

    async def perform(self, op: Op, device: str, data: dict[str, Any]) -> Done:
        """`act`, answered once the change is on disk."""
        done = self.act(op, device, data)
        await self.wait_durable(done.seq)
        return done

    async def wait_durable(self, seq: int) -> int:
        """Once every event up to `seq` is on disk: the last one that is (at least
        `seq`). 503 if saving fails or takes too long."""
        if self.durable is None:
            return seq
        try:
            return max(seq, await self.durable(seq) or 0)
        except Exception:
            # The change stays in memory and the writer keeps retrying; the
            # phone must not be told it was saved, nor asked to send it again.
            log.exception("waiting for event %s to be saved failed", seq)
            raise ApiError(503, NOT_SAVED) from None

    def count_write(self, device: str) -> None:
        """One more write from this device, or 429 if it is over its limit."""
        wait = self.limiter.hit(device)
        if wait is not None:
            raise ApiError(
                429,
                f"Too many changes: at most {WRITE_LIMIT} in {WRITE_WINDOW_S:g} seconds",
                {"Retry-After": str(max(1, round(wait)))},
            )

    def pulsed(self, session: Session, device: str) -> bool:
        return (session.join_code, device) in self._pulsed

    def mark_pulsed(self, session: Session, device: str) -> None:
        self._pulsed.add((session.join_code, device))

    # -- telling the app -------------------------------------------------------------
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
