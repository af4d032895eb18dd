"""The board phones poll, built once per session version: the same as building it whole."""

from __future__ import annotations

import json
import math

import pytest

from circle.domain.board import MAX_QUESTION
from circle.domain.clock import FakeClock
from circle.domain.session import Session
from circle.web import views
from circle.web.snapshot import LIVE_TTL_S, Reply
from tests.web.phones import Phone


def whole_board(env, session: Session, device: str) -> dict:
    """The board as one piece, from scratch, as it was built before the cache."""
    join = env["join"]
    blind = session.blind
    mine = views.owned_names(session, device)
    queue = session.queue_entries()
    raised = {entry.person for entry in queue}
    now = views.now_payload(session, join.ends)
    now.pop("_anchor")
    return {
        "title": session.title,
        "now": now,
        "questions": [views.question_payload(session, q, device) for q in session.board.ordered()],
        "queue": [{"name": None if blind else e.person, "new": e.new} for e in queue],
        "pulse_open": session.pulse_open,
        "pulse_given": join.pulsed(session, device),
        "blind": blind,
        "roster": [] if blind else list(session.roster.people),
        "mentees": [] if blind else list(session.roster.mentees),
        "you": mine[-1] if mine else None,
        "my_hands": [name for name in mine if name in raised],
        "moderated": session.board.moderated,
        "ended": session.ended,
        "max_question": MAX_QUESTION,
    }


def device_of(env, phone: Phone) -> str:
    token = phone.token()
    assert token is not None
    return env["join"].tokens.device(token, "ABCDEF") or ""


async def test_every_phone_gets_what_a_whole_board_would_say(env, session: Session) -> None:
    a, b, c = env["phone"](), env["phone"](), env["phone"]()
    qid = (await a.call("POST", "/api/questions", json={"text": "A's <b>", "name": "Mira"}))[1]
    await b.call("POST", "/api/questions", json={"text": "B's", "name": None})
    await b.call("POST", f"/api/questions/{qid['id']}/vote")
    await a.call("POST", "/api/hand", json={"name": "Mira", "up": True})
    session.open_pulse()
    await c.call("POST", "/api/pulse", json={"score": 7, "comment": ""})
    session.add_question("From the facilitator")
    for phone in (a, b, c):
        device = device_of(env, phone)
        status, body, resp = await phone.call("GET", "/api/board")
        assert status == 200 and body == whole_board(env, session, device)
        assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
    # The differences are the phones' own: a's name and hand, b's vote, c's pulse.
    boards = [(await p.call("GET", "/api/board"))[1] for p in (a, b, c)]
    assert [x["you"] for x in boards] == ["Mira", None, None]
    assert [x["my_hands"] for x in boards] == [["Mira"], [], []]
    assert [[q["voted"] for q in x["questions"]] for x in boards][1].count(True) == 1
    assert [x["pulse_given"] for x in boards] == [False, False, True]


async def test_behind_the_blind_the_cached_board_hides_as_the_whole_one(env, session) -> None:
    a = env["phone"]()
    await a.call("POST", "/api/questions", json={"text": "Secret", "name": "Jon"})
    session.toggle_hand("Priya")
    session.set_blind(True)
    status, body, _ = await a.call("GET", "/api/board")
    assert status == 200 and body == whole_board(env, session, device_of(env, a))
    assert "Secret" not in json.dumps(body) and "Priya" not in json.dumps(body)


async def test_the_board_is_built_once_per_version(env, session: Session) -> None:
    join, a, b = env["join"], env["phone"](), env["phone"]()
    await a.call("GET", "/api/board")
    built = join._board
    await b.call("GET", "/api/board")
    assert join._board is built  # nothing changed: nothing rebuilt
    session.add_question("New")
    _, body, _ = await b.call("GET", "/api/board")
    assert join._board is not built and [q["text"] for q in body["questions"]] == ["New"]
    assert join._board.shared is not built.shared


async def test_the_clock_part_is_read_again_once_it_is_old(env, clock: FakeClock) -> None:
    join, a = env["join"], env["phone"]()
    _, first, _ = await a.call("GET", "/api/board")
    shared, live = join._board.shared, join._board.live
    clock.advance(LIVE_TTL_S / 2)
    await a.call("GET", "/api/board")
    assert join._board.live is live  # read a moment ago: kept
    clock.advance(5)
    _, later, _ = await a.call("GET", "/api/board")
    assert join._board.live is not live
    assert later["now"]["left_s"] == math.floor(first["now"]["left_s"] - LIVE_TTL_S / 2 - 5)
    assert join._board.shared is shared  # the session didn't change: only the clock part


async def test_a_new_session_object_is_never_served_an_old_board(env, clock) -> None:
    from tests.conftest import make_session

    join, a = env["join"], env["phone"]()
    await a.call("GET", "/api/board")
    old = join._board
    other = make_session(clock, title="Another circle")
    while other.version < old.shared.version:  # the same version number, another session
        other.add_question("filler")
    assert other.version == old.shared.version and not old.fits(other)


def test_a_reply_without_anything_of_its_own_is_the_plain_one(session: Session) -> None:
    from circle.web.room import JoinRoom

    room = JoinRoom(lambda: session, lambda: None)
    board = room._rebuild(session)
    plain = Reply(board, "", False)
    assert plain.plain and plain.etag == board.plain_etag == plain.sealed()
    assert plain.encoded() == board.plain_body == plain.body().encode()
    pulsed = Reply(board, "c:someone", True)
    assert not pulsed.plain and pulsed.etag != plain.etag


class TestCompressedBoard:
    """Every browser takes gzip: a room's phones share one Wi-Fi."""

    async def test_the_board_comes_compressed_and_says_the_same(self, env, session) -> None:
        for n in range(100):
            session.add_question(f"Question {n}: what would you do in my place?")
        phone = env["phone"]()
        status, plain, resp = await phone.call(
            "GET", "/api/board", headers={"Accept-Encoding": "identity"}
        )
        assert status == 200 and "Content-Encoding" not in resp.headers
        status, unpacked, resp = await phone.call(
            "GET", "/api/board", headers={"Accept-Encoding": "gzip, deflate, br"}
        )
        assert status == 200 and resp.headers["Content-Encoding"] == "gzip"
        assert resp.headers["Vary"] == "Accept-Encoding"
        assert unpacked == plain
        assert int(resp.headers["Content-Length"]) < len(json.dumps(plain)) / 3

    async def test_each_encoding_has_its_own_tag(self, env, session) -> None:
        session.add_question("One")
        phone = env["phone"]()
        gzip = {"Accept-Encoding": "gzip"}
        identity = {"Accept-Encoding": "identity"}
        _, _, packed = await phone.call("GET", "/api/board", headers=gzip)
        _, _, plain = await phone.call("GET", "/api/board", headers=identity)
        packed_tag, plain_tag = packed.headers["ETag"], plain.headers["ETag"]
        assert packed_tag != plain_tag
        status, _, _ = await phone.call(
            "GET", "/api/board", headers={**gzip, "If-None-Match": packed_tag}
        )
        assert status == 304
        # A tag for the other encoding is not this representation: the whole board.
        status, _, _ = await phone.call(
            "GET", "/api/board", headers={**identity, "If-None-Match": packed_tag}
        )
        assert status == 200


@pytest.mark.parametrize(
    ("header", "takes"),
    [
        ("gzip, deflate, br", True),
        ("GZIP", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("x-gzip", True),
        ("*;q=0, gzip", True),  # named, gzip wins over the rest
        ("gzip;q=0, *", False),
        ("gzip;q=0", False),
        ("gzip;q=0.0, deflate", False),
        ("deflate, br", False),
        ("identity", False),
        ("", False),
    ],
)
def test_which_requests_take_gzip(header: str, takes: bool) -> None:
    assert views.takes_gzip(header) is takes
