"""Typed rows read from the state, and the one set of formatters for times and counts."""

from __future__ import annotations

import pytest

from circle.domain import views
from circle.domain.clock import FakeClock
from circle.domain.present import (
    clock_text,
    mmss,
    plural,
    share_bar,
    share_text,
    signed_clock,
    utc_date,
    utc_hm,
)
from circle.domain.session import Session


def test_rows_are_values_and_old_shapes_stay(session: Session, clock: FakeClock) -> None:
    session.start_turn("Mira")
    clock.advance(42)
    rows = session.agenda_rows()
    assert [views.item_dict(r) for r in rows] == session.item_rows()
    assert rows[0].notes == "Each mentee: one win." and "notes" not in session.item_rows()[0]
    assert views.current_item(session.folded, session.now()).title == "Check-in"
    turn = session.turn_view()
    assert turn == ("Mira", 42, None) and turn.person == "Mira"
    session.give_pulse(8)
    assert session.pulse_view().scores == 1 and session.pulse_view().average is None  # too few


def test_question_and_action_rows_change_nothing_in_the_session(session: Session) -> None:
    shown = session.add_question("Shown?")["seq"]
    hidden = session.add_question("Hidden?")["seq"]
    session.vote(shown)
    session.hide_question(hidden)
    session.set_moderation(True)
    waiting = session.add_question("Waiting?", source="phone")["seq"]
    state = session.folded
    assert [(q.id, q.votes, q.visible) for q in views.board_rows(state)] == [(shown, 1, True)]
    assert [q.id for q in views.hidden_rows(state)] == [hidden]
    assert [q.id for q in views.pending_rows(state)] == [waiting]
    assert [q.id for q in views.all_question_rows(state)] == [shown, hidden, waiting]
    action = session.add_action("Write it down", "Jon")["seq"]
    row = views.action_rows(state)[0]
    assert row == views.ActionRow(action, "Write it down", "Jon", "", False, False)
    with pytest.raises(AttributeError):
        row.done = True  # type: ignore[misc]
    assert not session.actions[action].done


def test_the_state_is_read_only_through_the_session(session: Session) -> None:
    with pytest.raises(AttributeError, match="recording an event"):
        session.blind = True  # type: ignore[misc]
    session.set_blind(True)
    assert session.blind and session.folded.blind


def test_the_minutes_and_the_wall_write_times_their_own_way() -> None:
    assert mmss(65.9) == "01:05" and mmss(3725) == "1:02:05"
    assert clock_text(65.5) == "1:06" and clock_text(3725) == "1:02:05"
    assert clock_text(-3) == "0:00"
    assert signed_clock(-90) == "-1:30" and signed_clock(-0.4) == "+0:00"
    assert utc_hm(0) == "00:00 UTC" and utc_date(0) == "1970-01-01"


def test_counts_and_shares() -> None:
    assert plural(1, "vote") == "1 vote" and plural(0, "vote") == "0 votes"
    assert share_text(35) == "████ 35 %" and share_text(4) == "4 %"
    assert share_bar(50, 4) == "██  " and share_bar(100, 2) == "██"


def test_a_flash_round_as_rows(session: Session, clock: FakeClock) -> None:
    assert views.flash_views(session.folded, session.now()) == []
    session.next_item()
    session.next_item()  # Flash, 1200 s: one mentor, four mentees, four slots
    session.start_flash()
    session.flash_note("topic", "Salary talk")
    clock.advance(100)
    (view,) = views.flash_views(session.folded, session.now())
    assert (view.two_mentors, view.rounds, view.round_index, view.phase) == (False, 4, 0, "slot")
    slot = view.meetings[0][0]
    assert (slot.mentee, slot.mentor, slot.topic, slot.actual_s) == (
        "Mira",
        "Ada",
        "Salary talk",
        None,
    )
    assert view.remaining_s == slot.planned_s - 100
    assert view.item_id == session.timer_().item.id
    assert view.sitting_out[0] == ("Jon", "Priya", "Leo")
    session.advance_flash()
    (view,) = views.flash_views(session.folded, session.now())
    assert view.phase == "changeover" and view.meetings[0][0].actual_s == 100
