"""Asyncio futures waiting until an event is on disk, settled by the writer thread.

One heap of futures for every waiter, ordered by the seq each one waits
for: the writer settles the due ones after each commit through their loop's
`call_soon_threadsafe`, so no thread is ever started per waiter.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
from typing import TYPE_CHECKING

from circle.domain.errors import StorageError

if TYPE_CHECKING:  # the running app has asyncio loaded; `circle sessions` needn't
    import asyncio


class NotSaved(StorageError):
    """The writer stopped before the awaited event was on disk."""


class DurableWaiters:
    """Not thread-safe by itself: the writer calls it under its own lock."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._order = itertools.count()  # ties on seq never compare futures

    def add(self, seq: int, loop: asyncio.AbstractEventLoop, future: asyncio.Future[None]) -> None:
        heapq.heappush(self._heap, (seq, next(self._order), loop, future))

    def due(self, durable_seq: int) -> list[tuple[asyncio.AbstractEventLoop, asyncio.Future]]:
        """Take every waiter whose event is durable now."""
        ready = []
        while self._heap and self._heap[0][0] <= durable_seq:
            _, _, loop, future = heapq.heappop(self._heap)
            ready.append((loop, future))
        return ready

    def take_all(self) -> list[tuple[asyncio.AbstractEventLoop, asyncio.Future]]:
        ready = [(loop, future) for _, _, loop, future in self._heap]
        self._heap = []
        return ready


def settle(
    waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future]],
    error: BaseException | None = None,
) -> None:
    """Resolve futures on their own loops (from any thread): one wake-up per
    loop, however many phones were waiting on it."""
    by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future]] = {}
    for loop, future in waiters:
        by_loop.setdefault(loop, []).append(future)
    for loop, futures in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
            loop.call_soon_threadsafe(_settle, futures, error)


def _settle(futures: list[asyncio.Future[None]], error: BaseException | None) -> None:
    for future in futures:
        if future.done():  # cancelled by a timeout meanwhile
            continue
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(error)
