"""The agenda model: a titled list of timed items of known kinds."""

from __future__ import annotations

from typing import NamedTuple

KINDS = ("discussion", "round", "flash", "board", "break", "close", "goals")
# Kinds that give each present mentee a turn in order: a `[goals]` item is a
# round in which each mentee's goals are reviewed.
ROUND_KINDS = frozenset(("round", "goals"))


class AgendaItem(NamedTuple):
    title: str
    planned_s: int
    kind: str = "discussion"
    notes: str = ""
    line: int = 0
    everyone: bool = False  # `[round all]`: the round includes the mentors


class Agenda(NamedTuple):
    title: str
    items: tuple[AgendaItem, ...]
    intro: str = ""
    source: str = ""

    @property
    def total_s(self) -> int:
        return sum(item.planned_s for item in self.items)


MAX_ITEM_S = 4 * 3600
MAX_TOTAL_S = 12 * 3600
