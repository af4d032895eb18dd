"""The kinds of event a session records: declared once, here.

Every change to a session is one event `{seq, kind, at, wall, source, data}`
in its log. The kind is stored as its plain string value, so a stored log
stays readable JSON; loading checks each kind against this enum.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

Event = dict[str, Any]


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


KNOWN_KINDS = frozenset(kind.value for kind in EventKind)
