"""Home with a long history: the index is read once, and rows are made as they come into view."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from circle.app import CircleApp
from circle.saving.jsonfile import render_tables
from circle.storage import Store

SIZE = (120, 40)
WALL0 = 1_790_000_000.0
DAY = 86_400.0


def summary(n: int, created: float) -> dict:
    return {
        "id": time.strftime("%Y%m%d-%H%M-", time.gmtime(created)) + f"{n:05d}",
        "title": f"Circle #{n}",
        "series": "Tuesday circle",
        "created_wall": created,
        "status": "ended",
        "mentors": ["Ada"],
        "mentees": ["Mira", "Jon", "Priya"],
        "ended_wall": created + 5400,
        "duration_s": 5400.0,
    }


def write_index(store: Store, summaries: list[dict]) -> None:
    """The index as the store keeps it, written straight away (no session files needed)."""
    store.data_dir.mkdir(parents=True, exist_ok=True)
    table = {str(n + 1): s for n, s in enumerate(summaries)}
    store.index_path.write_bytes(render_tables({"sessions": table}))


def history(count: int) -> list[dict]:
    """`count` sessions a day apart; #1 is the oldest."""
    return [summary(n, WALL0 + n * DAY) for n in range(1, count + 1)]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times anything listed the sessions from the index."""
    calls: list[int] = []
    original = Store.list_sessions

    def counted(self: Store) -> list[dict]:
        calls.append(1)
        return original(self)

    monkeypatch.setattr(Store, "list_sessions", counted)
    return calls


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "data")
    write_index(store, history(1000))
    return store


def table_of(app: CircleApp) -> DataTable:
    return app.screen.query_one(DataTable)


def title_at(table: DataTable, row: int) -> str:
    return str(table.get_row_at(row)[1])


async def test_the_first_frame_reads_the_index_once_and_makes_only_a_screen_of_rows(store, reads):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = table_of(app)
        assert len(reads) == 1
        assert table.size.height <= table.row_count <= SIZE[1]
        assert title_at(table, 0) == "Circle #1000"  # newest first
        heading = app.screen.query_one("#sessions-heading", Static)
        assert str(heading.content) == "Past sessions (1,000)"


async def test_moving_down_the_list_makes_the_rows_ahead(store, reads):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = table_of(app)
        first = table.row_count
        for _ in range(5):
            await pilot.press("pagedown")
        await pilot.pause()
        assert table.cursor_row > first  # it went past the rows of the first frame
        assert table.row_count >= table.cursor_row + SIZE[1]  # a page ahead is ready
        assert table.row_count < 1000
        assert title_at(table, table.cursor_row) == f"Circle #{1000 - table.cursor_row}"
        assert len(reads) == 1


async def test_scrolling_the_view_makes_the_rows_it_reaches(store):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = table_of(app)
        counts = [table.row_count]
        for _ in range(4):  # as dragging the scroll bar to its end, again and again
            table.scroll_end(animate=False, immediate=True)
            await pilot.pause()
            assert table.row_count >= int(table.scroll_y) + table.size.height
            counts.append(table.row_count)
        assert counts == sorted(set(counts))  # more each time
        assert counts[-1] < 1000


async def test_the_end_of_the_list_is_the_oldest_session(store):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+end")
        await pilot.pause()
        table = table_of(app)
        assert table.row_count == 1000
        assert table.cursor_row == 999
        assert title_at(table, 999) == "Circle #1"
        assert app.screen.selected()["title"] == "Circle #1"


async def test_a_dialog_closed_with_nothing_changed_reads_nothing_again(store, reads):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")  # no: home comes back, the index unchanged
        await pilot.pause()
        assert len(reads) == 1


async def test_a_changed_index_is_read_again_keeping_a_selection_deep_in_the_list(store, reads):
    app = CircleApp(store, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = table_of(app)
        for _ in range(8):
            await pilot.press("pagedown")
        await pilot.pause()
        chosen = app.screen.selected()["id"]
        row = table.cursor_row
        # Another circle process adds a newer session while a dialog is open.
        await pilot.press("delete")
        await pilot.pause()
        write_index(store, [*history(1000), summary(1001, WALL0 + 1001 * DAY)])
        await pilot.press("n")
        await pilot.pause()
        assert len(reads) == 2
        assert title_at(table, 0) == "Circle #1001"
        assert table.cursor_row == row + 1
        assert app.screen.selected()["id"] == chosen
        heading = app.screen.query_one("#sessions-heading", Static)
        assert str(heading.content) == "Past sessions (1,001)"
