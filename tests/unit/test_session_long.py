"""A simulated 3-hour session, and rebuild-from-events as a property."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circle.domain.agenda import Agenda, AgendaItem
from circle.domain.clock import FakeClock
from circle.domain.errors import DomainError
from circle.domain.session import Session
from tests.conftest import make_session

THREE_HOURS = Agenda(
    title="Long day",
    items=tuple(AgendaItem(f"Item {n}", 1800, "discussion") for n in range(6)),
)


def test_three_hour_session_is_exact_to_the_second() -> None:
    clock = FakeClock()
    s = make_session(clock, agenda=THREE_HOURS)
    spoken = {p: 0 for p in s.roster.people}
    people = ["Mira", "Jon", "Priya", "Leo", "Ada"]
    elapsed_on_item = 0
    for minute in range(180):
        person = people[minute % 5]
        s.start_turn(person)
        clock.advance(40)
        spoken[person] += 40
        elapsed_on_item += 40
        if minute % 7 == 0:  # a pause of 2 minutes, not counted anywhere
            s.toggle_pause()
            clock.advance(120)
            s.toggle_pause()
        s.toggle_hand("Leo")
        clock.advance(20)
        spoken[person] += 20
        elapsed_on_item += 20
        s.undo()  # takes Leo's hand back
        if minute % 30 == 29:
            if minute == 59:
                s.extend(60)
                s.extend(60)
            if minute < 179:
                s.next_item()
                elapsed_on_item = 0
        if minute == 100:
            s.skip_item(5)
            s.undo()
    s.end_turn()
    shares = {x.person: x.seconds for x in s.shares()}
    assert shares == spoken
    assert s.timer_view().elapsed_s == elapsed_on_item
    assert s.timer_view().remaining_s == 1800 - elapsed_on_item
    rows = s.item_rows()
    assert rows[1]["planned_s"] == 1920 and rows[1]["actual_s"] == 1800
    assert s.queue_entries() == []
    assert Session.restore(s.events, clock, s.now()).state() == s.state()


ACTIONS = st.sampled_from(
    [
        "advance",
        "pause",
        "next",
        "prev",
        "extend",
        "shorten",
        "hand1",
        "hand2",
        "hand3",
        "speak",
        "done",
        "mentor",
        "question",
        "vote",
        "phonevote",
        "answer",
        "park",
        "hide",
        "action",
        "takeaway",
        "undo",
        "undo",
        "absent",
        "policy",
        "skip",
        "insert",
        "move",
        "rebalance",
        "blind",
    ]
)


def act(s: Session, clock: FakeClock, name: str, n: int) -> None:
    qids = sorted(s.board.questions) or [0]
    qid = qids[n % len(qids)]
    ops = {
        "advance": lambda: clock.advance(n * 7.25),
        "pause": s.toggle_pause,
        "next": s.next_item,
        "prev": s.previous_item,
        "extend": lambda: s.extend(60),
        "shorten": lambda: s.extend(-60),
        "hand1": lambda: s.toggle_hand("Mira"),
        "hand2": lambda: s.toggle_hand("Jon"),
        "hand3": lambda: s.set_hand("Priya", True, "phone"),
        "speak": s.next_speaker,
        "done": s.end_turn,
        "mentor": s.mentor_turn,
        "question": lambda: s.add_question(
            f"Question {n}", source="phone" if n % 2 else "keyboard"
        ),
        "vote": lambda: s.vote(qid),
        "phonevote": lambda: s.vote(qid, f"dev{n % 3}"),
        "answer": lambda: s.toggle_status(qid, "answered"),
        "park": lambda: s.toggle_status(qid, "parked"),
        "hide": lambda: s.hide_question(qid),
        "action": lambda: s.add_action(f"Task {n}"),
        "takeaway": lambda: s.add_takeaway(f"Learned {n}"),
        "undo": s.undo,
        "absent": lambda: s.set_attendance(["Mira", "Jon", "Leo"][n % 3], "absent"),
        "policy": lambda: s.set_policy("fcfs" if n % 2 else "progressive"),
        "skip": lambda: s.skip_item(s.timer_().items[n % 6].id),
        "insert": lambda: s.insert_item(f"Extra {n}", 60 * (n % 5 + 1)),
        "move": lambda: s.move_item(s.timer_().items[n % len(s.timer_().items)].id, 1),
        "rebalance": s.rebalance,
        "blind": lambda: s.set_blind(not s.blind),
    }
    with contextlib.suppress(DomainError):
        ops[name]()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(ACTIONS, st.integers(0, 40)), max_size=60))
def test_rebuild_equals_live_state(steps: list[tuple[str, int]]) -> None:
    clock = FakeClock()
    s = make_session(clock)
    for name, n in steps:
        act(s, clock, name, n)
        assert Session.restore(s.events, clock, s.now()).state() == s.state()
