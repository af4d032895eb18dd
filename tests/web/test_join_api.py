"""The join page's HTTP API, call by call and status by status."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from circle.web.server import WRITE_LIMIT
from tests.web.phones import CODE, error_case

PHONE_KINDS = {
    "question_added",
    "question_voted",
    "question_unvoted",
    "hand_raised",
    "hand_lowered",
    "name_claimed",
    "pulse_given",
}


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
    "payload",
    [
        b"{" + b"x" * 5000,  # and not JSON
        b"x" * 4097,  # and not a form either
        json.dumps({"text": "a" * 4100}).encode(),
    ],
)
async def test_body_over_4k_is_413_whatever_else_is_wrong_with_it(env, payload) -> None:
    session, a = env["session"], env["phone"]()
    before = len(session.events)
    for path in ("/api/questions", "/api/hand", "/api/questions/1/vote", "/ask", "/nowhere"):
        for content_type in ("application/json", "text/plain"):
            status, body, resp = await a.call(
                "POST", path, data=payload, headers={"Content-Type": content_type}
            )
            error_case(status, body, 413, "4 KB")
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert len(session.events) == before


async def test_body_over_4k_without_a_code_is_403_but_the_form_must_be_read(env) -> None:
    """The code is checked before the size; the JavaScript-off form carries its code inside."""
    a = env["phone"]()
    for path in ("/api/questions", "/api/hand", "/nowhere"):
        status, body, _ = await a.call("POST", path, code=None, raw=b"x" * 4097)
        error_case(status, body, 403, "join code")
    status, body, _ = await a.call("POST", "/ask", code=None, data=b"code=ABCDEF&" + b"x" * 4097)
    error_case(status, body, 413, "4 KB")


async def test_chunked_body_over_4k_is_413(env) -> None:
    session, a = env["session"], env["phone"]()
    before = len(session.events)

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b'{"text": "' + b"a" * 1000

    status, body, _ = await a.call(
        "POST", "/api/questions", data=chunks(), headers={"Content-Type": "application/json"}
    )
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
    status, body, _ = await a.call("POST", "/api/questions", raw=payload)
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
        ("/api/questions", b'{"text": "a \\ud800 b", "name": null}', "not valid Unicode"),
        ("/api/questions", b'{"text": "hi", "name": "\\udfff"}', "not valid Unicode"),
        ("/api/questions", b'{"text": "hi", "\\ud83d": 1}', "not valid Unicode"),
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
    status, body, _ = await a.call("POST", path, raw=payload)
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


async def test_a_client_without_cookies_can_read_but_never_write(env) -> None:
    """No shared identity per address: every answer offers a fresh token, no write counts."""
    session, a = env["session"], env["phone"](cookies=False)
    qid = session.add_question("Vote me")["seq"]
    before = len(session.events)
    offered = set()
    for _ in range(3):
        status, body, resp = await a.call("POST", f"/api/questions/{qid}/vote")
        error_case(status, body, 403, "no valid pass")
        offered.add(resp.cookies["circle_device"].value)
        status, _, _ = await a.call("GET", "/api/board")
        assert status == 200
    assert len(offered) == 3
    assert session.board.get(qid).votes == 0 and len(session.events) == before


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
    join.desk.limiter.now = lambda: now[0]
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
