"""Acknowledged means on disk: 100 phones ask at once, then `kill -9`.

The real `circle` runs the join page in tmux. A hundred phones, each from its
own loopback address with its own device token, ask a question at the same
moment. The moment the last answer arrives the app is killed with SIGKILL,
nothing flushed. Every question a phone was told was saved (201) must then
be in the exported minutes.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from circle.storage import Store
from tests.e2e.terminal import Tmux, have_tmux, wait_until
from tests.e2e.test_demo_session import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not have_tmux(), reason="needs tmux"),
]

CIRCLE = Path(sys.executable).parent / "circle"
PEOPLE = ["--mentor", "Ada", "--mentee", "Mira", "--mentee", "Jon", "--mentee", "Priya"]
PHONES = 100


def join_code(data: Path) -> str:
    def created() -> str | None:
        store = Store(data)
        sessions = store.list_sessions() if (data / "index.json").exists() else []
        if not sessions:
            return None
        return store.load_session(sessions[0]["id"]).events[0]["data"]["join_code"]

    return str(wait_until(created, 15, "the session to be saved"))


class Phone(threading.Thread):
    """One device: its own address, its token from a first read, then one question."""

    def __init__(self, n: int, port: int, code: str, go: threading.Event) -> None:
        super().__init__(daemon=True)
        self.address = f"127.0.{n // 200 + 1}.{n % 200 + 2}"
        self.port, self.code, self.go = port, code, go
        self.text = f"Question {n} from a phone"
        self.status = 0

    def request(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple:
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0)
        )
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheader("Set-Cookie") or "", response.read()
        finally:
            conn.close()

    def run(self) -> None:
        status, cookie, _ = self.request("GET", f"/api/board?code={self.code}", None, {})
        assert status == 200 and cookie, (status, cookie)
        token = cookie.split(";", 1)[0]
        self.go.wait(30)
        body = json.dumps({"text": self.text, "name": None}).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Circle-Code": self.code,
            "Cookie": token,
        }
        self.status, _, _ = self.request("POST", "/api/questions", body, headers)


def test_every_acknowledged_question_survives_kill_9(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()
    argv = [CIRCLE, "--data-dir", data, "new", "--agenda", "group-circle", "--title", "Burst"]
    argv += [*PEOPLE, "--join", "--host", "127.0.0.1", "--port", str(port)]
    with Tmux(120, 40) as term:
        term.start("console", argv)
        term.wait_for("console", "?code=")
        code = join_code(data)

        go = threading.Event()
        phones = [Phone(n, port, code, go) for n in range(PHONES)]
        for phone in phones:
            phone.start()
        go.set()
        for phone in phones:
            phone.join(60)
        term.kill9("console")  # the moment the last answer is in: nothing flushed

    acknowledged = [phone.text for phone in phones if phone.status == 201]
    assert len(acknowledged) >= PHONES * 0.9, [p.status for p in phones]
    export = subprocess.run(
        [CIRCLE, "--data-dir", data, "export", "last"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert export.returncode == 0, export.stderr
    missing = [text for text in acknowledged if text not in export.stdout]
    assert not missing, f"{len(missing)} acknowledged questions lost: {missing[:5]}"
