"""Commands for goals, action-item states and the relationship's stage.

Like `circle.domain.commands`: each checks its input against the state and
returns the one event to record as a `Change`; the fold applies it.
"""

from __future__ import annotations

from circle.domain import goal_views
from circle.domain.commands import Change
from circle.domain.errors import DomainError
from circle.domain.events import EventKind
from circle.domain.goals import (
    ACTION_DONE,
    ACTION_OPEN,
    HABIT,
    MAX_NOTE,
    check_action_status,
    check_due,
    check_goal_status,
    check_horizon,
    check_stage,
)
from circle.domain.state import SessionState
from circle.domain.text import clean_text


def add_goal(
    state: SessionState, text: str, owner: str | None, horizon: str = HABIT, due: str = ""
) -> Change:
    """A new goal for a mentee: the one named, else the mentee speaking, else the first."""
    owner = state.roster.find(owner) if owner else goal_views.default_goal_owner(state)
    if owner not in state.roster.mentees:
        raise DomainError(f"A goal belongs to a mentee; {owner} is a mentor")
    text = clean_text(text)
    if not text:
        raise DomainError("A goal needs its text")
    data = {"text": text, "owner": owner, "horizon": check_horizon(horizon), "due": check_due(due)}
    return Change(EventKind.GOAL_ADDED, data)


def update_goal(state: SessionState, goal_id: int, status: str, note: str = "") -> Change:
    """A goal's new status, with what was said about it (the note may be empty)."""
    if goal_id not in state.goals:
        raise DomainError(f"No goal #{goal_id}")
    note = clean_text(note)
    if len(note) > MAX_NOTE:
        raise DomainError(f"A note is at most {MAX_NOTE} characters")
    data = {"goal": goal_id, "status": check_goal_status(status), "note": note}
    return Change(EventKind.GOAL_STATUS, data)


def set_action_done(action_id: int, done: bool) -> Change:
    """Ticked off, or back to open: the two states a tick box can say."""
    status = ACTION_DONE if done else ACTION_OPEN
    return Change(EventKind.ACTION_STATUS, {"action": action_id, "status": status})


def set_action_status(state: SessionState, action_id: int, status: str) -> Change:
    """Any of the four states, from the palette or the end-of-session review."""
    if action_id not in state.actions:
        raise DomainError(f"No action item #{action_id}")
    data = {"action": action_id, "status": check_action_status(status)}
    return Change(EventKind.ACTION_STATUS, data)


def set_stage(stage: str) -> Change:
    return Change(EventKind.STAGE_SET, {"stage": check_stage(stage)})
