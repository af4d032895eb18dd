"""Starting and stopping the join server: ports, addresses, the URL."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator

import aiohttp
import pytest

from circle.domain.session import Session
from circle.web.server import DEFAULT_PORT, PORT_TRIES, JoinError, JoinServer, lan_address


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def taken() -> Iterator[int]:
    """A port something else is listening on."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock.getsockname()[1]
    sock.close()


async def test_explicit_port_that_is_taken_says_so(session: Session, taken: int) -> None:
    server = JoinServer(lambda: session, lambda: None, host="127.0.0.1", port=taken)
    with pytest.raises(JoinError, match=f"^port {taken} is already in use$"):
        await server.start()
    assert not server.running


async def test_explicit_port_on_all_interfaces_when_taken(session: Session, taken: int) -> None:
    server = JoinServer(lambda: session, lambda: None, port=taken)
    with pytest.raises(JoinError, match="already in use"):
        await server.start()


async def test_an_address_that_cannot_be_bound_says_so(session: Session) -> None:
    server = JoinServer(lambda: session, lambda: None, host="203.0.113.7", port=free_port())
    with pytest.raises(JoinError, match="can't listen on 203.0.113.7"):
        await server.start()


async def test_default_port_is_8765_or_the_next_free_one(session: Session) -> None:
    first = JoinServer(lambda: session, lambda: None, host="127.0.0.1")
    second = JoinServer(lambda: session, lambda: None, host="127.0.0.1")
    await first.start()
    try:
        await second.start()
        try:
            ports = range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES)
            assert first.port in ports and second.port in ports
            assert second.port > first.port
            if first.port == DEFAULT_PORT:  # nothing else was using it
                assert second.port == DEFAULT_PORT + 1
        finally:
            await second.stop()
    finally:
        await first.stop()


async def test_serves_over_real_sockets_then_stops(session: Session) -> None:
    changes: list[int] = []
    port = free_port()
    server = JoinServer(lambda: session, lambda: changes.append(1), host="127.0.0.1", port=port)
    await server.start()
    assert server.running and server.port == port
    assert server.url == f"http://127.0.0.1:{port}/?code=ABCDEF"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(server.url) as resp:
            assert resp.status == 200 and "Tuesday circle" in await resp.text()
        async with http.post(
            f"http://127.0.0.1:{port}/api/questions", json={"text": "Over TCP", "name": "Jon"}
        ) as resp:  # the code comes from the cookie the page set
            assert resp.status == 201
        assert [q.text for q in session.board.ordered()] == ["Over TCP"]
        assert changes == [1] and server.devices == 1
        await server.stop()
        assert not server.running
        with pytest.raises(aiohttp.ClientConnectionError):
            async with http.get(server.url):
                pass


async def test_url_on_all_interfaces_uses_the_lan_address(session: Session) -> None:
    # No port asked for: the server takes the first free one of its range. A port
    # probed free beforehand can be taken by a connection's own end before the
    # server binds it on every interface.
    server = JoinServer(lambda: session, lambda: None, host="0.0.0.0")
    await server.start()
    try:
        match = re.fullmatch(r"http://(\d+\.\d+\.\d+\.\d+):(\d+)/\?code=ABCDEF", server.url)
        assert match and int(match[2]) == server.port
        assert match[1] == lan_address() != "0.0.0.0"
    finally:
        await server.stop()


def test_lan_address_is_an_ipv4_address() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", lan_address())
