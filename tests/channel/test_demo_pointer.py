"""A plain `circle wall` follows a running `circle demo`, whose data is in a throwaway directory."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from circle.channel.demo import register_demo, running_demo_dirs, unregister_demo
from circle.channel.paths import NothingRunning, default_socket_path, fallback_dir, private_dir
from circle.storage import Store
from circle.wall.command import _follow


@pytest.fixture
def listening(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A demo's data directory with a console listening on its session's socket."""
    data_dir = tmp_path / "demo"
    session_id = "20261202-0700-demo"
    path = default_socket_path(data_dir, session_id)
    private_dir(path.parent)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen()
    try:
        yield data_dir, session_id
    finally:
        server.close()


def test_a_registered_demo_is_listed_until_it_leaves(tmp_path: Path) -> None:
    pointer = register_demo(tmp_path)
    assert pointer is not None
    assert oct(pointer.stat().st_mode & 0o777) == "0o600"
    assert running_demo_dirs() == [tmp_path.absolute()]
    unregister_demo(pointer)
    assert running_demo_dirs() == []


def test_the_pointer_of_a_killed_demo_is_ignored_and_removed(tmp_path: Path) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = private_dir(fallback_dir()) / f"demo-{gone.stdout.strip()}.where"
    stale.write_text(f"{tmp_path}\n", encoding="utf-8")
    assert running_demo_dirs() == []
    assert not stale.exists()


def test_the_wall_follows_the_running_demo_when_nothing_else_runs(
    tmp_path: Path, listening: tuple[Path, str]
) -> None:
    demo_dir, session_id = listening
    pointer = register_demo(demo_dir)
    try:
        own = Store(tmp_path / "own")
        assert _follow(own, None) == (demo_dir.absolute(), session_id)
    finally:
        unregister_demo(pointer)


def test_without_a_demo_nothing_running_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(NothingRunning, match="No session is running"):
        _follow(Store(tmp_path), None)


def test_a_demo_that_stopped_serving_is_not_followed(tmp_path: Path) -> None:
    pointer = register_demo(tmp_path / "demo")  # this process lives, but nothing listens
    try:
        with pytest.raises(NothingRunning):
            _follow(Store(tmp_path / "own"), None)
    finally:
        unregister_demo(pointer)
