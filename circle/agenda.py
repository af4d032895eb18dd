"""Agenda model (and, in this module, the Markdown parser and validator)."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("discussion", "round", "flash", "board", "break", "close")


@dataclass(frozen=True)
class AgendaItem:
    title: str
    planned_s: int
    kind: str = "discussion"
    notes: str = ""
    line: int = 0


@dataclass(frozen=True)
class Agenda:
    title: str
    items: tuple[AgendaItem, ...]
    intro: str = ""
    source: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def total_s(self) -> int:
        return sum(item.planned_s for item in self.items)
