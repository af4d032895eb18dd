"""Home and setup screens, driven with Pilot on a temporary data directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input, Select, Static

from circle.agendafiles.parser import resolve_agenda
from circle.app import CircleApp
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun, session_at_rest
from circle.screens.home import EMPTY, HomeScreen
from circle.screens.setup import SetupScreen, check_form, template_label
from circle.screens.setup_form import AbsentToggle
from circle.storage import Store
from tests.app.live_helpers import notices, record_notices, screen_text, select_labels

SIZE = (130, 50)
DAY = 86_400.0


def make_session(
    store: Store,
    title: str,
    *,
    wall: float,
    ended: bool = False,
    mentors: tuple[str, ...] = ("Ada",),
    mentees: tuple[str, ...] = ("Mira", "Jon", "Priya"),
    series: str | None = None,
    parked: tuple[str, ...] = (),
    actions: tuple[str, ...] = (),
) -> str:
    clock = FakeClock(wall=wall)
    run = LiveRun.start_new(
        store,
        clock,
        title=title,
        agenda=resolve_agenda("group-circle"),
        mentors=list(mentors),
        mentees=list(mentees),
        series=series,
    )
    session = run.session
    for text in actions:
        session.add_action(text, mentees[0])
    for text in parked:
        event = session.add_question(text)
        session.toggle_status(event["seq"], "parked")
    clock.advance(600)
    if ended:
        session.end_session()
    assert run.close()
    return run.session_id


def text_of(app: CircleApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def home_app(store: Store) -> CircleApp:
    """The app with no session to run: it opens on home."""
    return record_notices(CircleApp(store, None))


def table_rows(app: CircleApp) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data")


@pytest.fixture
def three(store: Store) -> dict[str, str]:
    """An ended, an unfinished and a newer ended session."""
    base = 1_790_000_000.0
    return {
        "old": make_session(store, "Old circle", wall=base, ended=True),
        "open": make_session(
            store, "Open [bold]circle[/]", wall=base + DAY, mentees=("Mira", "Jon", "[red]X")
        ),
        "new": make_session(store, "New circle", wall=base + 2 * DAY, ended=True),
    }


# -- home ---------------------------------------------------------------------------


async def test_home_lists_newest_first_and_offers_the_unfinished(store, three):
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        rows = table_rows(app)
        assert [r[1] for r in rows] == ["New circle", "Open [bold]circle[/]", "Old circle"]
        assert [r[2] for r in rows] == ["ended", "unfinished", "ended"]
        assert rows[1][4] == "Ada · Mira, Jon, [red]X"  # shown as typed, not as markup
        assert rows[0][3] == "10 min"
        assert rows[0][0].startswith("2026-")
        assert app.screen.query_one("#resume-panel").display
        info = text_of(app, "#resume-info")
        assert "Open [bold]circle[/]" in info and "[red]X" in info
        assert not app.screen.query_one("#empty").display


async def test_home_empty_state(store):
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert text_of(app, "#empty") == EMPTY
        assert app.screen.query_one("#empty").display
        assert not app.screen.query_one("#resume-panel").display
        await pilot.press("r")
        assert isinstance(app.screen, HomeScreen)
        assert any("Nothing to resume" in n for n in notices(app))


async def test_home_corrupt_store_is_reported_not_a_crash(store):
    store.data_dir.mkdir(parents=True)
    store.index_path.write_text("{ not json")
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("Corrupt data file" in n for n in notices(app))
        assert "can't be read" in text_of(app, "#empty")
    assert store.index_path.read_text() == "{ not json"  # never overwritten


@pytest.mark.parametrize("how", ["key", "button"])
async def test_resume_the_unfinished_session_opens_the_live_screen(store, three, how):
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if how == "key":  # the cursor is on an ended session: r takes the unfinished one
            await pilot.press("r")
        else:
            await pilot.click("#resume")
        await app.workers.wait_for_complete()  # the session is read on a worker
        await pilot.pause()
        assert type(app.screen).__name__ == "LiveScreen"
        assert app.run_.session_id == three["open"]


async def test_resume_the_selected_unfinished_row_with_enter(store, three):
    newer_open = make_session(store, "Newest open", wall=1_790_000_000.0 + 3 * DAY)
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")  # Newest open, New circle, -> Open circle
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "LiveScreen"
        assert app.run_.session_id == three["open"] != newer_open


async def test_delete_asks_and_removes_only_that_session(store, three, monkeypatch):
    import threading

    deleted_on: list[str] = []
    real = store.delete_session

    def spy(session_id: str) -> None:
        deleted_on.append(threading.current_thread().name)
        real(session_id)

    monkeypatch.setattr(store, "delete_session", spy)
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")  # Old circle
        await pilot.press("delete")
        await pilot.pause()
        assert "Old circle" in str(app.screen.query_one(".dialog-title", Static).content)
        await pilot.press("n")  # cancel: nothing goes
        await pilot.pause()
        assert len(store.list_sessions()) == 3
        await pilot.press("delete", "y")
        await pilot.pause()
        await app.workers.wait_for_complete()  # the disk is written off the UI's loop
        await pilot.pause()
        ids = [s["id"] for s in store.list_sessions()]
        assert ids == [three["new"], three["open"]]
        assert not store.session_path(three["old"]).exists()
        assert store.session_path(three["new"]).exists()
        assert store.session_path(three["open"]).exists()
        assert [r[1] for r in table_rows(app)] == ["New circle", "Open [bold]circle[/]"]
        assert "Deleted 'Old circle'" in notices(app)
    assert len(deleted_on) == 1 and deleted_on[0] != threading.main_thread().name


async def test_export_writes_the_minutes_into_exports(store, three):
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        files = list(store.exports_dir.glob("*.md"))
        assert len(files) == 1  # the newest session, selected first
        assert "# New circle" in files[0].read_text()
        assert any(str(files[0]) in n for n in notices(app))


async def test_quit_with_q(store):
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


# -- setup --------------------------------------------------------------------------


async def open_setup(app: CircleApp, pilot) -> SetupScreen:
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, SetupScreen)
    return app.screen


async def fill(pilot, screen: SetupScreen, **fields: str) -> None:
    for widget_id, value in fields.items():
        screen.query_one(f"#{widget_id.replace('_', '-')}", Input).value = value
    await pilot.pause()
    await screen.workers.wait_for_complete()  # an agenda file is read off the UI's loop
    await pilot.pause()


def problems(screen: SetupScreen) -> str:
    return str(screen.query_one("#problems", Static).content)


def start_disabled(screen: SetupScreen) -> bool:
    return screen.query_one("#start", Button).disabled


def test_check_form_words_every_problem():
    assert check_form("", ["", ""], ["", "", "", "", ""]).messages == [
        "A session needs a title",
        "A session has 1 or 2 mentors, not 0",
        "A session has 3 to 5 mentees, not 0",
    ]
    check = check_form("T", ["Ada", ""], ["Mira", "  ", "mira", "Jon", ""])
    assert check.messages == [
        "Mentee 2 has an empty name",
        "The name 'mira' is given twice (names must be unique)",
    ]
    assert check.fields == {"mentee-2", "mentee-1", "mentee-3"}
    assert check_form("T", ["Ada", "ADA"], ["A", "B", "C"]).messages == [
        "The name 'ADA' is given twice (names must be unique)"
    ]
    assert not check_form("T", ["Ada", ""], ["A", "B", "C", "", ""]).messages


async def test_setup_shows_every_validation_message_as_you_type(store):
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(app, pilot)
        # Nothing typed yet: nothing is wrong, the form is only not ready.
        assert problems(screen) == ""
        assert not screen.query(".-invalid")
        assert start_disabled(screen)

        # typed with real keys into the focused title field
        await pilot.press(*"Tuesday")
        await pilot.pause()
        assert screen.query_one("#title", Input).value == "Tuesday"
        assert "needs a title" not in problems(screen)
        assert "A session has 1 or 2 mentors, not 0" in problems(screen)
        assert "A session has 3 to 5 mentees, not 0" in problems(screen)
        await pilot.press("enter")  # on to the next field; never starts
        assert app.focused is screen.query_one("#series", Input)

        await fill(pilot, screen, mentee_1="Mira", mentee_2="Jon")
        assert "A session has 3 to 5 mentees, not 2" in problems(screen)
        assert "A session has 1 or 2 mentors, not 0" in problems(screen)  # no mentor
        assert start_disabled(screen)

        await fill(pilot, screen, mentee_3="   ")
        assert "Mentee 3 has an empty name" in problems(screen)
        assert screen.query_one("#mentee-3", Input).has_class("-invalid")

        await fill(pilot, screen, mentee_3="mira", mentor_1="Ada")
        assert "The name 'mira' is given twice (names must be unique)" in problems(screen)
        assert "mentors" not in problems(screen)
        assert screen.query_one("#mentee-1", Input).has_class("-invalid")
        assert start_disabled(screen)

        await fill(pilot, screen, mentor_2="JON", mentee_3="Priya")
        assert "The name 'Jon' is given twice" in problems(screen)  # mentors come first
        await fill(pilot, screen, mentor_2="")
        assert problems(screen) == ""
        assert not start_disabled(screen)

        await fill(pilot, screen, title="  ")
        assert "A session needs a title" in problems(screen)
        assert start_disabled(screen)
        await pilot.press("ctrl+s")  # refused while invalid
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert store.list_sessions() == []


async def test_setup_agenda_templates_and_a_bad_file(store, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("# Mine\n\n## Check-in (5 min)\n## Bad heading\n")
    good = tmp_path / "good.md"
    good.write_text("# Short one\n\n## Talk (10 min)\n## Wrap (5 min) [close]\n")
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(app, pilot)
        select = screen.query_one("#agenda-template", Select)
        assert select.value == "group-circle"
        labels = select_labels(select)
        assert template_label("group-circle", resolve_agenda("group-circle")) in labels
        assert "group-circle — Group mentoring circle (60 min)" in labels
        assert "Group mentoring circle: 6 items, 60 min" in text_of(app, "#agenda-summary")

        await fill(pilot, screen, title="T", mentor_1="Ada", mentee_1="A", mentee_2="B")
        await fill(pilot, screen, mentee_3="C")
        assert not start_disabled(screen)

        await fill(pilot, screen, agenda_file=str(bad))
        error = text_of(app, "#agenda-error")
        assert error.startswith(f"{bad}:4: item 'Bad heading' has no duration")
        assert start_disabled(screen)

        await fill(pilot, screen, agenda_file=str(tmp_path / "missing.md"))
        assert text_of(app, "#agenda-error") == f"{tmp_path / 'missing.md'}: no such file"

        await fill(pilot, screen, agenda_file=str(good))
        assert text_of(app, "#agenda-error") == ""
        assert "Short one: 2 items, 15 min" in text_of(app, "#agenda-summary")
        assert not start_disabled(screen)

        await fill(pilot, screen, agenda_file="")
        select.value = "lean-coffee"
        await pilot.pause()
        assert screen.agenda is not None and screen.agenda.title.startswith("Lean coffee")


async def test_the_agenda_file_is_read_off_the_ui_loop(store, tmp_path, monkeypatch):
    """Typing a path reads the disk (and loads the Markdown parser once) on a
    worker: a keystroke never waits for it, and Start waits for the reading."""
    import threading

    from circle.screens import setup

    readers: list[str] = []
    gate = threading.Event()
    real = setup.load_agenda_file

    def slow(path: Path):
        readers.append(threading.current_thread().name)
        gate.wait(5)
        return real(path)

    monkeypatch.setattr(setup, "load_agenda_file", slow)
    good = tmp_path / "good.md"
    good.write_text("# Short one\n\n## Talk (10 min)\n## Wrap (5 min) [close]\n")
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(app, pilot)
        screen.query_one("#title", Input).value = "T"
        for index, name in enumerate(["A", "B", "C"], 1):
            screen.query_one(f"#mentee-{index}", Input).value = name
        screen.query_one("#mentor-1", Input).value = "Ada"
        screen.query_one("#agenda-file", Input).value = str(good)
        await pilot.pause()
        assert text_of(app, "#agenda-summary") == "Reading the file…"
        assert start_disabled(screen)
        assert "The agenda file is still being read" in problems(screen)
        gate.set()
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert "From the file: Short one: 2 items, 15 min" in text_of(app, "#agenda-summary")
        assert not start_disabled(screen)
    assert readers and threading.main_thread().name not in readers


async def test_a_path_typed_on_wins_over_a_slower_read(store, tmp_path, monkeypatch):
    from circle.screens import setup

    first, second = tmp_path / "first.md", tmp_path / "second.md"
    first.write_text("# First\n\n## Talk (10 min)\n")
    second.write_text("# Second\n\n## Talk (20 min)\n")
    import threading

    gate = threading.Event()
    real = setup.load_agenda_file

    def slow_first(path: Path):
        if path.name == "first.md":
            gate.wait(5)  # answers after the second path's read
        return real(path)

    monkeypatch.setattr(setup, "load_agenda_file", slow_first)
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(app, pilot)
        screen.query_one("#agenda-file", Input).value = str(first)
        await pilot.pause()
        screen.query_one("#agenda-file", Input).value = str(second)
        await pilot.pause(0.2)
        gate.set()
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert screen.agenda is not None and screen.agenda.title == "Second"
        assert "Second: 1 item, 20 min" in text_of(app, "#agenda-summary")


async def test_start_creates_the_session_and_opens_the_live_screen(store):
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(app, pilot)
        await fill(pilot, screen, title="  Tuesday   circle ", mentor_1="Ada", mentor_2="Ben")
        await fill(pilot, screen, mentee_1="Mira", mentee_2="Jon", mentee_3="Priya")
        await fill(pilot, screen, mentee_5="Leo", series="Spring group")
        screen.query_one("#mentee-2-absent", AbsentToggle).absent = True
        screen.query_one("#mentee-4-absent", AbsentToggle).absent = True  # an empty slot: ignored
        await pilot.pause()
        assert not start_disabled(screen)
        await pilot.click("#start")
        await pilot.pause()
        assert type(app.screen).__name__ == "LiveScreen"
        [summary] = store.list_sessions()
        assert summary["title"] == "Tuesday circle"
        assert summary["series"] == "Spring group"
        assert summary["mentors"] == ["Ada", "Ben"]
        assert summary["mentees"] == ["Mira", "Jon", "Priya", "Leo"]
        session = app.run_.session
        assert session.roster.status("Jon") == "absent"
        assert session.roster.status("Leo") == "present"
        # A new series starts in initiation: the kick-off agenda was suggested and kept.
        assert session.agenda_title.startswith("Kick-off")
        assert session.timer_().item.title == "Welcome and check-in"


async def test_start_with_ctrl_s_and_escape_goes_back(store):
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        screen = await open_setup(app, pilot)
        await fill(pilot, screen, title="T", mentor_1="Ada", mentee_1="A", mentee_2="B")
        await fill(pilot, screen, mentee_3="C")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "LiveScreen"
        assert [s["title"] for s in store.list_sessions()] == ["T"]


async def test_series_prefills_the_roster_and_shows_the_carry_over(store):
    make_session(
        store,
        "Tuesday circle",
        wall=1_790_000_000.0,
        ended=True,
        mentors=("Ada", "Ben"),
        mentees=("Mira", "Jon", "Priya", "Leo"),
        actions=("Send the CV to Ada",),
        parked=("How do I ask for a raise?", "Remote or office?"),
    )
    make_session(store, "Other group", wall=1_790_000_000.0 + DAY, mentees=("X", "Y", "Z"))
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(app, pilot)
        assert text_of(app, "#carry-over") == ""
        await pilot.press(*"tuesday circle")  # the series matches case-insensitively
        await pilot.pause()
        names = [screen.value(f"mentor-{i}") for i in (1, 2)]
        names += [screen.value(f"mentee-{i}") for i in range(1, 6)]
        assert names == ["Ada", "Ben", "Mira", "Jon", "Priya", "Leo", ""]
        carry = text_of(app, "#carry-over")
        handed = "1 open action item, 2 parked questions, 0 goals"
        assert f"Carried over from last time: {handed}" in carry
        assert not start_disabled(screen)

        # untouched roster: another series replaces it, no series clears it
        await fill(pilot, screen, series="Other group")
        assert screen.value("mentee-1") == "X" and screen.value("mentor-2") == ""
        assert "0 open action items, 0 parked questions" in text_of(app, "#carry-over")
        await fill(pilot, screen, series="Brand new")
        assert screen.value("mentee-1") == "" and screen.value("mentor-1") == ""
        assert text_of(app, "#carry-over") == ""

        # a touched roster keeps what was typed; only empty fields are filled
        await fill(pilot, screen, mentee_1="Zoe")
        await fill(pilot, screen, series="")  # back to the title's series
        assert screen.value("mentee-1") == "Zoe"
        assert screen.value("mentee-2") == "Jon" and screen.value("mentor-1") == "Ada"
        assert "The name" not in problems(screen)

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "LiveScreen"
        session = app.run_.session
        assert [a.text for a in session.actions.values()] == ["Send the CV to Ada"]
        parked = [q.text for q in session.board.questions.values() if q.status == "parked"]
        assert sorted(parked) == ["How do I ask for a raise?", "Remote or office?"]
        stored = store.load_session(app.run_.session_id)
        rebuilt = session_at_rest(stored.events, stored.clock)
        assert rebuilt.roster.mentees == ["Zoe", "Jon", "Priya", "Leo"]
        assert rebuilt.series == "tuesday circle"


async def test_title_suggests_existing_series(store):
    make_session(store, "Tuesday circle", wall=1_790_000_000.0, ended=True)
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(app, pilot)
        await pilot.press("t", "u")
        await pilot.pause()
        title = screen.query_one("#title", Input)
        assert "tuesday circle" in screen_text(app)  # "tu", then the suggested rest
        await pilot.press("right")  # accept the suggestion
        await pilot.pause()
        assert title.value.casefold() == "tuesday circle"
        assert "Carried over from last time" in text_of(app, "#carry-over")


async def test_setup_reads_and_saves_off_the_ui_loop(store, monkeypatch):
    """Last time's carry-over is read, and the new session saved, on a worker thread."""
    import threading

    import circle.screens.setup as setup_module

    threads: dict[str, str] = {}
    read, start = setup_module.series_carry_over, setup_module.LiveRun.start_new

    def reading(*args, **kwargs):
        threads["read"] = threading.current_thread().name
        return read(*args, **kwargs)

    def starting(*args, **kwargs):
        threads["start"] = threading.current_thread().name
        return start(*args, **kwargs)

    monkeypatch.setattr(setup_module, "series_carry_over", reading)
    monkeypatch.setattr(setup_module.LiveRun, "start_new", starting)
    make_session(store, "Tuesday circle", wall=1_790_000_000.0, ended=True)
    app = home_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_setup(app, pilot)
        await pilot.press(*"Tuesday circle")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.value("mentee-1") == "Mira"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "LiveScreen"
    main = threading.main_thread().name
    assert threads["read"] != main and threads["start"] != main
