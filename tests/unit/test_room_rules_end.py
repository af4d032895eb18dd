"""Rules of the room around time and privacy: the end, resuming, the pulse, flash
rounds, durations in words, and the blind."""

from __future__ import annotations

import re

import pytest

from circle.domain import privacy
from circle.domain.board import Takeaway
from circle.domain.clock import FakeClock
from circle.domain.durations import duration_text
from circle.domain.errors import DomainError
from circle.domain.events import SYSTEM
from circle.domain.present import HIDDEN_NAME, HIDDEN_TEXT, minutes_label, state_class, state_words
from circle.domain.session import Session, session_at_rest
from circle.domain.timer import ItemRun, spread_overrun
from circle.domain.views import ActionRow, FlashView, MeetingRow, QuestionRow
from circle.minutes.markdown import render_markdown

# -- an ended session ---------------------------------------------------------------------

REFUSED_AFTER_END = {
    # Each of these would fail for another reason too (an empty queue, a name not
    # on the roster, nothing to undo ...): the end is what is said.
    "next_speaker": lambda s: s.next_speaker(),
    "end_turn": lambda s: s.end_turn(),
    "toggle_hand": lambda s: s.toggle_hand("Zed"),
    "set_hand": lambda s: s.set_hand("Mira", True),
    "skip_in_round": lambda s: s.skip_in_round("Mira"),
    "mentor_turn": lambda s: s.mentor_turn(1),
    "start_turn": lambda s: s.start_turn("Mira"),
    "toggle_pause": lambda s: s.toggle_pause(),
    "next_item": lambda s: s.next_item(),
    "previous_item": lambda s: s.previous_item(),
    "extend": lambda s: s.extend(60),
    "rebalance": lambda s: s.rebalance(),
    "insert_item": lambda s: s.insert_item("", 0),
    "add_question": lambda s: s.add_question(""),
    "vote": lambda s: s.vote(999),
    "add_action": lambda s: s.add_action(""),
    "add_takeaway": lambda s: s.add_takeaway(""),
    "set_attendance": lambda s: s.set_attendance("Zed", "late"),
    "start_flash": lambda s: s.start_flash(),
    "advance_flash": lambda s: s.advance_flash(),
    "flash_note": lambda s: s.flash_note("topic", "x"),
    "undo": lambda s: s.undo(),
    "end_session": lambda s: s.end_session(),
}


@pytest.mark.parametrize("name", sorted(REFUSED_AFTER_END))
def test_an_ended_session_refuses_every_change_first(session: Session, name: str) -> None:
    session.toggle_hand("Mira")
    session.end_session()
    count = len(session.events)
    with pytest.raises(DomainError, match="^The session has ended$"):
        REFUSED_AFTER_END[name](session)
    assert len(session.events) == count


def test_what_an_ended_session_still_takes(session: Session) -> None:
    action = session.add_action("Send the notes", owner="Ada")["seq"]
    assert not session.ended
    session.ensure_open()  # nothing to refuse yet
    session.end_session()
    assert session.ended
    with pytest.raises(DomainError, match="The session has ended"):
        session.ensure_open()
    session.open_pulse()
    session.give_pulse(7, "fine")
    session.open_pulse(False)
    session.set_action_done(action)
    session.set_blind(True)
    assert session.blind and session.actions[action].done


def test_the_clock_stops_at_the_end(session: Session, clock: FakeClock) -> None:
    session.start_turn("Mira")
    clock.advance(60)
    session.end_session()
    ended = session.ended_at
    frozen = (session.timer_view(), session.shares(), session.behind_s(), session.active())
    clock.advance(900)
    assert (session.timer_view(), session.shares(), session.behind_s(), session.active()) == frozen
    assert session.timer_view().remaining_s == 240
    assert session.forecast_end_wall() == ended
    assert session.agenda_rows()[0].actual_s == 60
    assert state_words(session.timer_view(), session.paused, session.ended) == "ENDED"
    assert state_class(session.timer_view(), session.paused, session.ended) == "-ended"


def test_a_flash_round_stops_at_the_end_too(session: Session, clock: FakeClock) -> None:
    session.next_item()
    session.next_item()
    session.start_flash()
    clock.advance(100)
    session.end_session()
    clock.advance(5000)
    run = session.current_flash()
    assert run is not None and run.position(session.active()).remaining(session.active()) == (
        run.plan.slot_s - 100
    )


def test_an_ended_session_rebuilt_later_reads_the_same(session, clock) -> None:
    clock.advance(42)
    session.end_session()
    later = FakeClock(monotonic=5.0, wall=clock.wall() + 86_400)
    restored = Session.restore(session.events, later, session.now() + 3600)
    assert restored.timer_view() == session.timer_view()
    assert restored.state()["active"] == session.state()["active"] == 42


# -- resuming ------------------------------------------------------------------------------


def test_a_resumed_session_comes_back_paused(session: Session, clock: FakeClock) -> None:
    clock.advance(30)
    saved = session.now()
    restored = Session.restore(session.events, FakeClock(monotonic=2.0), saved)
    heard: list[dict] = []
    restored.listeners.append(heard.append)
    event = restored.pause_on_resume()
    assert event is not None and event["kind"] == "paused" and event["source"] == SYSTEM
    assert heard == [event] and restored.paused
    restored.clock.advance(600)
    assert restored.timer_view().elapsed_s == 30
    assert restored.pause_on_resume() is None  # paused already: nothing more
    with pytest.raises(DomainError, match="Nothing to undo"):
        restored.undo()  # the system's pause is not the facilitator's to undo
    assert restored.toggle_pause() is False
    restored.clock.advance(5)
    assert restored.timer_view().elapsed_s == 35


def test_an_ended_session_resumes_as_it_was(session: Session) -> None:
    session.end_session()
    restored = Session.restore(session.events, FakeClock(), session.now())
    assert restored.pause_on_resume() is None and not restored.paused


def test_the_minutes_record_nothing(session: Session, clock: FakeClock) -> None:
    clock.advance(30)
    rest = session_at_rest(session.events, {"session_s": session.now()})
    assert len(rest.events) == len(session.events) and not rest.paused


# -- the pulse ---------------------------------------------------------------------------------


def test_an_open_pulse_shows_only_how_many_answered(session: Session) -> None:
    session.set_attendance("Leo", "absent")
    session.set_attendance("Jon", "late", wall=0)
    session.open_pulse()
    for score in (9, 3, 6):
        session.give_pulse(score, "a comment")
    pulse = session.pulse_view()
    assert pulse.open and pulse.text == pulse.progress == "3 of 4 answered"  # Ada counts
    assert (pulse.average, pulse.spread, pulse.comments) == (None, None, ())


def test_a_closed_pulse_gives_the_average_only_from_three_scores(session: Session) -> None:
    session.open_pulse()
    session.give_pulse(9, "zebra crossing")
    session.give_pulse(None, "Apples")
    session.give_pulse(3)
    session.open_pulse(False)
    pulse = session.pulse_view()
    assert (pulse.answered, pulse.scores, pulse.average, pulse.spread) == (3, 2, None, None)
    assert pulse.text == "2 scores: an average shows from 3"
    assert pulse.comments == ("Apples", "zebra crossing")  # sorted, not as they came
    session.give_pulse(6)
    pulse = session.pulse_view()
    assert pulse.average == 6 and pulse.spread == pytest.approx(2.449, abs=1e-3)
    assert pulse.text == "average 6.0 / 10 · spread ±2.4 · 3 scores"


def test_the_minutes_follow_the_pulse_rule(session: Session, clock: FakeClock) -> None:
    session.open_pulse()
    session.give_pulse(9, "Zest")
    session.give_pulse(7, "apple")
    session.give_pulse(None, "Mango")
    session.end_session()
    minutes = render_markdown(session_at_rest(session.events, {"session_s": session.now()}))
    feedback = minutes.split("## Feedback\n", 1)[1]
    assert "Pulse: 2 scores (3 answers); an average is given only from 3 scores." in feedback
    assert not re.search(r"\b[79]\b", feedback)  # no score, and no average of two
    assert feedback.index("apple") < feedback.index("Mango") < feedback.index("Zest")


# -- flash rounds -------------------------------------------------------------------------------


def test_a_second_f_within_a_second_is_ignored(session: Session, clock: FakeClock) -> None:
    session.next_item()
    session.next_item()  # the flash item
    session.start_flash()
    count = len(session.events)
    assert session.advance_flash() is None
    clock.advance(0.9)
    assert session.advance_flash() is None and len(session.events) == count
    clock.advance(0.2)
    assert session.advance_flash() is not None  # ends slot 1 after 1.1 s
    clock.advance(0.5)
    assert session.advance_flash() is None  # the changeover is not skipped by a double press
    assert session.current_flash().position(session.active()).phase == "changeover"
    clock.advance(0.5)
    assert session.advance_flash() is not None


def test_after_an_ad_hoc_flash_round_the_item_countdown_returns(session, clock) -> None:
    for _ in range(3):
        session.next_item()  # Questions, 600 s
    session.start_flash(400)
    assert session.flash_on_screen() is session.flash_runs[-1]
    clock.advance(450)
    assert session.current_flash() is None and session.flash_on_screen() is None
    assert session.timer_view().remaining_s == 150


def test_a_flash_item_keeps_its_finished_round_on_screen(session, clock) -> None:
    session.next_item()
    session.next_item()
    session.start_flash()
    clock.advance(1300)
    assert session.current_flash() is None
    assert session.flash_on_screen() is session.flash_runs[-1]
    session.next_item()
    assert session.flash_on_screen() is None


# -- durations in words -------------------------------------------------------------------------


def test_durations_read_as_minutes_or_m_ss_never_decimals() -> None:
    assert [duration_text(s) for s in (300, 288, 45, 0, 3600, 3725)] == [
        "5 min",
        "4:48",
        "0:45",
        "0:00",
        "60 min",
        "1:02:05",
    ]
    assert [minutes_label(s) for s in (300, 288, 1158, 60)] == ["5m", "4:48", "19:18", "1m"]


def test_a_refused_rebalance_says_m_ss() -> None:
    items = [ItemRun(id=1, title="Last", kind="discussion", planned_s=90)]
    with pytest.raises(DomainError) as refused:
        spread_overrun(items, 100)
    assert str(refused.value) == (
        "Can't rebalance: 1:40 over, but the 1 remaining item(s) have only 0:30 to give"
    )


def test_rebalanced_times_in_the_agenda_have_no_decimals(session, clock) -> None:
    clock.advance(420)  # Check-in, 5 min, runs 7 min
    session.rebalance()
    labels = [minutes_label(row.planned_s) for row in session.agenda_rows()]
    assert labels[0] == "5m" and not any("." in label for label in labels)
    assert any(":" in label for label in labels)


# -- the blind ---------------------------------------------------------------------------------


def test_blinded_rows_hide_everything_typed_and_every_name() -> None:
    action = ActionRow(4, "Leo: wants to move to the platform team", "Leo", "Friday", False, False)
    assert privacy.blinded(action) == ActionRow(
        4, HIDDEN_TEXT, HIDDEN_NAME, HIDDEN_TEXT, False, False
    )
    takeaway = Takeaway(7, 1, "Leo wants to move", "decision")
    assert privacy.blinded(takeaway) == Takeaway(7, 1, HIDDEN_TEXT, "decision")
    question = QuestionRow(3, "Why?", None, "phone", 2, "open", False, False, False)
    assert privacy.blinded(question).text == HIDDEN_TEXT
    assert privacy.blinded(question).asker is None  # nobody named stays nobody


def test_a_blinded_flash_view_hides_topics_and_the_rotation() -> None:
    meeting = MeetingRow("Leo", "Ada", 300, "Changing teams", "", None)
    flash = FlashView(1, False, 0, "slot", 100.0, ((meeting,),), (("Mira", "Jon"),))
    hidden = privacy.blinded(flash)
    assert hidden.meetings == ((MeetingRow(HIDDEN_NAME, HIDDEN_NAME, 300, HIDDEN_TEXT, "", None),),)
    assert hidden.sitting_out == ((HIDDEN_NAME, HIDDEN_NAME),)
    assert hidden.remaining_s == 100.0 and hidden.item_id == 1


def test_the_session_shows_rows_blinded_only_behind_the_blind(session: Session) -> None:
    session.add_takeaway("Leo: wants to move to the platform team")
    takeaway = session.takeaways_for(0)[0]
    assert session.shown(takeaway) == takeaway
    session.set_blind(True)
    assert session.shown(takeaway).text == HIDDEN_TEXT
    assert [session.shown(s).person for s in session.shares()] == [HIDDEN_NAME] * 5
    assert privacy.blinded_text("") == "" and privacy.blinded_name("Mira") == HIDDEN_NAME


def test_one_rule_shows_a_name_or_a_text_to_the_room() -> None:
    """Every screen (console, wall, phones, the end review) asks these two."""
    assert privacy.shown_name(False, "Mira") == "Mira"
    assert privacy.shown_name(True, "Mira") == HIDDEN_NAME
    assert privacy.shown_name(True, None) is None  # nobody stays nobody
    assert privacy.shown_text(False, "A worry") == "A worry"
    assert privacy.shown_text(True, "A worry") == HIDDEN_TEXT
    assert privacy.shown_text(True, "") == ""  # nothing typed stays nothing
