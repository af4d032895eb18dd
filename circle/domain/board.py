"""The question board, action items and takeaways: what the room records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from circle.domain.errors import DomainError
from circle.domain.goals import ACTION_DONE, ACTION_OPEN

MAX_QUESTION = 280
MAX_TEXT = 500
OPEN, ANSWERED, PARKED = "open", "answered", "parked"
_STATUS_RANK = {OPEN: 0, PARKED: 1, ANSWERED: 2}


@dataclass
class Question:
    id: int
    text: str
    asker: str | None
    source: str  # "keyboard" | "phone" | "carried"
    voters: list[str] = field(default_factory=list)
    status: str = OPEN
    hidden: bool = False
    pending: bool = False  # a phone question waiting for approval
    carried_in: bool = False

    @property
    def votes(self) -> int:
        return len(self.voters)

    @property
    def visible(self) -> bool:
        return not self.hidden and not self.pending


@dataclass
class ActionItem:
    id: int
    text: str
    owner: str  # "" when nobody was chosen
    due: str = ""
    status: str = ACTION_OPEN  # or in progress, done, dropped
    carried_in: bool = False
    # Its name across the series, set on an item carried in (see `goals.goal_key`).
    key: str | None = None

    @property
    def done(self) -> bool:
        return self.status == ACTION_DONE


class Takeaway(NamedTuple):
    id: int
    item_id: int
    text: str
    kind: str = "takeaway"  # or "decision"


def check_text(text: str, what: str, limit: int = MAX_TEXT) -> str:
    if not text:
        raise DomainError(f"{what} can't be empty")
    if len(text) > limit:
        raise DomainError(f"{what} is {len(text)} characters; the limit is {limit}")
    return text


class QuestionBoard:
    def __init__(self) -> None:
        self.questions: dict[int, Question] = {}
        self.moderated = False
        # Counts every change to a question; a screen drawing 500 of them on
        # each key can tell that none changed. Questions change only here.
        self.revision = 0

    def get(self, qid: int) -> Question:
        try:
            return self.questions[qid]
        except KeyError:
            raise DomainError(f"No question #{qid}") from None

    def ordered(self, include_hidden: bool = False) -> list[Question]:
        """Open, then parked, then answered; most votes first; older first on ties."""
        shown = [
            q for q in self.questions.values() if q.visible or (include_hidden and not q.pending)
        ]
        return sorted(shown, key=lambda q: (_STATUS_RANK[q.status], -q.votes, q.id))

    def pending(self) -> list[Question]:
        return sorted((q for q in self.questions.values() if q.pending), key=lambda q: q.id)

    def hidden(self) -> list[Question]:
        return sorted((q for q in self.questions.values() if q.hidden), key=lambda q: q.id)

    def add(self, question: Question) -> None:
        check_text(question.text, "A question", MAX_QUESTION)
        question.pending = self.moderated and question.source == "phone"
        self.questions[question.id] = question
        self.revision += 1

    def vote(self, qid: int, voter: str) -> None:
        question = self.get(qid)
        if not question.visible:
            raise DomainError(f"Question #{qid} is not on the board")
        if voter in question.voters:
            raise DomainError("That vote is already counted")
        question.voters.append(voter)
        self.revision += 1

    def unvote(self, qid: int, voter: str) -> None:
        question = self.get(qid)
        if voter not in question.voters:
            raise DomainError("There is no vote to take back")
        question.voters.remove(voter)
        self.revision += 1

    def set_status(self, qid: int, status: str) -> None:
        if status not in _STATUS_RANK:
            raise DomainError(f"Unknown question status '{status}'")
        self.get(qid).status = status
        self.revision += 1

    def set_hidden(self, qid: int, hidden: bool) -> None:
        question = self.get(qid)
        if question.hidden == hidden:
            raise DomainError(f"Question #{qid} is already {'hidden' if hidden else 'shown'}")
        question.hidden = hidden
        question.pending = False
        self.revision += 1

    def approve(self, qid: int) -> None:
        question = self.get(qid)
        if not question.pending:
            raise DomainError(f"Question #{qid} is not waiting for approval")
        question.pending = False
        self.revision += 1
