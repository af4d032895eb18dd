"""The join page's own process: `python -m circle.web.process`, started by the console.

It reads the console's messages (`circle.web.wire`) on its input and
answers on its output. It keeps a copy of the session, folded from the same
events as the console's, and serves every phone from it; each change a
phone asks for goes to the console (`RemoteDesk`), which makes it on the
session itself. It ends when its input does: when the console stops the
page, quits, or dies. It runs at a lower priority than the console: when
both want the CPU, the facilitator's keys come first.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from circle.domain.clock import FollowedClock
from circle.domain.history import History
from circle.domain.session import Session
from circle.web import wire
from circle.web.desk import Done, Op
from circle.web.page import ApiError
from circle.web.room import STALE_OK_S
from circle.web.server import JoinServer
from circle.web.wire import JoinError

SLICE_S = 0.004
DEVICES_EVERY_S = 1.0
NICE = 10
CLOSING = "The session is closing: try again in a moment"


class RemoteDesk:
    """Changes, made by the console: each request waits for its answer."""

    def __init__(self, send: Callable[[dict[str, Any]], None]) -> None:
        self._send = send
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[Done]] = {}

    async def perform(self, op: Op, device: str, data: dict[str, Any]) -> Done:
        request_id = next(self._ids)
        future: asyncio.Future[Done] = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = future
        self._send({"op": op.value, "id": request_id, "device": device, "data": data})
        try:
            return await future
        finally:
            self._waiting.pop(request_id, None)

    def answer(self, message: dict[str, Any]) -> None:
        future = self._waiting.pop(message["re"], None)
        if future is None or future.done():  # the phone hung up meanwhile
            return
        outcome = wire.outcome(message)
        if isinstance(outcome, Done):
            future.set_result(outcome)
        else:
            future.set_exception(outcome)

    def close(self) -> None:
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(ApiError(503, CLOSING))
        self._waiting.clear()


class Page:
    """The console's messages in; the server's requests and news out."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.WriteTransport) -> None:
        self.reader, self.writer = reader, writer
        self.desk = RemoteDesk(self.send)
        self.clock = FollowedClock()
        self.session: Session | None = None

    def send(self, message: dict[str, Any]) -> None:
        # At once, not at the end of this step of the loop: in a burst one
        # step parses hundreds of requests, and the console can make the
        # first changes meanwhile.
        if not self.writer.is_closing():
            self.writer.write(wire.line(message))

    async def next_message(self) -> dict[str, Any] | None:
        raw = await self.reader.readline()
        return wire.read(raw) if raw else None

    async def copy_session(self) -> dict[str, Any] | None:
        """The hello and the backlog: the session as it stood when the page opened."""
        hello = await self.next_message()
        if hello is None:
            return None
        settings = hello["hello"]
        events: list[dict[str, Any]] = []
        while (message := await self.next_message()) is not None and "go" not in message:
            events.extend(message["backlog"])
        if message is None:
            return None
        self.clock.set(*settings["clock"])
        session = Session(self.clock, base_s=settings["now"], history=History.of(events))
        session.version = settings["version"]
        self.session = session
        return settings

    def heard(self, message: dict[str, Any]) -> None:
        assert self.session is not None
        if "event" in message:
            self.session.follow(message["event"])
        elif "re" in message:
            self.desk.answer(message)
        elif "clock" in message:
            self.clock.set(*message["clock"])

    async def follow(self) -> None:
        """Until the console's messages end: fold its events, pass on its answers."""
        deadline = time.perf_counter() + SLICE_S
        while (message := await self.next_message()) is not None:
            self.heard(message)
            if time.perf_counter() > deadline:  # requests waiting get the loop too
                await asyncio.sleep(0)
                deadline = time.perf_counter() + SLICE_S

    async def tell_devices(self, server: JoinServer) -> None:
        told = -1
        while True:
            devices = server.devices
            if devices != told:
                self.send({"devices": devices})
                told = devices
            await asyncio.sleep(DEVICES_EVERY_S)


async def serve() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 26)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin.buffer)
    writer, _ = await loop.connect_write_pipe(asyncio.Protocol, sys.stdout.buffer)
    page = Page(reader, writer)  # type: ignore[arg-type]
    settings = await page.copy_session()
    if settings is None or page.session is None:
        return
    session = page.session
    server = JoinServer(
        lambda: session,
        lambda: None,  # the console redraws when it makes a change
        host=settings["host"],
        port=settings["port"],
        secret=bytes.fromhex(settings["secret"]),
        desk=page.desk,
        stale_ok_s=STALE_OK_S,
    )
    try:
        await server.start()
    except (JoinError, OSError) as exc:
        page.send({"failed": str(exc)})
        return
    page.send({"listening": [server.port, server.address]})
    devices = asyncio.create_task(page.tell_devices(server))
    try:
        await page.follow()
    finally:
        devices.cancel()
        page.desk.close()
        await server.stop()
        with contextlib.suppress(Exception):
            writer.close()


def main() -> None:
    os.nice(NICE)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


if __name__ == "__main__":
    main()
