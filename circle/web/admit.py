"""The join page's front door: every request passes these checks, in this order.

1. an address that guessed too many wrong codes waits (429), for everything;
2. the join code (403): query, `X-Circle-Code` header or the page's cookie,
   and for the JavaScript-off form `POST /ask` only the form's own field;
3. the body's size (413), at most 4 KB whatever else is wrong with it;
4. for a write, the `Origin` (another site: 403) and the device token
   (missing, forged or foreign: 403, and the answer carries a fresh one).
The handlers go on with the content type (415), the body (400), unknown
questions (404) and the write rate limit (429). Errors are a short message,
never a stack trace or a path.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web

from circle.domain.errors import DomainError
from circle.domain.session import Session
from circle.web import page, render
from circle.web.guard import clean_code, code_matches, same_origin
from circle.web.page import ApiError

if TYPE_CHECKING:
    from circle.web.room import JoinRoom

log = logging.getLogger("circle.web.server")

MAX_BODY = 4096
BODY_TIMEOUT_S = 10.0
DEVICE_COOKIE, CODE_COOKIE = "circle_device", "circle_code"
CODE_HEADER = "X-Circle-Code"
DEVICE_MAX_AGE_S = 7 * 24 * 3600
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    # Same-origin: the page's own requests then carry a real `Origin` for the
    # check on writes (with no-referrer a browser sends `Origin: null`), and
    # other sites still learn nothing, not even the code in the address.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SERVER_KEY: web.AppKey[JoinRoom] = web.AppKey("server")
# What the guard works out once, for the handlers. DEVICE_KEY is "" for a
# client without a valid token: it may read, never write.
DEVICE_KEY = web.RequestKey("device", str)
BODY_KEY = web.RequestKey("body", bytes)
FORM_KEY = web.RequestKey("form", dict)
SESSION_KEY = web.RequestKey("session", Session)


def cookie(request: web.Request, name: str) -> str | None:
    """One cookie's value, from the raw header: plainer and quicker than parsing them all."""
    for part in request.headers.get("Cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip('"')
    return None


def _given_code(request: web.Request) -> str | None:
    """An explicit code (query, header) wins over the page's cookie."""
    for given in (request.query.get("code"), request.headers.get(CODE_HEADER)):
        if given is not None:
            return clean_code(given)
    return clean_code(cookie(request, CODE_COOKIE))


async def read_body(request: web.Request) -> bytes:
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


def _check_code(server: JoinRoom, address: str, given: str | None, session: Session) -> None:
    if given is None:
        raise ApiError(403, "Missing join code: use the one shown on the screen")
    if not code_matches(given, session.join_code):
        server.wrong_codes.wrong(address)
        raise ApiError(403, "Wrong join code: check the one shown on the screen")


def _check_write(request: web.Request, device: str) -> None:
    origin = request.headers.get("Origin")
    # No Origin at all is a client that doesn't send one (curl, an old
    # browser): the device token still has to be right.
    if origin is not None and not same_origin(origin, request.scheme, request.host):
        raise ApiError(403, "Changes come only from the join page itself")
    if not device:
        raise ApiError(403, "This device has no valid pass yet: try again")


async def _admit(server: JoinRoom, request: web.Request, handler: Handler) -> web.StreamResponse:
    address = request.remote or ""
    wait = server.wrong_codes.wait(address)
    if wait is not None:
        raise ApiError(
            429,
            "Too many wrong join codes from this device: wait a minute",
            {"Retry-After": str(max(1, round(wait)))},
        )
    session = server.session_getter()
    device = server.tokens.device(cookie(request, DEVICE_COOKIE), session.join_code) or ""
    request[DEVICE_KEY] = device
    if request.path.startswith("/static/"):  # the page's script and style: no code needed
        await read_body(request)
        return await handler(request)
    body: bytes | None = None
    if request.path == "/ask" and request.method == "POST":
        # The form carries its own code, so a page elsewhere can't post with
        # the cookies alone; its body must be read to find it.
        body = await read_body(request)
        request[FORM_KEY] = page.parse_form(body)
        given = clean_code(request[FORM_KEY].get("code"))
    else:
        given = _given_code(request)
    _check_code(server, address, given, session)
    request[SESSION_KEY] = session
    # (A local, not `in request`: a Request answers `in` by raising KeyError.)
    request[BODY_KEY] = body if body is not None else await read_body(request)
    if request.match_info.http_exception is not None:
        raise request.match_info.http_exception
    if device:
        server.saw(device)
    if request.method in WRITES:
        _check_write(request, device)
    return await handler(request)


def _wants_html(request: web.Request) -> bool:
    return request.path in ("/", "/ask") and "text/html" in request.headers.get("Accept", "")


def _error(
    request: web.Request, status: int, message: str, headers: dict[str, str]
) -> web.Response:
    if _wants_html(request):
        if status == 403 and request.method == "GET":
            body = render.render_code_form(message)
        else:
            # Link back with the code only once the request proved it knows it.
            session = request.get(SESSION_KEY)
            body = render.render_error(message, session.join_code if session else "")
        return web.Response(status=status, text=body, content_type="text/html", headers=headers)
    return web.json_response({"error": message}, status=status, headers=headers)


def middleware(server: JoinRoom) -> Callable[..., Awaitable[web.StreamResponse]]:
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


def on_prepare(server: JoinRoom) -> Callable[..., Awaitable[None]]:
    async def prepare(request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(SECURITY_HEADERS)
        response.headers.setdefault("Cache-Control", "no-store")
        scope = server.session_getter().join_code
        device = request.get(DEVICE_KEY)
        if device is None:  # the guard never saw this request
            device = server.tokens.device(cookie(request, DEVICE_COOKIE), scope)
        if device:
            return
        token = server.tokens.issue(request.remote or "", scope)
        if token is not None:
            # Cookies set on the response are already serialised by now: add the header.
            response.headers.add(
                "Set-Cookie",
                f"{DEVICE_COOKIE}={token}; HttpOnly; Max-Age={DEVICE_MAX_AGE_S}; "
                "Path=/; SameSite=Strict",
            )

    return prepare
