"""The rules screens ask before acting: takeaways, pulse entries, flash refusals."""

from __future__ import annotations

import pytest

from circle.domain.errors import DomainError
from circle.domain.rules import flash_refusal, parse_pulse, parse_takeaway


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Decision: meet monthly", ("decision", "meet monthly")),
        ("DECISION:meet monthly  ", ("decision", "meet monthly")),
        ("decision: a: b", ("decision", "a: b")),
        ("Write the ask down", ("takeaway", "Write the ask down")),
        ("Our decision: later", ("takeaway", "Our decision: later")),
        ("Decisions matter", ("takeaway", "Decisions matter")),
    ],
)
def test_parse_takeaway(typed: str, expected: tuple[str, str]) -> None:
    assert parse_takeaway(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("8 good pace", (8, "good pace")),
        (" 10 ", (10, "")),
        ("1", (1, "")),
        ("good pace", (None, "good pace")),
        ("  ", (None, "")),
        ("", (None, "")),
        ("8/10 good", (None, "8/10 good")),
    ],
)
def test_parse_pulse(typed: str, expected: tuple[int | None, str]) -> None:
    assert parse_pulse(typed) == expected


@pytest.mark.parametrize("typed", ["0 too low", "11", "100 great"])
def test_a_pulse_score_outside_1_to_10_is_refused(typed: str) -> None:
    with pytest.raises(DomainError, match="1 to 10"):
        parse_pulse(typed)


def test_flash_refusal_says_why_a_round_is_too_short() -> None:
    refusal = flash_refusal(120, ["Mira", "Jon", "Priya"], ["Ada"], 30)
    assert refusal is not None and "min" in refusal


def test_flash_refusal_is_none_when_the_round_can_be_planned() -> None:
    assert flash_refusal(20 * 60, ["Mira", "Jon", "Priya"], ["Ada"], 30) is None


def test_flash_refusal_with_two_mentors_needs_only_one_round() -> None:
    mentees, mentors = ["Mira", "Jon", "Priya", "Leo"], ["Ada", "Grace"]
    assert flash_refusal(5 * 60, mentees, mentors, 30) is None
    assert flash_refusal(50, mentees, mentors, 30) is not None
