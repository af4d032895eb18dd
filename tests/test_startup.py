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
    run = LiveRun.start_new(
        store,
        FakeClock(),
        title="Tuesday circle",
        agenda=small_agenda(),
        mentors=MENTORS,
        mentees=MENTEES,
    )
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
