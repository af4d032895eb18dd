"""The join page server: participants' phones talk to the running session.

aiohttp is imported here only (and in the modules next to this one). The
server runs on the loop that calls `start()`: in the app that is the loop
of the join page's own process (`circle.web.process`), where a room's burst
of requests is parsed and answered without holding up a key on the console.
"""

from __future__ import annotations

import errno
import logging
import socket
from collections.abc import Callable

from aiohttp import web

from circle.domain.session import Session
from circle.web import admit, handlers, views
from circle.web.admit import MAX_BODY, SERVER_KEY
from circle.web.desk import WRITE_LIMIT, Durable
from circle.web.room import Changes, JoinRoom
from circle.web.wire import JoinError

log = logging.getLogger("circle.web.server")
# The app owns the terminal: nothing may fall through to logging's stderr
# "last resort" handler and scribble over the projected screen.
for _name in ("circle.web.server", "aiohttp.server", "aiohttp.web", "aiohttp.access"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

DEFAULT_PORT = 8765
PORT_TRIES = 20
__all__ = ["DEFAULT_PORT", "PORT_TRIES", "WRITE_LIMIT", "JoinError", "JoinServer", "lan_address"]


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


class JoinServer(JoinRoom):
    """The join page for one session: the room's rules served over HTTP.

    `secret` signs the device tokens: the app keeps one per session, so phones
    stay known across a resume; without one, a fresh secret lives as long as
    this server. `durable(seq)` returns once every event up to `seq` is on
    disk; without it a write is answered at once. `desk` makes the changes
    where the session lives, if not here (see `JoinRoom`).
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
        desk: Changes | None = None,
        stale_ok_s: float = 0.0,
    ) -> None:
        super().__init__(
            session_getter,
            on_change,
            secret=secret,
            durable=durable,
            desk=desk,
            stale_ok_s=stale_ok_s,
        )
        self.host = host
        self.requested_port = port
        self.port: int | None = None  # where it listens, once it does
        self.address = ""
        self._runner: web.AppRunner | None = None

    # -- lifecycle --------------------------------------------------------
    async def start(self) -> None:
        """Listen, on the running loop."""
        if self._runner is not None:
            return
        await self._listen()
        wildcard = self.host in ("", "0.0.0.0", "::")
        self.address = lan_address() if wildcard else self.host

    async def _listen(self) -> None:
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
            self.port = site.port
            break
        else:
            await runner.cleanup()
            raise JoinError(f"ports {ports[0]} to {ports[-1]} are all in use")
        self._runner = runner

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
    def url(self) -> str:
        return views.join_url(self.address, self.port, self.session_getter().join_code)


def make_app(server: JoinServer) -> web.Application:
    app = web.Application(middlewares=[admit.middleware(server)], client_max_size=MAX_BODY)
    app[SERVER_KEY] = server
    app.on_response_prepare.append(admit.on_prepare(server))
    handlers.add_routes(app.router)
    return app
