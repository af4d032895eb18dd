"""What is happening now, at the top of the page, and the board's ETag."""

from __future__ import annotations

import pytest

from circle.domain.clock import FakeClock
from circle.domain.session import Session
from tests.web.phones import CODE

NOW_KEYS = {"item", "state", "left_s", "ends_at", "speaker", "next"}


async def board(phone, **headers):
    status, body, resp = await phone.call("GET", "/api/board", headers=headers)
    return status, body, resp.headers.get("ETag")


async def test_now_while_an_item_runs(env, clock: FakeClock, session: Session) -> None:
    a = env["phone"]()
    _, body, _ = await board(a)
    now = body["now"]
    assert set(now) == NOW_KEYS
    assert now == {
        "item": "Check-in",
        "state": "running",
        "left_s": 300,
        "ends_at": round(clock.wall() + 300),
        "speaker": None,
        "next": None,
    }
    clock.advance(100.4)
    _, body, _ = await board(a)
    assert body["now"]["left_s"] == 199 and body["now"]["ends_at"] == now["ends_at"]
    assert isinstance(body["now"]["left_s"], int) and isinstance(body["now"]["ends_at"], int)


async def test_now_names_the_speaker_and_who_is_next(env, session: Session) -> None:
    a = env["phone"]()
    session.next_item()  # Hot seat, a round: every mentee is in the queue
    session.start_turn("Mira")
    _, body, _ = await board(a)
    assert body["now"]["item"] == "Hot seat"
    assert (body["now"]["speaker"], body["now"]["next"]) == ("Mira", "Jon")
    status, page, _ = await a.call("GET", f"/?code={CODE}", code=None)
    assert "Hot seat — 20 min left — Mira speaking, Jon next" in page
    session.set_blind(True)
    _, body, _ = await board(a)
    assert (body["now"]["speaker"], body["now"]["next"]) == (None, None)
    status, page, _ = await a.call("GET", f"/?code={CODE}", code=None)
    assert "Mira speaking" not in page and "Hot seat — 20 min left" in page


async def test_now_paused_over_and_ended(env, clock: FakeClock, session: Session) -> None:
    a = env["phone"]()
    clock.advance(60)
    session.toggle_pause()
    clock.advance(1000)
    _, body, _ = await board(a)
    assert body["now"] | {"item": None} == {
        "item": None,
        "state": "paused",
        "left_s": 240,
        "ends_at": None,
        "speaker": None,
        "next": None,
    }
    session.toggle_pause()
    clock.advance(300.5)
    _, body, _ = await board(a)
    assert body["now"]["state"] == "over" and body["now"]["left_s"] == -61
    assert body["now"]["ends_at"] is None
    _, page, _ = await a.call("GET", f"/?code={CODE}", code=None)
    assert "Check-in — 1 min over" in page
    session.end_session()
    clock.advance(500)
    _, body, _ = await board(a)
    assert body["now"]["state"] == "ended" and body["now"]["left_s"] == -61
    assert body["now"]["ends_at"] is None


# -- ETag -------------------------------------------------------------------------------
async def test_the_etag_holds_while_only_seconds_tick(env, clock: FakeClock) -> None:
    a = env["phone"]()
    _, first, tag = await board(a)
    assert tag and tag.startswith('"')
    clock.advance(7)
    clock.jump_wall(0.4)  # the wall clock drifts a little against the monotonic one
    status, body, resp = await a.call("GET", "/api/board", headers={"If-None-Match": tag})
    assert status == 304 and body == "" and resp.headers["ETag"] == tag
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    # Without the header, the same tag and the seconds as they are now.
    _, body, again = await board(a)
    assert again == tag and body["now"]["left_s"] == first["now"]["left_s"] - 7


@pytest.mark.parametrize("state", ["paused", "over"])
async def test_the_etag_holds_while_paused_or_over(env, clock, session, state) -> None:
    a = env["phone"]()
    if state == "paused":
        session.toggle_pause()
    else:
        clock.advance(400)
    _, _, tag = await board(a)
    clock.advance(30)
    assert (await board(a, **{"If-None-Match": tag}))[0] == 304


async def test_the_etag_changes_when_what_a_phone_shows_changes(env, clock, session) -> None:
    a, b = env["phone"](), env["phone"]()
    _, _, tag = await board(a)
    changes = [
        lambda: session.add_question("New one"),
        lambda: session.toggle_hand("Jon"),
        lambda: session.extend(60),  # the time left moves
        lambda: session.toggle_pause(),
        lambda: session.set_blind(True),
        lambda: session.open_pulse(),
    ]
    for change in changes:
        change()
        status, _, new = await board(a, **{"If-None-Match": tag})
        assert status == 200 and new != tag
        tag = new
    # A vote from another phone changes the count both see; a's own vote changes a's view.
    qid = session.board.ordered()[0].id
    await b.call("POST", f"/api/questions/{qid}/vote")
    status, _, new = await board(a, **{"If-None-Match": tag})
    assert status == 200 and new != tag
    # Running again after the pause: a new fixed moment to count from.
    _, before, tag = await board(a)
    clock.advance(20)
    session.toggle_pause()
    _, after, new = await board(a)
    assert new != tag and after["now"]["ends_at"] is not None


async def test_if_none_match_lists_and_weak_tags(env) -> None:
    a = env["phone"]()
    _, _, tag = await board(a)
    for header in (f'"nope", {tag}', f"W/{tag}", "*"):
        assert (await board(a, **{"If-None-Match": header}))[0] == 304
    assert (await board(a, **{"If-None-Match": '"nope"'}))[0] == 200
    # Each device has its own view (its votes, its names): a tag is not another's.
    other = env["phone"]()
    await a.call("POST", "/api/hand", json={"name": "Mira", "up": True})
    _, _, mine = await board(a)
    _, _, theirs = await board(other)
    assert mine != theirs
