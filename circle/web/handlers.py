"""The join page's routes, after the front door (`circle.web.admit`) let a request in.

A write goes: content type (415), body (400), unknown question (404), the
device's write limit (429), then the change. The body is parsed where the
request arrives; the checks that read the session, the limit and the change
run as one job on the session's own loop (`JoinRoom.courier`), with no await
in between, so there is one copy of the state and nothing to lock. It is
answered only once the change is on disk.
"""

from __future__ import annotations

from collections.abc import Callable
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
from circle.web.page import ApiError, Change
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


async def _apply(request: web.Request, plan: Callable[[], Change]) -> dict[str, Any]:
    """Check, count the write and make the change on the session's loop, then
    wait (here) until it is on disk."""
    server, session, device = _ctx(request)

    def act() -> tuple[dict[str, Any], int]:
        change = plan()
        server.count_write(device)
        before = session.last_seq
        reply = change()
        if session.last_seq != before:
            server.changed()
            server.wrote(session, device)
        return reply, session.last_seq

    reply, seq = await server.courier.call(act)
    await server.wait_durable(seq)
    return reply


# -- reading ----------------------------------------------------------------------
async def get_page(request: web.Request) -> web.Response:
    server, session, device = _ctx(request)
    notice = request.query.get("notice", "")

    def draw() -> str:
        return render.render_page(session, device, views.now_payload(session, server.ends), notice)

    body = await server.courier.call(draw)
    response = web.Response(text=body, content_type="text/html")
    response.set_cookie(CODE_COOKIE, session.join_code, httponly=True, samesite="Strict", path="/")
    return response


async def get_board(request: web.Request) -> web.Response:
    server, session, device = _ctx(request)
    board = await server.board(session, device)
    reply = Reply(board, device, server.pulsed(session, device))
    headers = {"ETag": reply.etag}
    if views.etag_matches(request.headers.get("If-None-Match", ""), reply.etag):
        return web.Response(status=304, headers=headers)
    return web.Response(
        body=reply.encoded(), content_type="application/json", charset="utf-8", headers=headers
    )


# -- writing ----------------------------------------------------------------------
async def post_question(request: web.Request) -> web.Response:
    _server, session, device = _ctx(request)
    data = _json_body(request)
    reply = await _apply(request, lambda: page.plan_question_json(session, device, data))
    return web.json_response(reply, status=201)


async def _vote(request: web.Request, on: bool) -> web.Response:
    _server, session, device = _ctx(request)
    qid = int(request.match_info["id"])
    reply = await _apply(request, lambda: page.plan_vote(session, device, qid, on))
    return web.json_response(reply)


async def post_vote(request: web.Request) -> web.Response:
    return await _vote(request, True)


async def delete_vote(request: web.Request) -> web.Response:
    return await _vote(request, False)


async def post_hand(request: web.Request) -> web.Response:
    _server, session, device = _ctx(request)
    data = _json_body(request)
    return web.json_response(await _apply(request, lambda: page.plan_hand(session, device, data)))


async def post_pulse(request: web.Request) -> web.Response:
    server, session, device = _ctx(request)
    data = _json_body(request)

    def plan() -> Change:
        give = page.plan_pulse(session, data, already=server.pulsed(session, device))

        def change() -> dict[str, Any]:
            reply = give()
            server.mark_pulsed(session, device)
            return reply

        return change

    return web.json_response(await _apply(request, plan), status=201)


async def post_ask(request: web.Request) -> web.Response:
    """The JavaScript-off path: a plain form post, answered with a redirect."""
    _server, session, device = _ctx(request)
    form = request[FORM_KEY]
    question = await _apply(request, lambda: page.plan_question_form(session, device, form))
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
