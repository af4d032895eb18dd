"""What one session of a series hands to the next: a pure function of its state.

The next session starts with the same roster, the action items still owed
(open or in progress), the parked questions, every goal with its status and
latest notes, and the relationship's stage. Items and goals keep one name
across the series (`key`), so the programme report counts an item carried
through several sessions once.
"""

from __future__ import annotations

from typing import NamedTuple

from circle.domain.board import PARKED
from circle.domain.goals import CARRIED_ACTION_STATUSES, CARRIED_NOTES, goal_key
from circle.domain.state import SessionState


class SeriesCarry(NamedTuple):
    mentors: list[str]
    mentees: list[str]
    actions: tuple[dict, ...]  # each: text, owner, due, status, key
    questions: tuple[dict, ...]  # each: text, asker
    goals: tuple[dict, ...]  # each: key, owner, text, horizon, due, status, notes
    stage: str

    def session_args(self) -> dict:
        """What `Session.create` takes of it: the items, questions, goals and stage."""
        return {
            "carried_actions": self.actions,
            "carried_questions": self.questions,
            "carried_goals": self.goals,
            "stage": self.stage,
        }


def carry_over(past: SessionState, source_id: str) -> SeriesCarry:
    """What the session `source_id`, folded at rest as `past`, carries forward.

    Every goal is carried, closed ones too: a goal belongs to its owner for the
    whole series, and one dropped too early can be taken up again.
    """
    actions = tuple(
        {
            "text": a.text,
            "owner": a.owner,
            "due": a.due,
            "status": a.status,
            "key": a.key or goal_key(source_id, a.id),
        }
        for a in past.actions.values()
        if a.status in CARRIED_ACTION_STATUSES
    )
    questions = tuple(
        {"text": q.text, "asker": q.asker}
        for q in past.board.questions.values()
        if q.status == PARKED and not q.hidden
    )
    goals = tuple(
        {
            "key": g.key or goal_key(source_id, g.id),
            "owner": g.owner,
            "text": g.text,
            "horizon": g.horizon,
            "due": g.due,
            "status": g.status,
            "notes": g.notes[-CARRIED_NOTES:],
        }
        for g in past.goals.values()
    )
    roster = past.roster
    mentors, mentees = list(roster.mentors), list(roster.mentees)
    return SeriesCarry(mentors, mentees, actions, questions, goals, past.stage)
