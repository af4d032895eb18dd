"""Fixtures of the storage tests: a data directory and writers closed afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from circle.storage import Store
from circle.storage_writer import SessionWriter, WriterStatus


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data")


@pytest.fixture
def writers() -> Iterator[list[SessionWriter]]:
    made: list[SessionWriter] = []
    yield made
    for writer in made:
        writer.close(timeout=1.0)


@pytest.fixture
def open_writer(store: Store, writers: list[SessionWriter]) -> Callable[..., SessionWriter]:
    def make(sid: str, on_status: Callable[[WriterStatus], None] | None = None) -> SessionWriter:
        writer = SessionWriter(store, sid, on_status)
        writers.append(writer)
        return writer

    return make
