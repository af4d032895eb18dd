"""The running session: an event log and the state folded from it.

Every change is an event `{seq, kind, at, wall, source, data}`. `at` is the
session clock (seconds this session has been open, across restarts; time
while the program was down does not count). The state is rebuilt from the
events alone, which is how undo and resume work.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from circle.domain.agenda import Agenda
from circle.domain.board import ActionItem, Question, QuestionBoard, Takeaway
from circle.domain.clock import Clock, FakeClock
from circle.domain.errors import BadInput, DomainError
from circle.domain.roster import Roster
from circle.domain.session_apply import ApplyMixin
from circle.domain.session_commands import CommandsMixin
from circle.domain.session_views import ViewsMixin
from circle.domain.speakers import SpeakerQueue
from circle.domain.timer import AgendaTimer

if TYPE_CHECKING:
    from circle.domain.flashrun import FlashRun

Event = dict[str, Any]
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# Facilitator actions that `u` can take back. Pausing, the blind, the pulse
# and ending are left out: undoing them would rewrite time already shown.
UNDOABLE = frozenset(
    [
        "hand_raised",
        "hand_lowered",
        "turn_started",
        "turn_ended",
        "item_changed",
        "item_extended",
        "item_skipped",
        "item_inserted",
        "item_moved",
        "item_planned",
        "rebalanced",
        "question_added",
        "question_voted",
        "question_unvoted",
        "question_status",
        "question_hidden",
        "question_unhidden",
        "question_approved",
        "action_added",
        "action_done",
        "takeaway_added",
        "attendance",
        "flash_started",
        "flash_advanced",
        "flash_note",
        "policy",
        "name_released",
    ]
)


# The operating system's CSPRNG, which is what `secrets` uses too; importing
# `secrets` would also load hmac and OpenSSL, 3 ms of every start-up.
_SYSTEM_RANDOM = random.SystemRandom()


def new_join_code() -> str:
    return "".join(_SYSTEM_RANDOM.choice(CODE_ALPHABET) for _ in range(6))


class Session(ApplyMixin, CommandsMixin, ViewsMixin):
    def __init__(self, clock: Clock, base_s: float = 0.0) -> None:
        self.clock = clock
        self._mono0 = clock.monotonic()
        self._base = base_s
        self.events: list[Event] = []
        self.listeners: list[Callable[[Event], None]] = []
        self.version = 0
        self._reset()

    # -- construction ---------------------------------------------------
    @classmethod
    def create(
        cls,
        *,
        title: str,
        agenda: Agenda,
        mentors: list[str],
        mentees: list[str],
        clock: Clock,
        series: str | None = None,
        absent: tuple[str, ...] = (),
        carried_actions: tuple[dict, ...] = (),
        carried_questions: tuple[dict, ...] = (),
        join_code: str | None = None,
    ) -> Session:
        roster = Roster.build(mentors, mentees)
        title = " ".join(title.split())
        if not title:
            raise DomainError("A session needs a title")
        session = cls(clock)
        data = {
            "title": title,
            "series": (series or "").strip() or title,
            "mentors": roster.mentors,
            "mentees": roster.mentees,
            "agenda": agenda_to_data(agenda),
            "join_code": join_code or new_join_code(),
            "started_wall": clock.wall(),
        }
        session._record("created", data, source="system")
        for person in absent:
            session._record(
                "attendance", {"person": roster.find(person), "status": "absent"}, "system"
            )
        for action in carried_actions:
            session._record("action_carried", dict(action), source="system")
        for question in carried_questions:
            session._record("question_carried", dict(question), source="system")
        return session

    @classmethod
    def restore(cls, events: list[Event], clock: Clock, session_s: float = 0.0) -> Session:
        """Rebuild a session from its events; its clock resumes at `session_s`."""
        last = events[-1]["at"] if events else 0.0
        session = cls(clock, base_s=max(session_s, last))
        session.events = list(events)
        session._rebuild()
        return session

    def _reset(self) -> None:
        self.title = ""
        self.series = ""
        self.join_code = ""
        self.started_wall = 0.0
        self.status = "running"
        self.ended_at: float | None = None
        self.roster = Roster([], [])
        self.timer: AgendaTimer | None = None
        self.agenda_title = ""
        self.planned_total_s = 0
        self.queue = SpeakerQueue([])
        self.board = QuestionBoard()
        self.actions: dict[int, ActionItem] = {}
        self.takeaways: list[Takeaway] = []
        self.flash_runs: list[FlashRun] = []
        self.flash_order: list[str] | None = None
        self.changeover_s = 30
        self.pulse_open = False
        self.pulse: list[dict] = []
        self.blind = False
        self.name_owner: dict[str, str] = {}
        self._paused_since: float | None = None
        self._paused_total = 0.0
        self._undone: set[int] = set()

    # -- time -----------------------------------------------------------
    def now(self) -> float:
        """The session clock: seconds the session has been open."""
        return self._base + self.clock.monotonic() - self._mono0

    def active(self, at: float | None = None) -> float:
        """Session seconds minus paused time: what every timer counts."""
        at = self.now() if at is None else at
        paused = self._paused_total
        if self._paused_since is not None:
            paused += at - self._paused_since
        return at - paused

    @property
    def paused(self) -> bool:
        return self._paused_since is not None

    @property
    def ended(self) -> bool:
        return self.status == "ended"

    # -- recording ------------------------------------------------------
    @property
    def last_seq(self) -> int:
        return self.events[-1]["seq"] if self.events else 0

    def _record(self, kind: str, data: dict, source: str = "facilitator") -> Event:
        if self.ended and kind not in ("pulse_given", "pulse_opened", "action_done"):
            raise DomainError("The session has ended")
        event = {
            "seq": self.last_seq + 1,
            "kind": kind,
            "at": round(self.now(), 3),
            "wall": round(self.clock.wall(), 3),
            "source": source,
            "data": data,
        }
        self._apply(event)  # raises DomainError and leaves the state as it was
        self.events.append(event)
        self._changed(event)
        return event

    def _changed(self, event: Event) -> None:
        self.version += 1
        for listener in self.listeners:
            listener(event)

    def _rebuild(self) -> None:
        """Fold every event that still counts, from nothing."""
        self._reset()
        self._undone = {e["data"]["target"] for e in self.events if e["kind"] == "undo"}
        for event in self.events:
            if event["kind"] == "undo" or event["seq"] in self._undone:
                continue
            try:
                self._apply(event)
            except DomainError:
                # A later event that leaned on an undone one (a phone vote on
                # a question taken back) simply no longer applies.
                continue

    # -- undo -----------------------------------------------------------
    def undo(self) -> str:
        """Take back the last facilitator action; returns what was undone."""
        if self.ended:
            raise DomainError("The session has ended")
        target = self._last_undoable()
        if target is None:
            raise DomainError("Nothing to undo")
        what = describe(target, self)
        event = {
            "seq": self.last_seq + 1,
            "kind": "undo",
            "at": round(self.now(), 3),
            "wall": round(self.clock.wall(), 3),
            "source": "facilitator",
            "data": {"target": target["seq"], "what": what},
        }
        self.events.append(event)
        self._rebuild()
        self._changed(event)
        return what

    def _last_undoable(self) -> Event | None:
        for event in reversed(self.events):
            if (
                event["kind"] in UNDOABLE
                and event["source"] == "facilitator"
                and event["seq"] not in self._undone
            ):
                return event
        return None


def describe(event: Event, session: Session) -> str:
    """A short phrase for the notice after undo."""
    data, kind = event["data"], event["kind"]
    phrases = {
        "hand_raised": lambda: f"{data['person']}'s hand raised",
        "hand_lowered": lambda: f"{data['person']}'s hand lowered",
        "turn_started": lambda: f"{data['person']}'s turn",
        "turn_ended": lambda: "the end of a turn",
        "item_changed": lambda: "the move to another agenda item",
        "item_extended": lambda: "the change of the item's time",
        "question_added": lambda: "the new question",
        "question_voted": lambda: "a vote",
        "question_unvoted": lambda: "a vote taken back",
        "question_status": lambda: f"question marked {data['status']}",
        "question_hidden": lambda: "a hidden question",
        "action_added": lambda: "the new action item",
        "takeaway_added": lambda: "the new takeaway",
        "attendance": lambda: f"{data['person']} marked {data['status']}",
        "rebalanced": lambda: "the rebalance",
    }
    return phrases.get(kind, lambda: kind.replace("_", " "))()


def session_at_rest(events: list[Event], clock_record: dict | None) -> Session:
    """A stored session rebuilt with time frozen at its last saved moment.

    What minutes, carry-over and checks of storage read: the same stored
    session always gives the same state.
    """
    if not events:
        raise BadInput("The session has no events")
    record = clock_record or {}
    session_s = float(record.get("session_s", events[-1]["at"]))
    wall = float(record.get("wall", events[-1]["wall"]))
    return Session.restore(events, FakeClock(monotonic=0.0, wall=wall), session_s)


def agenda_to_data(agenda: Agenda) -> dict:
    return {
        "title": agenda.title,
        "intro": agenda.intro,
        "source": agenda.source,
        "items": [
            {"title": i.title, "planned_s": i.planned_s, "kind": i.kind, "notes": i.notes}
            for i in agenda.items
        ],
    }


__all__ = ["Session", "Event", "UNDOABLE", "Question", "new_join_code", "session_at_rest"]
