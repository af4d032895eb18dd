"""Phones for the join page's tests: each is a device with its own address and cookies.

Phones in a room each have their own address on the network; here each one
connects from its own loopback address (127.0.0.2, 127.0.0.3, ...), so the
limits kept per address see what they would see in a room.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

CODE = "ABCDEF"
_ADDRESSES = itertools.count(2)


def next_address() -> str:
    n = next(_ADDRESSES) % 60000
    return f"127.0.{n // 250}.{n % 250 + 2}"


class Phone:
    """One device: its own address and cookie jar, the code sent as a header unless told.

    `seeded` phones have loaded the board once before their first call, as a
    phone that opened the page has: they hold a device token.
    """

    def __init__(
        self, server: TestServer, cookies: bool = True, seeded: bool = True, address: str = ""
    ) -> None:
        self.server = server
        self.address = address or next_address()
        jar = aiohttp.CookieJar(unsafe=True) if cookies else aiohttp.DummyCookieJar()
        self.jar = jar
        self.http = aiohttp.ClientSession(
            cookie_jar=jar, connector=aiohttp.TCPConnector(local_addr=(self.address, 0))
        )
        self._seed = cookies and seeded

    async def call(
        self,
        method: str,
        path: str,
        *,
        code: str | None = CODE,
        raw: bytes | None = None,
        **kwargs: Any,
    ) -> tuple[int, Any, aiohttp.ClientResponse]:
        """`raw` is sent as it is, labelled application/json."""
        if self._seed:
            self._seed = False
            status, _, _ = await self.call("GET", "/api/board")
            assert status == 200 and self.token(), "the phone got no device token"
        headers = dict(kwargs.pop("headers", {}))
        if code is not None:
            headers["X-Circle-Code"] = code
        if raw is not None:
            kwargs["data"] = raw
            headers.setdefault("Content-Type", "application/json")
        kwargs.setdefault("allow_redirects", False)
        async with self.http.request(
            method, self.server.make_url(path), headers=headers, **kwargs
        ) as resp:
            data = await resp.read()
        try:
            body: Any = json.loads(data)
        except ValueError:
            body = data.decode("utf-8", "replace")
        return resp.status, body, resp

    def token(self) -> str | None:
        for cookie in self.jar:
            if cookie.key == "circle_device":
                return cookie.value
        return None

    async def close(self) -> None:
        await self.http.close()


def error_case(status: int, body: Any, expected: int, words: str) -> None:
    assert status == expected, body
    assert isinstance(body, dict) and words.lower() in body["error"].lower(), body
    shown = body["error"].replace(" / ", "").replace("application/json", "")
    assert "Traceback" not in shown and "/" not in shown


async def raw_request(server: TestServer, head: bytes, body: bytes = b"") -> tuple[int, bytes]:
    """Bytes a client library would refuse to send: the status and the body back."""
    reader, writer = await asyncio.open_connection(server.host, server.port)
    try:
        writer.write(head + b"Connection: close\r\n\r\n" + body)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
    status_line, _, rest = answer.partition(b"\r\n")
    _, _, payload = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), payload
