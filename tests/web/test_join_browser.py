"""A real phone's view: headless Chromium (Debian's package) drives the join page.

Chromium is driven over the DevTools protocol with aiohttp's websocket client,
so nothing downloads a browser of its own. The join server runs on a thread of
its own and changes the session on the test's event loop, exactly as in the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from circle.domain.clock import FakeClock
from circle.domain.session import Session
from circle.web.server import JoinServer
from tests.conftest import make_session

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which(CHROMIUM) is None,
        reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-allow-origins=*",
    "--remote-debugging-port=0",
    "--window-size=390,844",  # a phone
]


class DevTools:
    """Just enough of the Chrome DevTools protocol: commands, and the events seen."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.last_id = 0
        self.events: list[dict[str, Any]] = []

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        await self.ws.send_json({"id": self.last_id, "method": method, "params": params})
        async with asyncio.timeout(20):
            while True:
                message = json.loads((await self.ws.receive()).data)
                if message.get("id") == self.last_id:
                    if "error" in message:
                        raise AssertionError(f"{method}: {message['error']}")
                    return message.get("result", {})
                self.events.append(message)

    async def js(self, expression: str) -> Any:
        result = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def until(self, expression: str, timeout: float = 10.0) -> Any:
        # Tolerant while the page is still loading (no document yet, and so on).
        guarded = f"(() => {{ try {{ return ({expression}); }} catch (e) {{ return false; }} }})()"
        async with asyncio.timeout(timeout):
            while not (value := await self.js(guarded)):
                await asyncio.sleep(0.1)
        return value

    async def tap(self, selector: str) -> None:
        """A real tap: the mouse goes down and up in the middle of the element."""
        box = await self.js(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return {x: r.x + r.width / 2, y: r.y + r.height / 2, h: r.height}; })()"
        )
        assert box["h"] >= 44, f"{selector} is {box['h']}px tall: too small to tap"
        for kind in ("mousePressed", "mouseReleased"):
            await self.send(
                "Input.dispatchMouseEvent",
                type=kind,
                x=box["x"],
                y=box["y"],
                button="left",
                clickCount=1,
            )


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[DevTools]:
    profile = tmp_path / "profile"
    proc = await asyncio.create_subprocess_exec(
        CHROMIUM,
        *FLAGS,
        f"--user-data-dir={profile}",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,  # its own process group: stopped by our pid alone
    )
    try:
        async with asyncio.timeout(60):
            while True:
                line = await proc.stderr.readline()
                if not line:
                    raise AssertionError("chromium exited before DevTools started")
                if found := re.search(rb"DevTools listening on ws://([^/]+)/", line):
                    devtools = found[1].decode()
                    break
        # Keep draining chromium's stderr so it never blocks on a full pipe.
        drain = asyncio.create_task(proc.stderr.read())
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://{devtools}/json/list") as resp:
                pages = [t for t in await resp.json() if t["type"] == "page"]
            async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                tools = DevTools(ws)
                await tools.send("Runtime.enable")
                await tools.send("Log.enable")
                await tools.send("Page.enable")
                yield tools
        drain.cancel()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                await proc.wait()
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page_problems(tools: DevTools) -> list[str]:
    """Script errors and CSP violations the page caused."""
    problems = []
    for event in tools.events:
        if event.get("method") == "Runtime.exceptionThrown":
            problems.append(json.dumps(event["params"])[:300])
        if event.get("method") == "Log.entryAdded":
            entry = event["params"]["entry"]
            if entry["level"] == "error" and "favicon" not in entry.get("url", ""):
                problems.append(entry["text"])
    return problems


async def test_a_phone_joins_asks_votes_and_raises_a_hand(
    browser: DevTools, session: Session
) -> None:
    changes: list[int] = []
    server = JoinServer(lambda: session, lambda: changes.append(1), "127.0.0.1", free_port())
    await server.start()
    try:
        tools = browser
        await tools.send("Page.navigate", url=server.url)
        await tools.until(
            "document.documentElement.classList.contains('js')"
            " && document.getElementById('name').options.length === 6"
        )
        assert await tools.js("document.getElementById('title').textContent") == "Tuesday circle"

        # Pick a name, as the picker's change event reports it. A mentor's hand
        # is raised from the keyboard, never from a phone.
        pick = (
            "(() => { const s = document.getElementById('name'); s.value = '%s';"
            " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
        )
        await tools.until("document.getElementById('now').textContent.startsWith('Check-in')")
        await tools.js(pick % "Ada")
        assert await tools.js("document.getElementById('hand').disabled") is True
        assert "mentor" in await tools.js("document.getElementById('hand-hint').textContent")
        await tools.js(pick % "Mira")
        question = "Can we talk about <b>pay</b> & [bold]rises[/]?"
        await tools.js("document.getElementById('text').focus()")
        await tools.send("Input.insertText", text=question)
        count = await tools.js("document.getElementById('count').textContent")
        assert count == f"{len(question)} / 280 characters"
        await tools.tap("#send")

        shown = "[...document.querySelectorAll('#questions .q-text')].map(e => e.textContent)"
        await tools.until(f"{shown}.includes({json.dumps(question)})")
        assert await tools.js("document.getElementById('text').value") == ""
        (stored,) = session.board.ordered()
        assert (stored.text, stored.asker, stored.source) == (question, "Mira", "phone")

        vote = f'#questions button.vote[data-id="{stored.id}"]'
        await tools.tap(vote)
        await tools.until(
            f"document.querySelector('{vote}').getAttribute('aria-pressed') === 'true'"
        )
        assert session.board.get(stored.id).votes == 1

        await tools.until("!document.getElementById('hand').disabled")
        await tools.tap("#hand")
        await tools.until("document.getElementById('hand').getAttribute('aria-pressed') === 'true'")
        assert [e.person for e in session.queue_entries()] == ["Mira"]
        assert session.name_owner["Mira"].startswith("c:")  # the device's cookie
        await tools.until("document.querySelector('#queue li')?.textContent === 'Mira · new'")

        # The board in the browser: the text is text, nothing became markup.
        items = await tools.js(
            "[...document.querySelectorAll('#questions li')].map(li => ({"
            " text: li.querySelector('.q-text').textContent,"
            " meta: li.querySelector('.q-meta').textContent,"
            " tags: li.querySelector('.q-text').children.length}))"
        )
        assert items == [{"text": question, "meta": "Mira · 1 vote", "tags": 0}]
        assert await tools.js("document.getElementById('qcount').textContent") == "1"

        # What the facilitator does shows up on the phone within one poll.
        session.add_question("From the keyboard")
        await tools.until(f"{shown}.includes('From the keyboard')", timeout=5)
        session.open_pulse()
        await tools.until("!document.getElementById('pulse').hidden", timeout=5)
        await tools.tap("#pulse-form .score:nth-child(9)")  # the label is the target
        await tools.tap("#pulse-form button[type=submit]")
        await tools.until("!document.getElementById('pulse-done').hidden")
        assert [p["score"] for p in session.pulse] == [9]

        assert page_problems(tools) == []
        assert changes  # the app was told about every change
    finally:
        await server.stop()


async def test_asking_works_with_javascript_off(browser: DevTools, session: Session) -> None:
    server = JoinServer(lambda: session, lambda: None, "127.0.0.1", free_port())
    await server.start()
    try:
        tools = browser
        await tools.send("Emulation.setScriptExecutionDisabled", value=True)
        await tools.send("Page.navigate", url=server.url)
        await tools.until("document.readyState === 'complete' && !!document.getElementById('send')")
        assert await tools.js("document.documentElement.classList.contains('js')") is False
        await tools.js("document.getElementById('text').focus()")
        await tools.send("Input.insertText", text="No script <here>")
        await tools.js(
            "document.getElementById('name').value = 'Jon'"
        )  # what choosing in the picker leaves behind
        await tools.tap("#send")
        await tools.until("location.search.includes('notice=sent')")
        await tools.until("document.readyState === 'complete'")
        (stored,) = session.board.ordered()
        assert (stored.text, stored.asker) == ("No script <here>", "Jon")
        texts = await tools.js(
            "[...document.querySelectorAll('#questions .q-text')].map(e => e.textContent)"
        )
        assert texts == ["No script <here>"]
        status = await tools.js("document.getElementById('status').textContent")
        assert "on the board" in status
    finally:
        await server.stop()


async def test_the_top_line_counts_down_by_itself(browser: DevTools) -> None:
    """The server's clock stands still here: every second the page loses is its own count."""
    clock = FakeClock(wall=time.time())
    session = make_session(clock)
    clock.advance(250)
    clock.jump_wall(-250)  # 50 s left of Check-in, ending 50 s from the real now
    session.toggle_hand("Jon")
    session.start_turn("Mira")
    server = JoinServer(lambda: session, lambda: None, "127.0.0.1", free_port())
    await server.start()
    try:
        tools = browser
        await tools.send("Network.enable")
        await tools.send("Page.navigate", url=server.url)
        line = "document.getElementById('now').textContent"
        await tools.until(f"/^Check-in — \\d+ s left — Mira speaking, Jon next$/.test({line})")
        first = int(re.search(r"(\d+) s left", await tools.js(line))[1])
        await asyncio.sleep(3.2)
        later = int(re.search(r"(\d+) s left", await tools.js(line))[1])
        assert 2 <= first - later <= 4
        # Meanwhile the polls were answered 304: nothing a phone shows had changed.
        statuses = [
            e["params"]["response"]["status"]
            for e in tools.events
            if e.get("method") == "Network.responseReceived"
            and e["params"]["response"]["url"].endswith("/api/board")
        ]
        assert statuses[0] == 200 and 304 in statuses[1:]
        assert page_problems(tools) == []
    finally:
        await server.stop()
