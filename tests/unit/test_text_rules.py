"""Text people type, and the roster: each rule in one place, held at every entry point."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from circle.domain.clock import FakeClock
from circle.domain.errors import DomainError
from circle.domain.roster import RosterProblem, check_roster, roster_problems
from circle.domain.session import Session
from circle.domain.text import clean_name, clean_text
from tests.conftest import make_session

LONE = "\ud800"  # half of a surrogate pair: a Python string can hold it, UTF-8 can't
UNSAVABLE = "can't be saved: it holds U\\+D800"


def test_clean_text_refuses_a_lone_surrogate_and_keeps_real_characters() -> None:
    with pytest.raises(DomainError, match=UNSAVABLE):
        clean_text(f"hello {LONE} world")
    with pytest.raises(DomainError, match="U\\+DFFF"):
        clean_name("Mi\udfffra")
    assert clean_text("emoji 🎉 and 中文\x1b[31m ok") == "emoji 🎉 and 中文 ok"


def test_a_surrogate_pair_written_out_is_one_real_character() -> None:
    assert clean_text("\U0001f389") == "🎉"


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(lambda s: s.add_question(f"Why {LONE}?"), id="question"),
        pytest.param(lambda s: s.add_question("Why?", asker=LONE), id="asker"),
        pytest.param(lambda s: s.add_action(f"Call {LONE}"), id="action"),
        pytest.param(lambda s: s.add_action("Call", due=LONE), id="action-due"),
        pytest.param(lambda s: s.add_action("Call", owner=f"Mira{LONE}"), id="action-owner"),
        pytest.param(lambda s: s.give_pulse(7, f"nice {LONE}"), id="pulse-comment"),
        pytest.param(lambda s: s.add_takeaway(LONE), id="takeaway"),
        pytest.param(lambda s: s.add_takeaway(f"Go {LONE}", kind="decision"), id="decision"),
        pytest.param(lambda s: s.insert_item(f"Guest {LONE}", 300), id="item-title"),
        pytest.param(lambda s: s.toggle_hand(LONE), id="name"),
        pytest.param(lambda s: s.claim_name("Mira", f"device{LONE}"), id="device"),
        pytest.param(lambda s: s.vote(1, f"device{LONE}"), id="voter"),
        pytest.param(lambda s: s.set_flash_settings(order=[LONE]), id="flash-order"),
    ],
)
def test_no_command_records_unsavable_text(
    session: Session, command: Callable[[Session], object]
) -> None:
    before = list(session.events)
    with pytest.raises(DomainError, match="can't be saved"):
        command(session)
    assert session.events == before


def test_a_flash_note_with_unsavable_text_is_refused(session: Session) -> None:
    session.next_item()
    session.next_item()  # the flash item
    session.start_flash()
    count = len(session.events)
    with pytest.raises(DomainError, match="can't be saved"):
        session.flash_note("topic", f"Pay {LONE}")
    assert len(session.events) == count


@pytest.mark.parametrize(
    "change",
    [
        {"title": f"Tuesday {LONE}"},
        {"series": f"Autumn {LONE}"},
        {"mentors": [f"Ada{LONE}"]},
        {"mentees": ["Mira", "Jon", LONE]},
        {"carried_actions": ({"text": LONE, "owner": "Mira"},)},
    ],
)
def test_a_session_with_unsavable_text_is_never_created(clock: FakeClock, change: dict) -> None:
    with pytest.raises(DomainError, match="can't be saved"):
        make_session(clock, **change)


# -- the roster ---------------------------------------------------------------------------


def test_roster_problems_are_all_found_with_their_slots() -> None:
    assert roster_problems([None, None], [None] * 5) == [
        RosterProblem("A session has 1 or 2 mentors, not 0", ("mentor-1",)),
        RosterProblem("A session has 3 to 5 mentees, not 0", ("mentee-1",)),
    ]
    problems = roster_problems(["Ada", None], ["Mira", "  ", "mira", "Jon", None])
    assert problems == [
        RosterProblem("Mentee 2 has an empty name", ("mentee-2",)),
        RosterProblem(
            "The name 'mira' is given twice (names must be unique)", ("mentee-3", "mentee-1")
        ),
    ]
    # Mentors come first: the mentee is the one named twice.
    assert [p.message for p in roster_problems(["Ada", "JON"], ["Jon", "B", "C"])] == [
        "The name 'Jon' is given twice (names must be unique)"
    ]
    assert roster_problems(["Ada", None], ["A", "B", "C", None, None]) == []


def test_an_unsavable_name_is_a_problem_of_its_slot() -> None:
    problems = roster_problems(["Ada"], ["Mira", f"Jo{LONE}", "Priya"])
    assert [p.slots for p in problems] == [("mentee-2",), ()]
    assert problems[0].message.startswith("Mentee 2: The text can't be saved")


def test_check_roster_raises_the_first_problem_and_cleans_the_names() -> None:
    with pytest.raises(DomainError, match="^Mentor 1 has an empty name$"):
        check_roster([" "], ["A", "B"])
    assert check_roster(["  Ada "], ["Mira", "Jon\x1b[31m", "Priya"]) == (
        ["Ada"],
        ["Mira", "Jon", "Priya"],
    )


@pytest.mark.parametrize(
    "text",
    [
        "How do I say no?",
        "  spaced   out  ",
        "Réunion de mentorat 🌱 中文",
        "",
        " ",
        "a\u00e9b",
        "tabs\tand\nnewlines\r\n",  # not printable: the careful way
        "zero\u200dwidth joiner",
        "nbsp\u00a0here",
    ],
)
@pytest.mark.parametrize("multiline", [False, True])
def test_printable_text_is_cleaned_as_the_careful_way_would(text: str, multiline: bool) -> None:
    # A NUL forces the careful, character by character way (and is dropped by it).
    careful = clean_text(text + "\x00", multiline=multiline)
    assert clean_text(text, multiline=multiline) == careful
