"""What screens and the minutes read about goals and action-item states: typed rows.

Goals are listed by owner in roster order, then in the order they were made
(carried ones first, as they were made in earlier sessions).
"""

from __future__ import annotations

from typing import NamedTuple

from circle.domain.goals import ACTION_STATUSES, Goal, GoalNote
from circle.domain.state import SessionState

# The agenda kind that reviews each present mentee's goals in turn.
GOALS_KIND = "goals"


class GoalRow(NamedTuple):
    id: int
    owner: str
    text: str
    horizon: str
    due: str
    status: str
    notes: tuple[str, ...]  # oldest first; earlier sessions' too
    changes: tuple[GoalNote, ...]  # this session's status changes, in order
    carried_in: bool
    changed_here: bool  # created or updated in this session
    live: bool  # open, on track or at risk


class TurnGoals(NamedTuple):
    """The goals to show beside someone speaking: theirs."""

    person: str
    goals: tuple[GoalRow, ...]


class GoalsReview(NamedTuple):
    """One present mentee's goals in a `[goals]` item."""

    mentee: str
    goals: tuple[GoalRow, ...]
    speaking: bool


def goal_row(goal: Goal) -> GoalRow:
    return GoalRow(
        goal.id,
        goal.owner,
        goal.text,
        goal.horizon,
        goal.due,
        goal.status,
        tuple(goal.notes),
        tuple(goal.changes),
        goal.carried_in,
        goal.changed_here,
        goal.live,
    )


def _owner_rank(state: SessionState) -> dict[str, int]:
    return {person: rank for rank, person in enumerate(state.roster.mentees)}


def goal_rows(state: SessionState) -> list[GoalRow]:
    """Every goal of the session: by owner in roster order, then as made.

    An owner no longer on the roster (carried in) comes after the roster's."""
    rank = _owner_rank(state)
    goals = sorted(state.goals.values(), key=lambda g: (rank.get(g.owner, len(rank)), g.id))
    return [goal_row(g) for g in goals]


def changed_goal_rows(state: SessionState) -> list[GoalRow]:
    """The goals created or updated in this session: what the minutes list."""
    return [row for row in goal_rows(state) if row.changed_here]


def goals_of(state: SessionState, person: str, live_only: bool = True) -> list[GoalRow]:
    """A mentee's goals; by default only those still being worked on."""
    person = state.roster.find(person)
    return [row for row in goal_rows(state) if row.owner == person and (row.live or not live_only)]


def in_goals_item(state: SessionState) -> bool:
    return state.timer is not None and state.timer.item.kind == GOALS_KIND


def reviewed_goals_of(state: SessionState, person: str) -> list[GoalRow]:
    """What a `[goals]` item shows for a mentee: goals still being worked on,
    and those closed in this very session (done or dropped just now)."""
    return [row for row in goals_of(state, person, live_only=False) if row.live or row.changed_here]


def turn_goals(state: SessionState) -> TurnGoals | None:
    """The speaker's goals, when the speaker is a mentee who has any to show.

    During any item their open goals, with the notes; in a `[goals]` item also
    those closed in this session, so a goal just marked done stays in view."""
    turn = state.queue.turn
    if turn is None or turn.person not in state.roster.mentees:
        return None
    if in_goals_item(state):
        rows = reviewed_goals_of(state, turn.person)
    else:
        rows = goals_of(state, turn.person)
    return TurnGoals(turn.person, tuple(rows)) if rows else None


def goals_review(state: SessionState) -> list[GoalsReview]:
    """In a `[goals]` item: each present mentee's goals, in the round's order.

    Empty outside such an item: goals are shown to the room only there."""
    if not in_goals_item(state):
        return []
    turn = state.queue.turn
    speaker = turn.person if turn else None
    return [
        GoalsReview(m, tuple(reviewed_goals_of(state, m)), m == speaker)
        for m in state.roster.present_mentees()
    ]


def default_goal_owner(state: SessionState) -> str:
    """Whose a new goal is when nobody is named: the mentee speaking, else the first mentee."""
    turn = state.queue.turn
    if turn is not None and turn.person in state.roster.mentees:
        return turn.person
    return state.roster.mentees[0]


def action_counts(state: SessionState) -> dict[str, int]:
    """How many action items are in each state, every state present."""
    counts = dict.fromkeys(ACTION_STATUSES, 0)
    for action in state.actions.values():
        counts[action.status] = counts.get(action.status, 0) + 1
    return counts
