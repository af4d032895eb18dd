"""A join server on a test socket, and phones to talk to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from circle.domain.session import Session
from circle.web.server import JoinServer, make_app
from tests.web.phones import Phone

SECRET = b"a test secret of 32 bytes, fixed"


@pytest.fixture
async def env(session: Session) -> AsyncIterator[dict[str, Any]]:
    changes: list[int] = []
    join = JoinServer(lambda: session, lambda: changes.append(1), host="127.0.0.1", secret=SECRET)
    server = TestServer(make_app(join))
    await server.start_server()
    phones: list[Phone] = []

    def phone(cookies: bool = True, seeded: bool = True, address: str = "") -> Phone:
        phones.append(Phone(server, cookies, seeded, address))
        return phones[-1]

    yield {"join": join, "session": session, "phone": phone, "changes": changes, "srv": server}
    for p in phones:
        await p.close()
    await server.close()
