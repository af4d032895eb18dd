"""The join page's routes, after the front door (`circle.web.admit`) let a request in.

A write goes: content type (415), body (400), then the change, which the
room's desk makes where the session lives: unknown question (404), the
device's write limit (429), then the change, with no await in between. It is
answered only once the change is on disk.
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aiohttp import web

from circle.domain.session import Session
from circle.web import page, render, views
from circle.web.admit import (
    BODY_KEY,
    CODE_COOKIE,
    DEVICE_KEY,
    FORM_KEY,
    SERVER_KEY,
    SESSION_KEY,
    Handler,
)
from circle.web.desk import Op
from circle.web.page import ApiError
from circle.web.snapshot import Reply

if TYPE_CHECKING:
    from circle.web.room import JoinRoom

STATIC = {"page.js": "text/javascript", "page.css": "text/css"}


def _ctx(request: web.Request) -> tuple[JoinRoom, Session, str]:
    return request.app[SERVER_KEY], request[SESSION_KEY], request[DEVICE_KEY]


def _json_body(request: web.Request) -> dict[str, Any]:
    # A form or text/plain post is what another page can send without asking:
    # only a JSON body says the page's own script sent it.
    if request.content_type != "application/json":
        raise ApiError(415, "Send the body as application/json")
    return page.parse_json(request[BODY_KEY])


async def _apply(request: web.Request, op: Op, data: dict[str, Any]) -> dict[str, Any]:
    server, _session, device = _ctx(request)
    return await server.change(op, device, data)


# -- reading ----------------------------------------------------------------------
async def get_page(request: web.Request) -> web.Response:
    server, session, device = _ctx(request)
    notice = request.query.get("notice", "")

    body = render.render_page(session, device, views.now_payload(session, server.ends), notice)
    response = web.Response(text=body, content_type="text/html")
    response.set_cookie(CODE_COOKIE, session.join_code, httponly=True, samesite="Strict", path="/")
    return response


async def get_board(request: web.Request) -> web.Response:
    server, session, device = _ctx(request)
    board = server.board(session, device)
    reply = Reply(board, device, server.pulsed(session, device))
    gzip = views.takes_gzip(request.headers.get("Accept-Encoding", ""))
    # Each encoding is its own representation, with its own tag.
    etag = f'{reply.etag[:-1]}-gz"' if gzip else reply.etag
    headers = {"ETag": etag, "Vary": "Accept-Encoding"}
    if views.etag_matches(request.headers.get("If-None-Match", ""), etag):
        return web.Response(status=304, headers=headers)
    if gzip:
        headers["Content-Encoding"] = "gzip"
    body = reply.gzipped() if gzip else reply.encoded()
    return web.Response(
        body=body, content_type="application/json", charset="utf-8", headers=headers
    )


# -- writing ----------------------------------------------------------------------
async def post_question(request: web.Request) -> web.Response:
    return web.json_response(await _apply(request, Op.QUESTION, _json_body(request)), status=201)


async def _vote(request: web.Request, on: bool) -> web.Response:
    qid = int(request.match_info["id"])
    return web.json_response(await _apply(request, Op.VOTE, {"id": qid, "on": on}))


async def post_vote(request: web.Request) -> web.Response:
    return await _vote(request, True)


async def delete_vote(request: web.Request) -> web.Response:
    return await _vote(request, False)


async def post_hand(request: web.Request) -> web.Response:
    return web.json_response(await _apply(request, Op.HAND, _json_body(request)))


async def post_pulse(request: web.Request) -> web.Response:
    return web.json_response(await _apply(request, Op.PULSE, _json_body(request)), status=201)


async def post_ask(request: web.Request) -> web.Response:
    """The JavaScript-off path: a plain form post, answered with a redirect."""
    _server, session, _device = _ctx(request)
    question = await _apply(request, Op.FORM, request[FORM_KEY])
    notice = "pending" if question["pending"] else "sent"
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


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/", get_page)
    router.add_get("/api/board", get_board)
    router.add_post("/api/questions", post_question)
    router.add_post(r"/api/questions/{id:\d{1,9}}/vote", post_vote)
    router.add_delete(r"/api/questions/{id:\d{1,9}}/vote", delete_vote)
    router.add_post("/api/hand", post_hand)
    router.add_post("/api/pulse", post_pulse)
    router.add_post("/ask", post_ask)
    for name in STATIC:  # explicit files: no directory to list
        router.add_get(f"/static/{name}", _static(name))
