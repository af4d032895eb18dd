"""index.json: one summary per session, kept through TinyDB's tables and queries.

Listing reads the index alone, so one damaged session file never stops it.
Changes run under a thread lock and a file lock (another circle process may
be changing the index too) and each is one atomic write of the file.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from circle.domain.goals import CARRIED_ACTION_STATUSES
from circle.domain.privacy import pulse_view
from circle.domain.series import series_key
from circle.domain.state import SessionState
from circle.saving.jsonfile import read_tables
from circle.saving.schema import check_summary

if TYPE_CHECKING:
    from tinydb.table import Table

try:  # Serialises index updates between processes; absent on Windows.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

Doc = dict[str, Any]
TABLE = "sessions"
# What a summary holds for the home screen's series view, so that drawing it
# reads the index alone. An index written before these existed lacks them: the
# home screen fills them in later (`Store.upgrade_summaries`) and shows "—" until then.
SERIES_FIELDS = ("stage", "pulse_n", "pulse_average", "open_goals", "owed_actions")


def series_fields(state: SessionState) -> Doc:
    """The session's stage, its pulse as the minutes give it (no average below
    three scores), its goals still being worked on and its action items still
    owed. The newest session of a series carries every goal and every owed
    item of the series, so its summary speaks for the whole series."""
    pulse = pulse_view(state, final=True)
    goals = [
        {"owner": goal.owner, "text": goal.text, "status": goal.status}
        for goal in state.goals.values()
        if goal.live
    ]
    owed = sum(1 for a in state.actions.values() if a.status in CARRIED_ACTION_STATUSES)
    average = None if pulse.average is None else round(pulse.average, 2)
    return {
        "stage": state.stage,
        "pulse_n": pulse.scores,
        "pulse_average": average,
        "open_goals": goals,
        "owed_actions": owed,
    }


def lacks_series_fields(summary: Doc) -> bool:
    return any(name not in summary for name in SERIES_FIELDS)


class Index:
    def __init__(self, path: Path, lock_path: Path, on_error: Callable[[Path, OSError], Exception]):
        self.path = path
        self.lock_path = lock_path
        self._save_error = on_error  # turns an OSError into the store's SaveError
        self._lock = threading.RLock()

    def table(self) -> Table:
        """The sessions table as the disk has it now, every summary checked."""
        from circle.saving.tinystore import open_db  # TinyDB loads with the first access

        tables = read_tables(self.path)
        if tables is not None:
            for summary in tables.get(TABLE, {}).values():
                check_summary(summary, self.path)
        return open_db(self.path, seed=tables).table(TABLE)

    def all(self) -> list[Doc]:
        if not self.path.exists():
            return []
        return [dict(doc) for doc in self.table().all()]

    def find(self, session_id: str) -> Doc | None:
        if not self.path.exists():
            return None
        from tinydb import Query

        found = self.table().search(Query().id == session_id)
        return dict(found[0]) if found else None

    def in_series(self, series: str) -> list[Doc]:
        """Summaries whose series matches `series` in any case."""
        if not self.path.exists():
            return []
        from tinydb import Query

        key = series_key(series)
        matches = Query().series.test(lambda s: isinstance(s, str) and series_key(s) == key)
        return [dict(doc) for doc in self.table().search(matches)]

    @contextlib.contextmanager
    def changing(self) -> Iterator[Table]:
        """The table to change, read afresh under both locks; each change is one write.

        A corrupt index raises here, before anything is written.
        """
        with self._lock, self._file_lock():
            yield self.table()

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        if fcntl is None:  # pragma: no cover
            yield
            return
        try:
            handle = open(self.lock_path, "a")  # noqa: SIM115 - held across the yield
        except OSError as exc:
            raise self._save_error(self.lock_path, exc) from exc
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the handle closes
            yield
