"""Rounds: everyone present takes a turn, in roster order, each with an equal budget.

A `[round]` item is for the mentees present; `[round all]` for the mentors
too. Entering the item gives every member a place in the queue. The budget
of a turn (the item's time over the members) is fixed by the round's first
turn and stored in that turn's event: attendance settled before anyone
speaks still counts, but someone leaving halfway no longer stretches the
turns still to come. Someone who arrives while the round runs joins it at
its end, with the same budget.
"""

from __future__ import annotations

from circle.domain.agenda import ROUND_KINDS
from circle.domain.state import SessionState


def running(state: SessionState) -> bool:
    """Whether the current item is a round: a `[goals]` item is one too, in which
    each mentee's goals are reviewed during their turn."""
    return state.timer_().item.kind in ROUND_KINDS


def start_round(state: SessionState, seq: int) -> None:
    """Every member present gets a place in the queue, in roster order."""
    if not running(state):
        return
    item = state.timer_().item
    people = state.roster.people if item.everyone else state.roster.mentees
    state.round_members = [p for p in people if state.roster.is_here(p)]
    state.round_budget_s = None
    for person in state.round_members:
        state.queue.join_round(person, seq)


def end_round(state: SessionState) -> None:
    """Leaving the item: the round's places go, hands raised by people stay."""
    if running(state):
        state.queue.drop_round()
    state.round_members = []
    state.round_budget_s = None


def join_running_round(state: SessionState, person: str, seq: int) -> None:
    """Someone who arrives during a round joins it at its end."""
    if not running(state) or person in state.round_members:
        return
    if person in state.roster.mentors and not state.timer_().item.everyone:
        return
    state.round_members.append(person)
    state.queue.join_round(person, seq)


def leave_running_round(state: SessionState, person: str) -> None:
    """Someone who goes before their round turn gives up their place; back, they
    join at the end."""
    if state.queue.waits_in_round(person):
        state.round_members.remove(person)


def turn_budget(state: SessionState, person: str) -> float | None:
    """A member's round turn: the item's time over the members, as fixed by the
    round's first turn (until then, over the members there are now)."""
    if not running(state) or person not in state.round_members:
        return None
    if state.round_budget_s is not None:
        return state.round_budget_s
    return round(state.timer_().item.planned_s / len(state.round_members), 1)


def turn_started(state: SessionState, person: str, budget_s: float | None) -> None:
    """The round's first member to speak fixes the budget, as their event has it."""
    if state.round_budget_s is None and budget_s is not None and person in state.round_members:
        state.round_budget_s = budget_s
