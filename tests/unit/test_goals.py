"""Goals: the rules for making and updating them, their views, the `[goals]` kind, the stage."""

from __future__ import annotations

import pytest

from circle.domain import goal_views
from circle.domain.agenda import Agenda, AgendaItem
from circle.domain.carry import carry_over
from circle.domain.clock import FakeClock
from circle.domain.errors import DomainError
from circle.domain.fold import fold
from circle.domain.goals import STAGES, goal_key, suggested_agenda
from circle.domain.privacy import blinded
from circle.domain.session import Session
from tests.conftest import make_session

GOALS_AGENDA = Agenda(
    title="Goal review",
    items=(
        AgendaItem("Check-in", 300, "discussion"),
        AgendaItem("Goal review", 1200, "goals"),
        AgendaItem("Wrap-up", 300, "close"),
    ),
)


def test_a_goal_belongs_to_the_mentee_speaking_else_the_first(session: Session) -> None:
    first = session.add_goal("Speak up in every team meeting")["seq"]
    assert session.goals[first].owner == "Mira"  # nobody speaks: the first mentee
    session.start_turn("Priya")
    second = session.add_goal("Ship a side project", horizon="reach", due="2027-03-01")["seq"]
    goal = session.goals[second]
    assert (goal.owner, goal.horizon, goal.due, goal.status) == (
        "Priya",
        "reach",
        "2027-03-01",
        "open",
    )
    session.mentor_turn()  # a mentor speaking owns no goal: the first mentee does
    assert session.goals[session.add_goal("Read more")["seq"]].owner == "Mira"
    assert session.goals[session.add_goal("Lead", owner="leo")["seq"]].owner == "Leo"


def test_the_default_horizon_is_habit(session: Session) -> None:
    goal = session.goals[session.add_goal("Walk daily")["seq"]]
    assert goal.horizon == "habit"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "   "}, "needs its text"),
        ({"text": "x", "owner": "Ada"}, "belongs to a mentee; Ada is a mentor"),
        ({"text": "x", "owner": "Zed"}, "not on the roster"),
        ({"text": "x", "horizon": "forever"}, "habit, reach or stretch"),
        ({"text": "x", "due": "2026-13-45"}, "2026-13-45 is not a real date"),
        ({"text": "x", "due": "2026-02-30"}, "2026-02-30 is not a real date"),
        ({"text": "x", "due": "next month"}, "written YYYY-MM-DD"),
        ({"text": "x" * 301}, "limit is 300"),
    ],
)
def test_a_goal_is_refused_with_the_reason(session: Session, kwargs: dict, message: str) -> None:
    before = len(session.events)
    with pytest.raises(DomainError, match=message):
        session.add_goal(**kwargs)
    assert len(session.events) == before and not session.goals


def test_each_status_change_is_an_event_with_its_note(session: Session) -> None:
    goal = session.add_goal("Speak up", owner="Jon")["seq"]
    session.update_goal(goal, "at risk", "No time | busy\x1b[31m week")
    session.update_goal(goal, "on track")
    kinds = [e["kind"] for e in session.events[-2:]]
    assert kinds == ["goal_status", "goal_status"]
    assert session.events[-2]["data"] == {
        "goal": goal,
        "status": "at risk",
        "note": "No time | busy week",
    }
    row = session.goals_of("Jon")[0]
    assert row.status == "on track"
    assert row.changes == (("at risk", "No time | busy week"), ("on track", ""))
    assert row.notes == ("No time | busy week",)
    with pytest.raises(DomainError, match="one of open, on track, at risk, done, dropped"):
        session.update_goal(goal, "finished")
    with pytest.raises(DomainError, match="No goal #999"):
        session.update_goal(999, "done")


def test_undo_takes_a_goal_and_its_change_back(session: Session) -> None:
    goal = session.add_goal("Speak up")["seq"]
    session.update_goal(goal, "done", "Did it")
    assert session.undo() == "goal marked done"
    assert session.goals[goal].status == "open" and session.goals[goal].changes == []
    assert session.undo() == "the new goal"
    assert not session.goals


def test_a_goal_can_be_updated_after_the_end(session: Session) -> None:
    goal = session.add_goal("Speak up")["seq"]
    session.end_session()
    session.update_goal(goal, "on track", "Said while reading the minutes")
    assert session.goals[goal].status == "on track"
    with pytest.raises(DomainError, match="ended"):
        session.add_goal("Too late")


def test_turn_goals_show_the_speakers_open_goals_with_the_notes(session: Session) -> None:
    kept = session.add_goal("Speak up", owner="Mira")["seq"]
    closed = session.add_goal("Old goal", owner="Mira")["seq"]
    session.add_goal("Jon's own", owner="Jon")
    session.update_goal(kept, "on track", "Twice this week")
    session.update_goal(closed, "dropped", "No longer relevant")
    assert session.turn_goals() is None  # nobody speaks
    session.start_turn("Mira")
    turn = session.turn_goals()
    assert turn is not None and turn.person == "Mira"
    assert [(g.text, g.notes) for g in turn.goals] == [("Speak up", ("Twice this week",))]
    session.start_turn("Priya")  # no goals: nothing to show
    assert session.turn_goals() is None
    session.mentor_turn()
    assert session.turn_goals() is None


def goals_session(clock: FakeClock, **kwargs) -> Session:
    return make_session(clock, agenda=GOALS_AGENDA, **kwargs)


def test_a_goals_item_runs_like_a_round(clock: FakeClock) -> None:
    s = goals_session(clock, absent=("Priya",))
    s.next_item()
    assert [e.person for e in s.queue_entries()] == ["Mira", "Jon", "Leo"]
    assert all(e.in_round for e in s.queue_entries())
    assert s.turn_budget("Mira") == 400.0  # 20 min shared by three present mentees
    s.next_speaker()
    assert s.turn_view().person == "Mira" and s.turn_view().budget_s == 400.0


def test_a_goals_item_reviews_each_present_mentee(clock: FakeClock) -> None:
    s = goals_session(clock, absent=("Leo",))
    mira = s.add_goal("Speak up", owner="Mira")["seq"]
    s.add_goal("Read weekly", owner="Mira")
    s.add_goal("Ship it", owner="Jon", horizon="reach")
    s.add_goal("Absent's goal", owner="Leo")
    assert s.goals_review() == []  # shown to the room only in a [goals] item
    s.next_item()
    s.next_speaker()  # Mira
    s.update_goal(mira, "done", "Every meeting this month")
    review = s.goals_review()
    assert [(r.mentee, r.speaking) for r in review] == [
        ("Mira", True),
        ("Jon", False),
        ("Priya", False),
    ]
    # A goal closed in this session stays in view while its owner speaks.
    turn = s.turn_goals()
    assert turn is not None and [g.text for g in turn.goals] == ["Speak up", "Read weekly"]
    assert [g.text for g in review[1].goals] == ["Ship it"] and review[2].goals == ()
    s.start_turn("Jon")
    s.next_item()  # past the [goals] item only goals still worked on are shown
    s.start_turn("Mira")
    turn = s.turn_goals()
    assert turn is not None and [g.text for g in turn.goals] == ["Read weekly"]


def test_goal_rows_are_by_owner_in_roster_order_then_as_made(session: Session) -> None:
    session.add_goal("J1", owner="Jon")
    session.add_goal("M1", owner="Mira")
    session.add_goal("J2", owner="Jon")
    assert [g.text for g in session.goal_rows()] == ["M1", "J1", "J2"]


def test_carried_goals_come_in_with_status_and_notes(clock: FakeClock) -> None:
    first = make_session(clock)
    g = first.add_goal("Speak up", owner="Jon", horizon="reach", due="2026-12-01")["seq"]
    first.update_goal(g, "at risk", "Busy")
    dropped = first.add_goal("Dropped one", owner="Mira")["seq"]
    first.update_goal(dropped, "dropped")
    carry = carry_over(first.folded, "S1")
    assert carry.goals == (
        {
            "key": "S1#" + str(g),
            "owner": "Jon",
            "text": "Speak up",
            "horizon": "reach",
            "due": "2026-12-01",
            "status": "at risk",
            "notes": ["Busy"],
        },
        {
            "key": goal_key("S1", dropped),
            "owner": "Mira",
            "text": "Dropped one",
            "horizon": "habit",
            "due": "",
            "status": "dropped",
            "notes": [],
        },
    )
    second = make_session(clock, carried_goals=carry.goals, stage=carry.stage)
    jon = second.goals_of("Jon")[0]
    assert (jon.status, jon.notes, jon.carried_in, jon.changed_here) == (
        "at risk",
        ("Busy",),
        True,
        False,
    )
    assert second.goals_of("Mira") == []  # dropped: not among the live ones
    assert [g.text for g in second.goals_of("Mira", live_only=False)] == ["Dropped one"]
    second.update_goal(jon.id, "on track", "Found time")
    again = carry_over(second.folded, "S2").goals[0]
    assert again["key"] == "S1#" + str(g)  # the name it was given first
    assert again["notes"] == ["Busy", "Found time"]


def test_a_new_series_starts_in_initiation_and_the_stage_is_carried(clock: FakeClock) -> None:
    s = make_session(clock)
    assert s.stage == "initiation"
    with pytest.raises(DomainError, match="A stage is one of initiation, cultivation"):
        s.set_stage("growing")
    s.set_stage("Cultivation")
    assert s.stage == "cultivation"
    assert s.events[-1]["data"] == {"stage": "cultivation"}
    assert s.undo() == "the stage set to cultivation" and s.stage == "initiation"
    s.set_stage("separation")
    s.end_session()
    s.set_stage("redefinition")  # decided in the closing conversation
    carry = carry_over(s.folded, "S1")
    assert carry.stage == "redefinition"
    nxt = make_session(clock, stage=carry.stage)
    assert nxt.stage == "redefinition"
    assert nxt.events[-1]["source"] == "system"  # carried in, not undoable
    with pytest.raises(DomainError, match="Nothing to undo"):
        nxt.undo()


def test_the_stage_suggests_an_agenda() -> None:
    assert suggested_agenda("initiation") == "kickoff"
    assert suggested_agenda("redefinition") == "closing-celebration"
    assert suggested_agenda("cultivation") is None
    assert suggested_agenda("separation") is None
    assert len(STAGES) == 4


def test_goal_state_survives_a_rebuild(session: Session, clock: FakeClock) -> None:
    goal = session.add_goal("Speak up", due="2026-11-01")["seq"]
    session.update_goal(goal, "on track", "Good start")
    session.set_stage("cultivation")
    clock.advance(10)
    state = session.state()
    assert state["stage"] == "cultivation"
    assert state["goals"][0]["changes"] == [{"status": "on track", "note": "Good start"}]
    rebuilt = Session.restore(session.events, clock, session.now())
    assert rebuilt.state() == state
    assert goal_views.goal_rows(fold(session.events)) == session.goal_rows()


def test_the_blind_hides_goals_and_their_notes(clock: FakeClock) -> None:
    s = goals_session(clock)
    goal = s.add_goal("SECRET-GOAL", owner="Mira", due="2026-12-01")["seq"]
    s.update_goal(goal, "at risk", "SECRET-NOTE")
    s.next_item()
    s.start_turn("Mira")
    for row in (s.turn_goals(), s.goals_review()[0]):  # both Mira's
        hidden = repr(blinded(row))
        assert "SECRET" not in hidden and "Mira" not in hidden and "2026-12-01" not in hidden
        assert "at risk" in hidden  # states are no one's words
