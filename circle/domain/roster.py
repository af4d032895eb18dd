"""Who is in the room: mentors, mentees and their attendance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from circle.domain.errors import DomainError
from circle.domain.text import clean_name

MIN_MENTEES, MAX_MENTEES = 3, 5
MIN_MENTORS, MAX_MENTORS = 1, 2
PRESENT, LATE, LEFT, ABSENT = "present", "late", "left", "absent"
STATUSES = (PRESENT, LATE, LEFT, ABSENT)


NO_PRESENT_MENTOR = "A session needs a mentor who is here: not every mentor can be absent"


def no_mentor_here(mentors: Sequence[str], absent: Sequence[str]) -> bool:
    """Whether every mentor is among the absent (names compared as the roster does)."""
    away = {clean_name(name).casefold() for name in absent}
    return all(clean_name(mentor).casefold() in away for mentor in mentors)


class RosterProblem(NamedTuple):
    """One thing wrong with a roster, and the slots to mark ("mentee-2")."""

    message: str
    slots: tuple[str, ...]


def roster_problems(
    mentors: Sequence[str | None], mentees: Sequence[str | None]
) -> list[RosterProblem]:
    """Every problem of a roster at once, in the order a form shows its fields.

    A None is an unused slot of a form; a name that cleans to nothing (only
    spaces, say) is "an empty name". Mentors come before mentees, so the name
    given twice is the later one.
    """
    problems: list[RosterProblem] = []
    seen: dict[str, str] = {}
    counts: dict[str, int] = {}
    for role, names in (("mentor", mentors), ("mentee", mentees)):
        counts[role] = 0
        for index, raw in enumerate(names, 1):
            slot = f"{role}-{index}"
            if raw is None:
                continue
            try:
                name = clean_name(raw)
            except DomainError as exc:
                problems.append(RosterProblem(f"{role.capitalize()} {index}: {exc}", (slot,)))
                continue
            if not name:
                problems.append(
                    RosterProblem(f"{role.capitalize()} {index} has an empty name", (slot,))
                )
                continue
            counts[role] += 1
            key = name.casefold()
            if key in seen:
                message = f"The name '{name}' is given twice (names must be unique)"
                problems.append(RosterProblem(message, (slot, seen[key])))
            else:
                seen[key] = slot
    if not MIN_MENTORS <= counts["mentor"] <= MAX_MENTORS:
        message = f"A session has 1 or 2 mentors, not {counts['mentor']}"
        problems.append(RosterProblem(message, ("mentor-1",)))
    if not MIN_MENTEES <= counts["mentee"] <= MAX_MENTEES:
        unused = [f"mentee-{i}" for i, name in enumerate(mentees, 1) if name is None][:1]
        message = f"A session has 3 to 5 mentees, not {counts['mentee']}"
        problems.append(RosterProblem(message, tuple(unused)))
    return problems


def check_roster(mentors: list[str], mentees: list[str]) -> tuple[list[str], list[str]]:
    """The cleaned names, or DomainError with the first problem `roster_problems` finds."""
    problems = roster_problems(mentors, mentees)
    if problems:
        raise DomainError(problems[0].message)
    return [clean_name(m) for m in mentors], [clean_name(m) for m in mentees]


@dataclass
class Roster:
    mentors: list[str]
    mentees: list[str]
    attendance: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def build(cls, mentors: list[str], mentees: list[str]) -> Roster:
        mentors, mentees = check_roster(mentors, mentees)
        return cls(mentors, mentees)

    def __post_init__(self) -> None:
        for person in self.people:
            self.attendance.setdefault(person, {"status": PRESENT, "wall": None})

    @property
    def people(self) -> list[str]:
        """Mentors first, then mentees, in roster order."""
        return self.mentors + self.mentees

    def find(self, name: str) -> str:
        """The roster spelling of a name, matched case-insensitively."""
        if name in self.mentors or name in self.mentees:
            return name  # already the roster's spelling: the common case, and the fast one
        key = clean_name(name).casefold()
        for person in self.people:
            if person.casefold() == key:
                return person
        raise DomainError(f"'{clean_name(name)}' is not on the roster")

    def status(self, person: str) -> str:
        return self.attendance[person]["status"]

    def is_here(self, person: str) -> bool:
        return self.status(person) in (PRESENT, LATE)

    def present_mentees(self) -> list[str]:
        return [m for m in self.mentees if self.is_here(m)]

    def mentee(self, number: int) -> str:
        """Mentee by key number 1–5."""
        if not 1 <= number <= len(self.mentees):
            raise DomainError(f"There is no mentee {number}: the roster has {len(self.mentees)}")
        return self.mentees[number - 1]

    def role(self, person: str) -> str:
        return "mentor" if person in self.mentors else "mentee"
