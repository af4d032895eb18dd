"""What a phone sends shows on the projected live screen, within a second."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import aiohttp
import pytest

from tests.live_helpers import make_app, run_of, screen_text, wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("size", [(160, 45)])
async def test_a_question_posted_over_http_appears_on_the_live_screen(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path)
    app.join_at_start, app.join_host, app.join_port = True, "127.0.0.1", free_port()
    async with app.run_test(size=size) as pilot:
        server = await wait_for(pilot, lambda: app.join_server, what="the join server")
        session = run_of(app).session
        base = f"http://127.0.0.1:{server.port}"
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            async with http.get(f"{base}/?code={session.join_code}") as resp:
                assert resp.status == 200
            await pilot.press("escape")  # the join card gives way to the live screen
            sent = time.monotonic()
            async with http.post(
                f"{base}/api/questions", json={"text": "Phones <b>[bold]too</b>?", "name": "Jon"}
            ) as resp:
                assert resp.status == 201
            await wait_for(
                pilot,
                lambda: "Phones <b>[bold]too</b>?" in screen_text(app),
                timeout=1.0,
                what="the question on the live screen",
            )
            assert time.monotonic() - sent < 1.0
            assert f"code {session.join_code}" in screen_text(app)
        assert [q.asker for q in session.board.ordered()] == ["Jon"]
