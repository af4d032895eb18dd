"""An attacker in the room: what a phone, a laptop or another page may try, and the answers.

Each test sends what was sent in an attack on the join page and asserts the
contract's answer, and that the session holds nothing it shouldn't.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from circle.domain.session import Session
from circle.web.server import WRITE_LIMIT
from tests.web.phones import CODE, error_case, raw_request


def all_utf8(session: Session) -> bool:
    """Every event can be written to disk as UTF-8."""
    try:
        json.dumps(session.events, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- invalid Unicode ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path,body",
    [
        ("/api/questions", b'{"text": "SURR \\ud800 lone", "name": null}'),
        ("/api/questions", b'{"text": "pair cut \\ud83d", "name": "Mira"}'),
        ("/api/questions", b'{"text": "low \\udc00 alone", "name": null}'),
        ("/api/hand", b'{"name": "Mira\\ud800", "up": true}'),
        ("/api/pulse", b'{"score": 7, "comment": "nice \\ud800"}'),
    ],
)
async def test_a_lone_surrogate_is_400_where_it_enters(env, path, body) -> None:
    session, a = env["session"], env["phone"]()
    session.open_pulse()
    before = len(session.events)
    status, reply, _ = await a.call("POST", path, raw=body)
    error_case(status, reply, 400, "not valid Unicode")
    assert len(session.events) == before and all_utf8(session)
    # The page goes on working for everyone.
    status, page, _ = await env["phone"]().call("GET", f"/?code={CODE}", code=None)
    assert status == 200 and "Tuesday circle" in page


@pytest.mark.parametrize(
    "form",
    [
        b"code=ABCDEF&text=SURR+%ED%A0%80+lone",  # a surrogate, spelled in UTF-8
        b"code=ABCDEF&text=bad+%FF+byte",
        b"code=ABCDEF&text=raw+\xff+byte",
        b"code=ABCDEF&text=fine&name=%C3",
    ],
)
async def test_a_form_that_isnt_utf8_is_400(env, form) -> None:
    session, a = env["session"], env["phone"]()
    before = len(session.events)
    status, reply, _ = await a.call(
        "POST",
        "/ask",
        code=None,
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    error_case(status, reply, 400, "UTF-8")
    assert len(session.events) == before


@pytest.mark.parametrize(
    "line,headers",
    [
        (b"GET /api/board", b"X-Circle-Code: \xff\xfe\xed\xa0\x80\r\n"),
        (b"GET /api/board", b"X-Circle-Code: ABCDE\xc3\r\n"),
        (b"GET /api/board", b"Cookie: circle_code=\xff\xfeAB\r\n"),
        (b"GET /", b"Cookie: circle_code=\xed\xa0\x80\r\nAccept: text/html\r\n"),
        (b"GET /api/board?code=%FF%FE", b""),
        (b"GET /api/board?code=\xff\xfe", b""),
        (b"GET /?code=%ED%A0%80", b"Accept: text/html\r\n"),
        (b"POST /api/questions", b"X-Circle-Code: \xff\r\nContent-Type: application/json\r\n"),
        (b"POST /ask", b"Content-Type: application/x-www-form-urlencoded\r\n"),
    ],
)
async def test_invalid_utf8_in_a_code_is_403_or_400_never_500(env, line, headers) -> None:
    session = env["session"]
    body = b"code=%FF%FE&text=x" if line.endswith(b"/ask") else b'{"text": "x"}'
    if line.startswith(b"GET"):
        body = b""
    head = line + b" HTTP/1.1\r\nHost: x\r\n" + headers
    head += b"Content-Length: %d\r\n" % len(body)
    status, payload = await raw_request(env["srv"], head, body)
    assert status in (400, 403), payload
    assert b"Traceback" not in payload and b".py" not in payload
    assert not [e for e in session.events if e["kind"] == "question_added"]


async def test_invalid_utf8_in_the_device_cookie_reads_but_cannot_write(env) -> None:
    session = env["session"]
    qid = session.add_question("Vote me")["seq"]
    cookie = b"Cookie: circle_device=\xff\xfe.\xed\xa0\x80\r\nX-Circle-Code: ABCDEF\r\n"
    status, _ = await raw_request(env["srv"], b"GET /api/board HTTP/1.1\r\nHost: x\r\n" + cookie)
    assert status == 200
    head = f"POST /api/questions/{qid}/vote HTTP/1.1\r\nHost: x\r\n".encode() + cookie
    status, payload = await raw_request(env["srv"], head + b"Content-Length: 0\r\n")
    assert status == 403 and b"valid pass" in payload
    assert session.board.get(qid).votes == 0


# -- device identity ------------------------------------------------------------------------
async def test_forged_or_foreign_tokens_get_403_and_a_fresh_token(env, session) -> None:
    from circle.web.guard import DeviceTokens

    a = env["phone"]()
    qid = session.add_question("Vote me")["seq"]
    await a.call("GET", "/api/board")
    real = a.token()
    other_secret = DeviceTokens(b"another session's secret, 32 b..").issue("x", CODE)
    other_code = env["join"].tokens.issue("127.9.9.9", "ZZZZZZ")  # our secret, another session
    ident, _, mac = real.partition(".")
    tampered = f"{ident[:-2]}xy.{mac}"
    for token in ("random-value-from-a-script", other_secret, other_code, tampered, ident):
        forger = env["phone"](cookies=False)
        status, body, resp = await forger.call(
            "POST", f"/api/questions/{qid}/vote", headers={"Cookie": f"circle_device={token}"}
        )
        error_case(status, body, 403, "no valid pass")
        fresh = resp.cookies["circle_device"]
        assert fresh.value != token and fresh["samesite"] == "Strict" and fresh["httponly"]
    assert session.board.get(qid).votes == 0
    assert (await a.call("POST", f"/api/questions/{qid}/vote"))[0] == 200


async def test_a_fresh_cookie_per_request_evades_nothing(env, session) -> None:
    """What evaded the rate limit and the one-vote rule before: a new made-up cookie each time."""
    import secrets

    qid = session.add_question("Vote me")["seq"]
    laptop = env["phone"](cookies=False)
    before = len(session.events)
    statuses = []
    for _ in range(60):
        cookie = {"Cookie": f"circle_device={secrets.token_urlsafe(18)}"}
        vote = await laptop.call("POST", f"/api/questions/{qid}/vote", headers=cookie)
        ask = await laptop.call("POST", "/api/questions", json={"text": "spam"}, headers=cookie)
        statuses += [vote[0], ask[0]]
    assert set(statuses) == {403}
    assert session.board.get(qid).votes == 0 and len(session.events) == before


async def test_one_address_gets_at_most_30_new_tokens_a_minute(env) -> None:
    join = env["join"]
    now = [5000.0]
    join.tokens.issued.now = lambda: now[0]
    laptop = env["phone"](cookies=False)
    offered = []
    for _ in range(40):
        _, _, resp = await laptop.call("GET", "/api/board")
        offered.append(resp.cookies.get("circle_device"))
    assert all(offered[:30]) and not any(offered[30:])
    assert len({c.value for c in offered[:30]}) == 30
    # Writes without a token stay refused, token or none on offer.
    status, body, resp = await laptop.call("POST", "/api/questions", json={"text": "x"})
    error_case(status, body, 403, "no valid pass")
    assert "circle_device" not in resp.cookies
    # A phone at another address is not held back by the laptop.
    assert env["phone"](seeded=False).address != laptop.address
    _, _, resp = await env["phone"](seeded=False).call("GET", "/api/board")
    assert "circle_device" in resp.cookies
    now[0] += 60.0
    _, _, resp = await laptop.call("GET", "/api/board")
    assert "circle_device" in resp.cookies


async def test_the_write_limit_holds_per_device(env, session) -> None:
    a = env["phone"]()
    statuses = []
    for i in range(WRITE_LIMIT + 5):
        body = {"text": f"q{i}", "name": None}
        statuses.append((await a.call("POST", "/api/questions", json=body))[0])
    assert statuses == [201] * WRITE_LIMIT + [429] * 5
    assert len(session.board.ordered()) == WRITE_LIMIT


async def test_a_pulse_never_has_more_answers_than_people_present(env, session) -> None:
    session.set_attendance("Leo", "absent")  # 4 present: Ada, Mira, Jon, Priya
    session.open_pulse()
    session.give_pulse(6, "from the keyboard")  # one of the four already answered
    statuses = []
    for _ in range(8):
        phone = env["phone"]()
        statuses.append((await phone.call("POST", "/api/pulse", json={"score": 9}))[0])
    assert statuses == [201, 201, 201] + [409] * 5
    assert len(session.pulse) == 4
    status, body, _ = await env["phone"]().call("POST", "/api/pulse", json={"score": 9})
    error_case(status, body, 409, "everyone present")


async def test_a_device_holds_one_raised_hand(env, session) -> None:
    a = env["phone"]()
    assert (await a.call("POST", "/api/hand", json={"name": "Mira", "up": True}))[0] == 200
    status, body, _ = await a.call("POST", "/api/hand", json={"name": "Jon", "up": True})
    error_case(status, body, 409, "already has a hand up")
    assert [e.person for e in session.queue_entries()] == ["Mira"]
    assert (await a.call("POST", "/api/hand", json={"name": "Mira", "up": False}))[0] == 200
    assert (await a.call("POST", "/api/hand", json={"name": "Jon", "up": True}))[0] == 200


async def test_the_secret_never_leaves_the_server(env, session) -> None:
    import base64

    secret = env["join"].tokens._secret
    forms = [secret, secret.hex().encode(), base64.b64encode(secret).rstrip(b"=")]
    forms.append(base64.urlsafe_b64encode(secret).rstrip(b"="))
    a, seen = env["phone"](seeded=False), []
    for method, path, body in [
        ("GET", f"/?code={CODE}", None),
        ("GET", "/api/board", None),
        ("POST", "/api/questions", {"text": "hi", "name": "Mira"}),
        ("POST", "/api/hand", {"name": "Mira", "up": True}),
        ("GET", "/static/page.js", None),
        ("GET", "/api/board?code=WRONG0", None),
    ]:
        async with a.http.request(
            method, a.server.make_url(path), json=body, headers={"X-Circle-Code": CODE}
        ) as resp:
            seen.append(str(resp.headers).encode() + await resp.read())
    assert not any(form in blob for form in forms for blob in seen)
    stored = json.dumps(session.events).encode()
    assert not any(form in stored for form in forms)
    # The session knows a device by the token's random half, never by the whole token.
    assert a.token() and a.token() not in stored.decode()
    assert session.name_owner["Mira"] == "c:" + a.token().split(".")[0]


async def test_a_token_survives_a_restart_with_the_same_secret(env, session) -> None:
    from aiohttp.test_utils import TestServer

    from circle.web.server import JoinServer, make_app
    from tests.web.conftest import SECRET
    from tests.web.phones import Phone

    a = env["phone"]()
    await a.call("POST", "/api/hand", json={"name": "Mira", "up": True})
    again = JoinServer(lambda: session, lambda: None, host="127.0.0.1", secret=SECRET)
    server = TestServer(make_app(again))
    await server.start_server()
    try:
        phone = Phone(server, seeded=False, address=a.address)
        phone.jar.update_cookies({"circle_device": a.token()}, server.make_url("/"))
        status, body, _ = await phone.call("POST", "/api/hand", json={"name": "Mira", "up": False})
        assert status == 200, body
        await phone.close()
    finally:
        await server.close()


# -- durable answers ------------------------------------------------------------------------
async def test_a_write_is_answered_only_once_it_is_durable(session) -> None:
    from aiohttp.test_utils import TestServer

    from circle.web.server import JoinServer, make_app
    from tests.web.phones import Phone

    asked: list[int] = []
    on_disk = asyncio.Event()

    async def durable(seq: int) -> None:
        asked.append(seq)
        await on_disk.wait()

    join = JoinServer(lambda: session, lambda: None, host="127.0.0.1", durable=durable)
    server = TestServer(make_app(join))
    await server.start_server()
    phone = Phone(server)
    try:
        await phone.call("GET", "/api/board")  # the token; reads never wait
        sent = asyncio.create_task(
            phone.call("POST", "/api/questions", json={"text": "Saved?", "name": "Jon"})
        )
        for _ in range(100):
            if asked:
                break
            await asyncio.sleep(0.01)
        assert asked == [session.last_seq]  # the question and Jon's claim: both recorded
        await asyncio.sleep(0.2)
        assert not sent.done()  # recorded in memory, not answered
        on_disk.set()
        status, body, _ = await asyncio.wait_for(sent, 5)
        assert status == 201 and body["text"] == "Saved?"
    finally:
        await phone.close()
        await server.close()


async def test_a_failed_save_is_not_reported_as_saved(session) -> None:
    from aiohttp.test_utils import TestServer

    from circle.web.server import JoinServer, make_app
    from tests.web.phones import Phone

    async def durable(seq: int) -> None:
        raise OSError(28, "No space left on device", "/home/someone/circle/session.json")

    join = JoinServer(lambda: session, lambda: None, host="127.0.0.1", durable=durable)
    server = TestServer(make_app(join))
    await server.start_server()
    phone = Phone(server)
    try:
        status, body, _ = await phone.call("POST", "/api/questions", json={"text": "x"})
        error_case(status, body, 503, "not saved")
        assert "home" not in json.dumps(body)
    finally:
        await phone.close()
        await server.close()
