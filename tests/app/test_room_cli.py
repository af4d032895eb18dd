"""The command line in the room: `--absent` for every mentor is refused, and `circle demo`
removes its throwaway directory on the way out (never a directory it was given).

The demo runs in a real terminal (tmux) and quits with ctrl+q, as a user would."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from circle.cli import main
from tests.e2e.terminal import Tmux, have_tmux

CIRCLE = Path(sys.executable).parent / "circle"
NEW = ["new", "--agenda", "group-circle", "--title", "T"]
MENTEES = ["--mentee", "Mira", "--mentee", "Jon", "--mentee", "Priya"]


@pytest.mark.parametrize(
    "mentors",
    [["--mentor", "Ada", "--absent", " ADA "], ["--mentor", "Ada", "--mentor", "Ben"]],
)
def test_every_mentor_absent_is_exit_2_before_anything_is_saved(tmp_path, capsys, mentors):
    absent = ["--absent", "Ada", "--absent", "Ben"] if "Ben" in mentors else []
    data = tmp_path / "data"
    assert main([*NEW, *mentors, *MENTEES, *absent, "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "circle new: a session needs a mentor who is here: not every --mentor can be --absent\n"
    )
    assert not data.exists()


def test_one_mentor_here_is_enough(tmp_path, monkeypatch):
    from circle.app import CircleApp

    monkeypatch.setattr(CircleApp, "run", lambda self, *a, **k: None)
    data = tmp_path / "data"
    args = [*NEW, "--mentor", "Ada", "--mentor", "Ben", *MENTEES, "--absent", "Ben"]
    assert main([*args, "--data-dir", str(data)]) == 0


def demo_dirs(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("circle-demo-*"))


needs_tmux = pytest.mark.skipif(not have_tmux(), reason="needs tmux")


@needs_tmux
def test_demo_removes_its_throwaway_directory_on_exit(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with Tmux(80, 24) as term:
        term.env = {**term.env, "TMPDIR": str(tmp)}
        term.env.pop("CIRCLE_DATA_DIR", None)
        term.start("demo", [CIRCLE, "demo"])
        term.wait_for("demo", "Demo circle", "Queue")
        [made] = demo_dirs(tmp)
        assert made.is_dir()
        term.keys("demo", "1", "s", "e")  # a turn, and an export into the throwaway dir
        term.wait_for("demo", "Minutes exported to")
        term.keys("demo", "C-q")
        term.wait_exit("demo")
    assert demo_dirs(tmp) == []


@needs_tmux
@pytest.mark.parametrize("how", ["--data-dir", "CIRCLE_DATA_DIR"])
def test_demo_keeps_a_directory_it_was_given(tmp_path, how):
    tmp, data = tmp_path / "tmp", tmp_path / "mine"
    tmp.mkdir()
    with Tmux(80, 24) as term:
        term.env = {**term.env, "TMPDIR": str(tmp)}
        argv: list[str | Path] = [CIRCLE, "demo"]
        if how == "--data-dir":
            argv += ["--data-dir", data]
        else:
            term.env["CIRCLE_DATA_DIR"] = str(data)
        term.start("demo", argv)
        term.wait_for("demo", "Demo circle")
        term.keys("demo", "C-q")
        term.wait_exit("demo")
    assert demo_dirs(tmp) == []
    assert data.is_dir() and os.listdir(data)  # the session is still there
