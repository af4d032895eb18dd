"""What the room may see of what people gave: the pulse, and rows under the blind.

The pulse is anonymous, and the room must not be able to work out a score
from the screen: a running average gives away each new answer, and an
average of one or two scores gives away those. So while the pulse is open
only the count shows; once it is closed, the average and the spread show
only from `MIN_PULSE_SCORES` scores; comments are listed sorted, never in
the order they came in.

The blind (`h`) hides everything people typed, and who they are: `blinded`
turns any typed row into what the screen may show while it is down.
"""

from __future__ import annotations

import statistics
from typing import Any, NamedTuple, TypeVar

from circle.domain.present import HIDDEN_NAME, HIDDEN_TEXT, plural
from circle.domain.state import SessionState
from circle.domain.views import people_here

MIN_PULSE_SCORES = 3


class PulseView(NamedTuple):
    """The pulse as the room may see it (`average`, `low`, `high` None when it may not)."""

    open: bool
    answered: int  # answers given: a score, a comment or both
    present: int  # people present, mentors included: who may answer
    scores: int  # answers with a score
    average: float | None
    # The spread as the standard deviation, never the lowest and highest score,
    # which would name a score someone gave.
    spread: float | None
    comments: tuple[str, ...]  # sorted; none while the pulse is open

    @property
    def progress(self) -> str:
        return f"{self.answered} of {self.present} answered"

    @property
    def text(self) -> str:
        """One line for a screen: the progress while open, else the result."""
        if self.open:
            return self.progress
        if self.average is not None:
            spread = f"spread ±{self.spread:.1f}"
            return f"average {self.average:.1f} / 10 · {spread} · {self.scores} scores"
        if self.scores:
            return f"{plural(self.scores, 'score')}: an average shows from {MIN_PULSE_SCORES}"
        return "no scores"


def pulse_view(state: SessionState, *, final: bool = False) -> PulseView:
    """The pulse now; `final` reads it as closed whatever its state (the minutes)."""
    is_open = state.pulse_open and not final
    scores = [p["score"] for p in state.pulse if p["score"] is not None]
    enough = not is_open and len(scores) >= MIN_PULSE_SCORES
    comments: tuple[str, ...] = ()
    if not is_open:
        typed = (p.get("comment", "") for p in state.pulse)
        comments = tuple(sorted((c for c in typed if c.strip()), key=lambda c: (c.casefold(), c)))
    return PulseView(
        open=is_open,
        answered=len(state.pulse),
        present=people_here(state),
        scores=len(scores),
        average=statistics.fmean(scores) if enough else None,
        spread=statistics.pstdev(scores) if enough else None,
        comments=comments,
    )


# -- the blind ------------------------------------------------------------------------

# Fields of the typed rows that hold what people typed, and who they are.
TEXT_FIELDS = frozenset(
    {"text", "topic", "takeaway", "comment", "comments", "due", "note", "notes"}
)
NAME_FIELDS = frozenset({"person", "owner", "asker", "mentee", "mentor", "sitting_out"})

Row = TypeVar("Row", bound=tuple)


def blinded_text(text: str) -> str:
    """Typed text under the blind; nothing typed stays nothing."""
    return HIDDEN_TEXT if text else text


def blinded_name(name: str | None) -> str | None:
    return HIDDEN_NAME if name else name


def shown_name(blind: bool, name: str | None) -> str | None:
    """A name as the room may see it: its stand-in while the blind is down."""
    return blinded_name(name) if blind else name


def shown_text(blind: bool, text: str) -> str:
    """What someone typed as the room may see it: hidden while the blind is down."""
    return blinded_text(text) if blind else text


def blinded(row: Row) -> Row:
    """A typed row (a NamedTuple) with its typed text and names hidden, rows inside
    it too; everything else (ids, times, counts, states) as it was."""
    fields: dict[str, Any] = row._asdict()  # type: ignore[attr-defined]
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            changes[name] = _masked(value, HIDDEN_TEXT)
        elif name in NAME_FIELDS:
            changes[name] = _masked(value, HIDDEN_NAME)
        elif isinstance(value, tuple):
            changes[name] = _inner(value)
    return row._replace(**changes)  # type: ignore[attr-defined]


def shown(state: SessionState, row: Row) -> Row:
    """The row as the screen may show it: blinded while the blind is down."""
    return blinded(row) if state.blind else row


def _masked(value: Any, mask: str) -> Any:
    if isinstance(value, str):
        return mask if value else value
    if isinstance(value, tuple):
        return tuple(_masked(v, mask) for v in value)
    return value  # None: nothing typed


def _inner(value: tuple) -> tuple:
    if hasattr(value, "_asdict"):
        return blinded(value)
    return tuple(_inner(v) if isinstance(v, tuple) else v for v in value)
