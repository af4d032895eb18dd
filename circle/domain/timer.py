"""The agenda timer: which item is current, and how long each has run.

All durations are kept as accumulated *active* seconds (session time minus
paused time), derived from clock readings; nothing counts ticks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from circle.domain.agenda import KINDS, MAX_ITEM_S
from circle.domain.durations import duration_text
from circle.domain.errors import DomainError

MIN_ITEM_S = 60


@dataclass
class ItemRun:
    """One agenda item as it is being run (planned time may change live)."""

    id: int
    title: str
    kind: str
    planned_s: int
    notes: str = ""
    original_s: int = 0
    elapsed_s: float = 0.0
    skipped: bool = False
    inserted: bool = False
    visited: bool = False
    everyone: bool = False  # a `[round all]`: the mentors take a turn too


class TimerView(NamedTuple):
    """What the countdown shows, derived at one moment."""

    elapsed_s: float
    remaining_s: float
    planned_s: int
    warning: bool
    over: bool

    @property
    def overrun_s(self) -> float:
        return max(0.0, -self.remaining_s)


def warning_threshold(planned_s: float) -> float:
    """Warn at 20 % or 1 minute left, whichever comes first (the larger)."""
    return max(planned_s * 0.2, 60.0)


class AgendaTimer:
    def __init__(self, items: list[ItemRun]) -> None:
        if not items:
            raise DomainError("An agenda needs at least one item")
        self.items = items
        self.current = 0
        self._entered_active = 0.0
        self.items[0].visited = True

    # -- queries -------------------------------------------------------
    @property
    def item(self) -> ItemRun:
        return self.items[self.current]

    def index_of(self, item_id: int) -> int:
        for index, item in enumerate(self.items):
            if item.id == item_id:
                return index
        raise DomainError(f"No agenda item with id {item_id}")

    def elapsed(self, item: ItemRun, active_now: float) -> float:
        if item is self.item:
            return item.elapsed_s + (active_now - self._entered_active)
        return item.elapsed_s

    def view(self, active_now: float) -> TimerView:
        item = self.item
        elapsed = self.elapsed(item, active_now)
        remaining = item.planned_s - elapsed
        return TimerView(
            elapsed_s=elapsed,
            remaining_s=remaining,
            planned_s=item.planned_s,
            warning=0 <= remaining <= warning_threshold(item.planned_s),
            over=remaining < 0,
        )

    def upcoming(self) -> list[ItemRun]:
        return [i for i in self.items[self.current + 1 :] if not i.skipped]

    def remaining_forecast(self, active_now: float) -> float:
        """Seconds until the agenda ends if every item from now keeps to plan."""
        current = max(0.0, self.view(active_now).remaining_s)
        return current + sum(i.planned_s for i in self.upcoming())

    def status_of(self, item: ItemRun) -> str:
        index = self.items.index(item)
        if item.skipped:
            return "skipped"
        if index == self.current:
            return "current"
        if index < self.current:
            return "done" if item.visited else "missed"
        return "next" if item is (self.upcoming() or [None])[0] else "upcoming"

    # -- navigation ----------------------------------------------------
    def _leave(self, active_now: float) -> None:
        self.item.elapsed_s += active_now - self._entered_active

    def _enter(self, index: int, active_now: float) -> None:
        self.current = index
        self._entered_active = active_now
        self.item.visited = True

    def next_index(self) -> int | None:
        for index in range(self.current + 1, len(self.items)):
            if not self.items[index].skipped:
                return index
        return None

    def previous_index(self) -> int | None:
        for index in range(self.current - 1, -1, -1):
            if not self.items[index].skipped:
                return index
        return None

    def go_to(self, index: int, active_now: float) -> None:
        self._leave(active_now)
        self._enter(index, active_now)

    # -- live edits ----------------------------------------------------
    def set_planned(self, item_id: int, planned_s: int) -> None:
        check_planned(planned_s)
        self.items[self.index_of(item_id)].planned_s = planned_s

    def skip(self, item_id: int, active_now: float) -> None:
        index = self.index_of(item_id)
        item = self.items[index]
        if item.skipped:
            raise DomainError(f"“{item.title}” is already skipped")
        if index == self.current:
            following = self.next_index()
            if following is None:
                raise DomainError("Can't skip the last item: press x to end the session")
            item.skipped = True
            self.go_to(following, active_now)
        else:
            if index < self.current:
                raise DomainError(f"“{item.title}” is already past")
            item.skipped = True

    def unskip(self, item_id: int) -> None:
        self.items[self.index_of(item_id)].skipped = False

    def insert(self, item: ItemRun, position: int) -> None:
        if not self.current < position <= len(self.items):
            raise DomainError("New items go after the current one")
        check_planned(item.planned_s)
        if item.kind not in KINDS:
            raise DomainError(f"Unknown kind '{item.kind}'")
        self.items.insert(position, item)

    def move(self, item_id: int, offset: int) -> None:
        """Move an upcoming item up (-1) or down (+1) among the upcoming ones."""
        index = self.index_of(item_id)
        target = index + offset
        if index <= self.current:
            raise DomainError("Only items after the current one can be moved")
        if not self.current < target < len(self.items):
            raise DomainError("The item can't move further")
        self.items[index], self.items[target] = self.items[target], self.items[index]


def check_planned(planned_s: int) -> None:
    if planned_s < MIN_ITEM_S:
        raise DomainError("An item can't be shorter than 1 min")
    if planned_s > MAX_ITEM_S:
        raise DomainError("An item can't be longer than 4 h")


def spread_overrun(items: list[ItemRun], behind_s: float) -> dict[int, int]:
    """New planned times that absorb `behind_s`, in proportion to each item's plan."""
    total = sum(i.planned_s for i in items)
    if not items:
        raise DomainError("Nothing to rebalance: there are no items after this one")
    behind = round(behind_s)
    if behind <= 0:
        raise DomainError("Nothing to rebalance: the session is on time")
    if total - behind < MIN_ITEM_S * len(items):
        raise DomainError(
            f"Can't rebalance: {duration_text(behind)} over, but the {len(items)} remaining "
            f"item(s) have only {duration_text(total - MIN_ITEM_S * len(items))} to give"
        )
    cuts = {i.id: behind * i.planned_s // total for i in items}
    # Hand out the rounding remainder to the longest items first.
    short = behind - sum(cuts.values())
    for item in sorted(items, key=lambda i: (-i.planned_s, i.id))[:short]:
        cuts[item.id] += 1
    new = {i.id: i.planned_s - cuts[i.id] for i in items}
    if any(v < MIN_ITEM_S for v in new.values()):
        raise DomainError("Can't rebalance without cutting an item below 1 min")
    return new
