"""The series in a data directory: listed from the index, one read in full.

`list_series` needs only the store's index (see `circle.report.glance`, whose
names are also found here); `load_report` reads every session of one series.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from circle.domain.errors import BadInput
from circle.domain.series import series_key
from circle.minutes.export import slugify, write_numbered
from circle.report.facts import load_facts
from circle.report.glance import (
    GAP,
    GLANCE_SESSIONS,
    SPARKS,
    UNKNOWN,
    SeriesGlance,
    SeriesRow,
    list_series,
    series_glances,
    sparkline,
)
from circle.report.model import (
    ProgrammeReport,
    build_report,
)

__all__ = [
    "GAP",
    "GLANCE_SESSIONS",
    "LAST",
    "SPARKS",
    "UNKNOWN",
    "SeriesGlance",
    "SeriesRow",
    "find_series",
    "list_series",
    "load_report",
    "pulse_trend",
    "report_for",
    "save_report",
    "series_glances",
    "sparkline",
]

LAST = "last"


def find_series(store: Any, name: str) -> SeriesRow:
    """A series by name (any case), or "last": the newest session's series."""
    rows = list_series(store)
    if name == LAST:
        if not rows:
            raise BadInput("unknown series 'last': there are no sessions yet")
        return rows[0]
    key = series_key(name)
    for row in rows:
        if series_key(row.name) == key:
            return row
    raise BadInput(f"unknown series '{' '.join(name.split())}' (see `circle series`)")


def load_report(store: Any, name: str) -> ProgrammeReport:
    """The programme report of a series by name: every one of its sessions read."""
    return report_for(store, find_series(store, name))


def report_for(store: Any, row: SeriesRow) -> ProgrammeReport:
    return build_report(row.name, [load_facts(store, sid) for sid in row.session_ids])


def pulse_trend(report: ProgrammeReport) -> list[float | None]:
    """Each session's pulse average, oldest first; None where too few answered."""
    return [facts.pulse_average for facts in report.sessions]


def save_report(text: str, directory: Path, row: SeriesRow) -> Path:
    """Write a report into `directory` (the data directory's `exports/`) as
    `<last date>-<series>-report.md`, or `-2`, `-3` ... when taken: a file
    already there is never replaced."""
    stem = f"{row.last_date}-{slugify(row.name) or 'series'}-report"
    return write_numbered(directory, stem, ".md", text)
