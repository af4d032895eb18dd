"""Who is in the room: mentors, mentees and their attendance."""

from __future__ import annotations

from dataclasses import dataclass, field

from circle.domain.errors import DomainError
from circle.domain.text import clean_name

MIN_MENTEES, MAX_MENTEES = 3, 5
MIN_MENTORS, MAX_MENTORS = 1, 2
PRESENT, LATE, LEFT, ABSENT = "present", "late", "left", "absent"
STATUSES = (PRESENT, LATE, LEFT, ABSENT)


def check_roster(mentors: list[str], mentees: list[str]) -> tuple[list[str], list[str]]:
    """Clean and validate names; the message says exactly what is wrong."""
    mentors = [clean_name(m) for m in mentors]
    mentees = [clean_name(m) for m in mentees]
    for role, names in (("mentor", mentors), ("mentee", mentees)):
        for index, name in enumerate(names, 1):
            if not name:
                raise DomainError(f"{role} {index} has an empty name")
    if not MIN_MENTORS <= len(mentors) <= MAX_MENTORS:
        raise DomainError(f"a session has 1 or 2 mentors, not {len(mentors)}")
    if not MIN_MENTEES <= len(mentees) <= MAX_MENTEES:
        raise DomainError(f"a session has 3 to 5 mentees, not {len(mentees)}")
    seen: dict[str, str] = {}
    for name in mentors + mentees:
        key = name.casefold()
        if key in seen:
            raise DomainError(f"the name '{name}' is given twice (names must be unique)")
        seen[key] = name
    return mentors, mentees


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
