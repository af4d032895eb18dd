"""Short private directories for sockets, and helpers to wait on the event loop.

pytest's tmp_path can be longer than an AF_UNIX path may be, which is
exactly the case the XDG fallback exists for: tests that want the socket in
the data directory itself use `data_dir`, a short directory under /tmp.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def short_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))


@pytest.fixture(autouse=True)
def runtime_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own $XDG_RUNTIME_DIR: none touches the user's real one."""
    path = short_dir("cr")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data directory short enough for its sockets to live in it."""
    path = short_dir("cd")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def long_data_dir(tmp_path: Path) -> Path:
    """A data directory too deep for an AF_UNIX path to reach into."""
    path = tmp_path / ("deep-" * 12) / "data"
    path.mkdir(parents=True)
    assert len(str(path / "run" / "20261120-0900-abcd.sock")) > 108
    return path
