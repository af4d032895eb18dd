"""Code guessing, other sites, other content types, others' hands, and the order of checks."""

from __future__ import annotations

import json

import pytest

from circle.web.server import WRITE_LIMIT
from tests.web.phones import CODE, error_case


def other_site(env, port_offset: int = 1) -> str:
    """Same host, another port: same-site for cookies, another origin for the check."""
    return f"http://127.0.0.1:{env['srv'].port + port_offset}"


# -- the wrong-code throttle -------------------------------------------------------------
async def test_ten_wrong_codes_in_a_minute_lock_that_address_out_for_a_minute(env) -> None:
    join = env["join"]
    now = [100.0]
    join.wrong_codes.now = join.wrong_codes.counter.now = lambda: now[0]
    guesser, neighbour = env["phone"](), env["phone"]()
    for n in range(10):
        status, body, _ = await guesser.call("GET", "/api/board", code=f"AAAA{n:02d}")
        error_case(status, body, 403, "wrong join code")
        now[0] += 1.0
    # Now everything is 429 for this address, the right code and the static files too.
    for method, path, code in [
        ("GET", "/api/board", CODE),
        ("GET", "/api/board", "BBBBBB"),
        ("POST", "/api/questions", CODE),
        ("GET", f"/?code={CODE}", None),
        ("GET", "/static/page.js", None),
    ]:
        status, body, resp = await guesser.call(method, path, code=code, json={"text": "x"})
        error_case(status, body, 429, "wrong join codes")
        assert 1 <= int(resp.headers["Retry-After"]) <= 60
    assert (await neighbour.call("GET", "/api/board"))[0] == 200
    now[0] += 58.0
    assert (await guesser.call("GET", "/api/board"))[0] == 429
    now[0] += 1.5
    assert (await guesser.call("GET", "/api/board"))[0] == 200


async def test_wrong_codes_spread_over_more_than_a_minute_are_not_locked_out(env) -> None:
    join = env["join"]
    now = [100.0]
    join.wrong_codes.now = join.wrong_codes.counter.now = lambda: now[0]
    typo = env["phone"]()
    for _ in range(15):
        assert (await typo.call("GET", "/api/board", code="WRONG1"))[0] == 403
        now[0] += 7.0  # at most 9 in any minute
    assert (await typo.call("GET", "/api/board"))[0] == 200


async def test_a_missing_code_is_not_a_guess(env) -> None:
    browser = env["phone"]()
    for _ in range(15):
        status, _, _ = await browser.call("GET", "/", code=None, headers={"Accept": "text/html"})
        assert status == 403  # the form that asks for the code
    assert (await browser.call("GET", "/api/board"))[0] == 200


# -- content type ---------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/questions", "/api/hand", "/api/pulse"])
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]
)
async def test_a_json_call_with_another_content_type_is_415(env, path, content_type) -> None:
    """What a page elsewhere can send without asking: a `text/plain` fetch raised a hand."""
    session, a = env["session"], env["phone"]()
    session.open_pulse()
    before = len(session.events)
    body = json.dumps({"name": "Mira", "up": True, "text": "hi", "score": 5}).encode()
    headers = {"Content-Type": content_type} if content_type else {}
    status, reply, _ = await a.call("POST", path, data=body, headers=headers)
    error_case(status, reply, 415, "application/json")
    assert len(session.events) == before


async def test_json_with_a_charset_is_json(env) -> None:
    a = env["phone"]()
    headers = {"Content-Type": "application/json; charset=utf-8"}
    status, _, _ = await a.call("POST", "/api/questions", raw=b'{"text": "ok"}', headers=headers)
    assert status == 201


# -- other sites ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "origin",
    [
        "other-port",
        "http://localhost:{port}",
        "https://127.0.0.1:{port}",
        "http://evil.example",
        "null",
        "http://127.0.0.1:{port}.evil.example",
        "\u0430bc",
    ],
)
async def test_a_write_from_another_origin_is_403(env, origin) -> None:
    session, a = env["session"], env["phone"]()
    qid = session.add_question("Vote me")["seq"]
    origin = other_site(env) if origin == "other-port" else origin.format(port=env["srv"].port)
    before = len(session.events)
    for method, path, body in [
        ("POST", "/api/hand", {"name": "Mira", "up": True}),
        ("POST", "/api/questions", {"text": "as the victim", "name": "Mira"}),
        ("POST", f"/api/questions/{qid}/vote", None),
        ("DELETE", f"/api/questions/{qid}/vote", None),
    ]:
        status, reply, _ = await a.call(method, path, json=body, headers={"Origin": origin})
        error_case(status, reply, 403, "join page itself")
    status, _, _ = await a.call(
        "POST", "/ask", code=None, data={"code": CODE, "text": "x"}, headers={"Origin": origin}
    )
    assert status == 403
    assert len(session.events) == before
    # Reading is no write: the board still answers.
    assert (await a.call("GET", "/api/board", headers={"Origin": origin}))[0] == 200


async def test_a_write_from_the_page_itself_or_with_no_origin_goes_through(env) -> None:
    a = env["phone"]()
    ours = f"http://127.0.0.1:{env['srv'].port}"
    for origin in (ours, None):
        headers = {"Origin": origin} if origin else {}
        status, body, _ = await a.call(
            "POST", "/api/questions", json={"text": "x"}, headers=headers
        )
        assert status == 201, (origin, body)


# -- the JavaScript-off form ---------------------------------------------------------------
async def test_ask_form_needs_the_code_in_the_form_not_the_cookies(env) -> None:
    """Another page posted a form with no code: the victim's cookies must not be enough."""
    session, victim = env["session"], env["phone"]()
    assert (await victim.call("GET", f"/?code={CODE}", code=None))[0] == 200  # code cookie set
    for extra in ({}, {"headers": {"X-Circle-Code": CODE}}, {"params": {"code": CODE}}):
        status, body, _ = await victim.call(
            "POST", "/ask", code=None, data={"text": "posted as you", "name": "Mira"}, **extra
        )
        error_case(status, body, 403, "join code")
    assert session.board.ordered() == [] and "Mira" not in session.name_owner
    status, _, _ = await victim.call(
        "POST", "/ask", code=None, data={"code": "abcdef", "text": "mine", "name": "Mira"}
    )
    assert status == 303 and session.board.ordered()[0].asker == "Mira"


# -- hands ------------------------------------------------------------------------------
async def test_a_phone_cannot_raise_a_mentors_hand(env) -> None:
    session, a = env["session"], env["phone"]()
    for name in ("Ada", "ada"):
        status, body, _ = await a.call("POST", "/api/hand", json={"name": name, "up": True})
        error_case(status, body, 400, "for mentees")
    assert session.queue_entries() == [] and session.name_owner == {}


async def test_with_the_blind_on_a_taken_name_and_a_free_one_answer_alike(env) -> None:
    session, mira, other = env["session"], env["phone"](), env["phone"]()
    assert (await mira.call("POST", "/api/hand", json={"name": "Mira", "up": False}))[0] == 200
    session.set_blind(True)
    before = len(session.events)
    taken = await other.call("POST", "/api/hand", json={"name": "Mira", "up": True})
    free = await other.call("POST", "/api/hand", json={"name": "Jon", "up": True})
    assert taken[:2] == free[:2]
    error_case(taken[0], taken[1], 403, "names are hidden")
    assert len(session.events) == before
    # Her own name still works for the device that holds it.
    assert (await mira.call("POST", "/api/hand", json={"name": "Mira", "up": True}))[0] == 200
    session.set_blind(False)
    taken = await other.call("POST", "/api/hand", json={"name": "Mira", "up": True})
    error_case(taken[0], taken[1], 403, "taken on another device")


# -- the order of the checks --------------------------------------------------------------
async def _over_the_write_limit(phone) -> None:
    for i in range(WRITE_LIMIT):
        assert (await phone.call("POST", "/api/questions", json={"text": f"q{i}"}))[0] == 201


async def test_checks_run_in_the_contracts_order(env) -> None:
    session = env["session"]
    big = b'{"text": "' + b"a" * 5000 + b'"}'
    foreign = {"Origin": other_site(env)}

    # throttle 429 before code 403
    guesser = env["phone"]()
    for _ in range(10):
        await guesser.call("GET", "/api/board", code="WRONG1")
    assert (await guesser.call("GET", "/api/board", code="WRONG1"))[0] == 429
    # code 403 before size 413
    a = env["phone"]()
    status, body, _ = await a.call("POST", "/api/questions", code="WRONG2", raw=big)
    error_case(status, body, 403, "join code")
    # size 413 before Origin and token 403
    stranger = env["phone"](cookies=False)
    status, body, _ = await stranger.call("POST", "/api/questions", raw=big, headers=foreign)
    error_case(status, body, 413, "4 KB")
    # Origin and token 403 before content type 415
    status, body, _ = await stranger.call("POST", "/api/hand", data=b"x", headers=foreign)
    error_case(status, body, 403, "join page itself")
    status, body, _ = await stranger.call(
        "POST", "/api/hand", data=b"x", headers={"Content-Type": "text/plain"}
    )
    error_case(status, body, 403, "no valid pass")
    # content type 415 before body 400
    b = env["phone"]()
    status, body, _ = await b.call(
        "POST", "/api/hand", data=b"{not json", headers={"Content-Type": "text/plain"}
    )
    error_case(status, body, 415, "application/json")
    # body 400 and unknown question 404 before the rate limit 429
    await _over_the_write_limit(b)
    status, body, _ = await b.call("POST", "/api/questions", raw=b"{not json")
    error_case(status, body, 400, "valid JSON")
    status, body, _ = await b.call("POST", "/api/questions/999/vote")
    error_case(status, body, 404, "No question")
    status, body, _ = await b.call("POST", "/api/questions", json={"text": "one more"})
    error_case(status, body, 429, "too many")
    assert len(session.board.ordered()) == WRITE_LIMIT


async def test_refused_writes_do_not_use_up_the_write_limit(env) -> None:
    a = env["phone"]()
    for _ in range(3 * WRITE_LIMIT):
        assert (await a.call("POST", "/api/questions", json={"text": ""}))[0] == 400
    assert (await a.call("POST", "/api/questions", json={"text": "still fine"}))[0] == 201
