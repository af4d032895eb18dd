"""The join page server: participants' phones talk to the running session (§6).

aiohttp is imported here only; the app imports this module when the page
opens, so start-up stays fast. The server runs in the app's own event loop:
a handler reads its (bounded) body, then checks and records with no await in
between, so there is one copy of the state and nothing to lock. After every
change it calls `on_change()`, which the app coalesces into one redraw.
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import logging
import re
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from importlib.resources import files
from urllib.parse import quote

from aiohttp import web

from circle.domain.errors import CircleError, DomainError
from circle.domain.session import Session
from circle.web import page
from circle.web.page import ApiError, RateLimiter

log = logging.getLogger("circle.web.server")
# The app owns the terminal: nothing may fall through to logging's stderr
# "last resort" handler and scribble over the projected screen.
for _name in ("circle.web.server", "aiohttp.server", "aiohttp.web", "aiohttp.access"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

DEFAULT_PORT = 8765
PORT_TRIES = 20
MAX_BODY = 4096
BODY_TIMEOUT_S = 10.0
WRITE_LIMIT, WRITE_WINDOW_S = 20, 10.0
SEEN_WINDOW_S = 60.0
DEVICE_COOKIE, CODE_COOKIE = "circle_device", "circle_code"
CODE_HEADER = "X-Circle-Code"
DEVICE_MAX_AGE_S = 7 * 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
STATIC = {"page.js": "text/javascript", "page.css": "text/css"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# What the guard middleware works out once, for the handlers.
DEVICE_KEY = web.RequestKey("device", str)
FRESH_KEY = web.RequestKey("fresh", bool)  # came without a device cookie
BODY_KEY = web.RequestKey("body", bytes)
FORM_KEY = web.RequestKey("form", dict)  # dict[str, str] or None when unreadable
CODE_KEY = web.RequestKey("code", str)
SESSION_KEY = web.RequestKey("session", Session)


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
    def __init__(
        self,
        session_getter: Callable[[], Session],
        on_change: Callable[[], None],
        host: str = "0.0.0.0",
        port: int | None = None,
    ) -> None:
        self.session_getter = session_getter
        self.on_change = on_change
        self.host = host
        self.requested_port = port
        self.limiter = RateLimiter(WRITE_LIMIT, WRITE_WINDOW_S)
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
        """Distinct devices that reached the session in the last minute."""
        cutoff = time.monotonic() - SEEN_WINDOW_S
        self._seen = {d: t for d, t in self._seen.items() if t >= cutoff}
        return len(self._seen)

    # -- what a phone may do -------------------------------------------------
    def changed(self) -> None:
        try:
            self.on_change()
        except Exception:  # the change is recorded; a redraw hiccup must not fail it
            log.exception("on_change failed")

    def pulsed(self, session: Session, device: str) -> bool:
        return (session.join_code, device) in self._pulsed


# -- request plumbing ------------------------------------------------------------
def _same_code(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.strip().upper().encode(), expected.encode())


def _given_code(request: web.Request) -> str | None:
    """An explicit code (query, header, form) wins over the page's cookie."""
    form = request.get(FORM_KEY) or {}
    for given in (request.query.get("code"), request.headers.get(CODE_HEADER), form.get("code")):
        if given is not None:
            return given
    return _cookie(request, CODE_COOKIE)


def _cookie(request: web.Request, name: str) -> str | None:
    """One cookie's value; plainer and quicker than parsing them all."""
    for part in request.headers.get("Cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip('"')
    return None


def _device_token(request: web.Request) -> str | None:
    token = _cookie(request, DEVICE_COOKIE)
    return token if token and _TOKEN.fullmatch(token) else None


async def _read_body(request: web.Request) -> bytes:
    """At most 4 KB, whatever Content-Length claims (or doesn't)."""
    length = request.content_length
    if length is not None and length > MAX_BODY:
        raise ApiError(413, "The request body is over 4 KB")
    if not request.body_exists:
        return b""
    content = request.content
    body = content.read_nowait(MAX_BODY + 1)  # a phone's small body is usually all here
    if not content.is_eof() and len(body) <= MAX_BODY:
        chunks = [body]
        size = len(body)
        try:
            async with asyncio.timeout(BODY_TIMEOUT_S):  # a trickling body can't hold us
                while size <= MAX_BODY:
                    chunk = await content.read(MAX_BODY + 1 - size)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
        except TimeoutError:
            raise ApiError(408, "The request body took too long") from None
        body = b"".join(chunks)
    if len(body) > MAX_BODY:
        raise ApiError(413, "The request body is over 4 KB")
    return body


def _wants_html(request: web.Request) -> bool:
    return request.path in ("/", "/ask") and "text/html" in request.headers.get("Accept", "")


def _error(
    request: web.Request, status: int, message: str, headers: dict[str, str]
) -> web.Response:
    if _wants_html(request):
        if status == 403 and request.method == "GET":
            body = page.render_code_form(message)
        else:
            body = page.render_error(message, _session_code(request))
        return web.Response(status=status, text=body, content_type="text/html", headers=headers)
    return web.json_response({"error": message}, status=status, headers=headers)


def _session_code(request: web.Request) -> str:
    """The code to link back with, only once the request proved it knows it."""
    return request.get(CODE_KEY, "")


async def _admit(server: JoinServer, request: web.Request, handler: Handler) -> web.StreamResponse:
    token = _device_token(request)
    device = f"c:{token}" if token else f"ip:{request.remote}"
    request[DEVICE_KEY] = device
    request[FRESH_KEY] = token is None
    # A body over 4 KB is refused before anything else is looked at.
    request[BODY_KEY] = await _read_body(request)
    if request.match_info.http_exception is not None:
        raise request.match_info.http_exception
    if request.path.startswith("/static/"):
        return await handler(request)
    if request.path == "/ask":
        request[FORM_KEY] = page.parse_form(request[BODY_KEY])
    session = server.session_getter()
    given = _given_code(request)
    if given is None:
        raise ApiError(403, "Missing join code: use the one shown on the screen")
    if not _same_code(given, session.join_code):
        raise ApiError(403, "Wrong join code: check the one shown on the screen")
    request[CODE_KEY] = session.join_code
    request[SESSION_KEY] = session
    if token:  # the same phone's first, cookieless request was seen by address
        server._seen.pop(f"ip:{request.remote}", None)
    server._seen[device] = time.monotonic()
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        wait = server.limiter.hit(device)
        if wait is not None:
            raise ApiError(
                429,
                f"Too many changes: at most {WRITE_LIMIT} in {WRITE_WINDOW_S:g} seconds",
                {"Retry-After": str(max(1, round(wait)))},
            )
    return await handler(request)


def _middleware(server: JoinServer) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await _admit(server, request, handler)
        except ApiError as exc:
            return _error(request, exc.status, exc.message, exc.headers)
        except DomainError as exc:  # a rule the checks above didn't foresee
            return _error(request, 400, str(exc), {})
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            allow = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else {}
            return _error(request, exc.status, exc.reason, allow)
        except Exception:  # never a stack trace or a path in a response
            log.exception("join page request failed: %s %s", request.method, request.path)
            return _error(request, 500, "internal error", {})

    return guard


async def _on_prepare(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    response.headers.setdefault("Cache-Control", "no-store")
    fresh = request.get(FRESH_KEY)
    if fresh is None:  # the guard never saw this request
        fresh = _device_token(request) is None
    if fresh:
        # Cookies set on the response are already serialised by now: add the header.
        token = secrets.token_urlsafe(18)
        response.headers.add(
            "Set-Cookie",
            f"{DEVICE_COOKIE}={token}; HttpOnly; Max-Age={DEVICE_MAX_AGE_S}; Path=/; SameSite=Lax",
        )


# -- handlers ----------------------------------------------------------------
SERVER_KEY = web.AppKey("server", JoinServer)


def _ctx(request: web.Request) -> tuple[JoinServer, Session, str]:
    return request.app[SERVER_KEY], request[SESSION_KEY], request[DEVICE_KEY]


async def get_page(request: web.Request) -> web.Response:
    _server, session, device = _ctx(request)
    body = page.render_page(session, device, session.join_code, request.query.get("notice", ""))
    response = web.Response(text=body, content_type="text/html")
    response.set_cookie(CODE_COOKIE, session.join_code, httponly=True, samesite="Lax", path="/")
    return response


async def get_board(request: web.Request) -> web.Response:
    server, session, device = _ctx(request)
    return web.json_response(page.board_payload(session, device, server.pulsed(session, device)))


async def post_question(request: web.Request) -> web.Response:
    server, session, device = _ctx(request)
    question = page.ask_json(session, device, page.parse_json(request[BODY_KEY]))
    server.changed()
    return web.json_response(page.question_payload(session, question, device), status=201)


async def _vote(request: web.Request, on: bool) -> web.Response:
    server, session, device = _ctx(request)
    question, changed = page.set_vote(session, device, int(request.match_info["id"]), on)
    if changed:
        server.changed()
    return web.json_response(page.question_payload(session, question, device))


async def post_vote(request: web.Request) -> web.Response:
    return await _vote(request, True)


async def delete_vote(request: web.Request) -> web.Response:
    return await _vote(request, False)


async def post_hand(request: web.Request) -> web.Response:
    server, session, device = _ctx(request)
    reply = page.set_hand(session, device, page.parse_json(request[BODY_KEY]))
    server.changed()
    return web.json_response(reply)


async def post_pulse(request: web.Request) -> web.Response:
    server, session, device = _ctx(request)
    data = page.parse_json(request[BODY_KEY])
    page.give_pulse(session, data, already=server.pulsed(session, device))
    server._pulsed.add((session.join_code, device))
    server.changed()
    return web.json_response({"ok": True}, status=201)


async def post_ask(request: web.Request) -> web.Response:
    """The JavaScript-off path: a plain form post, answered with a redirect."""
    server, session, device = _ctx(request)
    question = page.ask_form(session, device, request.get(FORM_KEY))
    server.changed()
    notice = "pending" if question.pending else "sent"
    location = f"/?code={quote(session.join_code)}&notice={notice}"
    return web.Response(status=303, headers={"Location": location})


def _static(name: str) -> Handler:
    body = files("circle.web").joinpath("static", name).read_bytes()
    content_type = STATIC[name]

    async def serve(request: web.Request) -> web.Response:
        return web.Response(
            body=body,
            content_type=content_type,
            charset="utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    return serve


def make_app(server: JoinServer) -> web.Application:
    app = web.Application(middlewares=[_middleware(server)], client_max_size=MAX_BODY)
    app[SERVER_KEY] = server
    app.on_response_prepare.append(_on_prepare)
    app.router.add_get("/", get_page)
    app.router.add_get("/api/board", get_board)
    app.router.add_post("/api/questions", post_question)
    app.router.add_post(r"/api/questions/{id:\d{1,9}}/vote", post_vote)
    app.router.add_delete(r"/api/questions/{id:\d{1,9}}/vote", delete_vote)
    app.router.add_post("/api/hand", post_hand)
    app.router.add_post("/api/pulse", post_pulse)
    app.router.add_post("/ask", post_ask)
    for name in STATIC:  # explicit files: no directory to list
        app.router.add_get(f"/static/{name}", _static(name))
    return app
