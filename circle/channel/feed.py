"""The wall's side of the channel: follow a session's snapshots, whatever happens.

    async with WallFeed(data_dir, session_id) as feed:
        async for update in feed:
            if update.running: show(update.snapshot)
            else: say "Session not running"

The feed reads the socket as fast as lines come (so the console never waits
for the wall) and hands the consumer only the latest update: a wall busy
drawing skips to the newest snapshot. When the console goes away (it quit,
crashed or was killed) the feed says so once and tries again every
`retry_s`, and follows the session again by itself once it is resumed.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any, NamedTuple

import circle.channel.paths as paths
from circle.channel.framing import HELLO, LineSplitter, decode

RETRY_S = 0.5
READ_CHUNK = 1 << 16


class FeedUpdate(NamedTuple):
    """`running` False: the console isn't there (`snapshot` is then the last one seen)."""

    running: bool
    snapshot: dict[str, Any] | None


class WallFeed:
    def __init__(self, data_dir: Path, session_id: str, *, retry_s: float = RETRY_S) -> None:
        self.data_dir = Path(data_dir)
        self.session_id = session_id
        self.retry_s = retry_s
        self.running: bool | None = None  # None until the first attempt has told
        self.latest: dict[str, Any] | None = None
        self._pending: FeedUpdate | None = None
        self._ready = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._closed = False

    # -- life -----------------------------------------------------------------
    def start(self) -> None:
        """Begin following (also done by the first `async for` step)."""
        if self._task is None and not self._closed:
            self._task = asyncio.create_task(self._follow())

    async def aclose(self) -> None:
        self._closed = True
        self._ready.set()  # a consumer waiting for an update ends its loop
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def __aenter__(self) -> WallFeed:
        self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- the consumer's side ----------------------------------------------------
    def __aiter__(self) -> WallFeed:
        return self

    async def __anext__(self) -> FeedUpdate:
        self.start()
        while True:
            if self._closed:
                raise StopAsyncIteration
            await self._ready.wait()
            self._ready.clear()
            update, self._pending = self._pending, None
            if update is not None and not self._closed:
                return update

    def _report(self, update: FeedUpdate) -> None:
        self._pending = update  # replaces one the consumer hasn't taken: latest only
        self._ready.set()

    def _got(self, snapshot: dict[str, Any]) -> None:
        self.running, self.latest = True, snapshot
        self._report(FeedUpdate(True, snapshot))

    def _lost(self) -> None:
        if self.running is not False:  # said once, not at every retry
            self.running = False
            self._report(FeedUpdate(False, self.latest))

    # -- the socket's side ------------------------------------------------------
    async def _follow(self) -> None:
        while True:
            streams = await self._connect()
            if streams is not None:
                await self._read(*streams)
            self._lost()
            await asyncio.sleep(self.retry_s)

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        # Asked afresh each time: a resumed console may serve from elsewhere.
        path = paths.socket_path(self.data_dir, self.session_id)
        if path is None:
            return None
        try:
            reader, writer = await asyncio.open_unix_connection(str(path))
        except (OSError, ValueError):
            return None
        writer.write(HELLO)
        return reader, writer

    async def _read(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        splitter = LineSplitter()
        try:
            while data := await reader.read(READ_CHUNK):
                for line in splitter.feed(data):
                    snapshot = decode(line)
                    if snapshot is not None:  # a malformed line is skipped, not fatal
                        self._got(snapshot)
        except OSError:
            pass
        finally:
            writer.transport.abort()
