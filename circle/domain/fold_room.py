"""How the room's events change the state: people, the question board, records.

Handlers validate first and change state only once nothing can fail, and
read time from the event, never from a clock.
"""

from __future__ import annotations

from circle.domain import rounds
from circle.domain.board import ActionItem, Question, Takeaway, check_text
from circle.domain.errors import DomainError
from circle.domain.events import Event
from circle.domain.goals import ACTION_DONE, ACTION_OPEN, check_action_status
from circle.domain.roster import ABSENT, LEFT, STATUSES
from circle.domain.state import SessionState

# -- people ----------------------------------------------------------------------


def attendance(state: SessionState, event: Event) -> None:
    data = event["data"]
    person, status = state.roster.find(data["person"]), data["status"]
    if status not in STATUSES:
        raise DomainError(f"Unknown attendance '{status}'")
    if status in (ABSENT, LEFT):
        rounds.leave_running_round(state, person)
        state.queue.drop_person(person, state.active(event["at"]))
    state.roster.attendance[person] = {"status": status, "wall": data.get("wall")}
    if status not in (ABSENT, LEFT):
        rounds.join_running_round(state, person, event["seq"])


def hand_raised(state: SessionState, event: Event) -> None:
    state.queue.raise_hand(state.here(event["data"]["person"]), event["seq"])


def hand_lowered(state: SessionState, event: Event) -> None:
    state.queue.lower_hand(state.roster.find(event["data"]["person"]))


def turn_started(state: SessionState, event: Event) -> None:
    data = event["data"]
    person, active = state.here(data["person"]), state.active(event["at"])
    if data.get("interjection") and state.queue.turn is not None:
        state.queue.interject(person, active)
    else:
        state.queue.start_turn(person, active, data.get("budget_s"))
        rounds.turn_started(state, person, data.get("budget_s"))


def turn_ended(state: SessionState, event: Event) -> None:
    state.queue.end_turn(state.active(event["at"]))


def round_skipped(state: SessionState, event: Event) -> None:
    state.queue.skip_in_round(state.roster.find(event["data"]["person"]))


def policy(state: SessionState, event: Event) -> None:
    state.queue.set_policy(event["data"]["policy"])


def name_claimed(state: SessionState, event: Event) -> None:
    data = event["data"]
    name = state.roster.find(data["name"])
    owner = state.name_owner.get(name)
    if owner is not None and owner != data["device"]:
        raise DomainError(f"{name} is already taken on another device")
    state.name_owner[name] = data["device"]


def name_released(state: SessionState, event: Event) -> None:
    name = state.roster.find(event["data"]["name"])
    if state.name_owner.pop(name, None) is None:
        raise DomainError(f"{name} is not taken by any device")


# -- the question board -------------------------------------------------------------


def question_added(state: SessionState, event: Event) -> None:
    data = event["data"]
    asker = state.roster.find(data["asker"]) if data.get("asker") else None
    source = data.get("source", "keyboard")
    state.board.add(Question(event["seq"], data["text"], asker, source))


def question_carried(state: SessionState, event: Event) -> None:
    data = event["data"]
    question = Question(
        event["seq"],
        data["text"],
        data.get("asker"),
        "carried",
        status="parked",
        carried_in=True,
    )
    state.board.add(question)


def question_voted(state: SessionState, event: Event) -> None:
    state.board.vote(event["data"]["question"], event["data"]["voter"])


def question_unvoted(state: SessionState, event: Event) -> None:
    state.board.unvote(event["data"]["question"], event["data"]["voter"])


def question_status(state: SessionState, event: Event) -> None:
    state.board.set_status(event["data"]["question"], event["data"]["status"])


def question_hidden(state: SessionState, event: Event) -> None:
    state.board.set_hidden(event["data"]["question"], True)


def question_unhidden(state: SessionState, event: Event) -> None:
    state.board.set_hidden(event["data"]["question"], False)


def question_approved(state: SessionState, event: Event) -> None:
    state.board.approve(event["data"]["question"])


def moderation(state: SessionState, event: Event) -> None:
    state.board.moderated = bool(event["data"]["on"])


# -- action items and takeaways -------------------------------------------------------


def action_added(state: SessionState, event: Event) -> None:
    data = event["data"]
    # No owner ("") when nobody was chosen and nobody was speaking.
    owner = state.roster.find(data["owner"]) if data.get("owner") else ""
    text = check_text(data["text"], "An action item")
    state.actions[event["seq"]] = ActionItem(event["seq"], text, owner, data.get("due", ""))


def action_carried(state: SessionState, event: Event) -> None:
    """An item still owed from the previous session, in the state it had there.

    Logs from before action items had states carry neither status nor key."""
    data = event["data"]
    state.actions[event["seq"]] = ActionItem(
        event["seq"],
        data["text"],
        data.get("owner", ""),
        data.get("due", ""),
        status=check_action_status(data.get("status", ACTION_OPEN)),
        carried_in=True,
        key=data.get("key"),
    )


def _action(state: SessionState, number: int) -> ActionItem:
    try:
        return state.actions[number]
    except KeyError:
        raise DomainError(f"No action item #{number}") from None


def action_done(state: SessionState, event: Event) -> None:
    """Ticked off or not: what logs recorded before action items had four states."""
    action = _action(state, event["data"]["action"])
    action.status = ACTION_DONE if event["data"]["done"] else ACTION_OPEN


def action_status(state: SessionState, event: Event) -> None:
    action = _action(state, event["data"]["action"])
    action.status = check_action_status(event["data"]["status"])


def takeaway_added(state: SessionState, event: Event) -> None:
    data = event["data"]
    state.timer_().index_of(data["item"])
    text = check_text(data["text"], "A takeaway")
    takeaway = Takeaway(event["seq"], data["item"], text, data.get("kind", "takeaway"))
    state.takeaways.append(takeaway)
