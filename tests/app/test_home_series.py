"""Home by series: each series' stage, pulse trend and open goals, its report, and
the agenda its stage suggests in setup."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Markdown, Select, Static

from circle.agendafiles.parser import resolve_agenda
from circle.app import CircleApp
from circle.domain.clock import FakeClock
from circle.report.glance import series_glances
from circle.runtime import LiveRun
from circle.saving.index import SERIES_FIELDS
from circle.saving.jsonfile import read_tables, render_tables
from circle.screens.home import UPGRADE_AFTER_S, HomeScreen
from circle.screens.report_view import ReportScreen
from circle.screens.setup import SetupScreen
from circle.storage import Store
from circle.widgets.series import SeriesList
from tests.app.live_helpers import notices, record_notices, screen_text

SIZE = (140, 45)
WALL0 = 1_790_000_000.0
DAY = 86_400.0
MENTEES = ["Mira", "Jon", "Priya"]


def make(store: Store, series: str, week: int, *, pulse=(), stage=None, goal=None) -> str:
    """One ended session of `series`, saved through the runtime as the app saves it."""
    clock = FakeClock(wall=WALL0 + week * 7 * DAY + (0 if series == "Tuesday" else 3600))
    run = LiveRun.start_new(
        store,
        clock,
        title=f"{series} week {week}",
        series=series,
        agenda=resolve_agenda("group-circle"),
        mentors=["Ada"],
        mentees=MENTEES,
    )
    session = run.session
    if goal:
        session.add_goal(goal, owner="Mira")
    session.add_action(f"Follow up week {week}", "Jon")
    for source, score in zip(("a", "b", "c"), pulse, strict=False):
        session.give_pulse(score, source=f"phone-{source}")
    if stage:
        session.set_stage(stage)
    clock.advance(1800)
    session.end_session()
    assert run.close()
    return run.session_id


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Two series of three sessions: Tuesday reaches redefinition, Leaders stays put."""
    store = Store(tmp_path / "data")
    make(store, "Tuesday", 1, pulse=(6, 7, 8), goal="Speak at the [b]all-hands[/b]")
    make(store, "Tuesday", 2, pulse=(9,), stage="separation")
    make(store, "Tuesday", 3, pulse=(9, 9, 10), stage="redefinition")
    make(store, "Leaders", 1, pulse=(2, 2, 2), goal="Hire a deputy")
    make(store, "Leaders", 2, goal="Delegate the budget")
    make(store, "Leaders", 3, pulse=(5, 6, 7), stage="cultivation")
    return store


def count_upgrades(
    store: Store, monkeypatch: pytest.MonkeyPatch, gate: threading.Event | None = None
) -> list[list[str]]:
    """Each call home makes to fill in an old index, once it has returned; with
    `gate`, each waits for it first (however slow the machine, the test sees
    the screen before the upgrade)."""
    calls: list[list[str]] = []
    real = store.upgrade_summaries

    def spy(session_ids: list[str]) -> bool:
        if gate is not None:
            gate.wait(10)
        found = real(session_ids)
        calls.append(list(session_ids))
        return found

    monkeypatch.setattr(store, "upgrade_summaries", spy)
    return calls


async def upgraded(app: CircleApp, pilot, calls: list[list[str]]) -> None:
    """Past the moment home looks for what an old index lacks, and done looking
    (however late a busy machine fires its timer)."""
    await pilot.pause(UPGRADE_AFTER_S)
    for _ in range(100):
        if calls:
            break
        await pilot.pause(0.05)
    assert calls, "home never looked for what the old index lacks"
    await app.workers.wait_for_complete()
    await pilot.pause()


def cards(app: CircleApp) -> str:
    series = app.screen.query_one(SeriesList)
    return "\n".join(str(series.get_option_at_index(i).prompt) for i in range(series.option_count))


async def test_the_index_holds_what_home_shows_of_each_series(store):
    glances = {g.row.name: g for g in series_glances(store.list_sessions())}
    tuesday, leaders = glances["Tuesday"], glances["Leaders"]
    assert [g.row.name for g in series_glances(store.list_sessions())] == ["Leaders", "Tuesday"]
    assert tuesday.stage == "redefinition" and leaders.stage == "cultivation"
    assert tuesday.pulse == (7.0, None, pytest.approx(9.33, abs=0.01))  # one score is no average
    assert tuesday.sparkline == "▆·▇"
    assert leaders.sparkline == "▂·▅"
    assert [g.text for g in tuesday.open_goals] == ["Speak at the [b]all-hands[/b]"]
    assert [g.text for g in leaders.open_goals] == ["Hire a deputy", "Delegate the budget"]
    assert tuesday.owed_actions == 3  # each week's item, still open, carried on
    assert tuesday.unknown == ()


async def test_home_shows_both_series_with_stage_sparkline_and_goals(store):
    app = record_notices(CircleApp(store, None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        shown = cards(app)
        assert "Tuesday · 3 sessions" in shown and "Leaders · 3 sessions" in shown
        assert "stage redefinition\npulse ▆·▇ 9.3" in shown
        assert "stage cultivation\npulse ▂·▅ 6.0" in shown
        assert "2 goals open · 3 items owed" in shown
        assert "• Mira: Speak at the [b]all…" in shown  # as typed, not markup
        assert "Speak at the [b]all…" in screen_text(app)
        heading = app.screen.query_one("#sessions-heading", Static)
        assert str(heading.content) == "Past sessions (6)"

        # Highlighting a series shows its sessions only, newest first.
        app.screen.query_one(SeriesList).focus()
        await pilot.press("down", "down")  # past "All series", onto Tuesday
        await pilot.pause()
        assert str(heading.content) == "Past sessions of Tuesday (3)"
        titles = [s["title"] for s in app.screen.shown]
        assert titles == ["Tuesday week 3", "Tuesday week 2", "Tuesday week 1"]


async def test_the_key_opens_the_report_and_saving_never_overwrites(store):
    app = record_notices(CircleApp(store, None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")  # the selected session is of Leaders: its report
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.text is not None and screen.text.startswith("# Leaders — programme report")
        assert "programme report" in str(screen.query_one(Markdown).source)

        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("s")  # again: a second file, the first kept
        await app.workers.wait_for_complete()
        await pilot.pause()
        files = sorted(store.exports_dir.glob("*.md"))
        assert [f.name for f in files] == [
            "2026-10-12-leaders-report-2.md",
            "2026-10-12-leaders-report.md",
        ]
        assert files[1].read_text() == screen.text
        assert str(screen.saved_to) in str(screen.query_one("#report-status", Static).content)
        assert any(str(files[0]) in n for n in notices(app))

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_report_screen_shows_typed_text_as_text(store):
    app = CircleApp(store, None)
    async with app.run_test(size=(140, 160)) as pilot:  # tall: the goals on screen
        await pilot.pause()
        app.screen.query_one(SeriesList).focus()
        await pilot.press("down", "down", "p")  # Tuesday, whose goal holds brackets
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.text.startswith("# Tuesday — programme report")
        assert "Speak at the [b]all-hands[/b]" in screen_text(app)


async def test_the_report_shows_loading_until_it_is_built(store, monkeypatch):
    import threading

    import circle.report.series as series_module

    gate = threading.Event()
    original = series_module.report_for

    def slow(*args):
        gate.wait(5)
        return original(*args)

    monkeypatch.setattr(series_module, "report_for", slow)
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        status = app.screen.query_one("#report-status", Static)
        assert str(status.content) == "Loading…"  # the screen is up; the disk is read aside
        await pilot.press("s")
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(status.content) != "Loading…"
        assert not store.exports_dir.exists()  # nothing to save while it loaded


async def test_an_index_from_before_the_series_fields_is_upgraded(store, monkeypatch):
    tables = read_tables(store.index_path)
    for summary in tables["sessions"].values():
        for name in SERIES_FIELDS:
            summary.pop(name)
    store.index_path.write_bytes(render_tables(tables))
    assert all(g.stage is None for g in series_glances(store.list_sessions()))

    gate = threading.Event()
    calls = count_upgrades(store, monkeypatch, gate)
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "stage —" in cards(app)  # the first frame never waits for old sessions
        gate.set()
        await upgraded(app, pilot, calls)
        assert "stage redefinition\npulse ▆·▇" in cards(app)
    summaries = store.list_sessions()
    assert all(name in s for s in summaries for name in SERIES_FIELDS)


async def test_a_series_unreadable_on_disk_shows_dashes(store, monkeypatch):
    tables = read_tables(store.index_path)
    for summary in tables["sessions"].values():
        for name in SERIES_FIELDS:
            summary.pop(name)
        store.session_path(summary["id"]).unlink()  # gone: nothing to read them from
    store.index_path.write_bytes(render_tables(tables))
    calls = count_upgrades(store, monkeypatch)
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        await upgraded(app, pilot, calls)
        assert "stage —\npulse —" in cards(app)
        assert "— goals open · — items owed" in cards(app)


# -- setup: the stage's suggested agenda ------------------------------------------------


async def open_setup(app: CircleApp, pilot) -> SetupScreen:
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, SetupScreen)
    return app.screen


def hint(app: CircleApp) -> str:
    return str(app.screen.query_one("#stage-hint", Static).content)


async def test_setup_suggests_the_agenda_of_the_series_stage(store):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(app, pilot)
        select = screen.query_one("#agenda-template", Select)
        assert select.value == "group-circle" and hint(app) == ""
        await pilot.press(*"tuesday")
        await pilot.pause()
        assert hint(app) == "Stage: redefinition — suggested agenda: closing-celebration"
        assert select.value == "closing-celebration"
        assert screen.agenda is not None and screen.agenda.title == "Closing and celebration"

        screen.query_one("#series").value = "Leaders"  # cultivation: no template fits better
        await pilot.pause()
        assert hint(app) == "Stage: cultivation"
        assert select.value == "group-circle"

        screen.query_one("#series").value = "Brand new"
        await pilot.pause()
        assert hint(app) == "New series: starts in initiation — suggested agenda: kickoff"
        assert select.value == "kickoff"


async def test_setup_keeps_the_agenda_the_user_chose(store):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(app, pilot)
        select = screen.query_one("#agenda-template", Select)
        select.value = "lean-coffee"
        await pilot.pause()
        await pilot.press(*"tuesday")
        await pilot.pause()
        assert "suggested agenda: closing-celebration" in hint(app)
        assert select.value == "lean-coffee"
