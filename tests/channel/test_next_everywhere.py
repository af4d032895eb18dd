"""Who is next reads the same on the console, on the wall and on the phones.

A mentee a mentor's interjection paused gets the floor back first: every
screen of the room says so, not only the facilitator's.
"""

from __future__ import annotations

from circle.channel.snapshot import public_snapshot
from circle.domain.clock import FakeClock
from circle.domain.present import HIDDEN_NAME
from circle.domain.session import Session
from circle.screens.live_rows import speaker_row
from circle.wall.rows import wall_view
from circle.web.views import EndsAt, now_payload


def in_hot_seat(session: Session) -> None:
    """The round item: every mentee's hand is up, Mira speaks first."""
    session.next_item()
    session.next_speaker()


def console_next(session: Session) -> str:
    return speaker_row(session).next


def wall_next(session: Session, clock: FakeClock) -> tuple[str, str | None]:
    snapshot = public_snapshot(session, join=None, wall_clock=clock.wall())
    view = wall_view(snapshot, clock.monotonic())
    return view.speaker.next, view.next_name


def phone_next(session: Session) -> str | None:
    return now_payload(session, EndsAt())["next"]


def test_a_raised_hand_is_next_everywhere(session: Session, clock: FakeClock) -> None:
    in_hot_seat(session)
    assert console_next(session) == "Jon"
    assert wall_next(session, clock) == ("Jon", "Jon")
    assert phone_next(session) == "Jon"


def test_the_interrupted_mentee_is_next_everywhere(session: Session, clock: FakeClock) -> None:
    in_hot_seat(session)
    clock.advance(95)
    session.mentor_turn()  # Ada cuts in; Mira's turn waits at 01:35
    clock.advance(20)
    assert session.next_up() == ("Mira", 95)
    assert console_next(session) == "Mira (back at 01:35)"
    assert wall_next(session, clock) == ("Mira (back at 01:35)", "Mira (back at 01:35)")
    assert phone_next(session) == "Mira"
    session.end_turn()  # the floor goes back to her
    assert session.turn_view()[0] == "Mira"
    assert console_next(session) == "Jon"
    assert wall_next(session, clock)[0] == "Jon"
    assert phone_next(session) == "Jon"


def test_nobody_next(session: Session, clock: FakeClock) -> None:
    assert session.next_up() is None
    assert console_next(session) == "nobody"
    assert wall_next(session, clock) == ("nobody", None)
    assert phone_next(session) is None


def test_behind_the_blind_the_wall_names_nobody(session: Session, clock: FakeClock) -> None:
    in_hot_seat(session)
    session.mentor_turn()
    session.set_blind(True)
    snapshot = public_snapshot(session, join=None, wall_clock=clock.wall())
    assert snapshot["next"] == HIDDEN_NAME
    assert "Mira" not in str(snapshot)
    assert phone_next(session) is None
