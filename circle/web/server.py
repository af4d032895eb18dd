"""The join page server: participants' phones talk to the running session.

aiohttp is imported here only (and in the modules next to this one); the app
imports this module when the page opens, so start-up stays fast. The server
runs in the app's own event loop: a handler reads its (bounded) body, then
checks and records with no await in between, so there is one copy of the
state and nothing to lock. After every change it calls `on_change()`, which
the app coalesces into one redraw, and answers once `durable(seq)` says the
change is on disk.
"""

from __future__ import annotations

import errno
import logging
import socket
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from circle.domain.errors import CircleError
from circle.domain.session import Session
from circle.web import admit, handlers
from circle.web.admit import MAX_BODY, SERVER_KEY
from circle.web.guard import DeviceTokens, RateLimiter, WrongCodes, new_secret
from circle.web.page import ApiError
from circle.web.views import EndsAt

log = logging.getLogger("circle.web.server")
# The app owns the terminal: nothing may fall through to logging's stderr
# "last resort" handler and scribble over the projected screen.
for _name in ("circle.web.server", "aiohttp.server", "aiohttp.web", "aiohttp.access"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

DEFAULT_PORT = 8765
PORT_TRIES = 20
WRITE_LIMIT, WRITE_WINDOW_S = 20, 10.0
SEEN_WINDOW_S = 60.0
Durable = Callable[[int], Awaitable[None]]


class JoinError(CircleError):
    """The join page can't start: the port is taken or the address can't be bound."""


def lan_address() -> str:
    """The address phones on the room's network reach this machine at."""
    for probe in ("10.254.254.254", "192.168.254.254", "172.16.254.254"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 9))  # UDP connect only picks a route: nothing is sent
                address = sock.getsockname()[0]
        except OSError:
            continue
        if address and not address.startswith(("127.", "0.")):
            return address
    return "127.0.0.1"


class JoinServer:
    """The join page for one session.

    `secret` signs the device tokens: the app keeps one per session, so phones
    stay known across a resume; without one, a fresh secret lives as long as
    this server. `durable(seq)` returns once every event up to `seq` is on
    disk; without it a write is answered at once.
    """

    def __init__(
        self,
        session_getter: Callable[[], Session],
        on_change: Callable[[], None],
        host: str = "0.0.0.0",
        port: int | None = None,
        *,
        secret: bytes | None = None,
        durable: Durable | None = None,
    ) -> None:
        self.session_getter = session_getter
        self.on_change = on_change
        self.host = host
        self.requested_port = port
        self.durable = durable
        self.tokens = DeviceTokens(secret if secret is not None else new_secret())
        self.wrong_codes = WrongCodes()
        self.limiter = RateLimiter(WRITE_LIMIT, WRITE_WINDOW_S)
        self.ends = EndsAt()
        self._port: int | None = None
        self._address = ""
        self._runner: web.AppRunner | None = None
        self._seen: dict[str, float] = {}
        # Who gave the pulse, in memory only: storing it would tie an
        # anonymous score to a device, and a device to a name.
        self._pulsed: set[tuple[str, str]] = set()

    # -- lifecycle --------------------------------------------------------
    async def start(self) -> None:
        if self._runner is not None:
            return
        runner = web.AppRunner(make_app(self), access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        if self.requested_port is not None:
            ports = [self.requested_port]
        else:
            ports = list(range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES))
        for port in ports:
            # A room's burst arrives at once: a short backlog would drop SYNs.
            site = web.TCPSite(runner, self.host, port, backlog=1024)
            try:
                await site.start()
            except OSError as exc:
                await site.stop()
                if exc.errno == errno.EADDRINUSE and self.requested_port is None:
                    continue
                await runner.cleanup()
                raise JoinError(self._bind_message(port, exc)) from None
            self._port = site.port
            break
        else:
            await runner.cleanup()
            raise JoinError(f"ports {ports[0]} to {ports[-1]} are all in use")
        self._runner = runner
        wildcard = self.host in ("", "0.0.0.0", "::")
        self._address = lan_address() if wildcard else self.host

    def _bind_message(self, port: int, exc: OSError) -> str:
        if exc.errno == errno.EADDRINUSE:
            return f"port {port} is already in use"
        if exc.errno == errno.EACCES:
            return f"not allowed to listen on port {port} (try a port above 1024)"
        reason = exc.strerror or type(exc).__name__
        return f"can't listen on {self.host} port {port}: {reason}"

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def port(self) -> int | None:
        return self._port

    @property
    def address(self) -> str:
        return self._address

    @property
    def url(self) -> str:
        host = f"[{self._address}]" if ":" in self._address else self._address
        return f"http://{host}:{self._port}/?code={self.session_getter().join_code}"

    @property
    def devices(self) -> int:
        """Distinct devices (valid tokens) that reached the session in the last minute."""
        cutoff = time.monotonic() - SEEN_WINDOW_S
        self._seen = {d: t for d, t in self._seen.items() if t >= cutoff}
        return len(self._seen)

    def saw(self, device: str) -> None:
        self._seen[device] = time.monotonic()

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


def make_app(server: JoinServer) -> web.Application:
    app = web.Application(middlewares=[admit.middleware(server)], client_max_size=MAX_BODY)
    app[SERVER_KEY] = server
    app.on_response_prepare.append(admit.on_prepare(server))
    handlers.add_routes(app.router)
    return app
