"""What a session knows at one point of its log: plain data, folded from events.

`SessionState` is changed only by the handlers of `circle.domain.fold`; the
few queries here need nothing but the state and a reading of the session
clock, so the fold, the commands and the views can all ask them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from circle.domain.board import ActionItem, QuestionBoard, Takeaway
from circle.domain.errors import DomainError
from circle.domain.goals import INITIATION, Goal
from circle.domain.roster import Roster
from circle.domain.speakers import SpeakerQueue
from circle.domain.timer import AgendaTimer

if TYPE_CHECKING:
    # Loaded with a session's first flash round: most sessions have none.
    from circle.domain.flashrun import FlashRun

RUNNING, ENDED = "running", "ended"
# What people write into a flash meeting's record.
FLASH_FIELDS = ("topic", "takeaway")


@dataclass(eq=False)  # states are compared through their views (state_dict), never directly
class SessionState:
    # the session
    title: str = ""
    series: str = ""
    join_code: str = ""
    started_wall: float = 0.0
    created_at: float = 0.0  # session clock when it was created
    status: str = RUNNING
    ended_at: float | None = None  # wall clock at the end
    ended_s: float | None = None  # session clock at the end
    blind: bool = False
    # the agenda
    timer: AgendaTimer | None = None
    agenda_title: str = ""
    planned_total_s: int = 0
    # people
    roster: Roster = field(default_factory=lambda: Roster([], []))
    queue: SpeakerQueue = field(default_factory=lambda: SpeakerQueue([]))
    name_owner: dict[str, str] = field(default_factory=dict)
    # the running round: who is in it, and its turns' budget (fixed by its first turn)
    round_members: list[str] = field(default_factory=list)
    round_budget_s: float | None = None
    # records
    board: QuestionBoard = field(default_factory=QuestionBoard)
    actions: dict[int, ActionItem] = field(default_factory=dict)
    takeaways: list[Takeaway] = field(default_factory=list)
    # flash mentoring
    flash_runs: list[FlashRun] = field(default_factory=list)
    flash_order: list[str] | None = None
    changeover_s: int = 30
    flash_moved_at: float | None = None  # session clock of the last start or `f`
    # the pulse
    pulse_open: bool = False
    pulse: list[dict] = field(default_factory=list)
    # pausing: time while paused counts for nothing
    paused_since: float | None = None
    paused_total: float = 0.0
    # goals and the programme: a new series starts in initiation
    goals: dict[int, Goal] = field(default_factory=dict)
    stage: str = INITIATION

    @property
    def paused(self) -> bool:
        return self.paused_since is not None

    @property
    def ended(self) -> bool:
        return self.status == ENDED

    def active(self, at: float) -> float:
        """Session seconds at `at` minus paused time: what every timer counts.

        An ended session's timers stopped at its end: later readings stay there.
        """
        if self.ended_s is not None:
            at = min(at, self.ended_s)
        paused = self.paused_total
        if self.paused_since is not None:
            paused += at - self.paused_since
        return at - paused

    def timer_(self) -> AgendaTimer:
        if self.timer is None:
            raise DomainError("The session has not been created")
        return self.timer

    def here(self, person: str) -> str:
        """The roster spelling of someone present or late; anyone else is refused."""
        person = self.roster.find(person)
        if not self.roster.is_here(person):
            raise DomainError(f"{person} is {self.roster.status(person)}")
        return person


T = TypeVar("T")


class StateField(Generic[T]):
    """A read-only attribute that is the folded state's own, on an object with
    a `folded` state (the `Session`): `title: StateField[str] = StateField()`."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> T:
        if obj is None:  # looked up on the class itself (help, introspection)
            return self  # type: ignore[return-value]
        return getattr(obj.folded, self.name)

    def __set__(self, obj: Any, value: T) -> None:
        raise AttributeError(f"{self.name} changes only by recording an event")
