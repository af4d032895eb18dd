"""A whole short session as a facilitator lives it: `circle demo` in a real terminal.

Real keys through tmux at 80×24 and 160×45, the screen read after each step
(waiting for text with a timeout, never sleeping blindly), a question sent
from a "phone" over HTTP, then the exported minutes checked.
"""

from __future__ import annotations

import json
import socket
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from circle.runtime import session_at_rest
from circle.storage import Store
from tests.e2e.terminal import Tmux, have_tmux, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not have_tmux(), reason="needs tmux")]

CIRCLE = Path(sys.executable).parent / "circle"
NAME = "demo"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stored(data: Path):
    store = Store(data)
    (summary,) = store.list_sessions()
    loaded = store.load_session(summary["id"])
    return session_at_rest(loaded.events, loaded.clock)


def wait_stored(data: Path, check, what: str):
    def ok():
        try:
            return check(stored(data))
        except (ValueError, KeyError, IndexError):
            return False

    wait_until(ok, 10, what)


def post_question(port: int, code: str, text: str) -> dict:
    # A phone first reads the board, which issues its device token (a cookie);
    # a write without one is refused.
    phone = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    board = f"http://127.0.0.1:{port}/api/board?code={code}"
    with phone.open(board, timeout=5) as response:
        assert response.status == 200
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/questions",
        data=json.dumps({"text": text, "name": None}).encode(),
        headers={"Content-Type": "application/json", "X-Circle-Code": code},
        method="POST",
    )
    with phone.open(request, timeout=5) as response:
        assert response.status == 201
        return json.load(response)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_a_whole_demo_session(tmp_path: Path, size: tuple[int, int]) -> None:
    data, port = tmp_path / "data", free_port()
    with Tmux(*size) as term:
        term.start(
            NAME, [CIRCLE, "demo", "--data-dir", data, "--host", "127.0.0.1", "--port", str(port)]
        )
        term.wait_for(NAME, "Demo circle", "Check-in")

        # Hands, the next speaker, a mentor's turn.
        term.keys(NAME, "1", "2")
        term.wait_for(NAME, "1. Mira", "2. Jon")
        term.keys(NAME, "s")
        term.wait_for(NAME, "Speaking: Mira")
        term.keys(NAME, "0")
        term.wait_for(NAME, "Speaking: Ada")

        # A question, a vote, a takeaway, and undo.
        term.keys(NAME, "q")
        term.wait_for(NAME, "New question")
        term.type(NAME, "How do I ask for *feedback*?")
        term.keys(NAME, "Enter")
        term.wait_for(NAME, "How do I ask")  # on a narrow board the question wraps
        term.keys(NAME, "v")
        term.wait_for(NAME, "▲1")
        term.keys(NAME, "k")
        term.wait_for(NAME, "New takeaway")
        term.type(NAME, "Ask early, ask often")
        term.keys(NAME, "Enter")
        wait_stored(data, lambda s: s.takeaways, "the takeaway saved")
        term.keys(NAME, "u")
        term.wait_for(NAME, "Undone: the new takeaway")
        wait_stored(data, lambda s: not s.takeaways, "the takeaway undone in storage")

        # An action item, then the next item.
        term.keys(NAME, "t")
        term.wait_for(NAME, "New action item")
        term.type(NAME, "Send the summary")
        term.keys(NAME, "Enter")
        wait_stored(data, lambda s: s.actions, "the action item saved")
        term.keys(NAME, "n")
        term.wait_for(NAME, "Last time's action items")

        # A flash round from a non-flash item: it asks for the total first.
        term.keys(NAME, "f")
        term.wait_for(NAME, "Flash round: total time")
        term.type(NAME, "10")  # the field's "20" is selected: typing replaces it
        term.keys(NAME, "Enter")
        term.wait_for(NAME, "Slot 1 of 4")
        time.sleep(1.1)  # a second `f` within a second is a double press, ignored
        term.keys(NAME, "f")
        term.wait_for(NAME, "Changeover")
        time.sleep(1.1)
        term.keys(NAME, "f")
        term.wait_for(NAME, "Slot 2 of 4")

        # The join page, and a question from a phone over HTTP.
        term.keys(NAME, "j")
        screen = term.wait_for(NAME, "Join on your phone")
        code = stored(data).join_code
        assert " ".join(code) in screen
        term.keys(NAME, "Escape")
        post_question(port, code, "From a phone: <b>really</b>?")
        term.wait_for(NAME, "From a phone: <b>rea")  # cut with … on a narrow board

        # Export now, then end with the pulse.
        term.keys(NAME, "e")
        wait_until(lambda: list((data / "exports").glob("*.md")), 10, "an export file")
        term.keys(NAME, "x")
        term.wait_for(NAME, "End the session now?")
        term.keys(NAME, "y")
        term.wait_for(NAME, "Pulse")
        term.type(NAME, "8 Good pace")
        term.keys(NAME, "Enter")
        term.wait_for(NAME, "1 of 5 answered")  # while open: how many, never an average
        term.keys(NAME, "Escape")
        term.wait_for(NAME, "Review open action items")
        term.keys(NAME, "Enter")
        term.wait_for(NAME, "Export the minutes now?")
        term.keys(NAME, "y")
        wait_until(lambda: len(list((data / "exports").glob("*.md"))) == 2, 10, "the final export")
        term.keys(NAME, "C-q")
        term.wait_exit(NAME)

    session = stored(data)
    assert session.ended and [p["score"] for p in session.pulse] == [8]
    final = max((data / "exports").glob("*.md"), key=lambda p: p.stat().st_mtime)
    minutes = final.read_text(encoding="utf-8")
    assert minutes.startswith("# Demo circle — ")
    assert "Unfinished" not in minutes
    assert "How do I ask for \\*feedback\\*?" in minutes
    assert "From a phone: \\<b\\>really\\</b\\>?" in minutes
    assert "Send the summary" in minutes and "Good pace" in minutes
    assert "Mira" in minutes.split("## Flash mentoring")[1].split("## Action items")[0]
