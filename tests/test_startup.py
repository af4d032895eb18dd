"""Start-up: garbage collection waits for the first frame, then resumes."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from circle import startup
from circle.cli import main
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun
from circle.storage import Store
from tests.conftest import MENTEES, MENTORS, small_agenda


@pytest.fixture(autouse=True)
def _restore_gc():
    yield
    startup._paused = False
    gc.enable()
    gc.unfreeze()


def started(store: Store, background: bool = False) -> LiveRun:
    """A new session; `background` as `circle new` and `circle demo` start one
    (saved from the first frame on)."""
    return LiveRun.start_new(
        store,
        FakeClock(),
        title="Tuesday circle",
        agenda=small_agenda(),
        mentors=MENTORS,
        mentees=MENTEES,
        background=background,
    )


def test_pause_then_resume_freezes_what_start_up_made() -> None:
    startup.pause_gc()
    assert not gc.isenabled()
    startup.resume_gc()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_resume_without_pause_changes_nothing() -> None:
    frozen = gc.get_freeze_count()
    gc.disable()  # someone else's choice, not ours to undo
    startup.resume_gc()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_bad_input_on_an_interactive_command_leaves_gc_on(tmp_path: Path) -> None:
    code = main(
        [
            "--data-dir",
            str(tmp_path),
            "new",
            "--agenda",
            "nope",
            "--title",
            "T",
            "--mentor",
            "A",
            "--mentee",
            "B",
            "--mentee",
            "C",
            "--mentee",
            "D",
        ]
    )
    assert code == 2
    assert gc.isenabled()


async def test_the_app_resumes_gc_after_its_first_frame(tmp_path: Path) -> None:
    from circle.app import CircleApp

    store = Store(tmp_path)
    run = started(store)
    startup.pause_gc()
    app = CircleApp(store, run)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
        assert "Tuesday circle" in str(app.screen.query_one("#topbar").render())


def test_tinydb_is_not_imported_on_the_way_to_the_first_frame(tmp_path: Path) -> None:
    """Loading every module start-up needs leaves TinyDB out; a new session in a
    fresh data directory has its writer thread load it, not the UI's thread."""
    script = (
        "import sys, threading\n"
        "import circle.cli, circle.app, circle.runtime, circle.storage, circle.storage_writer\n"
        "import circle.screens.live\n"
        "print('tinydb' in sys.modules)\n"
        "loaded_by = []\n"
        "class Spy:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'tinydb':\n"
        "            loaded_by.append(threading.current_thread().name)\n"
        "sys.meta_path.insert(0, Spy())\n"
        "from pathlib import Path\n"
        "from circle.domain.clock import SystemClock\n"
        "from circle.runtime import LiveRun\n"
        "from circle.storage import Store\n"
        "from tests.conftest import small_agenda\n"
        "run = LiveRun.start_new(Store(Path(sys.argv[1])), SystemClock(), title='T',\n"
        "    agenda=small_agenda(), mentors=['Ada'], mentees=['Mira', 'Jon', 'Priya'],\n"
        "    background=True)\n"
        "assert run.close()\n"
        "print(loaded_by)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, result.stderr
    eager, loaded_by = result.stdout.splitlines()
    assert eager == "False"
    assert loaded_by.startswith("['circle-writer-")


@pytest.mark.parametrize(
    ("argv", "paused"),
    [(["demo"], True), (["new", "--agenda", "x"], True), ([], True), (["sessions"], False)],
)
def test_the_screen_commands_pause_gc_before_loading_storage(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], paused: bool
) -> None:
    """The domain and storage imports come after the pause: only what opens a
    screen pauses, and every command leaves the collector on when it returns."""
    from circle import cli

    seen: list[bool] = []
    monkeypatch.setattr(cli, "run", lambda args, out: seen.append(gc.isenabled()) or 0)
    monkeypatch.setattr(cli.argparse.ArgumentParser, "parse_args", _args_of(argv))
    assert main(argv) == 0
    assert seen == [not paused]
    assert gc.isenabled()


def _args_of(argv: list[str]):
    import argparse

    def parse(self, args=None, namespace=None):
        return argparse.Namespace(command=argv[0] if argv else None, data_dir=None)

    return parse


async def test_a_session_started_in_the_background_is_saved_after_the_first_frame(
    tmp_path: Path,
) -> None:
    from circle.app import CircleApp

    store = Store(tmp_path)
    run = started(store, background=True)
    assert not store.files(run.session_id).head.exists()  # held until the frame
    app = CircleApp(store, run)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(100):
            if run.writer.durable_seq:
                break
            await pilot.pause(0.05)
        assert run.writer.durable_seq == len(run.session.events)
        assert Store(tmp_path).load_session(run.session_id).summary["title"] == "Tuesday circle"


async def test_the_join_page_opens_at_start_before_the_writer_is_released(tmp_path: Path) -> None:
    """`circle new --join`: the page's secret is kept beside the session's
    files, so the held session is saved first instead of being unknown."""
    from circle.app import CircleApp
    from tests.web.test_join_server import free_port

    store = Store(tmp_path)
    run = started(store, background=True)
    app = CircleApp(store, run, join=True, host="127.0.0.1", port=free_port())
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if app.join_server is not None:
                break
            await pilot.pause(0.05)
        assert app.join_server is not None and not app.crashed
        assert store.files(run.session_id).secret.exists()
    assert not app.crashed
