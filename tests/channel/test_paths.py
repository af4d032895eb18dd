"""Where sockets live, which sessions run, and which one `circle wall` follows."""

from __future__ import annotations

import os
import socket
import stat
import tempfile
from pathlib import Path

import pytest

from circle.channel import paths
from circle.channel.hub import WallHub
from circle.channel.paths import (
    ChannelError,
    find_running,
    resolve_wall_session,
    serving_path,
    socket_path,
)
from circle.domain.clock import FakeClock
from circle.domain.errors import BadInput
from circle.storage import Store
from tests.channel.conftest import short_dir
from tests.conftest import make_session

OLD, NEW = "20261119-1800-aaaa", "20261120-0900-bbbb"


def listen(path: Path) -> socket.socket:
    """A socket that answers on `path`, as a console's would."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen()
    return server


def crashed_socket(path: Path) -> None:
    """The socket file a console killed with -9 leaves: there, but nobody answers."""
    listen(path).close()
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_a_short_data_dir_holds_its_sockets(data_dir: Path) -> None:
    path = serving_path(data_dir, NEW)
    assert path == data_dir / "run" / f"{NEW}.sock"
    assert stat.S_IMODE((data_dir / "run").stat().st_mode) == 0o700
    assert socket_path(data_dir, NEW) == path


def test_a_deep_data_dir_puts_its_socket_in_the_runtime_dir(
    long_data_dir: Path, runtime_dir: Path
) -> None:
    path = serving_path(long_data_dir, NEW)
    assert path.parent == runtime_dir / "circle"
    assert len(os.fsencode(str(path))) <= paths.MAX_SOCKET_PATH
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # The same path on every resume, and another per data directory.
    assert serving_path(long_data_dir, NEW) == path
    other = long_data_dir.parent / "other"
    other.mkdir()
    assert serving_path(other, NEW) != path
    # A wall finds it only through the pointer the console writes.
    assert socket_path(long_data_dir, NEW) is None
    paths.write_pointer(long_data_dir, NEW, path)
    assert socket_path(long_data_dir, NEW) == path
    assert stat.S_IMODE(paths.pointer_path(long_data_dir, NEW).stat().st_mode) == 0o600


def test_without_a_runtime_dir_a_private_temp_dir_serves(
    long_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = short_dir("ct")
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    path = serving_path(long_data_dir, NEW)
    assert path.parent == temp / f"circle-{os.getuid()}"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_private_dir_too_open_is_closed_and_a_symlink_refused(tmp_path: Path) -> None:
    open_dir = tmp_path / "open"
    open_dir.mkdir(mode=0o755)
    os.chmod(open_dir, 0o755)
    paths.private_dir(open_dir)
    assert stat.S_IMODE(open_dir.stat().st_mode) == 0o700
    link = tmp_path / "link"
    link.symlink_to(open_dir)
    with pytest.raises(ChannelError, match="not a directory of this user's"):
        paths.private_dir(link)


def test_a_runtime_dir_too_deep_too_is_an_error_that_says_what_to_do(
    long_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(long_data_dir))
    with pytest.raises(ChannelError, match="XDG_RUNTIME_DIR or use a shorter --data-dir"):
        serving_path(long_data_dir, NEW)


def test_find_running_lists_only_sockets_that_answer(data_dir: Path) -> None:
    serving_path(data_dir, NEW)
    live = listen(paths.default_socket_path(data_dir, NEW))
    crashed_socket(paths.default_socket_path(data_dir, OLD))
    (data_dir / "run" / "notes.txt").write_text("not a socket")
    try:
        assert find_running(data_dir) == [NEW]
    finally:
        live.close()
    assert find_running(data_dir) == []
    assert find_running(data_dir / "missing") == []


def test_find_running_follows_pointers(long_data_dir: Path) -> None:
    path = serving_path(long_data_dir, NEW)
    paths.write_pointer(long_data_dir, NEW, path)
    with listen(path):
        assert find_running(long_data_dir) == [NEW]


# -- the resolver, over a real store ----------------------------------------------
def stored(data_dir: Path, *ids: str) -> Store:
    store = Store(data_dir)
    for when, sid in enumerate(ids):
        summary = {"id": sid, "title": "T", "created_wall": 1_790_000_000 + when, "status": "x"}
        store.create_session(summary, make_session(FakeClock()).events)
    return store


def test_with_nothing_running_the_wall_is_refused_in_one_line(data_dir: Path) -> None:
    store = stored(data_dir, OLD)
    with pytest.raises(BadInput) as caught:
        resolve_wall_session(store, None)
    assert "\n" not in str(caught.value)
    assert "No session is running" in str(caught.value)


def test_an_unknown_session_is_refused_in_one_line(data_dir: Path) -> None:
    store = stored(data_dir, OLD, NEW)
    with pytest.raises(BadInput, match="unknown session 'nope'"):
        resolve_wall_session(store, "nope")
    with pytest.raises(BadInput, match="ambiguous"):
        resolve_wall_session(store, "2026")


def test_a_known_session_that_isnt_running_is_followed_anyway(data_dir: Path) -> None:
    store = stored(data_dir, OLD, NEW)
    assert resolve_wall_session(store, OLD) == OLD
    assert resolve_wall_session(store, "20261119") == OLD  # a unique prefix
    assert resolve_wall_session(store, "last") == NEW


async def test_without_session_the_newest_running_one_is_followed(data_dir: Path) -> None:
    store = stored(data_dir, OLD, NEW)
    old_hub = WallHub(data_dir, OLD)
    await old_hub.start()
    try:
        assert resolve_wall_session(store, None) == OLD
        new_hub = WallHub(data_dir, NEW)
        await new_hub.start()
        try:
            assert resolve_wall_session(store, None) == NEW
        finally:
            await new_hub.stop()
        assert resolve_wall_session(store, None) == OLD
    finally:
        await old_hub.stop()
