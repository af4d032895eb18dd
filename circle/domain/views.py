"""What screens, the join page and the minutes read: typed rows derived from the state.

Every view is a function of the state and a reading of the session clock
(`now`, session seconds), computed at the moment asked; nothing here changes
state. The rows are plain values, safe to hand to a widget: changing one
changes nothing in the session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from circle.domain import rounds
from circle.domain.board import Question, Takeaway
from circle.domain.goals import Goal
from circle.domain.state import SessionState
from circle.domain.timer import TimerView

if TYPE_CHECKING:
    from circle.domain.flashrun import FlashRun


class Share(NamedTuple):
    person: str
    role: str
    seconds: float
    percent: float
    turns: int


class QueueEntry(NamedTuple):
    person: str
    new: bool
    in_round: bool


class TurnRow(NamedTuple):
    person: str
    seconds: float
    budget_s: float | None


class ItemRow(NamedTuple):
    id: int
    title: str
    kind: str
    planned_s: int
    original_s: int
    actual_s: float
    status: str  # current, done, missed, skipped, next, upcoming
    inserted: bool
    notes: str
    everyone: bool = False  # a round with the mentors in it (`[round all]`)


class QuestionRow(NamedTuple):
    id: int
    text: str
    asker: str | None
    source: str
    votes: int
    status: str
    hidden: bool
    pending: bool
    carried_in: bool

    @property
    def visible(self) -> bool:
        """On the board: neither hidden nor waiting for approval."""
        return not self.hidden and not self.pending


class ActionRow(NamedTuple):
    id: int
    text: str
    owner: str
    due: str
    done: bool
    carried_in: bool
    status: str = "open"  # open, in progress, done, dropped


class MeetingRow(NamedTuple):
    mentee: str
    mentor: str
    planned_s: int
    topic: str
    takeaway: str
    actual_s: float | None  # None until the slot has run


class FlashView(NamedTuple):
    """A flash round at one moment: where it is, and every meeting's record."""

    item_id: int
    two_mentors: bool  # rounds of two meetings, else slots of one
    round_index: int
    phase: str  # slot, changeover, done
    remaining_s: float
    meetings: tuple[tuple[MeetingRow, ...], ...]  # per round
    sitting_out: tuple[tuple[str, ...], ...]  # per round: mentees meeting nobody

    @property
    def rounds(self) -> int:
        return len(self.meetings)


# -- the agenda -----------------------------------------------------------------------


def timer_view(state: SessionState, now: float) -> TimerView:
    return state.timer_().view(state.active(now))


def item_rows(state: SessionState, now: float) -> list[ItemRow]:
    timer, active = state.timer_(), state.active(now)
    return [
        ItemRow(
            item.id,
            item.title,
            item.kind,
            item.planned_s,
            item.original_s,
            timer.elapsed(item, active),
            timer.status_of(item),
            item.inserted,
            item.notes,
            item.everyone,
        )
        for item in timer.items
    ]


def current_item(state: SessionState, now: float) -> ItemRow:
    return item_rows(state, now)[state.timer_().current]


def behind_s(state: SessionState, now: float) -> float:
    """How far the forecast end is past the planned end, in seconds."""
    if state.ended_s is not None:
        now = min(now, state.ended_s)  # the session's clock stopped at its end
    elapsed = now - state.created_at
    return elapsed + state.timer_().remaining_forecast(state.active(now)) - state.planned_total_s


def forecast_end_wall(state: SessionState, now: float, wall: float) -> float:
    if state.ended_at is not None:
        return state.ended_at  # it ended then: no forecast moves on
    return wall + state.timer_().remaining_forecast(state.active(now))


def planned_end_wall(state: SessionState) -> float:
    return state.started_wall + state.planned_total_s


# -- people ----------------------------------------------------------------------------


def queue_entries(state: SessionState, now: float) -> list[QueueEntry]:
    queue = state.queue
    return [
        QueueEntry(h.person, not queue.has_spoken(h.person), h.in_round)
        for h in queue.order(state.active(now))
    ]


def shares(state: SessionState, now: float) -> list[Share]:
    """Speaking time per person, mentors included, with each one's share."""
    active, queue, roster = state.active(now), state.queue, state.roster
    times = {p: queue.speaking_time(p, active) for p in roster.people}
    total = sum(times.values())
    return [
        Share(p, roster.role(p), t, 100 * t / total if total else 0.0, queue.turns[p])
        for p, t in times.items()
    ]


def turn_view(state: SessionState, now: float) -> TurnRow | None:
    """Who speaks, for how long so far, and her budget; None when nobody speaks."""
    turn = state.queue.turn
    if turn is None:
        return None
    return TurnRow(turn.person, state.queue.turn_time(state.active(now)), turn.budget_s)


def interrupted_view(state: SessionState) -> TurnRow | None:
    """The mentee's turn a mentor's interjection paused, as it stands: it gets the
    floor back when the mentor stops. None when no turn is paused."""
    paused = state.queue.interrupted
    if paused is None:
        return None
    return TurnRow(paused.person, paused.before_s, paused.budget_s)


class NextUp(NamedTuple):
    person: str
    back_at_s: float | None  # a paused turn: how far it had run; None for a raised hand


def next_up(state: SessionState, now: float) -> NextUp | None:
    """Who gets the floor next: a mentee a mentor's interjection paused comes
    back first, then the first raised hand of someone not speaking now.

    The console, the wall and the phones all ask this, so none of them can
    name someone else."""
    paused = state.queue.interrupted
    if paused is not None:
        return NextUp(paused.person, paused.before_s)
    speaker = state.queue.turn.person if state.queue.turn else None
    for entry in queue_entries(state, now):
        if entry.person != speaker:
            return NextUp(entry.person, None)
    return None


def turn_budget(state: SessionState, person: str) -> float | None:
    """In a round, each member's turn gets an equal share of the item."""
    return rounds.turn_budget(state, person)


def people_here(state: SessionState) -> int:
    """Everyone present or late, mentors included: who may answer the pulse."""
    return sum(1 for p in state.roster.people if state.roster.is_here(p))


def default_owner(state: SessionState) -> str:
    """Who an action item is for when nobody is named: the speaker, else nobody ("").

    Handing it to a mentor by default would put work on someone who never took it."""
    turn = state.queue.turn
    return turn.person if turn else ""


# -- the board and the records ------------------------------------------------------------


def question_row(question: Question) -> QuestionRow:
    q = question
    return QuestionRow(
        q.id, q.text, q.asker, q.source, q.votes, q.status, q.hidden, q.pending, q.carried_in
    )


def board_rows(state: SessionState, include_hidden: bool = False) -> list[QuestionRow]:
    """The board as shown: open, parked, answered; most votes first."""
    return [question_row(q) for q in state.board.ordered(include_hidden)]


def all_question_rows(state: SessionState) -> list[QuestionRow]:
    """Every question, hidden and waiting ones too, in the order asked."""
    return [question_row(q) for q in sorted(state.board.questions.values(), key=lambda q: q.id)]


def pending_rows(state: SessionState) -> list[QuestionRow]:
    return [question_row(q) for q in state.board.pending()]


def hidden_rows(state: SessionState) -> list[QuestionRow]:
    return [question_row(q) for q in state.board.hidden()]


def action_rows(state: SessionState) -> list[ActionRow]:
    return [
        ActionRow(a.id, a.text, a.owner, a.due, a.done, a.carried_in, a.status)
        for a in state.actions.values()
    ]


def takeaways_for(state: SessionState, item_id: int) -> list[Takeaway]:
    return [t for t in state.takeaways if t.item_id == item_id]


# -- flash mentoring ----------------------------------------------------------------------


def flash_mentees(state: SessionState) -> list[str]:
    """Who meets the mentors in a flash round: present mentees, in the order set."""
    order = state.flash_order or state.roster.mentees
    return [m for m in order if state.roster.is_here(m)]


def flash_view(run: FlashRun, now_active: float) -> FlashView:
    pos = run.position(now_active)
    meetings = tuple(
        tuple(
            MeetingRow(r.mentee, r.mentor, r.planned_s, r.topic, r.takeaway, r.actual_s)
            for r in row
        )
        for row in run.view_records(now_active)
    )
    return FlashView(
        run.item_id,
        len(run.plan.mentors) > 1,
        pos.round_index,
        pos.phase,
        max(0.0, pos.remaining(now_active)),
        meetings,
        tuple(r.sitting_out for r in run.plan.rounds),
    )


def flash_views(state: SessionState, now: float) -> list[FlashView]:
    """Every flash round of the session, oldest first; the last may be running."""
    active = state.active(now)
    return [flash_view(run, active) for run in state.flash_runs]


def current_flash(state: SessionState, now: float) -> FlashRun | None:
    """The flash round in progress, if any (a finished one is not)."""
    if state.flash_runs and not state.flash_runs[-1].done(state.active(now)):
        return state.flash_runs[-1]
    return None


def flash_on_screen(state: SessionState, now: float) -> FlashRun | None:
    """The flash round shown in place of the item's countdown, if any.

    A running round of the current item; on a `[flash]` item its finished
    round too, since the round is the item. A round started ad hoc inside
    another item gives the item its own countdown back once it is done.
    """
    run = state.flash_runs[-1] if state.flash_runs else None
    item = state.timer_().item
    if run is None or run.item_id != item.id:
        return None
    if item.kind == "flash" or not run.done(state.active(now)):
        return run
    return None


# -- everything -----------------------------------------------------------------------------


def item_dict(row: ItemRow) -> dict:
    """An item row as the dict `Session.item_rows()` has always given (no notes)."""
    out = row._asdict()
    del out["notes"]
    return out


def state_dict(state: SessionState, now: float) -> dict:
    """Everything the session knows, derived at `now`: what a rebuild must reproduce."""
    active = state.active(now)
    return {
        "title": state.title,
        "series": state.series,
        "status": state.status,
        "paused": state.paused,
        "active": round(active, 3),
        "current": state.timer_().item.id,
        "items": [
            item_dict(row) | {"actual_s": round(row.actual_s, 3)} for row in item_rows(state, now)
        ],
        "attendance": {p: dict(a) for p, a in state.roster.attendance.items()},
        "queue": [e._asdict() for e in queue_entries(state, now)],
        "policy": state.queue.policy,
        "turn": _turn_dict(turn_view(state, now)),
        "interrupted": _turn_dict(interrupted_view(state)),
        "round": {"members": list(state.round_members), "budget_s": state.round_budget_s},
        "spoken": {s.person: round(s.seconds, 3) for s in shares(state, now)},
        "turns": dict(state.queue.turns),
        "questions": [
            q.__dict__ | {"voters": list(q.voters)}
            for q in sorted(state.board.questions.values(), key=lambda q: q.id)
        ],
        "moderated": state.board.moderated,
        "actions": [dict(a.__dict__) for a in state.actions.values()],
        "takeaways": [t._asdict() for t in state.takeaways],
        "flash": [_flash_state(run, active) for run in state.flash_runs],
        "pulse": list(state.pulse),
        "pulse_open": state.pulse_open,
        "blind": state.blind,
        "names": dict(state.name_owner),
        "goals": [_goal_state(g) for g in state.goals.values()],
        "stage": state.stage,
    }


def _goal_state(goal: Goal) -> dict:
    return goal.__dict__ | {
        "earlier_notes": list(goal.earlier_notes),
        "changes": [c._asdict() for c in goal.changes],
    }


def _turn_dict(turn: TurnRow | None) -> dict | None:
    if turn is None:
        return None
    return {"person": turn.person, "seconds": round(turn.seconds, 3), "budget_s": turn.budget_s}


def _flash_state(run: FlashRun, active: float) -> dict:
    pos = run.position(active)
    return {
        "round": pos.round_index,
        "phase": pos.phase,
        "remaining": round(pos.remaining(active), 3),
        "records": [[r.__dict__ for r in row] for row in run.view_records(active)],
    }
