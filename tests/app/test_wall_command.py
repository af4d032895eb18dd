"""`circle wall` refuses in one line, exit 2, when there is nothing to follow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from circle.domain.errors import BadInput
from circle.storage import Store
from circle.wall import wall_command
from tests.app.live_helpers import start_run


def run_wall(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "circle.wall", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_no_running_session_is_bad_input(tmp_path: Path) -> None:
    start_run(tmp_path)  # stored, but no console serves it
    with pytest.raises(BadInput, match="No session is running"):
        wall_command(Store(tmp_path), None)


def test_an_unknown_session_is_bad_input(tmp_path: Path) -> None:
    start_run(tmp_path)
    with pytest.raises(BadInput, match="nope"):
        wall_command(Store(tmp_path), "nope")


@pytest.mark.parametrize("args", [(), ("nope",)], ids=["none running", "unknown"])
def test_the_command_exits_2_with_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = run_wall(tmp_path, *args)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("circle wall: ")
    assert done.stdout == ""
