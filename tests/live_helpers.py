"""Shared helpers for the live screen's pilot, snapshot and benchmark runs.

Everything runs on a `FakeClock`: time moves only with `clock.advance(s)`,
after which `settle()` pushes the state to the screen. What the room sees is
read back as plain text, line by line, from the same compositor output that
`App.export_screenshot()` turns into SVG.
"""

from __future__ import annotations

import html
import io
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from circle.agendafiles.parser import resolve_agenda
from circle.app import CircleApp
from circle.domain.agenda import Agenda
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun, session_at_rest
from circle.screens.live import LiveScreen
from circle.storage import Store
from circle.widgets.board import BoardPanel
from circle.widgets.panels import SpeakerPanel

MENTORS = ["Ada"]
MENTEES = ["Mira", "Jon", "Priya", "Leo"]
PEOPLE = MENTORS + MENTEES
BIG = (160, 45)
SMALL = (80, 24)

# group-circle: 0 Check-in (5m), 1 Last time's action items (5m), 2 Hot seat
# round (20m, round), 3 Break (5m, break), 4 Open questions (15m, board),
# 5 Wrap-up (10m, close).
ROUND_INDEX, BREAK_INDEX, BOARD_INDEX, CLOSE_INDEX = 2, 3, 4, 5


def start_run(
    tmp_path: Path,
    clock: FakeClock | None = None,
    *,
    agenda: Agenda | str = "group-circle",
    mentors: list[str] | None = None,
    mentees: list[str] | None = None,
    title: str = "Tuesday circle",
    **kwargs: Any,
) -> LiveRun:
    store = Store(tmp_path)
    return LiveRun.start_new(
        store,
        clock or FakeClock(),
        title=title,
        agenda=resolve_agenda(agenda) if isinstance(agenda, str) else agenda,
        mentors=list(MENTORS if mentors is None else mentors),
        mentees=list(MENTEES if mentees is None else mentees),
        **kwargs,
    )


def make_app(tmp_path: Path, clock: FakeClock | None = None, **kwargs: Any) -> CircleApp:
    run = start_run(tmp_path, clock, **kwargs)
    return CircleApp(run.store, run)


def run_of(app: CircleApp) -> LiveRun:
    assert app.run_ is not None
    return app.run_


# -- what the screen shows ----------------------------------------------------
def screen_lines(app: CircleApp) -> list[str]:
    """The terminal's text, one string per row (what a photo of the wall shows)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(
            full=True, screen_stack=app._background_screens, simplify=False
        )
    )
    return console.export_text().splitlines()


def screen_text(app: CircleApp) -> str:
    return "\n".join(screen_lines(app))


def svg_text(app: CircleApp) -> str:
    """The characters of `export_screenshot()`'s SVG, laid back out on the terminal grid."""
    svg = app.export_screenshot()
    char_width, line_height, char_height = 20 * 0.61, 20 * 1.22, 20
    width, height = app.size
    grid = [[" "] * width for _ in range(height)]
    for x, y, body in re.findall(
        r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg, flags=re.S
    ):
        row = round((float(y) - char_height) / line_height)
        col = round(float(x) / char_width)
        for offset, char in enumerate(html.unescape(body).replace("\xa0", " ")):
            if 0 <= row < height and 0 <= col + offset < width:
                grid[row][col + offset] = char
    return "\n".join("".join(line).rstrip() for line in grid)


def words_present(text: str, words: list[str]) -> list[str]:
    """Which of `words` appear in `text` as whole words."""
    return [w for w in words if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text)]


def widget_text(widget: Any) -> str:
    """Plain text of a widget's own render (Content or a Static's visual)."""
    return str(widget.render())


def notices(app: CircleApp) -> list[str]:
    """The messages of the notifications currently on screen."""
    return [n.message for n in app._notifications]


# -- what was saved -----------------------------------------------------------
def saved_events(run: LiveRun) -> list[dict]:
    assert run.writer.flush(5.0), "the writer did not flush"
    return run.store.load_session(run.session_id).events


def saved_kinds(run: LiveRun) -> list[str]:
    return [e["kind"] for e in saved_events(run)]


def new_saved_kinds(run: LiveRun, before: int) -> list[str]:
    """Kinds of the events saved after the first `before` ones."""
    return [e["kind"] for e in saved_events(run)[before:]]


def rebuilt_state(run: LiveRun) -> dict:
    """The state rebuilt from storage alone, with time frozen where the live one is now."""
    session = run.session
    record = {"session_s": session.now(), "wall": session.clock.wall()}
    return session_at_rest(saved_events(run), record).state()


def assert_rebuild_matches(run: LiveRun) -> None:
    live = run.session.state()
    rebuilt = rebuilt_state(run)
    for key in live:
        assert rebuilt[key] == live[key], f"rebuilt {key!r} differs from the live state"


# -- driving ------------------------------------------------------------------
async def settle(pilot: Any) -> None:
    """Let the app process what is queued, then push the whole state to the screen."""
    await pilot.pause()
    live = pilot.app.live
    if live is not None:
        live.refresh_view()
    await pilot.pause()


async def advance(pilot: Any, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    await settle(pilot)


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*text)


async def wait_for(
    pilot: Any, predicate: Callable[[], Any], timeout: float = 5.0, what: str = ""
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause(0.02)


async def palette(pilot: Any, command: str, query: str | None = None) -> None:
    """Open the command palette, search, and run the command whose text is `command`."""
    from textual.command import CommandList, CommandPalette

    app = pilot.app
    await pilot.press("ctrl+p")
    palette_screen = await wait_for(
        pilot,
        lambda: app.screen if isinstance(app.screen, CommandPalette) else None,
        what="the command palette",
    )
    await type_text(pilot, query if query is not None else command)
    command_list = palette_screen.query_one(CommandList)

    def index_of_command() -> int | None:
        for index in range(command_list.option_count):
            option = command_list.get_option_at_index(index)
            hit = getattr(option, "hit", None)  # a placeholder while searching has none
            if hit is not None and hit.text == command:
                return index
        return None

    await wait_for(
        pilot, lambda: index_of_command() is not None, what=f"palette command {command!r}"
    )
    # Results arrive in batches: wait for the search to settle before choosing.
    await pilot.pause(0.3)
    index = index_of_command()
    assert index is not None, f"{command!r} left the palette's results"
    command_list.highlighted = index
    await pilot.press("enter")
    await wait_for(
        pilot, lambda: not isinstance(app.screen, CommandPalette), what="the palette to close"
    )
    await settle(pilot)


def count_bells(app: CircleApp) -> list[int]:
    """Replace `app.bell` with a counter; returns the list it appends to."""
    rang: list[int] = []
    app.bell = lambda: rang.append(1)  # type: ignore[method-assign]
    return rang


# -- reading the live screen ----------------------------------------------------
def live(app) -> LiveScreen:
    screen = app.live
    assert screen is not None
    return screen


def text(app, selector) -> str:
    return widget_text(live(app).query_one(selector))


def board_lines(app) -> list[str]:
    return text(app, BoardPanel).splitlines()


def speaker(app) -> str:
    """Who speaks and the turn timer, spaces normalised (the panel may wrap it)."""
    return " ".join(text(app, SpeakerPanel).split())


async def go_to_item(pilot, index: int) -> None:
    session = run_of(pilot.app).session
    while session.timer_().current < index:
        await pilot.press("n")
    await settle(pilot)
    assert session.timer_().current == index
