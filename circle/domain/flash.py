"""Flash mentoring plans: who meets whom in which slot or round, and for how long.

Pure arithmetic on names and whole seconds. With n slots (or rounds) there are
n − 1 changeovers, and a slot lasts (total − (n − 1) · changeover) // n
seconds. A slot under 60 s is refused with a message that says how many fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from circle.domain.durations import format_duration
from circle.domain.errors import DomainError
from circle.domain.present import plural

MIN_SLOT_S = 60
DEFAULT_CHANGEOVER_S = 30
MAX_MENTORS = 2


class Meeting(NamedTuple):
    """One mentor meets one mentee."""

    mentor: str
    mentee: str


class FlashRound(NamedTuple):
    """One slot (one mentor) or one round (two mentors in parallel)."""

    index: int  # 0-based
    meetings: tuple[Meeting, ...]
    sitting_out: tuple[str, ...]  # mentees meeting nobody this round, in the given order


class FlashPlan(NamedTuple):
    rounds: tuple[FlashRound, ...]
    slot_s: int
    changeover_s: int
    total_s: int  # the time the plan was made for
    mentors: tuple[str, ...]

    @property
    def used_s(self) -> int:
        """Time the slots and the changeovers between them take: n·slot + (n−1)·changeover."""
        n = len(self.rounds)
        return n * self.slot_s + max(n - 1, 0) * self.changeover_s

    @property
    def complete(self) -> bool:
        """True when every mentee meets every mentor (the rounds sufficed)."""
        if not self.rounds:
            return False
        first = self.rounds[0]
        mentees = {m.mentee for m in first.meetings} | set(first.sitting_out)
        pairs = {(m.mentor, m.mentee) for r in self.rounds for m in r.meetings}
        return pairs == {(a, b) for a in self.mentors for b in mentees}

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (lists, str, int) for storage."""
        return {
            "slot_s": self.slot_s,
            "changeover_s": self.changeover_s,
            "total_s": self.total_s,
            "mentors": list(self.mentors),
            "rounds": [
                {
                    "index": r.index,
                    "meetings": [{"mentor": m.mentor, "mentee": m.mentee} for m in r.meetings],
                    "sitting_out": list(r.sitting_out),
                }
                for r in self.rounds
            ],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FlashPlan:
        """The plan to_dict wrote. Malformed data raises ValueError."""
        try:
            rounds = tuple(_round_from_dict(r) for r in d["rounds"])
            return cls(
                rounds=rounds,
                slot_s=int(d["slot_s"]),
                changeover_s=int(d["changeover_s"]),
                total_s=int(d["total_s"]),
                mentors=tuple(str(m) for m in d["mentors"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"malformed flash plan: {exc!r}") from exc


def _round_from_dict(d: dict[str, Any]) -> FlashRound:
    meetings = tuple(Meeting(str(m["mentor"]), str(m["mentee"])) for m in d["meetings"])
    return FlashRound(int(d["index"]), meetings, tuple(str(s) for s in d["sitting_out"]))


# -- arithmetic -------------------------------------------------------------


def slot_length(total_s: int, slots: int, changeover_s: int = DEFAULT_CHANGEOVER_S) -> int:
    """(total − (n−1)·changeover) // n, whole seconds (may be < 60 or negative)."""
    if slots < 1:
        raise ValueError(f"slots must be at least 1, not {slots}")
    return (total_s - (slots - 1) * changeover_s) // slots


def max_slots(total_s: int, changeover_s: int = DEFAULT_CHANGEOVER_S) -> int:
    """How many slots of at least 60 s fit, changeovers included (0 if none).

    n slots fit when n·60 + (n−1)·c ≤ total, i.e. n ≤ (total + c) / (60 + c).
    """
    if changeover_s < 0:
        raise ValueError(f"changeover must be >= 0, not {changeover_s}")
    return max((total_s + changeover_s) // (MIN_SLOT_S + changeover_s), 0)


def _too_short(total_s: int, wanted: int, changeover_s: int, word: str) -> DomainError:
    """The refusal: what was asked for, and how many would fit."""
    slot = slot_length(total_s, wanted, changeover_s)
    span = format_duration(total_s)
    if slot > 0:
        asked = f"{plural(wanted, word)} of {slot} s {'is' if wanted == 1 else 'are'} too short"
    else:
        asked = f"{plural(wanted, word)} {'does not' if wanted == 1 else 'do not'} fit"
    fit = max_slots(total_s, changeover_s)
    if fit == 0:
        tail = f"not even one {word} of {MIN_SLOT_S} s fits in {span}"
    else:
        fits = "fits" if fit == 1 else "fit"
        tail = f"at most {plural(fit, word)} of at least {MIN_SLOT_S} s {fits} in {span}"
    return DomainError(f"{asked}: {tail}")


# -- plans -------------------------------------------------------------------


def _check(total_s: int, mentees: Sequence[str], mentors: Sequence[str], changeover_s: int) -> None:
    if not mentees:
        raise DomainError("No mentees present for flash mentoring")
    if not 1 <= len(mentors) <= MAX_MENTORS:
        raise DomainError(f"Flash mentoring needs 1 or 2 mentors, not {len(mentors)}")
    if len({*mentees, *mentors}) != len(mentees) + len(mentors):
        raise DomainError("Flash mentoring needs each person once")
    if changeover_s < 0:
        raise DomainError(f"A changeover can't be negative ({changeover_s} s)")
    if total_s <= 0:
        raise DomainError("Flash mentoring needs a total time above zero")


def _pairings(mentees: tuple[str, ...], mentors: tuple[str, ...], k: int) -> list[list[Meeting]]:
    """The meetings of each of k rounds.

    One mentor: round r is mentee r (k = number of mentees).

    Two mentors A, B and m ≥ 2 mentees, k ≤ m rounds: lay out the 2k meetings
    as a walk around the mentees in the order given. Mentor A meets mentees
    0 .. k−1 (round r: mentee r); mentor B continues the walk from where A
    stopped, mentee (r + d) mod m in round r, with d = k when k < m. Then:
    - each mentor's k mentees are k consecutive ones of the circle, so distinct:
      no (mentor, mentee) pair repeats;
    - A's and B's mentee in round r coincide only if d ≡ 0 (mod m), which
      d = k < m rules out; for k = m (the full rotation) d = 1 is used instead,
      the Latin-rectangle rotation (mentee r with A, mentee r+1 with B), so
      every pair occurs exactly once;
    - the walk covers 2k consecutive positions of the circle, so every mentee is
      passed ⌊2k/m⌋ or ⌈2k/m⌉ times: meeting counts differ by at most one, and
      the sit-outs are spread evenly.
    One mentee and two mentors: the mentee meets A, then B (the other mentor
    waits); k = 1 leaves only the meeting with A.
    """
    m = len(mentees)
    if len(mentors) == 1:
        return [[Meeting(mentors[0], mentees[r])] for r in range(k)]
    if m == 1:
        return [[Meeting(mentors[r], mentees[0])] for r in range(k)]
    d = k if k < m else 1
    return [
        [Meeting(mentors[0], mentees[r]), Meeting(mentors[1], mentees[(r + d) % m])]
        for r in range(k)
    ]


def _round(index: int, meetings: list[Meeting], mentees: tuple[str, ...]) -> FlashRound:
    meeting = {m.mentee for m in meetings}
    sitting_out = tuple(p for p in mentees if p not in meeting)
    return FlashRound(index, tuple(meetings), sitting_out)


def _rounds_needed(m: int, mentors: int) -> int:
    """Rounds for every mentee to meet every mentor once (each mentor meets one per round)."""
    return max(m, mentors)


def plan_flash(
    total_s: int,
    mentees: Sequence[str],
    mentors: Sequence[str],
    changeover_s: int = DEFAULT_CHANGEOVER_S,
) -> FlashPlan:
    """The flash plan for the present mentees, in the order given.

    One mentor: one slot per mentee; refused (DomainError) if they are under 60 s.
    Two mentors: enough rounds for each mentee to meet each mentor once, or as
    many as fit at 60 s or more; refused only if not even one round fits.
    """
    mentees_t, mentors_t = tuple(mentees), tuple(mentors)
    _check(total_s, mentees_t, mentors_t, changeover_s)
    word = "slot" if len(mentors_t) == 1 else "round"
    wanted = _rounds_needed(len(mentees_t), len(mentors_t))
    k = min(wanted, max_slots(total_s, changeover_s))
    if k == 0 or (word == "slot" and k < wanted):
        raise _too_short(total_s, wanted, changeover_s, word)
    rounds = tuple(
        _round(r, meetings, mentees_t)
        for r, meetings in enumerate(_pairings(mentees_t, mentors_t, k))
    )
    return FlashPlan(
        rounds=rounds,
        slot_s=slot_length(total_s, k, changeover_s),
        changeover_s=changeover_s,
        total_s=total_s,
        mentors=mentors_t,
    )
