"""The join page's HTTP API, call by call and status by status (§6, §8)."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from circle.domain.session import Session
from circle.web.server import WRITE_LIMIT, JoinServer, make_app

CODE = "ABCDEF"
PHONE_KINDS = {
    "question_added",
    "question_voted",
    "question_unvoted",
    "hand_raised",
    "hand_lowered",
    "name_claimed",
    "pulse_given",
}


class Phone:
    """One device: its own cookie jar, the code sent as a header unless told otherwise."""

    def __init__(self, server: TestServer, cookies: bool = True, seeded: bool = True) -> None:
        self.server = server
        jar = aiohttp.CookieJar(unsafe=True) if cookies else aiohttp.DummyCookieJar()
        if cookies and seeded:
            # As if the page had been loaded once: the device already has its cookie.
            jar.update_cookies({"circle_device": secrets.token_urlsafe(18)}, server.make_url("/"))
        self.http = aiohttp.ClientSession(cookie_jar=jar)

    async def call(
        self, method: str, path: str, *, code: str | None = CODE, **kwargs: Any
    ) -> tuple[int, Any, aiohttp.ClientResponse]:
        headers = dict(kwargs.pop("headers", {}))
        if code is not None:
            headers["X-Circle-Code"] = code
        kwargs.setdefault("allow_redirects", False)
        async with self.http.request(
            method, self.server.make_url(path), headers=headers, **kwargs
        ) as resp:
            raw = await resp.read()
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        return resp.status, body, resp


@pytest.fixture
async def env(session: Session) -> AsyncIterator[dict[str, Any]]:
    changes: list[int] = []
    join = JoinServer(lambda: session, lambda: changes.append(1), host="127.0.0.1")
    server = TestServer(make_app(join))
    await server.start_server()
    phones: list[Phone] = []

    def phone(cookies: bool = True, seeded: bool = True) -> Phone:
        phones.append(Phone(server, cookies, seeded))
        return phones[-1]

    yield {"join": join, "session": session, "phone": phone, "changes": changes, "srv": server}
    for p in phones:
        await p.http.close()
    await server.close()


def error_case(status: int, body: Any, expected: int, words: str) -> None:
    assert status == expected, body
    assert isinstance(body, dict) and words.lower() in body["error"].lower(), body
    assert "Traceback" not in body["error"] and "/" not in body["error"].replace(" / ", "")


# -- reading ---------------------------------------------------------------------
async def test_board_has_the_contract_shape(env) -> None:
    session, a = env["session"], env["phone"]()
    session.add_question("First one", "Mira")
    session.toggle_hand("Jon")
    status, board, _ = await a.call("GET", "/api/board")
    assert status == 200
    assert {"questions", "queue", "pulse_open", "blind", "title", "roster", "you"} <= set(board)
    (q,) = board["questions"]
    assert {k: q[k] for k in ("text", "name", "votes", "status", "voted")} == {
        "text": "First one",
        "name": "Mira",
        "votes": 0,
        "status": "open",
        "voted": False,
    }
    assert isinstance(q["id"], int)
    assert board["queue"] == [{"name": "Jon", "new": True}]
    assert board["pulse_open"] is False and board["blind"] is False
    assert board["title"] == "Tuesday circle"
    assert board["roster"] == ["Ada", "Mira", "Jon", "Priya", "Leo"]
    assert board["you"] is None


@pytest.mark.parametrize("code", [None, "", "ABCDEG", "abcdeg", "ABCDEF' OR 1=1"])
async def test_wrong_or_missing_code_is_403_and_stores_nothing(env, code) -> None:
    session, a = env["session"], env["phone"]()
    before = len(session.events)
    for method, path, body in [
        ("GET", "/api/board", None),
        ("POST", "/api/questions", {"text": "hi", "name": None}),
        ("POST", "/api/hand", {"name": "Mira", "up": True}),
    ]:
        status, reply, _ = await a.call(method, path, code=code, json=body)
        error_case(status, reply, 403, "join code")
    status, _, _ = await a.call("POST", "/ask", code=None, data={"code": code or "", "text": "x"})
    assert status == 403
    assert len(session.events) == before


async def test_code_by_query_header_or_cookie_and_case_insensitive(env) -> None:
    a = env["phone"]()
    assert (await a.call("GET", f"/api/board?code={CODE}", code=None))[0] == 200
    assert (await a.call("GET", "/api/board", code="abcdef"))[0] == 200
    assert (await a.call("GET", "/api/board", code=None))[0] == 403  # no cookie yet
    assert (await a.call("GET", f"/?code={CODE}", code=None))[0] == 200  # sets circle_code
    assert (await a.call("GET", "/api/board", code=None))[0] == 200
    # An explicit wrong code is not rescued by a right cookie.
    assert (await a.call("GET", "/api/board?code=ZZZZZZ", code=None))[0] == 403


async def test_reads_are_never_rate_limited(env) -> None:
    a = env["phone"]()
    statuses = [(await a.call("GET", "/api/board"))[0] for _ in range(3 * WRITE_LIMIT)]
    assert set(statuses) == {200}


# -- body size ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "code,payload",
    [
        (CODE, b"{" + b"x" * 5000),  # and not JSON
        (None, b"x" * 4097),  # and no code
        (CODE, json.dumps({"text": "a" * 4100}).encode()),
    ],
)
async def test_body_over_4k_is_413_whatever_else_is_wrong(env, code, payload) -> None:
    session, a = env["session"], env["phone"]()
    before = len(session.events)
    for path in ("/api/questions", "/api/hand", "/api/questions/1/vote", "/ask", "/nowhere"):
        status, body, resp = await a.call("POST", path, code=code, data=payload)
        error_case(status, body, 413, "4 KB")
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert len(session.events) == before


async def test_chunked_body_over_4k_is_413(env) -> None:
    session, a = env["session"], env["phone"]()
    before = len(session.events)

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b'{"text": "' + b"a" * 1000

    status, body, _ = await a.call("POST", "/api/questions", data=chunks())
    error_case(status, body, 413, "4 KB")
    assert len(session.events) == before


async def test_declared_length_over_4k_is_refused_without_reading_it(env) -> None:
    """Content-Length alone decides: the server does not wait for 100 KB to arrive."""
    srv = env["srv"]
    reader, writer = await asyncio.open_connection(srv.host, srv.port)
    writer.write(
        b"POST /api/questions HTTP/1.1\r\nHost: x\r\nX-Circle-Code: ABCDEF\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
    )
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert head.startswith(b"HTTP/1.1 413")
    writer.close()


async def test_exactly_4k_is_fine(env) -> None:
    a = env["phone"]()
    payload = json.dumps({"text": "fits", "name": None}).encode()
    payload += b" " * (4096 - len(payload))
    status, body, _ = await a.call("POST", "/api/questions", data=payload)
    assert status == 201, body


# -- bad bodies ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path,payload,words",
    [
        ("/api/questions", b"{not json", "valid JSON"),
        ("/api/questions", b"", "valid JSON"),
        ("/api/questions", b"\xff\xfe{}", "valid JSON"),
        pytest.param("/api/questions", b"[" * 2000 + b"]" * 2000, "valid JSON", id="deep"),
        ("/api/questions", b'["text"]', "JSON object"),
        ("/api/questions", b'{"name": null}', "'text' is missing"),
        ("/api/questions", b'{"text": 42, "name": null}', "'text' must be a string"),
        ("/api/questions", b'{"text": ["a"], "name": null}', "'text' must be a string"),
        ("/api/questions", b'{"text": "ok", "name": 7}', "'name' must be a string"),
        ("/api/questions", b'{"text": "   ", "name": null}', "empty"),
        ("/api/questions", b'{"text": "\\u001b[2J", "name": null}', "empty"),
        ("/api/hand", b'{"up": true}', "'name' is missing"),
        ("/api/hand", b'{"name": "Mira"}', "'up' is missing"),
        ("/api/hand", b'{"name": "Mira", "up": "yes"}', "'up' must be true or false"),
        ("/api/hand", b'{"name": "Mira", "up": 1}', "'up' must be true or false"),
        ("/api/hand", b'{"name": null, "up": true}', "'name' must be a string"),
    ],
)
async def test_malformed_or_wrongly_typed_is_400(env, path, payload, words) -> None:
    session, a = env["session"], env["phone"]()
    before = len(session.events)
    status, body, _ = await a.call("POST", path, data=payload)
    error_case(status, body, 400, words)
    assert len(session.events) == before
    assert env["changes"] == []


async def test_281st_character_is_400_and_280_fit(env) -> None:
    session, a = env["session"], env["phone"]()
    before = len(session.events)
    status, body, _ = await a.call("POST", "/api/questions", json={"text": "x" * 281, "name": None})
    error_case(status, body, 400, "280 characters")
    assert len(session.events) == before
    status, body, _ = await a.call("POST", "/api/questions", json={"text": "é" * 280, "name": None})
    assert status == 201 and body["text"] == "é" * 280


async def test_name_not_on_roster_is_400(env) -> None:
    session, a = env["session"], env["phone"]()
    before = len(session.events)
    status, body, _ = await a.call("POST", "/api/questions", json={"text": "hi", "name": "Zed"})
    error_case(status, body, 400, "not on the roster")
    status, body, _ = await a.call("POST", "/api/hand", json={"name": "Zed", "up": True})
    error_case(status, body, 400, "not on the roster")
    assert len(session.events) == before


async def test_a_name_belongs_to_the_first_device_that_uses_it(env) -> None:
    session, mira, other = env["session"], env["phone"](), env["phone"]()
    status, body, _ = await mira.call("POST", "/api/questions", json={"text": "a", "name": "mira"})
    assert status == 201 and body["name"] == "Mira"  # the roster's spelling
    before = len(session.events)
    status, body, _ = await other.call("POST", "/api/questions", json={"text": "b", "name": "Mira"})
    error_case(status, body, 403, "taken on another device")
    status, body, _ = await other.call("POST", "/api/hand", json={"name": "Mira", "up": True})
    error_case(status, body, 403, "taken on another device")
    assert len(session.events) == before
    # The owner goes on using it; the other device can still ask anonymously.
    assert (await mira.call("POST", "/api/hand", json={"name": "Mira", "up": True}))[0] == 200
    assert (await other.call("POST", "/api/questions", json={"text": "b", "name": None}))[0] == 201
    status, board, _ = await mira.call("GET", "/api/board")
    assert board["you"] == "Mira"


async def test_released_name_can_be_taken_again(env) -> None:
    session, mira, other = env["session"], env["phone"](), env["phone"]()
    await mira.call("POST", "/api/hand", json={"name": "Mira", "up": True})
    session.release_name("Mira")
    assert (await other.call("POST", "/api/hand", json={"name": "Mira", "up": False}))[0] == 200


# -- questions and votes ------------------------------------------------------------
async def test_unknown_question_is_404(env) -> None:
    session, a = env["session"], env["phone"]()
    qid = session.add_question("Hidden one").get("seq")
    session.hide_question(qid)
    before = len(session.events)
    for path in ("/api/questions/999/vote", f"/api/questions/{qid}/vote"):
        for method in ("POST", "DELETE"):
            status, body, _ = await a.call(method, path)
            error_case(status, body, 404, "No question #")
    assert (await a.call("POST", "/api/questions/abc/vote"))[0] == 404
    assert (await a.call("POST", "/api/questions/99999999999999999999/vote"))[0] == 404
    assert len(session.events) == before


async def test_vote_twice_counts_once_and_unvote_takes_it_back(env) -> None:
    session, a, b = env["session"], env["phone"](), env["phone"]()
    qid = session.add_question("Vote me")["seq"]
    status, body, _ = await a.call("POST", f"/api/questions/{qid}/vote")
    assert status == 200 and body["votes"] == 1 and body["voted"] is True
    after_first = len(session.events)
    status, body, _ = await a.call("POST", f"/api/questions/{qid}/vote")
    assert status == 200 and body["votes"] == 1
    assert len(session.events) == after_first
    assert (await b.call("POST", f"/api/questions/{qid}/vote"))[2].status == 200
    assert session.board.get(qid).votes == 2
    status, body, _ = await a.call("DELETE", f"/api/questions/{qid}/vote")
    assert status == 200 and body["votes"] == 1 and body["voted"] is False
    status, body, _ = await a.call("DELETE", f"/api/questions/{qid}/vote")
    assert status == 200 and body["votes"] == 1
    _, board, _ = await b.call("GET", "/api/board")
    assert board["questions"][0]["voted"] is True


async def test_without_a_cookie_a_device_is_its_address(env) -> None:
    session, a = env["session"], env["phone"](cookies=False)
    qid = session.add_question("Vote me")["seq"]
    for _ in range(2):
        status, _, resp = await a.call("POST", f"/api/questions/{qid}/vote")
        assert status == 200 and "circle_device" in resp.headers.get("Set-Cookie", "")
    assert session.board.get(qid).votes == 1


async def test_markup_html_and_terminal_escapes_are_data(env) -> None:
    session, a = env["session"], env["phone"]()
    payloads = {
        "<script>alert(1)</script> & <b>bold</b>": "<script>alert(1)</script> & <b>bold</b>",
        "[bold red]shout[/] $x {y}": "[bold red]shout[/] $x {y}",
        "\x1b[31mred\x1b[0m\x07 text\x1b]0;pwned\x07": "red text",
        "line\nbreak\ttab\x00nul": "line break tabnul",
    }
    for sent, stored in payloads.items():
        status, body, _ = await a.call("POST", "/api/questions", json={"text": sent, "name": None})
        assert status == 201 and body["text"] == stored
    texts = {q.text for q in session.board.ordered()}
    assert texts == set(payloads.values())
    assert not any("\x1b" in t or "\x07" in t for t in texts)
    status, page, _ = await a.call("GET", f"/?code={CODE}")
    assert status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert" not in page and "<b>bold" not in page
    assert "[bold red]shout[/] $x {y}" in page


async def test_post_ask_without_javascript(env) -> None:
    session, a = env["session"], env["phone"]()
    form = {"code": CODE, "text": "From a <form>", "name": "Priya"}
    status, _, resp = await a.call("POST", "/ask", code=None, data=form)
    assert status == 303
    assert resp.headers["Location"] == f"/?code={CODE}&notice=sent"
    (question,) = session.board.ordered()
    assert (question.text, question.asker, question.source) == ("From a <form>", "Priya", "phone")
    status, page, _ = await a.call("GET", resp.headers["Location"], code=None)
    assert status == 200 and "your question is on the board" in page
    assert "From a &lt;form&gt;" in page
    # Anonymous: the picker's empty value.
    status, _, _ = await a.call(
        "POST", "/ask", code=None, data={"code": CODE, "text": "x", "name": ""}
    )
    assert status == 303 and session.board.ordered()[-1].asker is None


async def test_post_ask_errors_store_nothing(env) -> None:
    session, a = env["session"], env["phone"]()
    before = len(session.events)
    cases = [
        ({"code": CODE, "text": "y" * 281}, 400, "280"),
        ({"code": CODE}, 400, "'text' is missing"),
        ({"code": CODE, "text": "hi", "name": "Nobody"}, 400, "not on the roster"),
        ({"code": "WRONG1", "text": "hi"}, 403, "join code"),
    ]
    for form, expected, words in cases:
        status, body, _ = await a.call("POST", "/ask", code=None, data=form)
        error_case(status, body, expected, words)
    # A browser gets an HTML page, with the message escaped.
    status, page, _ = await a.call(
        "POST",
        "/ask",
        code=None,
        data={"code": CODE, "text": "hi", "name": "<i>x</i>"},
        headers={"Accept": "text/html"},
    )
    assert status == 400 and "&lt;i&gt;x&lt;/i&gt;" in page and "<i>x" not in page
    assert len(session.events) == before


# -- hands and pulse ---------------------------------------------------------------------
async def test_raise_and_lower_a_hand(env) -> None:
    session, a = env["session"], env["phone"]()
    status, body, _ = await a.call("POST", "/api/hand", json={"name": "Leo", "up": True})
    assert status == 200 and body == {"name": "Leo", "up": True}
    assert [e.person for e in session.queue_entries()] == ["Leo"]
    _, board, _ = await a.call("GET", "/api/board")
    assert board["queue"] == [{"name": "Leo", "new": True}] and board["my_hands"] == ["Leo"]
    assert (await a.call("POST", "/api/hand", json={"name": "Leo", "up": True}))[0] == 200
    assert (await a.call("POST", "/api/hand", json={"name": "Leo", "up": False}))[0] == 200
    assert session.queue_entries() == []


async def test_pulse_only_while_open_and_once_per_device(env) -> None:
    session, a, b = env["session"], env["phone"](), env["phone"]()
    before = len(session.events)
    status, body, _ = await a.call("POST", "/api/pulse", json={"score": 8, "comment": "good"})
    error_case(status, body, 409, "not open")
    assert len(session.events) == before
    session.open_pulse()
    for bad, words in [
        ({"score": 11, "comment": ""}, "1 to 10"),
        ({"score": "8", "comment": ""}, "1 to 10"),
        ({"score": True, "comment": ""}, "1 to 10"),
        ({"score": 5, "comment": 3}, "'comment' must be a string"),
        ({"score": None, "comment": " "}, "score or a comment"),
    ]:
        status, body, _ = await a.call("POST", "/api/pulse", json=bad)
        error_case(status, body, 400, words)
    status, _, _ = await a.call("POST", "/api/pulse", json={"score": 8, "comment": "good"})
    assert status == 201
    status, body, _ = await a.call("POST", "/api/pulse", json={"score": 2, "comment": ""})
    error_case(status, body, 409, "already in")
    assert (await b.call("POST", "/api/pulse", json={"score": None, "comment": "ok"}))[0] == 201
    assert [(p["score"], p["comment"]) for p in session.pulse] == [(8, "good"), (None, "ok")]
    assert all("device" not in str(e["data"]) for e in session.events if e["kind"] == "pulse_given")
    _, board, _ = await a.call("GET", "/api/board")
    assert board["pulse_open"] is True and board["pulse_given"] is True


# -- rate limit --------------------------------------------------------------------------
async def test_21st_write_in_10s_is_429_while_reads_go_on(env) -> None:
    session, join, a, b = env["session"], env["join"], env["phone"](), env["phone"]()
    now = [1000.0]
    join.limiter.now = lambda: now[0]
    for i in range(WRITE_LIMIT):
        status, _, _ = await a.call("POST", "/api/questions", json={"text": f"q{i}", "name": None})
        assert status == 201
        assert (await a.call("GET", "/api/board"))[0] == 200
    before = len(session.events)
    status, body, resp = await a.call("POST", "/api/questions", json={"text": "21", "name": None})
    error_case(status, body, 429, "too many")
    assert int(resp.headers["Retry-After"]) >= 1
    status, body, _ = await a.call("DELETE", "/api/questions/3/vote")
    assert status == 429
    assert len(session.events) == before
    assert {(await a.call("GET", "/api/board"))[0] for _ in range(30)} == {200}
    assert (await b.call("POST", "/api/questions", json={"text": "b", "name": None}))[0] == 201
    now[0] += 10.0
    assert (await a.call("POST", "/api/questions", json={"text": "later", "name": None}))[0] == 201


# -- cookies, headers, static files ------------------------------------------------------
async def test_device_cookie_set_when_absent_and_not_again(env) -> None:
    a = env["phone"](seeded=False)
    _, _, first = await a.call("GET", "/api/board")
    cookie = first.cookies["circle_device"]
    assert len(cookie.value) >= 16
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    _, _, second = await a.call("GET", "/api/board")
    assert "circle_device" not in second.cookies
    _, _, third = await a.call("POST", "/api/questions", json={"text": 5})
    assert "circle_device" not in third.cookies
    # A forged, malformed cookie is replaced.
    b = env["phone"](cookies=False)
    _, _, resp = await b.call("GET", "/api/board", headers={"Cookie": "circle_device=<x>"})
    assert "circle_device" in resp.cookies


@pytest.mark.parametrize(
    "method,path,code",
    [
        ("GET", f"/?code={CODE}", None),
        ("GET", "/", None),
        ("GET", "/api/board", CODE),
        ("POST", "/api/questions", CODE),
        ("GET", "/static/page.js", None),
        ("GET", "/static/", None),
        ("GET", "/api/board", "NOPE00"),
        ("PUT", "/api/board", CODE),
    ],
)
async def test_security_headers_on_every_response(env, method, path, code) -> None:
    _, _, resp = await env["phone"]().call(method, path, code=code, data=b"{")
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "no-referrer"


async def test_static_files_and_no_directory_listing(env) -> None:
    a = env["phone"]()
    status, js, resp = await a.call("GET", "/static/page.js", code=None)
    assert status == 200 and resp.content_type == "text/javascript" and "textContent" in js
    assert "innerHTML" not in js
    status, _, resp = await a.call("GET", "/static/page.css", code=None)
    assert status == 200 and resp.content_type == "text/css"
    for path in ("/static/", "/static", "/static/../join.py", "/static/%2e%2e/join.py", "/join.py"):
        status, body, _ = await a.call("GET", path)
        assert status == 404, path
        assert "join.py" not in json.dumps(body)


async def test_page_has_no_inline_script_or_style(env) -> None:
    status, page, _ = await env["phone"]().call("GET", f"/?code={CODE}", code=None)
    assert status == 200
    assert page.count("<script") == 1 and '<script src="/static/page.js"' in page
    assert "style=" not in page and "<style" not in page and "onclick" not in page
    for needed in ('action="/ask"', 'maxlength="280"', 'name="code"', 'aria-live="polite"'):
        assert needed in page


async def test_page_without_code_asks_for_it(env) -> None:
    a = env["phone"]()
    status, page, _ = await a.call("GET", "/", code=None, headers={"Accept": "text/html"})
    assert status == 403 and 'name="code"' in page and "Join the session" in page


# -- blind, moderation, end --------------------------------------------------------------
async def test_blind_hides_names_and_texts(env) -> None:
    session, a = env["session"], env["phone"]()
    session.add_question("Secret worry", "Mira")
    session.toggle_hand("Priya")
    session.set_blind(True)
    _, board, _ = await a.call("GET", "/api/board")
    assert board["blind"] is True
    assert board["questions"][0]["text"] == "(hidden)" and board["questions"][0]["name"] is None
    assert board["queue"] == [{"name": None, "new": True}]
    assert "Secret" not in json.dumps(board) and "Mira" not in json.dumps(board)
    assert "Priya" not in json.dumps(board)
    _, page, _ = await a.call("GET", f"/?code={CODE}", code=None)
    assert "Secret worry" not in page and "Mira" not in page and "Priya" not in page
    assert "(hidden)" in page
    status, body, _ = await a.call("POST", "/api/questions", json={"text": "new", "name": None})
    assert status == 201 and body["text"] == "(hidden)"
    session.set_blind(False)
    _, board, _ = await a.call("GET", "/api/board")
    assert board["questions"][0]["text"] == "Secret worry"


async def test_moderated_questions_wait_off_the_board(env) -> None:
    session, a = env["session"], env["phone"]()
    session.set_moderation(True)
    status, body, _ = await a.call("POST", "/api/questions", json={"text": "Wait", "name": None})
    assert status == 201 and body["pending"] is True
    _, board, _ = await a.call("GET", "/api/board")
    assert board["questions"] == []
    status, body, _ = await a.call("POST", f"/api/questions/{body['id']}/vote")
    assert status == 404
    status, _, resp = await a.call("POST", "/ask", code=None, data={"code": CODE, "text": "W2"})
    assert status == 303 and resp.headers["Location"].endswith("notice=pending")
    assert [q.text for q in session.board.pending()] == ["Wait", "W2"]


async def test_ended_session_refuses_changes(env) -> None:
    session, a = env["session"], env["phone"]()
    session.end_session()
    before = len(session.events)
    status, body, _ = await a.call("POST", "/api/questions", json={"text": "late", "name": None})
    error_case(status, body, 409, "ended")
    assert len(session.events) == before


# -- what a participant can't do ---------------------------------------------------------
async def test_nothing_sent_touches_agenda_timers_or_others(env) -> None:
    session, a, b = env["session"], env["phone"](), env["phone"]()
    mine = (await b.call("POST", "/api/questions", json={"text": "B's", "name": "Jon"}))[1]["id"]
    state = session.state()
    first = len(session.events)
    attempts = [
        ("POST", "/api/agenda", {"next": True}),
        ("PUT", "/api/questions", {"text": "x"}),
        ("DELETE", f"/api/questions/{mine}", None),
        ("POST", f"/api/questions/{mine}", {"text": "changed"}),
        ("PATCH", f"/api/questions/{mine}/vote", None),
        ("POST", "/api/hand", {"name": "Jon", "up": True}),
        ("POST", "/api/questions", {"text": "ok", "name": None, "status": "answered", "id": 1}),
        ("POST", "/api/pulse", {"score": 5, "comment": ""}),
    ]
    for method, path, body in attempts:
        await a.call(method, path, json=body)
    new = session.events[first:]
    assert {e["kind"] for e in new} <= PHONE_KINDS
    after = session.state()
    for key in ("current", "items", "paused", "turn", "attendance", "actions", "takeaways"):
        assert after[key] == state[key], key
    assert session.board.get(mine).text == "B's" and session.board.get(mine).asker == "Jon"
    assert session.board.ordered()[-1].status == "open"


async def test_internal_errors_show_no_trace_or_path(env, monkeypatch) -> None:
    session, a = env["session"], env["phone"]()

    def boom(*args, **kwargs):
        raise RuntimeError("/home/secret/path.py line 3")

    monkeypatch.setattr(session, "add_question", boom)
    status, body, _ = await a.call("POST", "/api/questions", json={"text": "x", "name": None})
    assert status == 500 and body == {"error": "internal error"}


async def test_changes_notify_and_devices_are_counted(env) -> None:
    join, a, b = env["join"], env["phone"](), env["phone"]()
    await a.call("GET", "/api/board")
    await b.call("GET", "/api/board")
    await b.call("GET", "/api/board?code=WRONG0", code=None)
    assert join.devices == 2
    await a.call("POST", "/api/questions", json={"text": "x", "name": None})
    assert env["changes"] == [1]
