"""The console's end of the join page, which runs in a process of its own.

A room's burst is hundreds of requests in a second: parsing, checking and
answering them in the console's process took the CPU (and Python's lock)
from the keys. So the page's server runs in a child process
(`circle.web.process`) on a copy of the session: it gets the session's
events as they are recorded and folds them as the console did, answering
every poll from its copy. A change a phone asks for comes back here, where
the `Desk` makes it on the session itself, one request at a time on the
console's loop in slices of at most `SLICE_S`: each step of a key's way to
the screen waits at most a slice. The answer goes back once the change is
on disk. No aiohttp here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from circle.domain.errors import DomainError
from circle.domain.events import Event
from circle.domain.session import Session
from circle.web import views, wire
from circle.web.desk import Desk, Done, Durable, Op
from circle.web.page import ApiError
from circle.web.wire import JoinError

log = logging.getLogger("circle.web.server")

# A key's way to the screen takes several steps of the loop: each waits for a slice.
SLICE_S = 0.001
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 3.0
LOST = "The join page stopped unexpectedly: press j to open it again"


class JoinLink:
    """The join page for one session, served by a child process.

    `secret` signs the device tokens, `durable(seq)` returns once every event
    up to `seq` is on disk, `on_change()` asks the app for a redraw and
    `on_lost(message)` says the page's process ended without being asked.
    """

    def __init__(
        self,
        session_getter: Callable[[], Session],
        on_change: Callable[[], None],
        host: str = "0.0.0.0",
        port: int | None = None,
        *,
        secret: bytes,
        durable: Durable | None = None,
        on_lost: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.session_getter = session_getter
        self.desk = Desk(session_getter, on_change, durable)
        self.host, self.requested_port, self.secret = host, port, secret
        self.on_lost = on_lost
        self.devices = 0
        self.port: int | None = None  # where it listens, once it does
        self.address = ""
        self._child: asyncio.subprocess.Process | None = None
        self._session: Session | None = None
        self._out: list[bytes] = []
        self._open = False  # the backlog is sent: events and answers may follow
        self._flush_due = False
        self._reading: asyncio.Task[None] | None = None
        self._saving: asyncio.Task[None] | None = None
        self._unsaved: deque[tuple[int, Done]] = deque()  # answers waiting for the disk
        self._stopping = False

    # -- lifecycle ---------------------------------------------------------------------
    async def start(self) -> None:
        """Start the page's process and return once it listens; JoinError if it can't."""
        if self._child is not None:
            return
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "circle.web.process",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,  # the console owns the terminal
            env=_child_env(),
            limit=1 << 24,
        )
        self._child = child
        try:
            await self._hand_over(child)
            message = await asyncio.wait_for(self._first_word(child), START_TIMEOUT_S)
        except BaseException:
            await self.stop()
            raise
        if "failed" in message:
            await self.stop()
            raise JoinError(message["failed"])
        self.port, self.address = message["listening"]
        self._reading = asyncio.create_task(self._read(child))

    async def _hand_over(self, child: asyncio.subprocess.Process) -> None:
        """The session so far, then every event as it is recorded, nothing twice."""
        assert child.stdin is not None
        session = self.session_getter()
        # No await between taking the log and listening: no event is missed.
        events = list(session.events)
        session.listeners.append(self._on_event)
        self._session = session
        clock = session.clock
        hello = {
            "host": self.host,
            "port": self.requested_port,
            "secret": self.secret.hex(),
            "clock": [clock.monotonic(), clock.wall()],
            "now": session.now(),
            "version": session.version,
        }
        child.stdin.write(wire.line({"hello": hello}))
        # Events never change once recorded: they are encoded off the UI's loop.
        for chunk in await asyncio.to_thread(wire.backlog, events):
            child.stdin.write(chunk)
            await child.stdin.drain()
        child.stdin.write(wire.line({"go": 1}))
        self._open = True
        self._flush()

    async def _first_word(self, child: asyncio.subprocess.Process) -> dict[str, Any]:
        assert child.stdout is not None
        raw = await child.stdout.readline()
        if not raw:
            raise JoinError("the join page's process ended before it could listen")
        return wire.read(raw)

    async def stop(self) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        self._stopping = True
        self._detach()
        for task in (self._reading, self._saving):
            if task is not None:
                task.cancel()
        if child.stdin is not None:
            child.stdin.close()  # the page stops once its input ends
        try:
            await asyncio.wait_for(child.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                child.kill()
            await child.wait()

    @property
    def running(self) -> bool:
        return self._child is not None and self.port is not None

    @property
    def url(self) -> str:
        return views.join_url(self.address, self.port, self.session_getter().join_code)

    def tick(self) -> None:
        """The session clock, again: the page's timers follow a clock that can jump."""
        session = self._session
        if session is not None:
            self._send({"clock": [session.clock.monotonic(), session.clock.wall()]})

    # -- to the page -------------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        self._send({"event": event})

    def _send(self, message: dict[str, Any]) -> None:
        self._out.append(wire.line(message))
        if self._open and not self._flush_due:
            self._flush_due = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        """What was said since the last flush, in one write."""
        self._flush_due = False
        child = self._child
        if not self._open or child is None or child.stdin is None or not self._out:
            return
        out, self._out = self._out, []
        if not child.stdin.is_closing():
            child.stdin.write(b"".join(out))

    # -- from the page -----------------------------------------------------------------
    async def _read(self, child: asyncio.subprocess.Process) -> None:
        assert child.stdout is not None
        stdout = child.stdout
        deadline = time.perf_counter() + SLICE_S
        while raw := await stdout.readline():
            try:
                self._heard(wire.read(raw))
            except Exception:  # one bad line must not end the page
                log.exception("from the join page's process: %r", raw[:200])
            # A burst's requests arrive faster than one step of the loop:
            # keys pressed meanwhile get the loop at least every slice.
            if time.perf_counter() > deadline:
                self._flush()  # this slice's answers go now, not after the keys
                await asyncio.sleep(0)
                deadline = time.perf_counter() + SLICE_S
        if not self._stopping:
            self._child = None
            self._detach()
            self.on_lost(LOST)

    def _detach(self) -> None:
        """Nothing more goes to the page: the session no longer tells this link."""
        self._open = False
        self._out.clear()
        if self._session is not None:
            with contextlib.suppress(ValueError):
                self._session.listeners.remove(self._on_event)

    def _heard(self, message: dict[str, Any]) -> None:
        if "op" in message:
            try:
                op = Op(message["op"])
            except ValueError as exc:  # the two ends don't agree: a bug, never a hang
                log.exception("an unknown change from the join page")
                self._send(wire.answer(message["id"], exc))
                return
            self._act(message["id"], op, message["device"], message["data"])
        elif "devices" in message:
            self.devices = int(message["devices"])

    def _act(self, request_id: int, op: Op, device: str, data: dict[str, Any]) -> None:
        try:
            done = self.desk.act(op, device, data)
        except (ApiError, DomainError) as exc:
            self._send(wire.answer(request_id, exc))
            return
        except Exception as exc:  # never a stack trace to a phone
            log.exception("a change from the join page failed: %s", op)
            self._send(wire.answer(request_id, exc))
            return
        self._unsaved.append((request_id, done))
        if self._saving is None or self._saving.done():
            self._saving = asyncio.create_task(self._answer_when_saved())

    async def _answer_when_saved(self) -> None:
        """Answer the changes in order, each once it is on disk (or once saving failed)."""
        while self._unsaved:
            seq = self._unsaved[0][1].seq
            outcome: ApiError | None = None
            try:
                # Everything on disk by now is answered in this one pass.
                seq = await self.desk.wait_durable(seq)
            except ApiError as exc:
                outcome = exc
            while self._unsaved and self._unsaved[0][1].seq <= seq:
                request_id, done = self._unsaved.popleft()
                self._send(wire.answer(request_id, outcome or done))
            self._flush()


def _child_env() -> dict[str, str]:
    """The page's process imports this very circle, installed or not."""
    env = dict(os.environ)
    here = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    return env
