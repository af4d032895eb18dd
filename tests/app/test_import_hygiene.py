"""The lazy imports stay lazy: the start-up path, checked in `sys.modules`.

The import-linter contracts in pyproject.toml read the static graph, where an
import inside a function counts like any other, so they can't tell whether a
deferral defers. These tests start the live screen for real, in a fresh
interpreter, and look at what got imported by its first frame.

Every deliberate lazy import of circle is listed in DEFERRED with its reason.
A new one belongs here; one that silently becomes eager fails below.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

DEFERRED = {
    # Libraries: each costs milliseconds of every start-up, for a feature a
    # session may never use.
    "markdown_it": (
        "bundled templates are read already parsed (agendas/parsed.json); a person's own "
        "agenda file is parsed before the app starts; the live screen never parses"
    ),
    "aiohttp": "the join page's server runs in a process of its own (`circle.web.process`)",
    "segno": "the QR code is drawn when the join card first opens",
    # circle's own modules, loaded on first use.
    "circle.web.link": "the join page's process starts with `j`",
    "circle.web.server": "the join page's server runs in its own process, never the console's",
    "circle.minutes.export": "the minutes load with `e`, on a worker thread",
    "circle.minutes.markdown": "the minutes load with `e`, on a worker thread",
    "circle.screens.palette": "the palette's commands load when ctrl+p opens it",
    "circle.screens.dialogs": "a dialog's module loads with the first dialog",
    "circle.screens.help": "the help screen loads with `?`",
    "circle.screens.insert": "inserting an item is a palette command",
    "circle.screens.joincard": "the join card opens with the join page",
    "circle.screens.ending": "ending (`x`) happens once, at the end",
    "circle.screens.home": "a session started from the command line never shows home",
    "circle.screens.setup": "a session started from the command line never shows setup",
    "circle.screens.setup_form": "a session started from the command line never shows setup",
    "circle.widgets.qr": "the QR code is drawn when the join card first opens",
    "circle.domain.flash": "the flash plan loads with a session's first flash round",
    "circle.domain.flashrun": "the flash plan loads with a session's first flash round",
}

START_LIVE = """
import asyncio, json, socket, sys, tempfile
from pathlib import Path
from circle.app import CircleApp
from circle.domain.agenda import Agenda, AgendaItem
from circle.domain.clock import SystemClock
from circle.runtime import LiveRun
from circle.storage import Store

agenda = Agenda("Circle", (AgendaItem("Check-in", 300), AgendaItem("Hot seat", 1200, "round")))
store = Store(Path(tempfile.mkdtemp()))
run = LiveRun.start_new(store, SystemClock(), title="T", agenda=agenda,
                        mentors=["Ada"], mentees=["Mira", "Jon", "Priya"])

async def main():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = CircleApp(store, run, host="127.0.0.1", port=port)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        loaded = sorted(m for m in NAMES if m in sys.modules)
        if OPEN_JOIN:
            await pilot.press("j")
            while app.join_server is None:
                await asyncio.sleep(0.05)
            loaded = sorted(m for m in NAMES if m in sys.modules)
    print(json.dumps(loaded))

asyncio.run(main())
"""


def modules_loaded_at_start(names: list[str], open_join: bool = False) -> list[str]:
    script = f"NAMES = {names!r}\nOPEN_JOIN = {open_join!r}\n" + textwrap.dedent(START_LIVE)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_live_screen_starts_without_any_deferred_module() -> None:
    loaded = modules_loaded_at_start(sorted(DEFERRED))
    reasons = [f"{name}: {DEFERRED[name]}" for name in loaded]
    assert not loaded, "imported at start-up although deferred:\n" + "\n".join(reasons)


def test_the_check_sees_what_start_up_does_load() -> None:
    # The same probe finds what the live screen needs, so an empty answer
    # above means "deferred", not "the probe looked at nothing".
    assert modules_loaded_at_start(["textual.app", "circle.screens.live"]) == [
        "circle.screens.live",
        "textual.app",
    ]


def test_the_join_page_opens_without_loading_its_server_into_the_console() -> None:
    # A room's burst is parsed in the page's own process: its web server
    # never shares the console's CPU time and lock with the keys.
    loaded = modules_loaded_at_start(["aiohttp", "circle.web.link", "circle.web.server"], True)
    assert loaded == ["circle.web.link"]


@pytest.mark.parametrize("name", sorted(DEFERRED))
def test_each_deferred_module_exists(name: str) -> None:
    # A renamed module would make its entry above pass forever.
    import importlib.util

    assert importlib.util.find_spec(name) is not None, name
