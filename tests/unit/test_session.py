"""Domain rules of the session core, with a fake clock."""

from __future__ import annotations

import pytest

from circle.domain.clock import FakeClock
from circle.domain.errors import DomainError
from circle.domain.session import Session
from tests.conftest import make_session


def rebuilt(session: Session, clock: FakeClock) -> Session:
    return Session.restore(session.events, clock, session.now())


def test_roster_rules(clock: FakeClock) -> None:
    with pytest.raises(DomainError, match="3 to 5 mentees, not 2"):
        make_session(clock, mentees=["A", "B"])
    with pytest.raises(DomainError, match="3 to 5 mentees, not 6"):
        make_session(clock, mentees=list("ABCDEF"))
    with pytest.raises(DomainError, match="1 or 2 mentors, not 3"):
        make_session(clock, mentors=["X", "Y", "Z"])
    with pytest.raises(DomainError, match="given twice"):
        make_session(clock, mentees=["Mira", "jon", "JON"])
    with pytest.raises(DomainError, match="Mentee 2 has an empty name"):
        make_session(clock, mentees=["Mira", "   ", "Jon"])
    s = make_session(clock, mentees=["  Mira  ", "Jon\x1b[31m", "Priya"])
    assert s.roster.mentees == ["Mira", "Jon", "Priya"]


def test_countdown_is_derived_from_the_clock(session: Session, clock: FakeClock) -> None:
    clock.advance(100)
    view = session.timer_view()
    assert view.elapsed_s == 100 and view.remaining_s == 200
    assert not view.warning
    clock.advance(141)  # 59 s left of 300: under 1 min (20 % is 60 s)
    assert session.timer_view().warning
    clock.advance(72)
    view = session.timer_view()
    assert view.over and view.overrun_s == pytest.approx(13)


def test_warning_at_twenty_percent_for_long_items(session: Session, clock: FakeClock) -> None:
    session.next_item()  # Hot seat, 1200 s: 20 % = 240 s
    clock.advance(959)
    assert not session.timer_view().warning
    clock.advance(2)
    assert session.timer_view().warning


def test_pause_stops_item_and_turn_time(session: Session, clock: FakeClock) -> None:
    session.start_turn("Mira")
    clock.advance(30)
    assert session.toggle_pause() is True
    clock.advance(600)
    assert session.timer_view().elapsed_s == 30
    assert session.turn_view()[1] == 30
    session.toggle_pause()
    clock.advance(5)
    assert session.timer_view().elapsed_s == 35
    assert dict((s.person, s.seconds) for s in session.shares())["Mira"] == 35


def test_next_previous_and_planned_vs_actual(session: Session, clock: FakeClock) -> None:
    clock.advance(320)
    session.next_item()
    clock.advance(10)
    session.previous_item()
    clock.advance(5)
    rows = {r["title"]: r for r in session.item_rows()}
    assert rows["Check-in"]["actual_s"] == 325 and rows["Check-in"]["status"] == "current"
    assert rows["Hot seat"]["actual_s"] == 10 and rows["Hot seat"]["planned_s"] == 1200
    with pytest.raises(DomainError, match="first item"):
        session.previous_item()


def test_last_item_cannot_go_next(session: Session) -> None:
    for _ in range(5):
        session.next_item()
    with pytest.raises(DomainError, match="last item"):
        session.next_item()


def test_extend_and_shorten(session: Session) -> None:
    session.extend(60)
    assert session.timer_view().planned_s == 360
    for _ in range(5):
        session.extend(-60)
    with pytest.raises(DomainError, match="shorter than 1 min"):
        session.extend(-60)
    assert session.timer_view().planned_s == 60


def test_forecast_end(session: Session, clock: FakeClock) -> None:
    start = clock.wall()
    assert session.forecast_end_wall() == pytest.approx(start + 3900)
    clock.advance(400)  # 100 s over on the first item
    assert session.forecast_end_wall() == pytest.approx(start + 400 + 3600)
    assert session.behind_s() == pytest.approx(100)


def test_rebalance_spreads_overrun_in_proportion(session: Session, clock: FakeClock) -> None:
    clock.advance(300 + 390)  # 390 s over
    session.rebalance()
    planned = [r["planned_s"] for r in session.item_rows()]
    # Planned 3900 s in all; 690 s in with 3600 s still to come: 390 s behind.
    # The remaining items lose 390 s in proportion (10.8 %), whole seconds.
    assert planned == [300, 1069, 1070, 535, 268, 268]
    assert sum(planned[1:]) == 3600 - 390
    assert session.behind_s() == pytest.approx(0)


def test_rebalance_with_skipped_and_inserted_items(session: Session, clock: FakeClock) -> None:
    session.skip_item(2)  # Flash
    session.insert_item("Guest story", 600)
    clock.advance(300 + 600 + 120)
    # Planned 3900; 1020 s in; still to come 600 + 1200 + 600 + 300 + 300 (Flash skipped).
    assert session.behind_s() == pytest.approx(1020 + 3000 - 3900)
    session.rebalance()
    assert session.behind_s() == pytest.approx(0)
    rows = {r["title"]: r["planned_s"] for r in session.item_rows()}
    assert rows["Flash"] == 1200 and rows["Hot seat"] < 1200  # skipped: untouched


def test_rebalance_refusals(session: Session, clock: FakeClock) -> None:
    with pytest.raises(DomainError, match="on time"):
        session.rebalance()
    for _ in range(5):
        session.next_item()
    clock.advance(400)
    with pytest.raises(DomainError, match="no items after"):
        session.rebalance()


def test_skip_insert_move(session: Session, clock: FakeClock) -> None:
    session.skip_item(0)
    assert session.timer_().item.title == "Hot seat"
    event = session.insert_item("Guest story", 600, "discussion")
    new_id = event["seq"] + 10_000
    titles = [r["title"] for r in session.item_rows()]
    assert titles[2] == "Guest story"
    session.move_item(new_id, 1)
    assert [r["title"] for r in session.item_rows()][3] == "Guest story"
    with pytest.raises(DomainError, match="after the current one"):
        session.move_item(1, 1)
    assert session.item_rows()[0]["status"] == "skipped"


def test_progressive_stack(session: Session, clock: FakeClock) -> None:
    session.start_turn("Mira")
    clock.advance(120)
    session.end_turn()
    session.start_turn("Jon")
    clock.advance(30)
    session.end_turn()
    for person in ("Mira", "Jon", "Priya"):
        session.toggle_hand(person)
    order = [e.person for e in session.queue_entries()]
    assert order == ["Priya", "Jon", "Mira"]
    assert [e.new for e in session.queue_entries()] == [True, False, False]
    session.set_policy("fcfs")
    assert [e.person for e in session.queue_entries()] == ["Mira", "Jon", "Priya"]


def test_ties_go_to_who_raised_first(session: Session) -> None:
    session.toggle_hand("Leo")
    session.toggle_hand("Jon")
    assert [e.person for e in session.queue_entries()] == ["Leo", "Jon"]
    session.toggle_hand("Leo")  # lowered
    assert [e.person for e in session.queue_entries()] == ["Jon"]


def test_next_speaker_done_and_mentor_turn(session: Session, clock: FakeClock) -> None:
    with pytest.raises(DomainError, match="Nobody is in the queue"):
        session.next_speaker()
    session.toggle_hand("Priya")
    session.next_speaker()
    assert session.turn_view()[0] == "Priya"
    assert session.queue_entries() == []
    clock.advance(40)
    session.mentor_turn()  # an interjection: Priya's turn pauses
    assert session.turn_view()[0] == "Ada"
    clock.advance(20)
    session.end_turn()  # the floor goes back to Priya
    assert session.turn_view() == ("Priya", 40, None)
    spoken = {s.person: s.seconds for s in session.shares()}
    assert spoken["Priya"] == 40 and spoken["Ada"] == 20
    session.end_turn()
    with pytest.raises(DomainError, match="Nobody is speaking"):
        session.end_turn()
    with pytest.raises(DomainError, match="no second mentor"):
        session.mentor_turn(1)


def test_switching_policy_keeps_the_running_turn(session: Session, clock: FakeClock) -> None:
    session.start_turn("Jon")
    clock.advance(25)
    session.toggle_hand("Mira")
    session.set_policy("fcfs")
    session.toggle_hand("Mira")
    assert session.queue_entries() == []
    assert session.turn_view()[:2] == ("Jon", 25)


def test_round_order_and_budget(session: Session, clock: FakeClock) -> None:
    session.set_attendance("Leo", "absent")
    session.toggle_hand("Priya")
    session.next_item()  # Hot seat [round], 1200 s, 3 present mentees
    assert [e.person for e in session.queue_entries()] == ["Mira", "Jon", "Priya"]
    assert all(e.in_round for e in session.queue_entries())
    session.next_speaker()
    assert session.turn_view() == ("Mira", 0, 400)
    clock.advance(10)
    session.toggle_hand("Ada")  # a hand outside the round goes after the round
    assert [e.person for e in session.queue_entries()] == ["Jon", "Priya", "Ada"]
    session.next_item()
    assert [e.person for e in session.queue_entries()] == ["Ada"]


def test_attendance(session: Session, clock: FakeClock) -> None:
    session.set_attendance("Jon", "late", wall=clock.wall() + 300)
    assert session.roster.is_here("Jon")
    session.set_attendance("Mira", "absent")
    with pytest.raises(DomainError, match="Mira is absent"):
        session.toggle_hand("Mira")
    session.toggle_hand("Priya")
    session.set_attendance("Priya", "left")
    assert session.queue_entries() == []
    with pytest.raises(DomainError, match="not on the roster"):
        session.toggle_hand("Zed")


def test_board_rules(session: Session) -> None:
    q1 = session.add_question("How do I ask for a raise?")["seq"]
    q2 = session.add_question("  What is a good first goal?  ", asker="mira")["seq"]
    assert session.board.get(q2).asker == "Mira"
    session.vote(q2)
    session.vote(q2)
    assert [q.id for q in session.board.ordered()] == [q2, q1]
    session.vote(q1, voter="device-1")
    with pytest.raises(DomainError, match="already counted"):
        session.vote(q1, voter="device-1")
    session.unvote(q1, "device-1")
    with pytest.raises(DomainError, match="no vote"):
        session.unvote(q1, "device-1")
    session.toggle_status(q2, "answered")
    assert [q.id for q in session.board.ordered()] == [q1, q2]
    session.toggle_status(q1, "parked")
    assert session.board.get(q1).status == "parked"
    session.toggle_status(q1, "parked")
    assert session.board.get(q1).status == "open"
    session.hide_question(q1)
    assert [q.id for q in session.board.ordered()] == [q2]
    session.unhide_question(q1)
    with pytest.raises(DomainError, match="empty"):
        session.add_question("   ")
    with pytest.raises(DomainError, match="at most 280"):
        session.add_question("x" * 281)
    with pytest.raises(DomainError, match="No question"):
        session.vote(999)


def test_moderation_holds_phone_questions(session: Session) -> None:
    session.set_moderation(True)
    qid = session.add_question("from a phone", source="phone")["seq"]
    assert session.board.ordered() == [] and session.board.pending()[0].id == qid
    session.approve_question(qid)
    assert session.board.ordered()[0].id == qid


def test_actions_and_takeaways(session: Session) -> None:
    # Nobody speaking: no owner unless one is chosen; due dates are real dates.
    with pytest.raises(DomainError, match="YYYY-MM-DD"):
        session.add_action("Send the summary", due="Friday")
    event = session.add_action("Send the summary", due="2026-12-18")
    assert session.actions[event["seq"]].owner == ""
    session.start_turn("Jon")
    event = session.add_action("Draft a SMART goal")
    assert session.actions[event["seq"]].owner == "Jon"
    session.set_action_done(event["seq"])
    assert [a.text for a in session.open_actions()] == ["Send the summary"]
    session.add_takeaway("Small wins count", kind="decision")
    assert session.takeaways_for(0)[0].kind == "decision"
    with pytest.raises(DomainError, match="empty"):
        session.add_takeaway("")


def test_undo_is_repeatable_and_says_what(session: Session, clock: FakeClock) -> None:
    session.toggle_hand("Mira")
    qid = session.add_question("Q?")["seq"]
    session.vote(qid)
    assert session.undo() == "a vote"
    assert session.board.get(qid).votes == 0
    assert session.undo() == "the new question"
    assert session.board.questions == {}
    assert session.undo() == "Mira's hand raised"
    assert session.queue_entries() == []
    with pytest.raises(DomainError, match="Nothing to undo"):
        session.undo()


def test_undo_next_item_gives_the_time_back(session: Session, clock: FakeClock) -> None:
    clock.advance(100)
    session.next_item()
    clock.advance(50)
    session.undo()
    assert session.timer_().item.title == "Check-in"
    assert session.timer_view().elapsed_s == 150


def test_undo_skips_phone_actions(session: Session) -> None:
    session.toggle_hand("Jon")
    session.add_question("from phone", source="phone")
    session.undo()
    assert session.queue_entries() == [] and len(session.board.questions) == 1


def test_wall_clock_jump_does_not_touch_timers(session: Session, clock: FakeClock) -> None:
    clock.advance(60)
    clock.jump_wall(-3600)
    assert session.timer_view().elapsed_s == 60


def test_restore_after_reboot(session: Session, clock: FakeClock) -> None:
    session.start_turn("Mira")
    clock.advance(90)
    saved_s = session.now()
    state = session.state()
    # A reboot: a new process whose monotonic clock starts again near zero.
    fresh = FakeClock(monotonic=3.0, wall=clock.wall() + 7200)
    restored = Session.restore(session.events, fresh, saved_s)
    assert restored.state() == state
    fresh.advance(10)
    assert restored.turn_view()[1] == 100


def test_ended_session_refuses_changes(session: Session) -> None:
    session.end_session()
    with pytest.raises(DomainError, match="ended"):
        session.toggle_hand("Mira")
    session.give_pulse(8, "useful")
    assert [(p["score"], p["comment"]) for p in session.pulse] == [(8, "useful")]


def test_pulse_rules(session: Session) -> None:
    session.give_pulse(None, "no score, a comment")
    with pytest.raises(DomainError, match="1 to 10"):
        session.give_pulse(11)
    with pytest.raises(DomainError, match="nothing to record"):
        session.give_pulse(None, "")
    session.give_pulse(6)
    session.give_pulse(9)
    assert [p["score"] for p in session.pulse] == [None, 6, 9]
    assert session.pulse_view().scores == 2  # a comment alone is no score


def test_carry_over(clock: FakeClock) -> None:
    s = make_session(
        clock,
        carried_actions=({"text": "Old task", "owner": "Mira"},),
        carried_questions=({"text": "Parked before", "asker": None},),
    )
    assert [a.carried_in for a in s.actions.values()] == [True]
    question = next(iter(s.board.questions.values()))
    assert question.status == "parked" and question.carried_in


def test_a_mentee_speaking_when_a_round_starts_keeps_her_round_turn(session, clock) -> None:
    session.start_turn("Jon")
    clock.advance(30)
    session.next_item()  # Hot seat [round], 1200 s over 4 mentees: 300 s each
    assert session.turn_view() == ("Jon", 30, None)  # she finishes her sentence
    assert [e.person for e in session.queue_entries()] == ["Mira", "Jon", "Priya", "Leo"]
    session.next_speaker()
    session.next_speaker()
    assert session.turn_view() == ("Jon", 0, 300)
    assert Session.restore(session.events, clock, session.now()).state() == session.state()


def test_the_board_counts_its_changes(session: Session) -> None:
    """Every change to a question moves the board's revision; nothing else does."""
    board = session.board
    start = board.revision
    session.add_question("How do I start?", None)
    qid = board.ordered()[0].id
    session.toggle_hand("Mira")
    assert board.revision == start + 1
    session.vote(qid)
    session.toggle_status(qid, "answered")
    assert board.revision == start + 3
    session.undo()  # a state rebuilt: a board of its own
    assert session.board is not board
