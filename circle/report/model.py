"""A series' programme report as plain data: sessions, goals, action items, speaking.

Built from the facts of every session of the series, oldest first. Goals and
action items are followed across sessions by their key, so a goal has one
history and an action item carried through several sessions counts once,
in the state it was last seen in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from circle.domain.goals import (
    ACTION_STATUSES,
    CARRIED_ACTION_STATUSES,
    GOAL_OPEN,
    INITIATION,
    suggested_agenda,
)
from circle.report.facts import ActionFact, SessionFacts

MENTOR, MENTEE = "mentor", "mentee"


class HistoryEntry(NamedTuple):
    session: str  # its id
    number: int  # 1 for the series' first session
    status: str
    note: str


class GoalSummary(NamedTuple):
    key: str
    owner: str
    text: str
    horizon: str
    due: str
    status: str
    history: tuple[HistoryEntry, ...]


class ActionSummary(NamedTuple):
    key: str
    owner: str
    text: str
    due: str
    status: str
    first: int  # the session it was made in (or first seen), by number
    last: int  # the last session it was seen in


class SpeakingSummary(NamedTuple):
    person: str
    role: str
    seconds: float
    turns: int
    sessions: int  # sessions attended


class StageChange(NamedTuple):
    number: int
    stage: str


class ProgrammeReport(NamedTuple):
    series: str
    stage: str
    stage_changes: tuple[StageChange, ...]
    sessions: tuple[SessionFacts, ...]  # oldest first
    people: tuple[tuple[str, str], ...]  # (person, role): mentors, then mentees
    goals: tuple[GoalSummary, ...]
    actions: tuple[ActionSummary, ...]
    speaking: tuple[SpeakingSummary, ...]

    @property
    def action_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTION_STATUSES, 0)
        for action in self.actions:
            counts[action.status] += 1
        return counts

    @property
    def suggested_agenda(self) -> str | None:
        return suggested_agenda(self.stage)


def build_report(series: str, sessions: Sequence[SessionFacts]) -> ProgrammeReport:
    """The report of `series` from its sessions' facts, oldest session first."""
    sessions = tuple(sessions)
    people = series_people(sessions)
    rank = {person: n for n, (person, _) in enumerate(people)}
    return ProgrammeReport(
        series=series,
        stage=series_stage(sessions),
        stage_changes=stage_changes(sessions),
        sessions=sessions,
        people=people,
        goals=tuple(_sorted_goals(follow_goals(sessions), rank)),
        actions=tuple(follow_actions(sessions)),
        speaking=tuple(speaking(sessions, people)),
    )


def series_people(sessions: Sequence[SessionFacts]) -> tuple[tuple[str, str], ...]:
    """Everyone in the series in roster order, mentors first; the role a
    person had most recently wins, and the order is that of first appearance."""
    order: dict[str, int] = {}
    role: dict[str, str] = {}
    for facts in sessions:
        for person in facts.people:
            order.setdefault(person, len(order))
            role[person] = MENTOR if person in facts.mentors else MENTEE
    everyone = sorted(order, key=lambda p: (role[p] != MENTOR, order[p]))
    return tuple((p, role[p]) for p in everyone)


def series_stage(sessions: Sequence[SessionFacts]) -> str:
    """The stage the newest session that recorded one left the series in."""
    for facts in reversed(sessions):
        if facts.stage_set:
            return facts.stage
    return INITIATION


def stage_changes(sessions: Sequence[SessionFacts]) -> tuple[StageChange, ...]:
    """Each stage the series entered, and the session it did so in."""
    changes: list[StageChange] = []
    current = INITIATION if sessions else ""
    if sessions:
        changes.append(StageChange(1, INITIATION))
    for number, facts in enumerate(sessions, 1):
        for stage in facts.stages_chosen:
            if stage != current:
                changes.append(StageChange(number, stage))
                current = stage
    return tuple(changes)


def follow_goals(sessions: Sequence[SessionFacts]) -> list[tuple[tuple[int, int], GoalSummary]]:
    """Every goal once, as last seen, with its history: ((session, seq) made, goal).

    A goal carried in from a session that is no longer stored has no
    creation in its history, only the changes seen since."""
    goals: dict[str, GoalSummary] = {}
    made: dict[str, tuple[int, int]] = {}
    for number, facts in enumerate(sessions, 1):
        for goal in facts.goals:
            known = goals.get(goal.key)
            history = list(known.history) if known else []
            made.setdefault(goal.key, (number, goal.local_id))
            if not goal.carried_in:
                history.append(HistoryEntry(facts.id, number, GOAL_OPEN, ""))
            history += [HistoryEntry(facts.id, number, c.status, c.note) for c in goal.changes]
            goals[goal.key] = GoalSummary(
                goal.key,
                goal.owner,
                goal.text,
                goal.horizon,
                goal.due,
                goal.status,
                tuple(history),
            )
    return [(made[key], goal) for key, goal in goals.items()]


def _sorted_goals(
    goals: list[tuple[tuple[int, int], GoalSummary]], rank: dict[str, int]
) -> list[GoalSummary]:
    ordered = sorted(goals, key=lambda pair: (rank.get(pair[1].owner, len(rank)), pair[0]))
    return [goal for _, goal in ordered]


def follow_actions(sessions: Sequence[SessionFacts]) -> list[ActionSummary]:
    """Every action item once, in the order made, in the state last seen."""
    items: dict[str, ActionSummary] = {}
    owed: dict[tuple[str, str], str] = {}  # (text, owner) -> key, still owed last time
    for number, facts in enumerate(sessions, 1):
        for action in facts.actions:
            key = action.key or _legacy_key(action, owed, facts.id)
            first = items[key].first if key in items else number
            items[key] = ActionSummary(
                key, action.owner, action.text, action.due, action.status, first, number
            )
        owed = {
            (a.text, a.owner): a.key
            for a in items.values()
            if a.last == number and a.status in CARRIED_ACTION_STATUSES
        }
    return list(items.values())


def _legacy_key(action: ActionFact, owed: dict[tuple[str, str], str], session_id: str) -> str:
    """A log from before items were named carried only text, owner and due:
    it is the item still owed last time with the same text and owner."""
    return owed.get((action.text, action.owner)) or f"{session_id}#{action.local_id}"


def speaking(
    sessions: Sequence[SessionFacts], people: Sequence[tuple[str, str]]
) -> list[SpeakingSummary]:
    rows = []
    for person, role in people:
        seconds, turns, attended = 0.0, 0, 0
        for facts in sessions:
            if person in facts.speaking:
                seconds += facts.speaking[person][0]
                turns += facts.speaking[person][1]
            if facts.attendance.get(person, "absent") != "absent":
                attended += 1
        rows.append(SpeakingSummary(person, role, seconds, turns, attended))
    return rows


def still_owed(report: ProgrammeReport) -> list[ActionSummary]:
    """Open and in-progress items, oldest first: what the series still owes."""
    return [a for a in report.actions if a.status in CARRIED_ACTION_STATUSES]
