"""The session's state folded from its events, by one table from kind to handler.

`apply(state, event)` changes the state by one event, or raises DomainError
and leaves it as it was. `fold(events)` is the state of a whole log: undone
events are left out, and an event that leaned on an undone one (a phone vote
on a question taken back) simply no longer applies. Nothing here knows the
`Session` or reads a clock, so the same log always gives the same state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from circle.domain import fold_agenda, fold_flash, fold_goals, fold_room
from circle.domain.errors import DomainError
from circle.domain.events import Event, EventKind
from circle.domain.state import SessionState

Handler = Callable[[SessionState, Event], None]

# Every kind but UNDO, which is no change of state: it names an event to leave out.
HANDLERS: dict[EventKind, Handler] = {
    # the session
    EventKind.CREATED: fold_agenda.created,
    EventKind.PAUSED: fold_agenda.paused,
    EventKind.RESUMED: fold_agenda.resumed,
    EventKind.ENDED: fold_agenda.ended,
    EventKind.BLIND: fold_agenda.blind,
    # the agenda
    EventKind.ITEM_CHANGED: fold_agenda.item_changed,
    EventKind.ITEM_EXTENDED: fold_agenda.item_extended,
    EventKind.ITEM_PLANNED: fold_agenda.item_planned,
    EventKind.ITEM_SKIPPED: fold_agenda.item_skipped,
    EventKind.ITEM_INSERTED: fold_agenda.item_inserted,
    EventKind.ITEM_MOVED: fold_agenda.item_moved,
    EventKind.REBALANCED: fold_agenda.rebalanced,
    # people
    EventKind.ATTENDANCE: fold_room.attendance,
    EventKind.HAND_RAISED: fold_room.hand_raised,
    EventKind.HAND_LOWERED: fold_room.hand_lowered,
    EventKind.TURN_STARTED: fold_room.turn_started,
    EventKind.TURN_ENDED: fold_room.turn_ended,
    EventKind.POLICY: fold_room.policy,
    EventKind.NAME_CLAIMED: fold_room.name_claimed,
    EventKind.NAME_RELEASED: fold_room.name_released,
    EventKind.ROUND_SKIPPED: fold_room.round_skipped,
    # the question board
    EventKind.QUESTION_ADDED: fold_room.question_added,
    EventKind.QUESTION_CARRIED: fold_room.question_carried,
    EventKind.QUESTION_VOTED: fold_room.question_voted,
    EventKind.QUESTION_UNVOTED: fold_room.question_unvoted,
    EventKind.QUESTION_STATUS: fold_room.question_status,
    EventKind.QUESTION_HIDDEN: fold_room.question_hidden,
    EventKind.QUESTION_UNHIDDEN: fold_room.question_unhidden,
    EventKind.QUESTION_APPROVED: fold_room.question_approved,
    EventKind.MODERATION: fold_room.moderation,
    # records
    EventKind.ACTION_ADDED: fold_room.action_added,
    EventKind.ACTION_CARRIED: fold_room.action_carried,
    EventKind.ACTION_DONE: fold_room.action_done,
    EventKind.TAKEAWAY_ADDED: fold_room.takeaway_added,
    # flash mentoring
    EventKind.FLASH_STARTED: fold_flash.flash_started,
    EventKind.FLASH_ADVANCED: fold_flash.flash_advanced,
    EventKind.FLASH_NOTE: fold_flash.flash_note,
    EventKind.FLASH_SETTINGS: fold_flash.flash_settings,
    # the pulse
    EventKind.PULSE_OPENED: fold_flash.pulse_opened,
    EventKind.PULSE_GIVEN: fold_flash.pulse_given,
    # goals and the programme
    EventKind.GOAL_ADDED: fold_goals.goal_added,
    EventKind.GOAL_CARRIED: fold_goals.goal_carried,
    EventKind.GOAL_STATUS: fold_goals.goal_status,
    EventKind.ACTION_STATUS: fold_room.action_status,
    EventKind.STAGE_SET: fold_goals.stage_set,
}


def apply(state: SessionState, event: Event) -> None:
    """Change `state` by one event; a refused event raises DomainError and changes nothing."""
    handler = HANDLERS.get(event["kind"])
    if handler is None:
        raise DomainError(f"Unknown event kind '{event['kind']}'")
    handler(state, event)


def undone_in(events: Iterable[Event]) -> set[int]:
    """The seqs that undo events took back."""
    return {e["data"]["target"] for e in events if e["kind"] == EventKind.UNDO}


def counts(event: Event, undone: set[int]) -> bool:
    """Whether an event changes the state: undo events and undone ones don't."""
    return event["kind"] != EventKind.UNDO and event["seq"] not in undone


def apply_if_it_still_can(state: SessionState, event: Event) -> None:
    """Replaying history: an event that no longer applies is passed over.

    Something it leaned on was undone (a phone vote on a question taken back).
    """
    # try/except, not contextlib.suppress: a resume replays 50,000 events, and
    # making a context manager for each cost a sixth of the replay.
    try:  # noqa: SIM105 - see above
        apply(state, event)
    except DomainError:
        pass


def fold(events: Iterable[Event]) -> SessionState:
    """The state after a whole log, from nothing, undo respected."""
    events = list(events)
    undone = undone_in(events)
    state = SessionState()
    for event in events:
        if counts(event, undone):
            apply_if_it_still_can(state, event)
    return state
