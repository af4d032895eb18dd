"""How goals and the relationship's stage change the state.

Like every handler of the fold, these validate first and change state only
once nothing can fail. A goal is numbered by the seq of the event that made
it in this session, as action items and questions are.
"""

from __future__ import annotations

from circle.domain.board import check_text
from circle.domain.errors import DomainError
from circle.domain.events import Event
from circle.domain.goals import (
    GOAL_OPEN,
    MAX_GOAL_TEXT,
    MAX_NOTE,
    Goal,
    GoalNote,
    check_due,
    check_goal_status,
    check_horizon,
    check_stage,
)
from circle.domain.state import SessionState


def _mentee(state: SessionState, name: str) -> str:
    person = state.roster.find(name)
    if person not in state.roster.mentees:
        raise DomainError(f"A goal belongs to a mentee; {person} is a mentor")
    return person


def goal_added(state: SessionState, event: Event) -> None:
    data = event["data"]
    owner = _mentee(state, data["owner"])
    text = check_text(data["text"], "A goal", MAX_GOAL_TEXT)
    horizon = check_horizon(data["horizon"])
    due = check_due(data.get("due", ""))
    state.goals[event["seq"]] = Goal(event["seq"], owner, text, horizon, due)


def goal_carried(state: SessionState, event: Event) -> None:
    """A goal from an earlier session of the series, as it stood there.

    Its owner need not be on this session's roster: a mentee who left the
    series still owns their goals."""
    data = event["data"]
    goal = Goal(
        event["seq"],
        data["owner"],
        data["text"],
        check_horizon(data.get("horizon", "habit")),
        data.get("due", ""),
        check_goal_status(data.get("status", GOAL_OPEN)),
        earlier_notes=list(data.get("notes", [])),
        carried_in=True,
        key=data["key"],
    )
    state.goals[event["seq"]] = goal


def goal_status(state: SessionState, event: Event) -> None:
    data = event["data"]
    number = data["goal"]
    goal = state.goals.get(number)
    if goal is None:
        raise DomainError(f"No goal #{number}")
    status = check_goal_status(data["status"])
    note = data.get("note", "")
    if len(note) > MAX_NOTE:
        raise DomainError(f"A note is {len(note)} characters; the limit is {MAX_NOTE}")
    goal.status = status
    goal.changes.append(GoalNote(status, note))


def stage_set(state: SessionState, event: Event) -> None:
    state.stage = check_stage(event["data"]["stage"])
