"""Turn-taking: raised hands, who speaks, and speaking time per person.

Durations are in active seconds (paused time excluded), derived from the
readings passed in; the order of the queue is derived, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from circle.domain.errors import DomainError

PROGRESSIVE = "progressive"
FCFS = "fcfs"
POLICIES = {PROGRESSIVE: "progressive stack", FCFS: "first come, first served"}


class Hand(NamedTuple):
    person: str
    raised: int  # the seq of the event that raised it: orders ties
    in_round: bool = False


class Turn(NamedTuple):
    person: str
    started_active: float
    budget_s: float | None = None
    # Time this turn ran before a mentor's interjection paused it: handing the
    # floor back goes on from there, the budget unchanged.
    before_s: float = 0.0


@dataclass
class SpeakerQueue:
    people: list[str]
    policy: str = PROGRESSIVE
    hands: list[Hand] = field(default_factory=list)
    turn: Turn | None = None
    # A mentee's turn paused while a mentor interjects, kept to hand back.
    interrupted: Turn | None = None
    spoken_s: dict[str, float] = field(default_factory=dict)
    turns: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for person in self.people:
            self.spoken_s.setdefault(person, 0.0)
            self.turns.setdefault(person, 0)

    # -- queries -------------------------------------------------------
    def speaking_time(self, person: str, active_now: float) -> float:
        spent = self.spoken_s[person]
        if self.turn and self.turn.person == person:
            spent += active_now - self.turn.started_active
        return spent

    def turn_time(self, active_now: float) -> float:
        if self.turn is None:
            return 0.0
        return self.turn.before_s + active_now - self.turn.started_active

    def has_spoken(self, person: str) -> bool:
        return self.turns[person] > 0

    def is_raised(self, person: str) -> bool:
        return any(h.person == person for h in self.hands)

    def waits_in_round(self, person: str) -> bool:
        return any(h.person == person and h.in_round for h in self.hands)

    def order(self, active_now: float) -> list[Hand]:
        """Round hands first, in roster order; then hands by the policy."""
        in_round = [h for h in self.hands if h.in_round]
        others = [h for h in self.hands if not h.in_round]
        if self.policy == PROGRESSIVE:
            others.sort(
                key=lambda h: (round(self.speaking_time(h.person, active_now), 3), h.raised)
            )
        else:
            others.sort(key=lambda h: h.raised)
        return in_round + others

    # -- changes -------------------------------------------------------
    def raise_hand(self, person: str, seq: int, in_round: bool = False) -> None:
        if self.is_raised(person):
            raise DomainError(f"{person}'s hand is already up")
        self.hands.append(Hand(person, seq, in_round))

    def lower_hand(self, person: str) -> None:
        if not self.is_raised(person):
            raise DomainError(f"{person}'s hand is not up")
        self.hands = [h for h in self.hands if h.person != person]

    def skip_in_round(self, person: str) -> None:
        if not self.waits_in_round(person):
            raise DomainError(f"{person} is not waiting in this round")
        self.hands = [h for h in self.hands if h.person != person]

    def join_round(self, person: str, seq: int) -> None:
        """A place at the round's end (a hand already up becomes that place)."""
        self.hands = [h for h in self.hands if h.person != person]
        self.hands.append(Hand(person, seq, in_round=True))

    def drop_round(self) -> None:
        """Leaving a round: the round's places go, hands raised by people stay."""
        self.hands = [h for h in self.hands if not h.in_round]

    def start_turn(self, person: str, active_now: float, budget_s: float | None = None) -> None:
        """A new turn: whoever speaks stops, and a turn paused by an interjection ends too."""
        self.stop(active_now)
        self.hands = [h for h in self.hands if h.person != person]
        self.turn = Turn(person, active_now, budget_s)
        self.turns[person] += 1

    def interject(self, person: str, active_now: float) -> None:
        """A mentor speaks during someone's turn: that turn pauses, kept to hand back.

        A second mentor taking over an interjection keeps the same turn paused.
        """
        if self.turn is None:
            raise DomainError("Nobody is speaking")
        if self.interrupted is None:
            paused = self.turn._replace(before_s=self.turn_time(active_now))
            self._close(active_now)
            self.interrupted = paused
        else:
            self._close(active_now)
        self.hands = [h for h in self.hands if h.person != person]
        self.turn = Turn(person, active_now)
        self.turns[person] += 1

    def end_turn(self, active_now: float) -> None:
        """The speaker is done; a turn an interjection paused gets the floor back."""
        if self.turn is None:
            raise DomainError("Nobody is speaking")
        self._close(active_now)
        if self.interrupted is not None:
            self.turn = self.interrupted._replace(started_active=active_now)
            self.interrupted = None

    def stop(self, active_now: float) -> None:
        """Nobody speaks any more, and no paused turn waits (a new turn, the end)."""
        self._close(active_now)
        self.interrupted = None

    def drop_person(self, person: str, active_now: float) -> None:
        """Someone leaves the room: their hand, their paused turn, their turn."""
        self.hands = [h for h in self.hands if h.person != person]
        if self.interrupted is not None and self.interrupted.person == person:
            self.interrupted = None
        if self.turn is not None and self.turn.person == person:
            self.end_turn(active_now)

    def _close(self, active_now: float) -> None:
        if self.turn is not None:
            self.spoken_s[self.turn.person] += active_now - self.turn.started_active
            self.turn = None

    def head(self, active_now: float) -> Hand:
        order = self.order(active_now)
        if not order:
            raise DomainError("Nobody is in the queue")
        return order[0]

    def set_policy(self, policy: str) -> None:
        if policy not in POLICIES:
            raise DomainError(f"Unknown queue policy '{policy}'")
        self.policy = policy
