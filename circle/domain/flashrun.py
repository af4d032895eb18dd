"""A flash-mentoring round as it runs: slots, changeovers and their records.

The position (which slot, slot or changeover, how long left) is derived from
the last recorded move and the active time since: a slot that runs out moves
on to its changeover by itself, and the changeover to the next slot. `f`
records a move by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from circle.domain.flash import FlashPlan

SLOT, CHANGEOVER, DONE = "slot", "changeover", "done"


@dataclass
class MeetingRecord:
    mentee: str
    mentor: str
    planned_s: int
    topic: str = ""
    takeaway: str = ""
    actual_s: float | None = None


class FlashPosition(NamedTuple):
    round_index: int
    phase: str
    phase_start: float  # active seconds
    phase_len: int

    def remaining(self, active_now: float) -> float:
        return self.phase_len - (active_now - self.phase_start)


@dataclass
class FlashRun:
    plan: FlashPlan
    item_id: int
    started_active: float
    records: list[list[MeetingRecord]] = field(default_factory=list)
    _pos: FlashPosition | None = None

    def __post_init__(self) -> None:
        if not self.records:
            self.records = [
                [MeetingRecord(m.mentee, m.mentor, self.plan.slot_s) for m in r.meetings]
                for r in self.plan.rounds
            ]
        if self._pos is None:
            self._pos = FlashPosition(0, SLOT, self.started_active, self.plan.slot_s)

    @property
    def rounds(self) -> int:
        return len(self.plan.rounds)

    def _following(self, pos: FlashPosition) -> FlashPosition:
        end = pos.phase_start + pos.phase_len
        last = pos.round_index == self.rounds - 1
        if pos.phase == SLOT and last:
            return FlashPosition(pos.round_index, DONE, end, 0)
        if pos.phase == SLOT:
            return FlashPosition(pos.round_index, CHANGEOVER, end, self.plan.changeover_s)
        return FlashPosition(pos.round_index + 1, SLOT, end, self.plan.slot_s)

    def position(self, active_now: float) -> FlashPosition:
        """Where the round is now, running the clock forward from the last move."""
        pos = self._pos
        assert pos is not None
        while pos.phase != DONE and pos.remaining(active_now) <= 0:
            pos = self._following(pos)
        return pos

    def _settle(self, active_now: float) -> FlashPosition:
        """Bring the stored position up to now, recording slots that ran out."""
        pos = self._pos
        assert pos is not None
        while pos.phase != DONE and pos.remaining(active_now) <= 0:
            if pos.phase == SLOT:
                self._close_slot(pos.round_index, float(pos.phase_len))
            pos = self._following(pos)
        self._pos = pos
        return pos

    def _close_slot(self, round_index: int, actual_s: float) -> None:
        for record in self.records[round_index]:
            record.actual_s = actual_s

    def advance(self, active_now: float) -> FlashPosition:
        """`f`: end the slot (start the changeover), or skip the changeover."""
        pos = self._settle(active_now)
        if pos.phase == DONE:
            return pos
        if pos.phase == SLOT:
            self._close_slot(pos.round_index, active_now - pos.phase_start)
            last = pos.round_index == self.rounds - 1
            phase = DONE if last else CHANGEOVER
            length = 0 if last else self.plan.changeover_s
            self._pos = FlashPosition(pos.round_index, phase, active_now, length)
        else:
            self._pos = FlashPosition(pos.round_index + 1, SLOT, active_now, self.plan.slot_s)
        return self._pos

    def done(self, active_now: float) -> bool:
        return self.position(active_now).phase == DONE

    def focus_round(self, active_now: float) -> int:
        """The round a topic or takeaway typed now belongs to."""
        return self.position(active_now).round_index

    def view_records(self, active_now: float) -> list[list[MeetingRecord]]:
        """Records with slots that ran out by themselves closed at their planned length."""
        pos = self.position(active_now)
        out: list[list[MeetingRecord]] = []
        for index, meetings in enumerate(self.records):
            row = []
            for record in meetings:
                actual = record.actual_s
                ran_out = index < pos.round_index or (
                    index == pos.round_index and pos.phase != SLOT
                )
                if actual is None and ran_out:
                    actual = float(record.planned_s)
                row.append(MeetingRecord(**{**record.__dict__, "actual_s": actual}))
            out.append(row)
        return out
