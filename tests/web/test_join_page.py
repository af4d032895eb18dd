"""The join page as a browser sees it: the form, cookies, headers, the blind, the end."""

from __future__ import annotations

import json

import pytest

from tests.web.phones import CODE, error_case
from tests.web.test_join_api import PHONE_KINDS


# -- what arrives is data ----------------------------------------------------------------
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


# -- cookies, headers, static files ------------------------------------------------------
async def test_device_cookie_set_when_absent_and_not_again(env) -> None:
    a = env["phone"](seeded=False)
    _, _, first = await a.call("GET", "/api/board")
    cookie = first.cookies["circle_device"]
    assert len(cookie.value) >= 32
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    _, _, second = await a.call("GET", "/api/board")
    assert "circle_device" not in second.cookies
    _, _, third = await a.call("POST", "/api/questions", json={"text": 5})
    assert "circle_device" not in third.cookies
    # A forged, malformed cookie is replaced.
    b = env["phone"](cookies=False)
    for forged in ("<x>", cookie.value[:-1] + ("A" if cookie.value[-1] != "A" else "B")):
        _, _, resp = await b.call(
            "GET", "/api/board", headers={"Cookie": f"circle_device={forged}"}
        )
        assert resp.cookies["circle_device"].value not in (forged, cookie.value)


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
    assert resp.headers["Referrer-Policy"] == "same-origin"


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
    assert "<li>••• · new</li>" in page  # a raised hand reads as on the wall: a name hidden
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
    # A client that never keeps its token is not counted, however often it asks.
    stranger = env["phone"](cookies=False)
    for _ in range(3):
        await stranger.call("GET", "/api/board")
    assert join.devices == 2
    await a.call("POST", "/api/questions", json={"text": "x", "name": None})
    assert env["changes"] == [1]
