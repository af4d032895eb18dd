"""Stored series for tests: sessions started as runtime starts them, with the
series' carry-over (action items, questions, goals, stage) from the previous
session, saved through a real `circle.storage.Store`."""

from __future__ import annotations

from circle.agendafiles.parser import resolve_agenda
from circle.domain.clock import FakeClock
from circle.domain.session import Session
from circle.runtime import LiveRun, series_carry_over, summary_of
from circle.storage import Store

MENTORS = ["Ada"]
MENTEES = ["Mira", "Jon", "Priya", "Leo"]
DAY = 86_400


def start_in_series(
    store: Store,
    clock: FakeClock,
    *,
    title: str,
    series: str,
    agenda: str = "goal-review",
    mentors: list[str] | None = None,
    mentees: list[str] | None = None,
    absent: tuple[str, ...] = (),
    session_id: str | None = None,
) -> LiveRun:
    """A new session of `series`, carrying over from its newest one; `session_id`
    fixes the id (the store's own is local time and random: goldens can't use it)."""
    carry = series_carry_over(store, series)
    session = Session.create(
        title=title,
        agenda=resolve_agenda(agenda),
        mentors=mentors or (carry.mentors if carry else list(MENTORS)),
        mentees=mentees or (carry.mentees if carry else list(MENTEES)),
        clock=clock,
        series=series,
        absent=absent,
        **(carry.session_args() if carry else {}),
        join_code="ABCDEF",
    )
    session_id = session_id or store.new_session_id(session.started_wall)
    tail = store.create_session(summary_of(session_id, session), list(session.events))
    return LiveRun(store, session_id, session, tail=tail)


def close(run: LiveRun) -> None:
    """End the session and save it all, the clock included."""
    assert run.close(), "the writer did not flush"


# -- a three-session series, as a new user would run it ---------------------------

SERIES = "Autumn cohort"
IDS = ("20260921-1413-aut1", "20261005-1413-aut2", "20261019-1413-aut3")


def advance_to(run: LiveRun, kind: str) -> None:
    """Move on through the agenda to the next item of `kind`."""
    session = run.session
    while session.timer_().item.kind != kind:
        session.next_item()


def round_of_turns(run: LiveRun, clock: FakeClock, seconds: dict[str, float]) -> None:
    for person, spoken in seconds.items():
        run.session.start_turn(person)
        clock.advance(spoken)
    run.session.end_turn()


def first_session(store: Store, clock: FakeClock) -> None:
    """The kick-off: backgrounds, three goals, three action items, a pulse of 4."""
    run = start_in_series(
        store, clock, title="Kick-off", series=SERIES, agenda="kickoff", session_id=IDS[0]
    )
    s = run.session
    clock.advance(300)
    advance_to(run, "round")
    round_of_turns(run, clock, {"Mira": 240, "Jon": 300, "Priya": 180, "Leo": 200})
    s.next_item()
    clock.advance(400)
    s.next_item()  # Goals and skills to develop
    s.start_turn("Mira")
    clock.advance(120)
    s.add_goal("Speak up in every team meeting", due="2026-11-01")
    s.start_turn("Jon")
    clock.advance(150)
    s.add_goal("Ship a side project", horizon="reach", due="2027-03-01")
    s.add_action("Read chapter 3 of the handbook", due="2026-10-01")
    s.start_turn("Priya")
    clock.advance(90)
    s.add_goal("Lead a team of my own", horizon="stretch")
    s.add_action("Draft the raise proposal", due="2026-10-05")
    s.end_turn()
    s.add_action("Book a room for next time")  # nobody speaks: no owner
    s.mentor_turn()
    clock.advance(60)
    s.end_turn()
    advance_to(run, "close")
    clock.advance(300)
    s.end_session()
    for score, comment in ((8, "Good start"), (7, ""), (9, "Clear ground rules"), (8, "")):
        s.give_pulse(score, comment)
    close(run)


def second_session(store: Store, clock: FakeClock) -> None:
    """Leo absent; the goals reviewed and updated; items moved on; a pulse of 2."""
    run = start_in_series(store, clock, title="Circle 2", series=SERIES, session_id=IDS[1])
    s = run.session
    s.set_attendance("Leo", "absent")
    round_of_turns(run, clock, {"Mira": 60, "Jon": 70, "Priya": 50})
    s.next_item()  # last time's action items
    for action in list(s.actions.values()):
        status = {"Draft the raise proposal": "done", "Book a room for next time": "done"}
        s.set_action_status(action.id, status.get(action.text, "in progress"))
    clock.advance(300)
    advance_to(run, "goals")
    goal = {g.owner: g.id for g in s.goals.values()}
    s.start_turn("Mira")
    clock.advance(200)
    s.update_goal(goal["Mira"], "on track", "Spoke up twice this week")
    s.start_turn("Jon")
    clock.advance(250)
    s.update_goal(goal["Jon"], "at risk", "No time | work is busy")
    s.start_turn("Priya")
    clock.advance(180)
    s.add_action("Ask my manager for *feedback*", due="2026-10-15")
    s.end_turn()
    s.set_stage("cultivation")
    advance_to(run, "close")
    clock.advance(240)
    s.end_session()
    s.give_pulse(6, "")
    s.give_pulse(9, "Useful goal review")
    close(run)


def third_session(store: Store, clock: FakeClock) -> None:
    """Priya late; two goals done; one item dropped, one new; a pulse of 4."""
    run = start_in_series(store, clock, title="Circle 3", series=SERIES, session_id=IDS[2])
    s = run.session
    s.set_attendance("Priya", "late", wall=clock.wall() + 600)
    round_of_turns(run, clock, {"Mira": 80, "Jon": 90, "Leo": 100})
    s.next_item()
    for action in list(s.actions.values()):
        if action.text.startswith("Read chapter 3"):
            s.set_action_status(action.id, "dropped")
    advance_to(run, "goals")
    goal = {g.owner: g.id for g in s.goals.values()}
    s.start_turn("Mira")
    clock.advance(150)
    s.update_goal(goal["Mira"], "done", "Every meeting in October")
    s.start_turn("Jon")
    clock.advance(300)
    s.update_goal(goal["Jon"], "done", "Launched <it> at last!")
    s.add_action("Send the demo link to the group")
    s.start_turn("Leo")
    clock.advance(120)
    s.add_goal("Mentor a newcomer", horizon="reach", due="2027-06-30")
    s.end_turn()
    advance_to(run, "close")
    clock.advance(300)
    s.end_session()
    for score in (9, 10, 8, 9):
        s.give_pulse(score, "")
    close(run)


def autumn_cohort(store: Store) -> tuple[str, ...]:
    """The three sessions, a fortnight apart; returns their ids, oldest first."""
    clock = FakeClock(wall=1_790_000_000.0)
    for n, session in enumerate((first_session, second_session, third_session)):
        if n:
            clock.advance(14 * DAY)
        session(store, clock)
    return IDS
