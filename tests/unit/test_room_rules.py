"""Rules of the room for speaking: a mentor's interjection, and rounds."""

from __future__ import annotations

import io

import pytest

from circle.agendafiles.parser import check_command, parse_agenda, to_markdown
from circle.domain.agenda import Agenda, AgendaItem
from circle.domain.clock import FakeClock
from circle.domain.commands import agenda_to_data
from circle.domain.errors import DomainError
from circle.domain.roster import NO_PRESENT_MENTOR
from circle.domain.session import Session
from tests.conftest import make_session, small_agenda


def rebuilt(session: Session, clock: FakeClock) -> Session:
    return Session.restore(session.events, clock, session.now())


def spoken(session: Session) -> dict[str, float]:
    return {s.person: s.seconds for s in session.shares()}


def waiting(session: Session) -> list[str]:
    return [e.person for e in session.queue_entries()]


def in_hot_seat(session: Session) -> None:
    """The round item (1200 s over 4 mentees), Mira speaking with her budget."""
    session.next_item()
    session.next_speaker()


# -- interjections --------------------------------------------------------------------


def test_an_interjection_pauses_the_mentees_turn_and_d_gives_it_back(session, clock) -> None:
    in_hot_seat(session)
    clock.advance(5)
    session.mentor_turn()
    assert session.turn_view() == ("Ada", 0, None)
    assert session.interrupted_view() == ("Mira", 5, 300)
    clock.advance(20)
    assert session.interrupted_view() == ("Mira", 5, 300)  # her timer stopped
    assert spoken(session)["Mira"] == 5 and spoken(session)["Ada"] == 20
    session.end_turn()
    assert session.turn_view() == ("Mira", 5, 300)
    assert session.interrupted_view() is None
    clock.advance(10)
    assert session.turn_view() == ("Mira", 15, 300)
    assert spoken(session) == {"Ada": 20, "Mira": 15, "Jon": 0, "Priya": 0, "Leo": 0}
    # Handing back is no new turn of hers; the mentor's time was a turn of his.
    assert {s.person: s.turns for s in session.shares()}["Mira"] == 1
    assert {s.person: s.turns for s in session.shares()}["Ada"] == 1


def test_zero_again_gives_the_floor_back(session: Session, clock: FakeClock) -> None:
    in_hot_seat(session)
    clock.advance(5)
    session.mentor_turn()
    clock.advance(30)
    session.mentor_turn()
    assert session.turn_view() == ("Mira", 5, 300)
    assert waiting(session) == ["Jon", "Priya", "Leo"]


def test_zero_with_no_paused_turn_ends_the_mentors_turn(session, clock) -> None:
    session.mentor_turn()
    clock.advance(12)
    assert session.turn_view() == ("Ada", 12, None)
    session.mentor_turn()
    assert session.turn_view() is None and session.interrupted_view() is None
    assert spoken(session)["Ada"] == 12


def test_next_speaker_during_an_interjection_ends_both_turns(session, clock) -> None:
    in_hot_seat(session)
    clock.advance(5)
    session.mentor_turn()
    clock.advance(7)
    session.next_speaker()
    assert session.turn_view() == ("Jon", 0, 300)
    assert session.interrupted_view() is None
    session.end_turn()
    assert session.turn_view() is None  # Mira's paused turn ended with the interjection
    assert spoken(session)["Mira"] == 5 and spoken(session)["Ada"] == 7


def test_a_second_mentor_takes_over_an_interjection(clock: FakeClock) -> None:
    session = make_session(clock, mentors=["Ada", "Bea"])
    session.start_turn("Mira")
    clock.advance(8)
    session.mentor_turn(1)  # the palette's second mentor
    clock.advance(3)
    session.mentor_turn(0)  # the first takes over; Mira stays paused
    assert session.turn_view() == ("Ada", 0, None)
    assert session.interrupted_view() == ("Mira", 8, None)
    clock.advance(4)
    session.end_turn()
    assert session.turn_view() == ("Mira", 8, None)
    assert spoken(session) == {"Ada": 4, "Bea": 3, "Mira": 8, "Jon": 0, "Priya": 0, "Leo": 0}


def test_a_mentor_after_a_mentor_is_no_interjection(clock: FakeClock) -> None:
    session = make_session(clock, mentors=["Ada", "Bea"])
    session.mentor_turn(1)
    clock.advance(3)
    session.mentor_turn(0)
    assert session.turn_view() == ("Ada", 0, None) and session.interrupted_view() is None
    session.end_turn()
    assert session.turn_view() is None


def test_undo_takes_an_interjection_and_its_end_back(session, clock) -> None:
    in_hot_seat(session)
    clock.advance(5)
    session.mentor_turn()
    clock.advance(20)
    session.end_turn()
    clock.advance(1)
    assert session.undo() == "the end of a turn"
    assert session.turn_view() == ("Ada", 21, None)
    assert session.interrupted_view() == ("Mira", 5, 300)
    assert session.undo() == "Ada's interjection"
    assert session.turn_view() == ("Mira", 26, 300)  # as if never interrupted
    assert session.interrupted_view() is None


def test_an_interjection_survives_a_rebuild(session: Session, clock: FakeClock) -> None:
    in_hot_seat(session)
    clock.advance(5)
    session.mentor_turn()
    clock.advance(9)
    assert rebuilt(session, clock).state() == session.state()
    assert session.state()["interrupted"] == {"person": "Mira", "seconds": 5, "budget_s": 300}


def test_pausing_during_an_interjection_stops_both_timers(session, clock) -> None:
    in_hot_seat(session)
    clock.advance(5)
    session.mentor_turn()
    clock.advance(5)
    session.toggle_pause()
    clock.advance(100)
    session.toggle_pause()
    session.end_turn()
    assert session.turn_view() == ("Mira", 5, 300)
    assert spoken(session)["Ada"] == 5


def test_leaving_during_an_interjection(clock: FakeClock) -> None:
    session = make_session(clock)
    session.start_turn("Mira")
    clock.advance(5)
    session.mentor_turn()
    session.set_attendance("Mira", "left")  # her paused turn goes with her
    assert session.interrupted_view() is None
    session.end_turn()
    assert session.turn_view() is None

    two = make_session(FakeClock(), mentors=["Ada", "Bea"])
    two.start_turn("Jon")
    two.mentor_turn(1)
    two.set_attendance("Bea", "left")  # the mentor leaves: Jon has the floor again
    assert two.turn_view()[0] == "Jon" and two.interrupted_view() is None


def test_ending_during_an_interjection_ends_both_turns(session, clock) -> None:
    in_hot_seat(session)
    clock.advance(5)
    session.mentor_turn()
    clock.advance(5)
    session.end_session()
    assert session.turn_view() is None and session.interrupted_view() is None
    assert spoken(session)["Mira"] == 5 and spoken(session)["Ada"] == 5


# -- rounds ------------------------------------------------------------------------------


def test_a_number_key_never_drops_someone_waiting_in_the_round(session: Session) -> None:
    session.next_item()
    with pytest.raises(DomainError, match="^Leo is already in the round$"):
        session.toggle_hand("Leo")
    with pytest.raises(DomainError, match="^Leo is already in the round$"):
        session.set_hand("Leo", False, source="phone")
    assert session.set_hand("Leo", True, source="phone") is None  # up already
    assert waiting(session) == ["Mira", "Jon", "Priya", "Leo"]
    assert all(e.in_round for e in session.queue_entries())


def test_skip_in_this_round_is_undoable(session: Session) -> None:
    session.next_item()
    session.skip_in_round("Jon")
    assert waiting(session) == ["Mira", "Priya", "Leo"]
    with pytest.raises(DomainError, match="Jon is not waiting in this round"):
        session.skip_in_round("Jon")
    with pytest.raises(DomainError, match="Ada is not waiting in this round"):
        session.skip_in_round("Ada")
    assert session.undo() == "Jon skipped in this round"
    assert waiting(session) == ["Mira", "Jon", "Priya", "Leo"]
    assert session.queue_entries()[1].in_round


def test_skipping_then_raising_a_hand_is_an_ordinary_hand(session: Session) -> None:
    session.next_item()
    session.skip_in_round("Mira")
    session.toggle_hand("Mira")
    assert waiting(session) == ["Jon", "Priya", "Leo", "Mira"]
    assert not session.queue_entries()[-1].in_round
    session.toggle_hand("Mira")  # an ordinary hand goes down as ever
    assert waiting(session) == ["Jon", "Priya", "Leo"]


def test_the_turn_budget_is_fixed_when_the_round_starts(session, clock) -> None:
    in_hot_seat(session)  # 1200 s over 4 mentees
    assert session.turn_view() == ("Mira", 0, 300)
    clock.advance(300)
    session.set_attendance("Jon", "left")
    session.set_attendance("Leo", "absent")
    session.extend(600)  # more time for the item, not for each turn
    session.next_speaker()
    assert session.turn_view() == ("Priya", 0, 300)
    assert session.turn_budget("Priya") == 300
    assert session.events[-1]["data"]["budget_s"] == 300
    assert rebuilt(session, clock).state() == session.state()


def test_attendance_settled_before_the_first_turn_counts(clock: FakeClock) -> None:
    agenda = Agenda("Rounds first", (AgendaItem("Round", 1200, "round"),))
    session = make_session(clock, agenda=agenda, absent=("Leo",))
    assert waiting(session) == ["Mira", "Jon", "Priya"]
    session.set_attendance("Priya", "absent")  # before anyone has spoken
    session.next_speaker()
    assert session.turn_view() == ("Mira", 0, 600)


def test_someone_late_joins_the_running_round_at_its_end(clock: FakeClock) -> None:
    session = make_session(clock, absent=("Leo",))
    session.toggle_hand("Ada")
    in_hot_seat(session)  # 1200 s over Mira, Jon and Priya
    session.set_attendance("Leo", "late", wall=clock.wall())
    assert waiting(session) == ["Jon", "Priya", "Leo", "Ada"]
    assert [e.in_round for e in session.queue_entries()] == [True, True, True, False]
    session.set_attendance("Jon", "late", wall=clock.wall())  # in the round already
    assert waiting(session) == ["Jon", "Priya", "Leo", "Ada"]
    for _ in range(3):
        session.next_speaker()
    assert session.turn_view() == ("Leo", 0, 400)  # the round's budget, as fixed
    assert rebuilt(session, clock).state() == session.state()


def test_someone_back_before_their_turn_waits_at_the_end(session: Session) -> None:
    in_hot_seat(session)
    session.set_attendance("Jon", "absent")
    assert waiting(session) == ["Priya", "Leo"]
    session.set_attendance("Jon", "present")
    assert waiting(session) == ["Priya", "Leo", "Jon"]
    session.next_item()  # out of the round: nobody joins it any more
    session.set_attendance("Priya", "absent")
    session.set_attendance("Priya", "late", wall=0)
    assert waiting(session) == []


def test_round_all_includes_the_mentors(clock: FakeClock) -> None:
    agenda = Agenda(
        "Kickoff",
        (
            AgendaItem("Welcome", 300),
            AgendaItem("Backgrounds", 1200, "round", everyone=True),
            AgendaItem("Hot seat", 1200, "round"),
        ),
    )
    session = make_session(clock, agenda=agenda, mentors=["Ada", "Bea"], absent=("Leo",))
    session.next_item()
    assert waiting(session) == ["Ada", "Bea", "Mira", "Jon", "Priya"]
    assert session.agenda_rows()[1].everyone and not session.agenda_rows()[2].everyone
    with pytest.raises(DomainError, match="Ada is already in the round"):
        session.toggle_hand("Ada")
    session.next_speaker()
    assert session.turn_view() == ("Ada", 0, 240)
    session.next_item()  # a plain round: mentees only
    assert waiting(session) == ["Mira", "Jon", "Priya"]
    assert session.turn_budget("Ada") is None
    assert rebuilt(session, clock).state() == session.state()


def test_a_round_all_flag_is_stored_only_where_it_is_set() -> None:
    agenda = Agenda("A", (AgendaItem("R", 600, "round", everyone=True), AgendaItem("D", 60)))
    items = agenda_to_data(agenda)["items"]
    assert items[0]["all"] is True and "all" not in items[1]
    assert "all" not in agenda_to_data(small_agenda())["items"][1]


def test_the_parser_reads_round_all() -> None:
    text = (
        "# Kickoff\n\n## Backgrounds (20 min) [round all]\nMentors included.\n\n"
        "## Hot seat (20 min) [Round]\n\n## Sharing (5 min) [ROUND  All]\n"
    )
    agenda = parse_agenda(text)
    assert [(i.kind, i.everyone) for i in agenda.items] == [
        ("round", True),
        ("round", False),
        ("round", True),
    ]
    assert "## Backgrounds (20 min) [round all]" in to_markdown(agenda)
    assert [i.everyone for i in parse_agenda(to_markdown(agenda)).items] == [True, False, True]


def test_the_parser_refuses_other_round_words(tmp_path) -> None:
    with pytest.raises(Exception, match=r"unknown kind tag \[round some\]"):
        parse_agenda("# T\n\n## A (5 min) [round some]\n")
    path = tmp_path / "a.md"
    path.write_text("# T\n\n## Backgrounds (20 min) [round all]\n")
    out = io.StringIO()
    assert check_command([str(path)], out, io.StringIO()) == 0
    assert "Backgrounds  round all  20 min" in out.getvalue()


def test_zero_picks_the_first_mentor_who_is_here() -> None:
    from circle.domain.clock import FakeClock
    from tests.conftest import make_session

    session = make_session(FakeClock(), mentors=["Sam Patel", "Bea Nowak"])
    session.set_attendance("Sam Patel", "absent")
    session.mentor_turn()  # the key `0`
    assert session.turn_view()[0] == "Bea Nowak"
    session.mentor_turn()  # again: the mentor speaking stops
    assert session.turn_view() is None


def test_a_session_with_every_mentor_absent_is_refused_whoever_opens_it(clock) -> None:
    with pytest.raises(DomainError, match=NO_PRESENT_MENTOR):
        make_session(clock, absent=(" ada ",))
    assert make_session(clock, absent=("Mira",)).roster.mentors == ["Ada"]
