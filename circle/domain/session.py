"""The running session: a clock, an event log, and the state folded from it.

Every change is an event `{seq, kind, at, wall, source, data}`. `at` is the
session clock (seconds this session has been open, across restarts; time
while the program was down does not count). The state is folded from the
events alone (`circle.domain.fold`), which is how undo and resume work.

The parts, each usable alone:
- `commands`: what may be asked, decided on the state, as one `Change`;
- `History`: the log, the folded state, undo (fast, from snapshots);
- `views`: typed rows read from the state at a moment.
`Session` joins them to a clock: it stamps each change with the time,
records it, and tells its listeners.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from circle.domain import commands, views
from circle.domain.agenda import Agenda
from circle.domain.board import ActionItem, Question, QuestionBoard, Takeaway
from circle.domain.clock import Clock, FakeClock
from circle.domain.commands import Change, agenda_to_data, new_join_code
from circle.domain.errors import BadInput, DomainError
from circle.domain.events import (
    AFTER_END,
    FACILITATOR,
    SYSTEM,
    UNDOABLE,
    Event,
    EventKind,
    undo_phrase,
)
from circle.domain.history import History
from circle.domain.roster import Roster
from circle.domain.session_goals import GoalsMixin
from circle.domain.session_views import SessionViews
from circle.domain.speakers import SpeakerQueue
from circle.domain.state import SessionState, StateField
from circle.domain.text import check_storable_data
from circle.domain.timer import AgendaTimer

if TYPE_CHECKING:
    from circle.domain.flashrun import FlashRun


SESSION_ENDED = "The session has ended"


class Session(SessionViews, GoalsMixin):
    """One session as it runs: commands in, events recorded, views out."""

    def __init__(self, clock: Clock, base_s: float = 0.0, history: History | None = None) -> None:
        self.clock = clock
        self._mono0 = clock.monotonic()
        self._base = base_s
        self.history = history or History()
        self.listeners: list[Callable[[Event], None]] = []
        self.version = 0

    # -- construction -------------------------------------------------------------------
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
        carried_goals: tuple[dict, ...] = (),
        stage: str | None = None,
    ) -> Session:
        changes = commands.open_session(
            title=title,
            agenda=agenda,
            mentors=mentors,
            mentees=mentees,
            wall=clock.wall(),
            series=series,
            absent=absent,
            carried_actions=carried_actions,
            carried_questions=carried_questions,
            join_code=join_code,
            carried_goals=carried_goals,
            stage=stage,
        )
        session = cls(clock)
        for change in changes:
            session._apply(change)
        return session

    @classmethod
    def restore(
        cls, events: list[Event], clock: Clock, session_s: float = 0.0, *, snapshots: bool = True
    ) -> Session:
        """Rebuild a session from its events; its clock resumes at `session_s`.

        `snapshots=False`, for a session only read, skips what makes undo fast."""
        last = events[-1]["at"] if events else 0.0
        history = History.of(events, snapshots=snapshots)
        return cls(clock, base_s=max(session_s, last), history=history)

    # -- the log and the state ------------------------------------------------------------
    @property
    def events(self) -> list[Event]:
        return self.history.events

    @property
    def folded(self) -> SessionState:
        """The state folded from the log: what `circle.domain.views` read."""
        return self.history.state

    def state(self) -> dict:
        """Everything the session knows, derived now: what a rebuild must reproduce."""
        return views.state_dict(self.folded, self.now())

    @property
    def last_seq(self) -> int:
        return self.history.last_seq

    # -- time ------------------------------------------------------------------------------
    def now(self) -> float:
        """The session clock: seconds the session has been open."""
        return self._base + self.clock.monotonic() - self._mono0

    def active(self, at: float | None = None) -> float:
        """Session seconds minus paused time: what every timer counts."""
        return self.folded.active(self.now() if at is None else at)

    @property
    def paused(self) -> bool:
        return self.folded.paused

    @property
    def ended(self) -> bool:
        """After `x`: keys that would change the session are refused before any
        dialog opens (`ensure_open`); export, views and quitting still work."""
        return self.folded.ended

    def ensure_open(self) -> None:
        """Raise DomainError("The session has ended") once it has."""
        if self.ended:
            raise DomainError(SESSION_ENDED)

    def pause_on_resume(self) -> Event | None:
        """A session opened again comes back paused, whatever it was: nothing runs
        on before the facilitator says so. Called once its listeners (the saving)
        are attached; an ended or already paused session records nothing."""
        if self.ended or self.paused:
            return None
        return self._record(EventKind.PAUSED, {}, SYSTEM)

    # -- recording ------------------------------------------------------------------------
    def _event(self, kind: EventKind, data: dict, source: str) -> Event:
        return {
            "seq": self.last_seq + 1,
            "kind": EventKind(kind).value,  # stored as its plain string
            "at": round(self.now(), 3),
            "wall": round(self.clock.wall(), 3),
            "source": source,
            "data": data,
        }

    def _record(self, kind: EventKind, data: dict, source: str = FACILITATOR) -> Event:
        """Fold one event and log it: a refused one raises DomainError, unlogged."""
        if self.ended and kind not in AFTER_END:
            raise DomainError(SESSION_ENDED)
        check_storable_data(data)
        event = self._event(kind, data, source)
        self.history.record(event)
        self._changed(event)
        return event

    def _do(self, command: Callable[..., Change], *args: Any) -> Event:
        """Decide on a command and record its change. An ended session refuses it
        first, whatever else the command would answer (an empty queue, say)."""
        self.ensure_open()
        return self._apply(command(*args))

    def _apply(self, change: Change) -> Event:
        return self._record(change.kind, change.data, change.source)

    def _changed(self, event: Event) -> None:
        self.version += 1
        for listener in self.listeners:
            listener(event)

    # -- undo --------------------------------------------------------------------------------
    def undo(self) -> str:
        """Take back the last facilitator action; returns what was undone."""
        self.ensure_open()
        target = self.history.last_undoable()
        if target is None:
            raise DomainError("Nothing to undo")
        what = undo_phrase(target)
        event = self._event(EventKind.UNDO, {"target": target["seq"], "what": what}, FACILITATOR)
        self.history.take_back(event)
        self._changed(event)
        return what

    # -- a copy that follows another --------------------------------------------------------
    def follow(self, event: Event) -> None:
        """Fold an event another copy of this session recorded (the join page's
        process follows the console's), exactly as that copy folded it."""
        if event["kind"] == EventKind.UNDO.value:
            self.history.take_back(event)
        else:
            self.history.record(event)
        self._changed(event)

    # -- the state, read-only ---------------------------------------------------------------
    title: StateField[str] = StateField()
    series: StateField[str] = StateField()
    join_code: StateField[str] = StateField()
    started_wall: StateField[float] = StateField()
    status: StateField[str] = StateField()
    ended_at: StateField[float | None] = StateField()
    blind: StateField[bool] = StateField()
    timer: StateField[AgendaTimer | None] = StateField()
    agenda_title: StateField[str] = StateField()
    planned_total_s: StateField[int] = StateField()
    roster: StateField[Roster] = StateField()
    queue: StateField[SpeakerQueue] = StateField()
    name_owner: StateField[dict[str, str]] = StateField()
    board: StateField[QuestionBoard] = StateField()
    actions: StateField[dict[int, ActionItem]] = StateField()
    takeaways: StateField[list[Takeaway]] = StateField()
    flash_runs: StateField[list[FlashRun]] = StateField()
    flash_order: StateField[list[str] | None] = StateField()
    changeover_s: StateField[int] = StateField()
    pulse_open: StateField[bool] = StateField()
    pulse: StateField[list[dict]] = StateField()

    def timer_(self) -> AgendaTimer:
        return self.folded.timer_()

    # -- commands: the agenda -------------------------------------------------------------
    def toggle_pause(self) -> bool:
        """Pause or resume; returns whether the session is now paused."""
        self._do(commands.toggle_pause, self.folded)
        return self.paused

    def next_item(self) -> Event:
        return self._do(commands.next_item, self.folded)

    def previous_item(self) -> Event:
        return self._do(commands.previous_item, self.folded)

    def extend(self, by_s: int = 60) -> Event:
        return self._do(commands.extend, by_s)

    def set_planned(self, item_id: int, planned_s: int) -> Event:
        return self._do(commands.set_planned, item_id, planned_s)

    def skip_item(self, item_id: int) -> Event:
        return self._do(commands.skip_item, item_id)

    def insert_item(self, title: str, planned_s: int, kind: str = "discussion") -> Event:
        return self._do(commands.insert_item, title, planned_s, kind)

    def move_item(self, item_id: int, offset: int) -> Event:
        return self._do(commands.move_item, item_id, offset)

    def rebalance(self) -> Event:
        return self._do(commands.rebalance, self.folded, self.now())

    def end_session(self) -> Event:
        return self._do(commands.end_session)

    def set_blind(self, on: bool) -> Event:
        return self._apply(commands.set_blind(on))

    # -- commands: people -----------------------------------------------------------------
    def set_attendance(self, person: str, status: str, wall: float | None = None) -> Event:
        wall = self.clock.wall() if wall is None else wall
        return self._do(commands.set_attendance, self.folded, person, status, wall)

    def toggle_hand(self, person: str) -> Event:
        return self._do(commands.toggle_hand, self.folded, person)

    def set_hand(self, person: str, up: bool, source: str = FACILITATOR) -> Event | None:
        self.ensure_open()
        change = commands.set_hand(self.folded, person, up, source)
        return None if change is None else self._apply(change)

    def skip_in_round(self, person: str) -> Event:
        """The palette's "Skip in this round": out of the round's queue (undoable)."""
        return self._do(commands.skip_in_round, self.folded, person)

    def next_speaker(self) -> Event:
        return self._do(commands.next_speaker, self.folded, self.now())

    def start_turn(self, person: str) -> Event:
        return self._do(commands.start_turn, self.folded, person)

    def mentor_turn(self, index: int | None = None) -> Event:
        """`index` names a mentor (the palette); None is the key `0`."""
        return self._do(commands.mentor_turn, self.folded, index)

    def end_turn(self) -> Event:
        return self._do(commands.end_turn, self.folded)

    def set_policy(self, policy: str) -> Event:
        return self._do(commands.set_policy, policy)

    def claim_name(self, name: str, device: str) -> str:
        name, change = commands.claim_name(self.folded, name, device)
        if change is not None:
            self._apply(change)
        return name

    def release_name(self, name: str) -> Event:
        return self._do(commands.release_name, self.folded, name)

    # -- commands: the board and the records ------------------------------------------------
    def add_question(self, text: str, asker: str | None = None, source: str = "keyboard") -> Event:
        return self._do(commands.add_question, self.folded, text, asker, source)

    def vote(self, qid: int, voter: str | None = None) -> Event:
        return self._do(commands.vote, qid, voter, self.last_seq + 1)

    def unvote(self, qid: int, voter: str) -> Event:
        return self._do(commands.unvote, qid, voter)

    def toggle_status(self, qid: int, status: str) -> Event:
        return self._do(commands.toggle_status, self.folded, qid, status)

    def hide_question(self, qid: int) -> Event:
        return self._do(commands.hide_question, qid)

    def unhide_question(self, qid: int) -> Event:
        return self._do(commands.unhide_question, qid)

    def approve_question(self, qid: int) -> Event:
        return self._do(commands.approve_question, qid)

    def set_moderation(self, on: bool) -> Event:
        return self._do(commands.set_moderation, on)

    def add_action(self, text: str, owner: str | None = None, due: str = "") -> Event:
        return self._do(commands.add_action, self.folded, text, owner, due)

    def add_takeaway(self, text: str, kind: str = "takeaway") -> Event:
        return self._do(commands.add_takeaway, self.folded, text, kind)

    # -- commands: flash mentoring and the pulse ---------------------------------------------
    def start_flash(self, total_s: int | None = None) -> Event:
        return self._do(commands.start_flash, self.folded, total_s)

    def advance_flash(self) -> Event | None:
        """`f` in a running flash round; a second press within a second of the
        round's last move is ignored (None): it would close a slot of no time."""
        self.ensure_open()
        change = commands.advance_flash(self.folded, self.now())
        return None if change is None else self._apply(change)

    def flash_note(self, field: str, text: str, meeting: int = 0) -> Event:
        return self._do(commands.flash_note, self.folded, self.now(), field, text, meeting)

    def set_flash_settings(
        self, changeover_s: int | None = None, order: list[str] | None = None
    ) -> Event:
        return self._do(commands.set_flash_settings, changeover_s, order)

    def open_pulse(self, open_: bool = True) -> Event:
        return self._apply(commands.open_pulse(open_))

    def give_pulse(self, score: int | None, comment: str = "", source: str = FACILITATOR) -> Event:
        return self._apply(commands.give_pulse(score, comment, source))


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
    clock = FakeClock(monotonic=0.0, wall=wall)
    return Session.restore(events, clock, session_s, snapshots=False)


__all__ = [
    "UNDOABLE",
    "Event",
    "Question",
    "Session",
    "agenda_to_data",
    "new_join_code",
    "session_at_rest",
]
