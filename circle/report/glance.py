"""The series of a data directory at a glance, from the index alone.

What the home screen draws and `circle series` lists: no session file is read
here, so this stays fast with any number of stored sessions. Sessions join a
series by name, in any case.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from circle.domain.present import utc_date
from circle.domain.series import series_key, series_name

SPARKS = "▁▂▃▄▅▆▇█"
GAP = "·"  # a session whose pulse had too few scores to show
UNKNOWN = "—"  # what an index written before the series fields can't tell yet
# The home screen's sparkline shows the newest sessions of a long series only.
GLANCE_SESSIONS = 20


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


def group_by_series(summaries: list[dict]) -> list[list[dict]]:
    """The summaries by series, each oldest first; the series met most
    recently first."""
    groups: dict[str, list[dict]] = {}
    for summary in summaries:
        groups.setdefault(series_key(_series_of(summary)), []).append(summary)
    for group in groups.values():
        group.sort(key=_oldest_first)
    return sorted(groups.values(), key=lambda g: _oldest_first(g[-1]), reverse=True)


def list_series(store: Any) -> list[SeriesRow]:
    """Every series, the one with the newest session first (the index alone)."""
    rows = [series_row(summaries) for summaries in group_by_series(store.list_sessions())]
    rows.sort(key=lambda r: (r.last_date, r.session_ids[-1]), reverse=True)
    return rows


def series_row(summaries: list[dict]) -> SeriesRow:
    """One series from its sessions' summaries, oldest first."""
    newest = summaries[-1]
    return SeriesRow(
        _series_of(newest),
        tuple(s["id"] for s in summaries),
        utc_date(float(summaries[0].get("created_wall") or 0)),
        utc_date(float(newest.get("created_wall") or 0)),
        tuple(newest.get("mentors", ())),
        tuple(newest.get("mentees", ())),
        sum(1 for s in summaries if s.get("status") != "ended"),
    )


def sparkline(values: list[float | None]) -> str:
    """A pulse trend in one line of text, on the fixed 1–10 scale: a dot
    where a session had too few scores to show."""
    marks = []
    for value in values:
        if value is None:
            marks.append(GAP)
        else:
            step = round((min(max(value, 1.0), 10.0) - 1) / 9 * (len(SPARKS) - 1))
            marks.append(SPARKS[step])
    return "".join(marks)


class OpenGoal(NamedTuple):
    owner: str
    text: str
    status: str


class SeriesGlance(NamedTuple):
    """A series as the home screen shows it, from the index alone: what its
    newest session left (stage, goals still worked on, items still owed) and
    the pulse of its newest sessions. None where the index can't tell yet."""

    row: SeriesRow
    stage: str | None
    pulse: tuple[float | None, ...]  # the newest GLANCE_SESSIONS, oldest first
    pulse_known: bool  # the index holds the pulse of every one of those sessions
    earlier: int  # sessions older than the sparkline shows
    open_goals: tuple[OpenGoal, ...] | None
    owed_actions: int | None
    unknown: tuple[str, ...]  # ids whose summaries lack what the glance needs

    @property
    def sparkline(self) -> str:
        if not self.pulse_known and all(v is None for v in self.pulse):
            return UNKNOWN  # nothing to draw yet: not a row of gaps
        return ("…" if self.earlier else "") + sparkline(list(self.pulse))


def series_glances(summaries: list[dict]) -> list[SeriesGlance]:
    """Every series of these summaries, the one met most recently first."""
    return [glance(group) for group in group_by_series(summaries)]


def glance(summaries: list[dict]) -> SeriesGlance:
    """One series from its summaries, oldest first."""
    shown = summaries[-GLANCE_SESSIONS:]
    newest = summaries[-1]
    pulse = tuple(_pulse_of(s) for s in shown)
    unknown = [s["id"] for s in shown if not _knows_pulse(s)]
    stage = newest.get("stage")
    goals = _goals_of(newest)
    owed = newest.get("owed_actions")
    if type(owed) is not int or goals is None or not isinstance(stage, str):
        unknown.append(newest["id"])
    return SeriesGlance(
        series_row(summaries),
        stage if isinstance(stage, str) else None,
        pulse,
        all(_knows_pulse(s) for s in shown),
        len(summaries) - len(shown),
        goals,
        owed if type(owed) is int else None,
        tuple(dict.fromkeys(unknown)),
    )


def _knows_pulse(summary: dict) -> bool:
    return "pulse_average" in summary


def _pulse_of(summary: dict) -> float | None:
    value = summary.get("pulse_average")
    return float(value) if type(value) in (int, float) else None


def _goals_of(summary: dict) -> tuple[OpenGoal, ...] | None:
    goals = summary.get("open_goals")
    if not isinstance(goals, list):
        return None
    return tuple(
        OpenGoal(str(g.get("owner", "")), str(g.get("text", "")), str(g.get("status", "")))
        for g in goals
        if isinstance(g, dict)
    )
