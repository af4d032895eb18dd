"""What a facilitator (or a participant's phone) can ask of a session.

Each command is a plain function: it checks its input against the state,
settles anything that depends on the moment (an owner by default, a
rebalance, a round's budget), and returns the one event to record as a
`Change`, whose data is enough to replay it. The `Session` records it; the
fold then applies it, refusing what the state's own rules don't allow.
"""

from __future__ import annotations

import random
from typing import Any, NamedTuple

from circle.domain import views
from circle.domain.agenda import Agenda, AgendaItem
from circle.domain.board import ANSWERED, MAX_QUESTION, OPEN, PARKED
from circle.domain.errors import DomainError
from circle.domain.events import FACILITATOR, PHONE, SYSTEM, EventKind
from circle.domain.goals import check_due, check_stage
from circle.domain.roster import ABSENT, LATE, LEFT, NO_PRESENT_MENTOR, Roster, no_mentor_here
from circle.domain.series import series_name
from circle.domain.speakers import POLICIES
from circle.domain.state import FLASH_FIELDS, SessionState
from circle.domain.text import clean_text
from circle.domain.timer import spread_overrun

TAKEAWAY_KINDS = ("takeaway", "decision")
MAX_CHANGEOVER_S = 600
MAX_PULSE_COMMENT = 500
FLASH_DEBOUNCE_S = 1.0
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# The operating system's CSPRNG, which is what `secrets` uses too; importing
# `secrets` would also load hmac and OpenSSL, 3 ms of every start-up.
_SYSTEM_RANDOM = random.SystemRandom()


class Change(NamedTuple):
    """One event a command decided on: its kind, its data, and who asked."""

    kind: EventKind
    data: dict[str, Any]
    source: str = FACILITATOR


# -- a new session -----------------------------------------------------------------------


def new_join_code() -> str:
    return "".join(_SYSTEM_RANDOM.choice(CODE_ALPHABET) for _ in range(6))


def agenda_to_data(agenda: Agenda) -> dict:
    return {
        "title": agenda.title,
        "intro": agenda.intro,
        "source": agenda.source,
        "items": [item_to_data(i) for i in agenda.items],
    }


def item_to_data(item: AgendaItem) -> dict:
    data = {
        "title": item.title,
        "planned_s": item.planned_s,
        "kind": item.kind,
        "notes": item.notes,
    }
    if item.everyone:
        data["all"] = True  # only when set: the data of agendas without it stays as it was
    return data


def open_session(
    *,
    title: str,
    agenda: Agenda,
    mentors: list[str],
    mentees: list[str],
    wall: float,
    series: str | None,
    absent: tuple[str, ...],
    carried_actions: tuple[dict, ...],
    carried_questions: tuple[dict, ...],
    join_code: str | None,
    carried_goals: tuple[dict, ...] = (),
    stage: str | None = None,
) -> list[Change]:
    """The events that open a session: created, who is absent, what is carried in.

    `stage` is the series' stage as the previous session left it; a new
    series has none and starts in initiation."""
    roster = Roster.build(mentors, mentees)
    if no_mentor_here(roster.mentors, absent):
        raise DomainError(NO_PRESENT_MENTOR)
    title = clean_text(title)
    if not title:
        raise DomainError("A session needs a title")
    data = {
        "title": title,
        "series": series_name(title, clean_text(series or "")),
        "mentors": roster.mentors,
        "mentees": roster.mentees,
        "agenda": agenda_to_data(agenda),
        "join_code": join_code or new_join_code(),
        "started_wall": wall,
    }
    changes = [Change(EventKind.CREATED, data, SYSTEM)]
    for person in absent:
        attendance = {"person": roster.find(person), "status": ABSENT}
        changes.append(Change(EventKind.ATTENDANCE, attendance, SYSTEM))
    for action in carried_actions:
        changes.append(Change(EventKind.ACTION_CARRIED, dict(action), SYSTEM))
    for question in carried_questions:
        changes.append(Change(EventKind.QUESTION_CARRIED, dict(question), SYSTEM))
    for goal in carried_goals:
        changes.append(Change(EventKind.GOAL_CARRIED, dict(goal), SYSTEM))
    if stage is not None:
        changes.append(Change(EventKind.STAGE_SET, {"stage": check_stage(stage)}, SYSTEM))
    return changes


# -- the agenda -------------------------------------------------------------------------


def toggle_pause(state: SessionState) -> Change:
    return Change(EventKind.RESUMED if state.paused else EventKind.PAUSED, {})


def next_item(state: SessionState) -> Change:
    timer = state.timer_()
    following = timer.next_index()
    if following is None:
        raise DomainError("This is the last item: press x to end the session")
    return Change(EventKind.ITEM_CHANGED, {"to": timer.items[following].id})


def previous_item(state: SessionState) -> Change:
    timer = state.timer_()
    previous = timer.previous_index()
    if previous is None:
        raise DomainError("This is the first item")
    return Change(EventKind.ITEM_CHANGED, {"to": timer.items[previous].id})


def extend(by_s: int) -> Change:
    return Change(EventKind.ITEM_EXTENDED, {"by_s": by_s})


def set_planned(item_id: int, planned_s: int) -> Change:
    return Change(EventKind.ITEM_PLANNED, {"item": item_id, "planned_s": planned_s})


def skip_item(item_id: int) -> Change:
    return Change(EventKind.ITEM_SKIPPED, {"item": item_id})


def insert_item(title: str, planned_s: int, kind: str) -> Change:
    data = {"title": clean_text(title), "planned_s": planned_s, "kind": kind}
    return Change(EventKind.ITEM_INSERTED, data)


def move_item(item_id: int, offset: int) -> Change:
    return Change(EventKind.ITEM_MOVED, {"item": item_id, "offset": offset})


def rebalance(state: SessionState, now: float) -> Change:
    """The overrun spread over the items still to come, in proportion to their plan."""
    new = spread_overrun(state.timer_().upcoming(), views.behind_s(state, now))
    return Change(EventKind.REBALANCED, {"planned": {str(k): v for k, v in new.items()}})


def end_session() -> Change:
    return Change(EventKind.ENDED, {})


def set_blind(on: bool) -> Change:
    return Change(EventKind.BLIND, {"on": on})


# -- people ----------------------------------------------------------------------------------


def set_attendance(state: SessionState, person: str, status: str, wall: float) -> Change:
    """`wall` is when someone arrived late or left; other statuses carry no time."""
    data: dict[str, Any] = {"person": state.roster.find(person), "status": status}
    if status in (LATE, LEFT):
        data["wall"] = round(wall, 3)
    return Change(EventKind.ATTENDANCE, data)


def _keep_round_place(state: SessionState, person: str) -> None:
    """A hand key never drops someone waiting in a round: "Skip in this round" does."""
    if state.queue.waits_in_round(person):
        raise DomainError(f"{person} is already in the round")


def toggle_hand(state: SessionState, person: str) -> Change:
    """Keys 1–5: raise a hand, or lower it if it is up."""
    person = state.roster.find(person)
    _keep_round_place(state, person)
    up = state.queue.is_raised(person)
    return Change(EventKind.HAND_LOWERED if up else EventKind.HAND_RAISED, {"person": person})


def set_hand(state: SessionState, person: str, up: bool, source: str) -> Change | None:
    """Raise or lower as asked (the join page): None when the hand is already so."""
    person = state.roster.find(person)
    if state.queue.is_raised(person) == up:
        return None
    _keep_round_place(state, person)
    kind = EventKind.HAND_RAISED if up else EventKind.HAND_LOWERED
    return Change(kind, {"person": person}, source)


def skip_in_round(state: SessionState, person: str) -> Change:
    """Leave the round for now; undo gives the place back."""
    person = state.roster.find(person)
    if not state.queue.waits_in_round(person):
        raise DomainError(f"{person} is not waiting in this round")
    return Change(EventKind.ROUND_SKIPPED, {"person": person})


def start_turn(state: SessionState, person: str) -> Change:
    person = state.roster.find(person)
    data = {"person": person, "budget_s": views.turn_budget(state, person)}
    return Change(EventKind.TURN_STARTED, data)


def next_speaker(state: SessionState, now: float) -> Change:
    """The head of the queue speaks; the current turn, and one an interjection paused, end."""
    return start_turn(state, state.queue.head(state.active(now)).person)


def mentor_turn(state: SessionState, index: int | None) -> Change:
    """`0` (or the second mentor): speak now, or, speaking already, stop.

    During a mentee's turn this is an interjection: her turn pauses, and the
    mentor stopping (this again, or `d`) gives her the floor back. Another
    mentor taking over an interjection keeps her turn paused.
    """
    mentors, queue = state.roster.mentors, state.queue
    if index is None:  # the key `0`: the mentor speaking, else the first one here
        speaking = queue.turn.person if queue.turn is not None else None
        present = [m for m in mentors if state.roster.is_here(m)]
        index = (
            mentors.index(speaking)
            if speaking in mentors
            else mentors.index(present[0] if present else mentors[0])
        )
    if index >= len(mentors):
        raise DomainError("There is no second mentor")
    mentor = mentors[index]
    if queue.turn is not None and queue.turn.person == mentor:
        return Change(EventKind.TURN_ENDED, {})
    state.here(mentor)
    if queue.interrupted is None and (
        queue.turn is None or state.roster.role(queue.turn.person) != "mentee"
    ):
        return start_turn(state, mentor)
    return Change(EventKind.TURN_STARTED, {"person": mentor, "interjection": True})


def end_turn(state: SessionState) -> Change:
    if state.queue.turn is None:
        raise DomainError("Nobody is speaking")
    return Change(EventKind.TURN_ENDED, {})


def set_policy(policy: str) -> Change:
    if policy not in POLICIES:
        raise DomainError(f"Unknown queue policy '{policy}'")
    return Change(EventKind.POLICY, {"policy": policy})


def claim_name(state: SessionState, name: str, device: str) -> tuple[str, Change | None]:
    """The roster spelling of the name, and the claim to record unless the device has it."""
    name = state.roster.find(name)
    if state.name_owner.get(name) == device:
        return name, None
    return name, Change(EventKind.NAME_CLAIMED, {"name": name, "device": device}, PHONE)


def release_name(state: SessionState, name: str) -> Change:
    return Change(EventKind.NAME_RELEASED, {"name": state.roster.find(name)})


# -- the question board --------------------------------------------------------------------


def add_question(state: SessionState, text: str, asker: str | None, source: str) -> Change:
    text = clean_text(text)
    if len(text) > MAX_QUESTION:
        raise DomainError(f"A question is at most {MAX_QUESTION} characters")
    asker = state.roster.find(asker) if asker else None
    origin = PHONE if source == PHONE else FACILITATOR
    data = {"text": text, "asker": asker, "source": source}
    return Change(EventKind.QUESTION_ADDED, data, origin)


def vote(qid: int, voter: str | None, next_seq: int) -> Change:
    """`v` counts one more vote from the room; a phone votes once as itself."""
    if voter is None:
        # Each vote from the room is a voter of its own, named by its event.
        return Change(EventKind.QUESTION_VOTED, {"question": qid, "voter": f"room:{next_seq}"})
    return Change(EventKind.QUESTION_VOTED, {"question": qid, "voter": voter}, PHONE)


def unvote(qid: int, voter: str) -> Change:
    return Change(EventKind.QUESTION_UNVOTED, {"question": qid, "voter": voter}, PHONE)


def toggle_status(state: SessionState, qid: int, status: str) -> Change:
    """`a` and `p`: mark answered / parked, or back to open."""
    if status not in (ANSWERED, PARKED):
        raise DomainError(f"Unknown status '{status}'")
    new = OPEN if state.board.get(qid).status == status else status
    return Change(EventKind.QUESTION_STATUS, {"question": qid, "status": new})


def hide_question(qid: int) -> Change:
    return Change(EventKind.QUESTION_HIDDEN, {"question": qid})


def unhide_question(qid: int) -> Change:
    return Change(EventKind.QUESTION_UNHIDDEN, {"question": qid})


def approve_question(qid: int) -> Change:
    return Change(EventKind.QUESTION_APPROVED, {"question": qid})


def set_moderation(on: bool) -> Change:
    return Change(EventKind.MODERATION, {"on": on})


# -- action items and takeaways ---------------------------------------------------------------


def add_action(state: SessionState, text: str, owner: str | None, due: str) -> Change:
    """The owner chosen, else whoever is speaking, else nobody ("")."""
    owner = state.roster.find(owner) if owner else views.default_owner(state)
    data = {"text": clean_text(text), "owner": owner, "due": check_due(due)}
    return Change(EventKind.ACTION_ADDED, data)


def add_takeaway(state: SessionState, text: str, kind: str) -> Change:
    if kind not in TAKEAWAY_KINDS:
        raise DomainError(f"Unknown takeaway kind '{kind}'")
    data = {"item": state.timer_().item.id, "text": clean_text(text), "kind": kind}
    return Change(EventKind.TAKEAWAY_ADDED, data)


# -- flash mentoring ------------------------------------------------------------------------


def start_flash(state: SessionState, total_s: int | None) -> Change:
    """A flash item runs for its planned time; elsewhere the total must be given."""
    item = state.timer_().item
    if total_s is None:
        if item.kind != "flash":
            raise DomainError("Not a flash item: give the round's total time")
        total_s = item.planned_s
    from circle.domain.flash import plan_flash  # loaded with the first round

    mentees, mentors = views.flash_mentees(state), state.roster.mentors
    plan = plan_flash(total_s, mentees, mentors, state.changeover_s)
    return Change(EventKind.FLASH_STARTED, {"plan": plan.to_dict(), "item": item.id})


def advance_flash(state: SessionState, now: float) -> Change | None:
    """`f` in a running round; None for a second press within FLASH_DEBOUNCE_S of
    the round's last move, which would close a slot of no time at all."""
    moved = state.flash_moved_at
    if moved is not None and now - moved < FLASH_DEBOUNCE_S:
        return None
    return Change(EventKind.FLASH_ADVANCED, {})


def flash_note(state: SessionState, now: float, field: str, text: str, meeting: int) -> Change:
    """A topic or takeaway, for the round the flash run is in now."""
    if field not in FLASH_FIELDS:
        raise DomainError(f"Unknown flash field '{field}'")
    if not state.flash_runs:
        raise DomainError("No flash round to write in")
    round_index = state.flash_runs[-1].focus_round(state.active(now))
    data = {"round": round_index, "meeting": meeting, "field": field, "text": clean_text(text)}
    return Change(EventKind.FLASH_NOTE, data)


def set_flash_settings(changeover_s: int | None, order: list[str] | None) -> Change:
    data: dict[str, Any] = {}
    if changeover_s is not None:
        if not 0 <= changeover_s <= MAX_CHANGEOVER_S:
            raise DomainError(f"A changeover is 0 to {MAX_CHANGEOVER_S} seconds")
        data["changeover_s"] = changeover_s
    if order is not None:
        data["order"] = order
    return Change(EventKind.FLASH_SETTINGS, data)


# -- the pulse ----------------------------------------------------------------------------------


def open_pulse(open_: bool) -> Change:
    return Change(EventKind.PULSE_OPENED, {"open": open_})


def give_pulse(score: int | None, comment: str, source: str) -> Change:
    text = clean_text(comment, multiline=True)[:MAX_PULSE_COMMENT]
    return Change(EventKind.PULSE_GIVEN, {"score": score, "comment": text}, source)
