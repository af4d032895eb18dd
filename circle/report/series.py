"""The series in a data directory: listed from the index, one read in full.

`list_series` needs only the store's index; `load_report` reads every
session of one series. Sessions join a series by name, in any case.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from circle.domain.errors import BadInput
from circle.domain.goals import LIVE_GOAL_STATUSES
from circle.domain.present import utc_date
from circle.domain.series import series_key, series_name
from circle.report.facts import load_facts
from circle.report.model import (
    ActionSummary,
    GoalSummary,
    ProgrammeReport,
    build_report,
    still_owed,
)

LAST = "last"
SPARKS = "▁▂▃▄▅▆▇█"


class SeriesRow(NamedTuple):
    name: str  # as its newest session spells it
    session_ids: tuple[str, ...]  # oldest first
    first_date: str
    last_date: str
    mentors: tuple[str, ...]  # the newest session's roster
    mentees: tuple[str, ...]
    unfinished: int

    @property
    def people(self) -> tuple[str, ...]:
        return self.mentors + self.mentees


def _series_of(summary: dict) -> str:
    return series_name(str(summary.get("title", "")), summary.get("series"))


def _oldest_first(summary: dict) -> tuple[float, str]:
    return (float(summary.get("created_wall") or 0), str(summary["id"]))


def list_series(store: Any) -> list[SeriesRow]:
    """Every series, the one with the newest session first (the index alone)."""
    groups: dict[str, list[dict]] = {}
    for summary in store.list_sessions():
        groups.setdefault(series_key(_series_of(summary)), []).append(summary)
    rows = []
    for summaries in groups.values():
        summaries.sort(key=_oldest_first)
        newest = summaries[-1]
        rows.append(
            SeriesRow(
                _series_of(newest),
                tuple(s["id"] for s in summaries),
                utc_date(float(summaries[0].get("created_wall") or 0)),
                utc_date(float(newest.get("created_wall") or 0)),
                tuple(newest.get("mentors", ())),
                tuple(newest.get("mentees", ())),
                sum(1 for s in summaries if s.get("status") != "ended"),
            )
        )
    rows.sort(key=lambda r: (r.last_date, r.session_ids[-1]), reverse=True)
    return rows


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


def sparkline(values: list[float | None]) -> str:
    """A pulse trend in one line of text, on the fixed 1–10 scale: a dot
    where a session had too few scores to show."""
    marks = []
    for value in values:
        if value is None:
            marks.append("·")
        else:
            step = round((min(max(value, 1.0), 10.0) - 1) / 9 * (len(SPARKS) - 1))
            marks.append(SPARKS[step])
    return "".join(marks)


class SeriesOverview(NamedTuple):
    """What the home screen shows of a series: its stage, its pulse trend, what
    is still open, and the agenda its stage suggests for the next session."""

    name: str
    stage: str
    sessions: int
    pulse: tuple[float | None, ...]  # per session, oldest first
    sparkline: str
    open_goals: tuple[GoalSummary, ...]  # open, on track or at risk
    owed_actions: tuple[ActionSummary, ...]  # open or in progress
    suggested_agenda: str | None


def series_overview(report: ProgrammeReport) -> SeriesOverview:
    trend = pulse_trend(report)
    return SeriesOverview(
        report.series,
        report.stage,
        len(report.sessions),
        tuple(trend),
        sparkline(trend),
        tuple(g for g in report.goals if g.status in LIVE_GOAL_STATUSES),
        tuple(still_owed(report)),
        report.suggested_agenda,
    )
