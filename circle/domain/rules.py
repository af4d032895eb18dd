"""Rules of what people type, and of what the session would refuse, read before acting.

The screens ask these questions of text typed into a dialog; the answers
depend on nothing but the text and the session's own rules, so they live here,
testable without a screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from circle.domain.errors import DomainError

DECISION_PREFIX = "decision:"
PULSE_LOW, PULSE_HIGH = 1, 10


def parse_takeaway(typed: str) -> tuple[str, str]:
    """'Decision: meet monthly' -> ('decision', 'meet monthly'); else ('takeaway', typed).

    The prefix is matched in any case, so what the room dictates is taken as typed.
    """
    if typed.lower().startswith(DECISION_PREFIX):
        return "decision", typed[len(DECISION_PREFIX) :].strip()
    return "takeaway", typed


def parse_pulse(typed: str) -> tuple[int | None, str]:
    """'8 good pace' -> (8, 'good pace'); 'good pace' -> (None, 'good pace').

    A leading whole number is the score and must be 1 to 10; the rest is the comment.
    """
    head, _, rest = typed.strip().partition(" ")
    if head.isdigit():
        score = int(head)
        if not PULSE_LOW <= score <= PULSE_HIGH:
            raise DomainError("A pulse score is a whole number from 1 to 10")
        return score, rest.strip()
    return None, typed.strip()


def flash_refusal(
    total_s: int, mentees: Sequence[str], mentors: Sequence[str], changeover_s: int
) -> str | None:
    """Why a flash round of `total_s` would be refused, or None if it can be planned.

    Asked while the total is typed, so the dialog can say so before it closes.
    """
    from circle.domain.flash import plan_flash  # loaded with the first round: most have none

    try:
        plan_flash(total_s, mentees, mentors, changeover_s)
    except DomainError as exc:
        return str(exc)
    return None
