"""The kinds of event a session records: declared once, here.

Every change to a session is one event `{seq, kind, at, wall, source, data}`
in its log. The kind is stored as its plain string value, so a stored log
stays readable JSON; loading checks each kind against this enum.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

Event = dict[str, Any]

# Who an event came from: its `source`. Undo takes back only the facilitator's.
FACILITATOR, PHONE, SYSTEM = "facilitator", "phone", "system"


class EventKind(StrEnum):
    # the session
    CREATED = "created"
    PAUSED = "paused"
    RESUMED = "resumed"
    ENDED = "ended"
    BLIND = "blind"
    UNDO = "undo"
    # the agenda
    ITEM_CHANGED = "item_changed"
    ITEM_EXTENDED = "item_extended"
    ITEM_PLANNED = "item_planned"
    ITEM_SKIPPED = "item_skipped"
    ITEM_INSERTED = "item_inserted"
    ITEM_MOVED = "item_moved"
    REBALANCED = "rebalanced"
    # people
    ATTENDANCE = "attendance"
    HAND_RAISED = "hand_raised"
    HAND_LOWERED = "hand_lowered"
    TURN_STARTED = "turn_started"
    TURN_ENDED = "turn_ended"
    POLICY = "policy"
    NAME_CLAIMED = "name_claimed"
    NAME_RELEASED = "name_released"
    ROUND_SKIPPED = "round_skipped"
    # the question board
    QUESTION_ADDED = "question_added"
    QUESTION_CARRIED = "question_carried"
    QUESTION_VOTED = "question_voted"
    QUESTION_UNVOTED = "question_unvoted"
    QUESTION_STATUS = "question_status"
    QUESTION_HIDDEN = "question_hidden"
    QUESTION_UNHIDDEN = "question_unhidden"
    QUESTION_APPROVED = "question_approved"
    MODERATION = "moderation"
    # records
    ACTION_ADDED = "action_added"
    ACTION_CARRIED = "action_carried"
    ACTION_DONE = "action_done"
    TAKEAWAY_ADDED = "takeaway_added"
    # flash mentoring
    FLASH_STARTED = "flash_started"
    FLASH_ADVANCED = "flash_advanced"
    FLASH_NOTE = "flash_note"
    FLASH_SETTINGS = "flash_settings"
    # the pulse
    PULSE_OPENED = "pulse_opened"
    PULSE_GIVEN = "pulse_given"
    # goals and the programme
    GOAL_ADDED = "goal_added"
    GOAL_CARRIED = "goal_carried"
    GOAL_STATUS = "goal_status"
    ACTION_STATUS = "action_status"
    STAGE_SET = "stage_set"


KNOWN_KINDS = frozenset(kind.value for kind in EventKind)

# Facilitator actions that `u` can take back. Pausing, the blind, the pulse
# and ending are left out: undoing them would rewrite time already shown.
UNDOABLE = frozenset(
    [
        EventKind.HAND_RAISED,
        EventKind.HAND_LOWERED,
        EventKind.TURN_STARTED,
        EventKind.TURN_ENDED,
        EventKind.ITEM_CHANGED,
        EventKind.ITEM_EXTENDED,
        EventKind.ITEM_SKIPPED,
        EventKind.ITEM_INSERTED,
        EventKind.ITEM_MOVED,
        EventKind.ITEM_PLANNED,
        EventKind.REBALANCED,
        EventKind.QUESTION_ADDED,
        EventKind.QUESTION_VOTED,
        EventKind.QUESTION_UNVOTED,
        EventKind.QUESTION_STATUS,
        EventKind.QUESTION_HIDDEN,
        EventKind.QUESTION_UNHIDDEN,
        EventKind.QUESTION_APPROVED,
        EventKind.ACTION_ADDED,
        EventKind.ACTION_DONE,
        EventKind.TAKEAWAY_ADDED,
        EventKind.ATTENDANCE,
        EventKind.FLASH_STARTED,
        EventKind.FLASH_ADVANCED,
        EventKind.FLASH_NOTE,
        EventKind.POLICY,
        EventKind.NAME_RELEASED,
        EventKind.ROUND_SKIPPED,
        EventKind.GOAL_ADDED,
        EventKind.GOAL_STATUS,
        EventKind.ACTION_STATUS,
        EventKind.STAGE_SET,
    ]
)

# What an ended session still records: the pulse is given after `x`, an
# action item can be ticked off (or given another state) while the minutes
# are being read, and the blind must still hide the screen if someone's words
# are on it. A goal's progress and the relationship's stage are about the
# series, not the room's timing, so they too may be written down after `x`.
AFTER_END = frozenset(
    [
        EventKind.PULSE_GIVEN,
        EventKind.PULSE_OPENED,
        EventKind.ACTION_DONE,
        EventKind.BLIND,
        EventKind.ACTION_STATUS,
        EventKind.GOAL_STATUS,
        EventKind.STAGE_SET,
    ]
)

_UNDO_PHRASES = {
    EventKind.HAND_RAISED: "{person}'s hand raised",
    EventKind.HAND_LOWERED: "{person}'s hand lowered",
    EventKind.TURN_STARTED: "{person}'s turn",
    EventKind.TURN_ENDED: "the end of a turn",
    EventKind.ITEM_CHANGED: "the move to another agenda item",
    EventKind.ITEM_EXTENDED: "the change of the item's time",
    EventKind.QUESTION_ADDED: "the new question",
    EventKind.QUESTION_VOTED: "a vote",
    EventKind.QUESTION_UNVOTED: "a vote taken back",
    EventKind.QUESTION_STATUS: "question marked {status}",
    EventKind.QUESTION_HIDDEN: "a hidden question",
    EventKind.ACTION_ADDED: "the new action item",
    EventKind.TAKEAWAY_ADDED: "the new takeaway",
    EventKind.ATTENDANCE: "{person} marked {status}",
    EventKind.ROUND_SKIPPED: "{person} skipped in this round",
    EventKind.REBALANCED: "the rebalance",
    EventKind.GOAL_ADDED: "the new goal",
    EventKind.GOAL_STATUS: "goal marked {status}",
    EventKind.ACTION_STATUS: "action item marked {status}",
    EventKind.STAGE_SET: "the stage set to {stage}",
}


def undo_phrase(event: Event) -> str:
    """A short phrase for the notice after undo: "Undone: Mira's hand raised"."""
    if event["kind"] == EventKind.TURN_STARTED and event["data"].get("interjection"):
        return "{person}'s interjection".format(**event["data"])
    phrase = _UNDO_PHRASES.get(event["kind"])
    if phrase is None:
        return str(event["kind"]).replace("_", " ")
    return phrase.format(**event["data"])
