"""Shared helpers for the live screen's pilot, snapshot and benchmark runs.

Everything runs on a `FakeClock`: time moves only with `clock.advance(s)`,
after which `settle()` pushes the state to the screen. What the room sees is
read back through Textual's public API only: the whole terminal from
`App.export_screenshot()`, one widget from its `render()`, notices from a spy
on `App.notify`.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App
from textual.widgets import OptionList, Select

from circle.agendafiles.parser import resolve_agenda
from circle.app import CircleApp
from circle.domain.agenda import Agenda
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun, session_at_rest
from circle.screens.dialogs import QuestionDialog
from circle.screens.live import LiveScreen
from circle.storage import Store
from circle.widgets.bigdigits import BigCountdown
from circle.widgets.board import BoardPanel
from circle.widgets.panels import AgendaPanel, CountdownPanel, QueuePanel, SpeakerPanel

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


def flash_run(tmp_path: Path, mentors: list[str] | None = None) -> tuple[LiveRun, FakeClock]:
    """A session of the flash-round agenda, on its flash item, three mentees."""
    clock = FakeClock()
    run = start_run(
        tmp_path,
        clock,
        agenda="flash-round",
        mentors=mentors or ["Ada"],
        mentees=["Mira", "Jon", "Priya"],
        title="Flash day",
    )
    timer = run.session.timer_()
    while timer.item.kind != "flash":
        run.session.next_item()
    return run, clock


def make_app(tmp_path: Path, clock: FakeClock | None = None, **kwargs: Any) -> CircleApp:
    run = start_run(tmp_path, clock, **kwargs)
    return record_notices(CircleApp(run.store, run))


def run_of(app: CircleApp) -> LiveRun:
    assert app.run_ is not None
    return app.run_


# -- what the screen shows ----------------------------------------------------
def svg_text(app: App) -> str:
    """The characters of `export_screenshot()`'s SVG, laid back out on the terminal grid."""
    svg = app.export_screenshot(simplify=True)
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


def screen_lines(app: App) -> list[str]:
    """The terminal's text, one string per row (what a photo of the wall shows)."""
    return svg_text(app).splitlines()


def screen_text(app: App) -> str:
    return svg_text(app)


def region_text(app: App, widget: Any) -> str:
    """What the wall shows inside `widget`'s region, its wrapped lines joined by
    spaces: a question or an action item wrapped in a narrow panel reads whole."""
    x, y, width, height = widget.content_region
    lines = screen_lines(app)[y : y + height]
    return " ".join(" ".join(line[x : x + width] for line in lines).split())


def words_present(text: str, words: list[str]) -> list[str]:
    """Which of `words` appear in `text` as whole words."""
    return [w for w in words if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text)]


def widget_text(widget: Any) -> str:
    """Plain text of a widget's own render (Content or a Static's visual)."""
    return str(widget.render())


def select_labels(select: Select) -> list[str]:
    """The choices a Select offers, as its drop-down lists them."""
    options = select.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


_NOTICES: WeakKeyDictionary[App, list[str]] = WeakKeyDictionary()


def record_notices(app: App) -> Any:
    """Keep every notice `app` shows from now on (read them with `notices`); returns `app`."""
    shown = _NOTICES.setdefault(app, [])
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        shown.append(message)
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return app


def notices(app: App) -> list[str]:
    """The messages of the notices shown since `record_notices(app)`, oldest first."""
    assert app in _NOTICES, "call record_notices(app) before running it"
    return _NOTICES[app]


def count_layouts(screen: Any) -> list[int]:
    """Spy on `refresh(layout=True)` of the screen and all its widgets: one entry per call."""
    layouts: list[int] = []
    for node in [screen, *screen.query("*")]:
        original = node.refresh

        def refresh(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            if kwargs.get("layout"):
                layouts.append(1)
            return _original(*args, **kwargs)

        node.refresh = refresh
    return layouts


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


def countdown(app) -> tuple[str, str, str]:
    """(item title, big digits, state words)."""
    screen = live(app)
    return (
        widget_text(screen.query_one("#item-title")),
        screen.query_one("#digits", BigCountdown).text,
        widget_text(screen.query_one("#state-words")),
    )


def countdown_state(app) -> str:
    panel = live(app).query_one(CountdownPanel)
    states = [c for c in ("-ok", "-warning", "-over", "-paused", "-ended") if panel.has_class(c)]
    assert len(states) == 1, states
    return states[0]


def queue_lines(app) -> list[str]:
    return text(app, QueuePanel).splitlines()


def agenda_lines(app) -> list[str]:
    return text(app, AgendaPanel).splitlines()


# -- dialogs --------------------------------------------------------------------------
async def open_dialog(pilot, key: str, kind: type):
    await pilot.press(key)
    return await wait_for(
        pilot, lambda: pilot.app.screen if isinstance(pilot.app.screen, kind) else None
    )


async def submit_text(pilot, key: str, kind: type, typed: str) -> None:
    await open_dialog(pilot, key, kind)
    await type_text(pilot, typed)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LiveScreen))
    await settle(pilot)


async def add_question(pilot, question: str) -> None:
    await submit_text(pilot, "q", QuestionDialog, question)


async def undo(pilot) -> str:
    """Press u; the notice it gave."""
    app = pilot.app
    count = len(notices(app))
    await pilot.press("u")
    await settle(pilot)
    new = notices(app)[count:]
    assert new, "undo said nothing"
    return new[-1]
