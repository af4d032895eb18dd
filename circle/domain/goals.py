"""A mentoring relationship over months: goals, action-item states, due dates, stages.

Goals follow the SMART practice in three horizons; the relationship moves
through four stages. The names here are the ones people see and the ones
stored in events, so they are written as a facilitator says them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from circle.domain.errors import DomainError
from circle.domain.text import clean_text

# -- goals -------------------------------------------------------------------------

HABIT, REACH, STRETCH = "habit", "reach", "stretch"
HORIZONS = (HABIT, REACH, STRETCH)
HORIZON_SPANS = {HABIT: "4–8 weeks", REACH: "3–12 months", STRETCH: "2–5 years"}

GOAL_OPEN, ON_TRACK, AT_RISK, GOAL_DONE, GOAL_DROPPED = (
    "open",
    "on track",
    "at risk",
    "done",
    "dropped",
)
GOAL_STATUSES = (GOAL_OPEN, ON_TRACK, AT_RISK, GOAL_DONE, GOAL_DROPPED)
# A goal still being worked on: shown during its owner's turn.
LIVE_GOAL_STATUSES = frozenset((GOAL_OPEN, ON_TRACK, AT_RISK))

MAX_GOAL_TEXT = 300
MAX_NOTE = 500
# A carried goal brings its latest notes along for its owner's turn; older
# ones stay in the sessions that wrote them (and in the programme report).
CARRIED_NOTES = 5


class GoalNote(NamedTuple):
    """One status change: the status it set and what was said about it."""

    status: str
    note: str


@dataclass
class Goal:
    id: int  # the seq of the event that made it in this session
    owner: str
    text: str
    horizon: str = HABIT
    due: str = ""
    status: str = GOAL_OPEN
    # Notes brought in from earlier sessions, then this session's changes.
    earlier_notes: list[str] = field(default_factory=list)
    changes: list[GoalNote] = field(default_factory=list)
    carried_in: bool = False
    # The goal's name across the series: set on a goal carried in; a goal
    # made in this session is named by its session's id and `id` (see `goal_key`).
    key: str | None = None

    @property
    def live(self) -> bool:
        return self.status in LIVE_GOAL_STATUSES

    @property
    def notes(self) -> list[str]:
        """Every note known here, oldest first: earlier sessions' and this one's."""
        return self.earlier_notes + [c.note for c in self.changes if c.note]

    @property
    def changed_here(self) -> bool:
        """Created or updated in this session: what the minutes list."""
        return not self.carried_in or bool(self.changes)


def goal_key(session_id: str, local_id: int) -> str:
    """A goal's or action item's name across a series: the session that made
    it and its number there. Carried items keep the name they were given."""
    return f"{session_id}#{local_id}"


def check_horizon(horizon: str) -> str:
    horizon = clean_text(horizon).lower()
    if horizon not in HORIZONS:
        raise DomainError(f"A goal's horizon is habit, reach or stretch, not '{horizon}'")
    return horizon


def check_goal_status(status: str) -> str:
    if status not in GOAL_STATUSES:
        shown = ", ".join(GOAL_STATUSES)
        raise DomainError(f"A goal's status is one of {shown}, not '{status}'")
    return status


# -- action items --------------------------------------------------------------------

ACTION_OPEN, IN_PROGRESS, ACTION_DONE, ACTION_DROPPED = "open", "in progress", "done", "dropped"
ACTION_STATUSES = (ACTION_OPEN, IN_PROGRESS, ACTION_DONE, ACTION_DROPPED)
# Still owed: carried into the next session of the series.
CARRIED_ACTION_STATUSES = frozenset((ACTION_OPEN, IN_PROGRESS))


def check_action_status(status: str) -> str:
    if status not in ACTION_STATUSES:
        shown = ", ".join(ACTION_STATUSES)
        raise DomainError(f"An action item's status is one of {shown}, not '{status}'")
    return status


# -- due dates ------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_due(text: str) -> str:
    """A due date as typed: empty, or a real calendar date written YYYY-MM-DD.

    "Friday" would mean a different day to each reader of the minutes, and
    "2026-13-45" is no day at all; both are refused with the reason.
    """
    due = clean_text(text)
    if not due:
        return ""
    if not _ISO_DATE.fullmatch(due):
        raise DomainError(f"A due date is written YYYY-MM-DD (e.g. 2026-12-01), not '{due}'")
    try:
        date.fromisoformat(due)
    except ValueError:
        raise DomainError(f"{due} is not a real date: write it YYYY-MM-DD") from None
    return due


# -- the relationship's stages -----------------------------------------------------------

INITIATION, CULTIVATION, SEPARATION, REDEFINITION = (
    "initiation",
    "cultivation",
    "separation",
    "redefinition",
)
STAGES = (INITIATION, CULTIVATION, SEPARATION, REDEFINITION)
STAGE_MEANINGS = {
    INITIATION: "building rapport and trust",
    CULTIVATION: "the main learning phase",
    SEPARATION: "growing independence, fewer meetings",
    REDEFINITION: "the relationship becomes one between peers",
}
# The bundled agenda that fits the next session of a stage: the first meeting's
# checklist while the relationship begins, closure and celebration at its end.
# The other stages keep whatever agenda the facilitator picks.
STAGE_AGENDAS = {INITIATION: "kickoff", REDEFINITION: "closing-celebration"}


def check_stage(stage: str) -> str:
    stage = clean_text(stage).lower()
    if stage not in STAGES:
        shown = ", ".join(STAGES)
        raise DomainError(f"A stage is one of {shown}, not '{stage}'")
    return stage


def suggested_agenda(stage: str) -> str | None:
    """The bundled agenda to offer for the next session of a series in `stage`,
    or None where no template fits the stage better than another."""
    return STAGE_AGENDAS.get(stage)
