"""SVG snapshots of the home screen (pytest-textual-snapshot), frozen in time.

Stable by construction: sessions made with a `FakeClock` before the app
starts, dates shown in UTC, and the data directory's varying path left out of
the header. Regenerate after an intended change of the look with

    .venv/bin/pytest tests/app/test_home_snapshots.py --snapshot-update

and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from circle.app import CircleApp
from circle.storage import Store
from tests.app.test_home_series import make

pytestmark = pytest.mark.usefixtures("utc")  # times on screen in UTC


def two_series(tmp_path) -> CircleApp:
    store = Store(tmp_path / "data")
    make(store, "Tuesday", 1, pulse=(6, 7, 8), goal="Speak at the [b]all-hands[/b]")
    make(store, "Tuesday", 2, pulse=(9,), stage="separation")
    make(store, "Tuesday", 3, pulse=(9, 9, 10), stage="redefinition")
    make(store, "Leaders", 1, pulse=(2, 2, 2), goal="Hire a deputy")
    make(store, "Leaders", 2, goal="Delegate the budget to the team leads before the offsite")
    make(store, "Leaders", 3, pulse=(5, 6, 7), stage="cultivation")
    return CircleApp(store, None)


async def fixed_header(pilot) -> None:
    await pilot.pause()  # home is up: its own sub-title is set
    pilot.app.screen.sub_title = "sessions in DATA"
    await pilot.pause()


class TestHomeSeries:
    """Home by series: a card per series beside the table of its sessions."""

    def test_home_series_view_120x40(self, tmp_path, snap_compare):
        assert snap_compare(two_series(tmp_path), terminal_size=(120, 40), run_before=fixed_header)
