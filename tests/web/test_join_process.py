"""The join page in a process of its own: it serves a copy of the session, and every
change a phone asks for is made on the console's session, on the console's loop."""

from __future__ import annotations

import asyncio
import json
import os
import time
from typing import Any

import aiohttp
import pytest

from circle.domain.clock import FakeClock
from circle.domain.session import Session
from circle.web import link as link_module
from circle.web.desk import REDRAW_EVERY_S, Desk, Done, Op
from circle.web.guard import DeviceTokens
from circle.web.link import LOST, JoinLink
from circle.web.room import STALE_OK_S, JoinRoom
from circle.web.wire import JoinError
from tests.web.phones import CODE, next_address
from tests.web.test_join_server import free_port

SECRET = b"a test secret of 32 bytes, fixed"


def phone_session(address: str) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        connector=aiohttp.TCPConnector(local_addr=(address, 0)),
        headers={"X-Circle-Code": CODE},
    )


def make_link(session: Session, **kwargs: Any) -> JoinLink:
    return JoinLink(
        lambda: session, lambda: None, "127.0.0.1", free_port(), secret=SECRET, **kwargs
    )


async def board_of(http: aiohttp.ClientSession, base: str) -> dict[str, Any]:
    async with http.get(f"{base}/api/board") as resp:
        assert resp.status == 200
        return await resp.json()


async def until(condition: Any, what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


async def test_a_phone_is_served_by_another_process_and_changes_the_session_here(
    session: Session,
) -> None:
    session.add_question("From the keyboard")
    link = make_link(session)
    await link.start()
    child = link._child
    assert child is not None and child.pid != os.getpid()
    base = f"http://127.0.0.1:{link.port}"
    try:
        async with phone_session(next_address()) as http:
            board = await board_of(http, base)  # the copy holds what came before
            assert [q["text"] for q in board["questions"]] == ["From the keyboard"]
            async with http.post(f"{base}/api/questions", json={"text": "By phone"}) as resp:
                assert resp.status == 201
            # Made on the session here, and folded by the page's copy before the answer.
            assert [q.text for q in session.board.ordered()][-1] == "By phone"
            board = await board_of(http, base)
            assert {q["text"] for q in board["questions"]} == {"From the keyboard", "By phone"}
            await until(lambda: link.devices == 1, "the page to count the phone")
        # When both want the CPU, the console's keys come first.
        assert os.getpriority(os.PRIO_PROCESS, child.pid) == os.getpriority(os.PRIO_PROCESS, 0) + 10
    finally:
        await link.stop()
    assert child.returncode is not None  # the page's process is gone


async def test_refusals_cross_over_with_their_status_and_message(session: Session) -> None:
    link = make_link(session)
    await link.start()
    base = f"http://127.0.0.1:{link.port}"
    try:
        async with phone_session(next_address()) as http:
            await board_of(http, base)
            async with http.post(f"{base}/api/questions/99/vote") as resp:
                assert resp.status == 404
                assert await resp.json() == {"error": "No question #99"}
            async with http.post(f"{base}/api/pulse", json={"score": 5}) as resp:
                assert resp.status == 409
                assert await resp.json() == {"error": "The pulse is not open"}
            statuses = []
            for n in range(22):
                body = {"text": f"Question {n}"}
                async with http.post(f"{base}/api/questions", json=body) as resp:
                    statuses.append(resp.status)
                    if resp.status == 429:
                        assert int(resp.headers["Retry-After"]) >= 1
            assert statuses == [201] * 20 + [429] * 2
        assert len(session.board.ordered()) == 20
    finally:
        await link.stop()


async def test_the_facilitators_changes_and_undo_reach_the_page(session: Session) -> None:
    link = make_link(session)
    await link.start()
    base = f"http://127.0.0.1:{link.port}"
    try:
        async with phone_session(next_address()) as http:
            session.add_question("Shown")
            session.add_question("Taken back")
            session.undo()
            await until(lambda: session.version == link_version(link), "the events to go out")
            await asyncio.sleep(0.2)
            board = await board_of(http, base)
            assert [q["text"] for q in board["questions"]] == ["Shown"]
    finally:
        await link.stop()


def link_version(link: JoinLink) -> int:
    """The console's version once the link has nothing left to send."""
    return link.session_getter().version if not link._out else -1


async def test_the_pages_clock_follows_the_consoles_even_a_fake_one(clock: FakeClock) -> None:
    from tests.conftest import make_session

    session = make_session(clock)
    link = make_link(session)
    await link.start()
    base = f"http://127.0.0.1:{link.port}"
    try:
        async with phone_session(next_address()) as http:
            before = (await board_of(http, base))["now"]
            clock.advance(30)  # the fake clock moves; the real one hardly does
            link.tick()
            await asyncio.sleep(0.3)
            after = (await board_of(http, base))["now"]
        assert before["state"] == after["state"] == "running"
        assert before["left_s"] - after["left_s"] in (29, 30, 31)
    finally:
        await link.stop()


async def test_a_burst_over_real_sockets_lands_whole_and_each_answer_after_the_disk(
    session: Session,
) -> None:
    on_disk: set[int] = set()

    async def durable(seq: int) -> None:
        await asyncio.sleep(0.02)  # the writer's fsync
        on_disk.update(range(seq + 1))

    link = make_link(session, durable=durable)
    await link.start()
    base = f"http://127.0.0.1:{link.port}"
    phones = [phone_session(next_address()) for _ in range(40)]
    try:
        for http in phones:  # each loads the board first: its device token
            await board_of(http, base)

        async def ask(n: int, http: aiohttp.ClientSession) -> int:
            body = {"text": f"Question {n}", "name": None}
            async with http.post(f"{base}/api/questions", json=body) as resp:
                assert resp.status == 201
                qid = (await resp.json())["id"]
            seq = next(
                e["seq"]
                for e in session.events
                if e["kind"] == "question_added" and e["data"]["text"] == body["text"]
            )
            assert seq in on_disk, "answered before it was on disk"
            return qid

        ids = await asyncio.gather(*(ask(n, http) for n, http in enumerate(phones)))
        assert len(set(ids)) == 40
        assert {q.text for q in session.board.ordered()} == {f"Question {n}" for n in range(40)}
        # During a burst a phone may get a board up to STALE_OK_S old that
        # holds its own question; once that has passed it holds everyone's.
        await asyncio.sleep(STALE_OK_S * 2)
        assert len((await board_of(phones[0], base))["questions"]) == 40
    finally:
        for http in phones:
            await http.close()
        await link.stop()


async def test_a_change_not_saved_in_time_is_answered_503(session: Session) -> None:
    async def durable(seq: int) -> None:
        raise TimeoutError

    link = make_link(session, durable=durable)
    await link.start()
    base = f"http://127.0.0.1:{link.port}"
    try:
        async with phone_session(next_address()) as http:
            await board_of(http, base)
            async with http.post(f"{base}/api/questions", json={"text": "Kept"}) as resp:
                assert resp.status == 503
                assert "not saved to disk yet" in (await resp.json())["error"]
        assert [q.text for q in session.board.ordered()] == ["Kept"]  # still in memory
    finally:
        await link.stop()


async def test_a_port_in_use_is_a_join_error_and_no_process_stays(session: Session) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        link = JoinLink(lambda: session, lambda: None, "127.0.0.1", port, secret=SECRET)
        with pytest.raises(JoinError, match=f"^port {port} is already in use$"):
            await link.start()
    assert not link.running and link._child is None


async def test_a_page_that_dies_is_reported_once(session: Session) -> None:
    lost: list[str] = []
    link = make_link(session, on_lost=lost.append)
    await link.start()
    assert link._child is not None
    link._child.kill()
    await until(lambda: lost, "the loss to be reported")
    assert lost == [LOST] and not link.running
    assert link._on_event not in session.listeners  # nothing piles up for nobody
    session.add_question("The console goes on")
    await link.stop()
    assert lost == [LOST]


def page_saying(link: JoinLink, messages: list[dict[str, Any]]) -> Any:
    """A stand-in for the page's process that says `messages`, then ends (not a loss)."""
    stdout = asyncio.StreamReader()
    for message in messages:
        stdout.feed_data(json.dumps(message).encode() + b"\n")
    stdout.feed_eof()
    link._stopping = True

    class Child:
        pass

    child = Child()
    child.stdout = stdout  # type: ignore[attr-defined]
    return child


async def test_requests_are_made_in_slices_that_let_the_loop_breathe(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst's requests arrive faster than one step of the console's loop."""
    monkeypatch.setattr(link_module, "SLICE_S", 0.004)
    link = make_link(session)
    made: list[float] = []
    act = link.desk.act

    def slow_act(op: Op, device: str, data: dict[str, Any]) -> Done:
        time.sleep(0.002)
        made.append(time.perf_counter())
        return act(op, device, data)

    link.desk.act = slow_act  # type: ignore[method-assign]
    link.desk.limiter.limit = 1000
    messages = [
        {"op": "question", "id": n, "device": "c:a", "data": {"text": f"Question {n}"}}
        for n in range(30)
    ]
    child = page_saying(link, messages)
    ticks: list[float] = []

    async def tick() -> None:
        while len(made) < 30:
            ticks.append(time.perf_counter())
            await asyncio.sleep(0)

    await asyncio.gather(link._read(child), tick())  # type: ignore[arg-type]
    assert len(session.board.ordered()) == 30
    # The loop ran other callbacks between the first request and the last.
    assert any(made[0] < t < made[-1] for t in ticks)


async def test_a_burst_of_changes_is_redrawn_at_once_then_once_more(session: Session) -> None:
    redraws: list[float] = []
    desk = Desk(lambda: session, lambda: redraws.append(time.monotonic()))
    for _ in range(50):
        desk.changed()
    assert len(redraws) == 1
    await asyncio.sleep(REDRAW_EVERY_S * 1.5)
    assert len(redraws) == 2
    await asyncio.sleep(REDRAW_EVERY_S * 1.5)
    assert len(redraws) == 2  # nothing new: nothing more
    desk.changed()
    assert len(redraws) == 3


async def test_a_recent_board_serves_a_poll_in_a_burst_only_with_its_own_change(
    session: Session,
) -> None:
    now = JoinRoom(lambda: session, lambda: None)
    board = now.board(session, "c:a")
    session.add_question("Newer")
    assert now.board(session, "c:a") is not board  # no allowance: always current

    room = JoinRoom(lambda: session, lambda: None, stale_ok_s=STALE_OK_S)
    board = room.board(session, "c:a")
    session.add_question("Newer still")
    assert room._fresh_enough(board, "c:a")
    assert room.board(session, "c:a") is board
    await room.change(Op.QUESTION, "c:b", {"text": "From b"})  # b must see its own
    assert not room._fresh_enough(board, "c:b")
    await asyncio.sleep(STALE_OK_S * 1.5)
    assert not room._fresh_enough(board, "c:a")


def test_only_genuine_tokens_are_remembered() -> None:
    tokens = DeviceTokens(SECRET)
    token = tokens.issue("127.0.0.9", CODE)
    assert token is not None
    ident, mac = token.split(".")
    forged = f"{ident}.{'A' * len(mac)}"
    assert tokens.device(forged, CODE) is None
    assert tokens.device(token, CODE) == tokens.device(token, CODE) == f"c:{ident}"
    assert tokens.device(token, "OTHER1") is None  # another session's code
    assert tokens.device(forged, CODE) is None
    assert set(tokens._known) == {(token, CODE)}


async def test_a_change_the_console_doesnt_know_is_answered_not_left_hanging(
    session: Session,
) -> None:
    link = make_link(session)
    child = page_saying(link, [{"op": "explode", "id": 4, "device": "c:a", "data": {}}])
    await link._read(child)  # type: ignore[arg-type]
    answers = [json.loads(line) for line in link._out]
    assert answers == [{"re": 4, "refused": [500, "internal error", {}]}]
