"""The join server on a thread of its own: the session is read and changed only on its loop."""

from __future__ import annotations

import asyncio
import threading
import time

import aiohttp
import pytest

from circle.domain.session import Session
from circle.web import courier as courier_module
from circle.web.courier import Courier
from circle.web.guard import DeviceTokens
from circle.web.page import ApiError
from circle.web.room import REDRAW_EVERY_S, STALE_OK_S, JoinRoom
from circle.web.server import JoinServer
from tests.web.phones import CODE, next_address
from tests.web.test_join_server import free_port


def phone_session(address: str) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        connector=aiohttp.TCPConnector(local_addr=(address, 0)),
        headers={"X-Circle-Code": CODE},
    )


async def test_requests_are_served_off_the_loop_and_changes_made_on_it(session: Session) -> None:
    changed_on: list[threading.Thread] = []
    add_question = session.add_question

    def recorded(*args, **kwargs):
        changed_on.append(threading.current_thread())
        return add_question(*args, **kwargs)

    session.add_question = recorded  # type: ignore[method-assign]
    server = JoinServer(lambda: session, lambda: None, host="127.0.0.1", port=free_port())
    await server.start()
    try:
        serving = [t for t in threading.enumerate() if t.name == "circle-join"]
        assert len(serving) == 1 and serving[0] is not threading.current_thread()
        async with phone_session(next_address()) as http:
            base = f"http://127.0.0.1:{server.port}"
            async with http.get(f"{base}/api/board") as resp:
                assert resp.status == 200
            async with http.post(f"{base}/api/questions", json={"text": "Hi", "name": None}) as r:
                assert r.status == 201
        assert changed_on == [threading.current_thread()]
    finally:
        await server.stop()
    assert not serving[0].is_alive()


async def test_a_burst_over_real_sockets_lands_whole_and_each_answer_after_the_disk(
    session: Session,
) -> None:
    on_disk: set[int] = set()

    async def durable(seq: int) -> None:
        await asyncio.sleep(0.02)  # the writer's fsync
        on_disk.update(range(seq + 1))

    server = JoinServer(
        lambda: session, lambda: None, host="127.0.0.1", port=free_port(), durable=durable
    )
    await server.start()
    base = f"http://127.0.0.1:{server.port}"
    phones = [phone_session(next_address()) for _ in range(40)]
    try:
        for http in phones:  # each loads the page first: its device token
            async with http.get(f"{base}/api/board") as resp:
                assert resp.status == 200

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
        async with phones[0].get(f"{base}/api/board") as resp:
            assert len((await resp.json())["questions"]) == 40
    finally:
        for http in phones:
            await http.close()
        await server.stop()


async def test_a_burst_of_jobs_runs_in_slices_that_let_the_loop_breathe(monkeypatch) -> None:
    monkeypatch.setattr(courier_module, "SLICE_S", 0.004)
    courier = Courier()
    courier.owner = asyncio.get_running_loop()
    ran: list[float] = []
    ticks: list[float] = []

    def job(n: int) -> int:
        time.sleep(0.002)
        ran.append(time.perf_counter())
        return n * n

    def fail() -> None:
        raise ApiError(404, "No such question")

    async def jobs() -> list[int]:
        results = await asyncio.gather(*(courier.call(lambda n=n: job(n)) for n in range(30)))
        with pytest.raises(ApiError, match="No such question"):
            await courier.call(fail)
        return results

    elsewhere = threading.Thread(target=lambda: box.append(asyncio.run(jobs())))
    box: list[list[int]] = []
    elsewhere.start()
    while elsewhere.is_alive():
        ticks.append(time.perf_counter())
        await asyncio.sleep(0)
    assert box == [[n * n for n in range(30)]]
    # The owner's loop ran its own callbacks between the first job and the last.
    assert any(ran[0] < tick < ran[-1] for tick in ticks)


async def test_a_burst_of_changes_is_redrawn_at_once_then_once_more(session: Session) -> None:
    redraws: list[float] = []
    room = JoinRoom(lambda: session, lambda: redraws.append(time.monotonic()))
    for _ in range(50):
        room.changed()
    assert len(redraws) == 1
    await asyncio.sleep(REDRAW_EVERY_S * 1.5)
    assert len(redraws) == 2
    await asyncio.sleep(REDRAW_EVERY_S * 1.5)
    assert len(redraws) == 2  # nothing new: nothing more
    room.changed()
    assert len(redraws) == 3


async def test_a_recent_board_serves_a_poll_only_off_the_loop_and_only_with_its_own_change(
    session: Session,
) -> None:
    room = JoinRoom(lambda: session, lambda: None)
    board = await room.board(session, "c:a")
    session.add_question("Newer")
    assert await room.board(session, "c:a") is not board  # same loop: always current
    board = room._board
    session.add_question("Newer still")
    room.courier.owner = asyncio.new_event_loop()  # as if served from another thread
    try:
        assert room._fresh_enough(board, "c:a")
        room.wrote(session, "c:b")  # b made the newest change: it must see it
        assert not room._fresh_enough(board, "c:b")
        await asyncio.sleep(STALE_OK_S * 1.5)
        assert not room._fresh_enough(board, "c:a")
    finally:
        room.courier.owner.close()


def test_only_genuine_tokens_are_remembered() -> None:
    tokens = DeviceTokens(b"a test secret of 32 bytes, fixed")
    token = tokens.issue("127.0.0.9", CODE)
    assert token is not None
    ident, mac = token.split(".")
    forged = f"{ident}.{'A' * len(mac)}"
    assert tokens.device(forged, CODE) is None
    assert tokens.device(token, CODE) == tokens.device(token, CODE) == f"c:{ident}"
    assert tokens.device(token, "OTHER1") is None  # another session's code
    assert tokens.device(forged, CODE) is None
    assert set(tokens._known) == {(token, CODE)}
