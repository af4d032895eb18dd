"""The facts of one stored session that a programme report needs.

Each session is read "at rest", as the minutes read it (`session_at_rest`),
so a report is built from exactly what the minutes of its sessions say.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from circle.domain import goal_views, views
from circle.domain.events import FACILITATOR, EventKind
from circle.domain.fold import undone_in
from circle.domain.goals import GoalNote, goal_key
from circle.domain.present import utc_date
from circle.domain.privacy import pulse_view
from circle.domain.session import Session, session_at_rest
from circle.minutes.markdown import rest_active, rest_now

ENDED, UNFINISHED = "ended", "unfinished"


class GoalFact(NamedTuple):
    key: str
    local_id: int
    owner: str
    text: str
    horizon: str
    due: str
    status: str
    carried_in: bool
    changes: tuple[GoalNote, ...]  # made in this session


class ActionFact(NamedTuple):
    key: str | None  # None: carried in from a log that named no item
    local_id: int
    owner: str
    text: str
    due: str
    status: str
    carried_in: bool


class SessionFacts(NamedTuple):
    id: str
    date: str  # YYYY-MM-DD, UTC, as in the minutes
    title: str
    series: str
    status: str  # ended, unfinished
    duration_s: int
    mentors: tuple[str, ...]
    mentees: tuple[str, ...]
    attendance: dict[str, str]  # person -> present, late, left, absent
    pulse_n: int  # the scores given
    # None below privacy.MIN_PULSE_SCORES, as in the minutes: an average of one
    # or two scores would tell the room what each one gave.
    pulse_average: float | None
    speaking: dict[str, tuple[float, int]]  # person -> (seconds, turns)
    goals: tuple[GoalFact, ...]
    actions: tuple[ActionFact, ...]
    stage: str
    stage_set: bool  # whether any event of this session set the stage
    stages_chosen: tuple[str, ...]  # stages the facilitator set here, in order

    @property
    def people(self) -> tuple[str, ...]:
        return self.mentors + self.mentees

    @property
    def present(self) -> list[str]:
        """Everyone who came: late arrivals and early leavers included."""
        return [p for p in self.people if self.attendance[p] != "absent"]

    @property
    def absent(self) -> list[str]:
        return [p for p in self.people if self.attendance[p] == "absent"]


def load_facts(store: Any, session_id: str) -> SessionFacts:
    """Read one stored session and rebuild it once. A file that doesn't fit
    raises the store's one-line StorageError naming it; nothing is written."""

    def build(loaded: Any) -> SessionFacts:
        return session_facts(session_id, loaded.events, loaded.clock)

    return store.open_session(session_id, build).value


def session_facts(session_id: str, events: list[dict], clock: dict | None) -> SessionFacts:
    session = session_at_rest(events, clock)
    state = session.folded
    pulse = pulse_view(state, final=True)
    stage_events = _counted(events, EventKind.STAGE_SET)
    return SessionFacts(
        id=session_id,
        date=utc_date(state.started_wall),
        title=state.title,
        series=state.series,
        status=ENDED if state.ended else UNFINISHED,
        duration_s=int(rest_active(session) + 0.5),
        mentors=tuple(state.roster.mentors),
        mentees=tuple(state.roster.mentees),
        attendance={p: state.roster.status(p) for p in state.roster.people},
        pulse_n=pulse.scores,
        pulse_average=pulse.average,
        speaking={s.person: (s.seconds, s.turns) for s in _shares(session)},
        goals=tuple(_goal_facts(session_id, session)),
        actions=tuple(_action_facts(session_id, session)),
        stage=state.stage,
        stage_set=bool(stage_events),
        stages_chosen=tuple(e["data"]["stage"] for e in stage_events if e["source"] == FACILITATOR),
    )


def _counted(events: list[dict], kind: EventKind) -> list[dict]:
    """The events of one kind that still count: not undone."""
    undone = undone_in(events)
    return [e for e in events if e["kind"] == kind and e["seq"] not in undone]


def _shares(session: Session) -> list[views.Share]:
    return views.shares(session.folded, rest_now(session))


def _goal_facts(session_id: str, session: Session) -> list[GoalFact]:
    goals = session.folded.goals
    rows = goal_views.goal_rows(session.folded)
    return [
        GoalFact(
            goals[r.id].key or goal_key(session_id, r.id),
            r.id,
            r.owner,
            r.text,
            r.horizon,
            r.due,
            r.status,
            r.carried_in,
            r.changes,
        )
        for r in rows
    ]


def _action_facts(session_id: str, session: Session) -> list[ActionFact]:
    facts = []
    for action in sorted(session.folded.actions.values(), key=lambda a: a.id):
        key = action.key
        if key is None and not action.carried_in:
            key = goal_key(session_id, action.id)
        facts.append(
            ActionFact(
                key,
                action.id,
                action.owner,
                action.text,
                action.due,
                action.status,
                action.carried_in,
            )
        )
    return facts
