"""Work the join server hands to the loop that owns the session.

The join server runs on a thread of its own, so a room's burst of requests
is parsed there and never queues in front of a key. The session is not
thread-safe, though: every read and change of it runs on the loop that owns
it (the app's). A burst's jobs are run there in slices of at most `SLICE_S`,
each slice one callback, so a key pressed meanwhile waits at most a slice.
Called on the owner's own loop (or with no owner), a job runs at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger("circle.web.server")
SLICE_S = 0.004

_Job = tuple[Callable[[], Any], asyncio.AbstractEventLoop, "asyncio.Future[Any]"]
_Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]


class OwnerGone(RuntimeError):
    """The loop that owns the session has closed: the job can't run."""


def _settle(outcomes: list[_Outcome]) -> None:
    for future, result, error in outcomes:
        if future.done():  # the request was cancelled meanwhile
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)


class Courier:
    def __init__(self) -> None:
        self.owner: asyncio.AbstractEventLoop | None = None
        self._jobs: deque[_Job] = deque()
        self._lock = threading.Lock()
        self._draining = False
        # Run on the owner's loop after each slice, before anyone waiting hears back.
        self.after_slice: Callable[[], None] | None = None

    async def call(self, job: Callable[[], T]) -> T:
        """`job()` run on the owner's loop; its result, or its exception raised here."""
        loop = asyncio.get_running_loop()
        owner = self.owner
        if owner is None or owner is loop:
            return job()
        future: asyncio.Future[T] = loop.create_future()
        with self._lock:
            self._jobs.append((job, loop, future))
            wake, self._draining = not self._draining, True
        if wake:
            try:
                owner.call_soon_threadsafe(self._drain)
            except RuntimeError:  # the owner's loop is closed
                with self._lock:
                    self._jobs.clear()
                    self._draining = False
                raise OwnerGone("the session's loop has closed") from None
        return await future

    def _drain(self) -> None:
        """Run queued jobs for one slice, then let the owner's loop breathe."""
        deadline = time.perf_counter() + SLICE_S
        outcomes: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
        more = True
        while more:
            with self._lock:
                if not self._jobs:
                    self._draining = more = False
                    break
                job, loop, future = self._jobs.popleft()
            try:
                outcome: _Outcome = (future, job(), None)
            except Exception as exc:  # the request's own error, raised where it waits
                outcome = (future, None, exc)
            outcomes.setdefault(loop, []).append(outcome)
            if time.perf_counter() > deadline:
                break
        if outcomes and self.after_slice is not None:
            try:
                self.after_slice()
            except Exception:  # the changes are made: their answers must still go out
                log.exception("after a slice of the join page's jobs")
        for loop, settled in outcomes.items():
            with contextlib.suppress(RuntimeError):  # the server's loop closed: nobody waits
                loop.call_soon_threadsafe(_settle, settled)
        if more and self.owner is not None:
            self.owner.call_soon(self._drain)
