"""A copy of a session that follows another's events (the join page's process)."""

from __future__ import annotations

import json

from circle.domain.clock import FakeClock, FollowedClock
from circle.domain.errors import DomainError
from circle.domain.history import History
from circle.domain.session import Session
from circle.web import wire
from circle.web.desk import Done
from circle.web.page import ApiError
from tests.conftest import make_session


def copy_of(session: Session) -> Session:
    """As the join page's process makes it: the events so far, the clock as read now."""
    events = json.loads(json.dumps(session.events))  # as they cross the pipe
    followed = FollowedClock(session.clock.monotonic(), session.clock.wall())
    copy = Session(followed, base_s=session.now(), history=History.of(events))
    copy.version = session.version
    return copy


def test_a_copy_that_follows_the_events_ends_in_the_same_state(
    clock: FakeClock, monkeypatch
) -> None:
    monkeypatch.setattr("circle.domain.clock.time.monotonic", lambda: 50.0)  # no time passes
    session = make_session(clock)
    session.add_question("Before the copy")
    copy = copy_of(session)
    assert isinstance(copy.clock, FollowedClock)
    seen: list[int] = []
    session.listeners.append(lambda event: copy.follow(json.loads(json.dumps(event))))
    copy.listeners.append(lambda event: seen.append(event["seq"]))

    session.add_question("After")
    session.vote(session.board.ordered()[0].id)
    session.toggle_hand("Mira")
    session.set_blind(True)
    clock.advance(5)
    copy.clock.set(clock.monotonic(), clock.wall())  # the console's tick
    session.undo()  # takes back the blind
    session.add_question("Third")
    session.undo()  # and the third question

    assert copy.state() == session.state()
    assert copy.version == session.version
    assert seen == [e["seq"] for e in session.events[-7:]]


def test_an_undo_followed_from_a_long_log_folds_from_the_right_snapshot(
    clock: FakeClock,
) -> None:
    session = make_session(clock)
    copy = copy_of(session)
    session.listeners.append(copy.follow)
    for n in range(1200):  # past two snapshots
        session.add_question(f"Question {n}")
    session.undo()
    assert [q.text for q in copy.board.ordered()] == [q.text for q in session.board.ordered()]
    assert len(copy.board.ordered()) == 1199


def test_a_followed_clock_runs_on_from_the_last_reading(monkeypatch) -> None:
    now = [100.0]
    monkeypatch.setattr("circle.domain.clock.time.monotonic", lambda: now[0])
    clock = FollowedClock(5000.0, 1_790_000_000.0)
    now[0] += 2.5
    assert (clock.monotonic(), clock.wall()) == (5002.5, 1_790_000_002.5)
    clock.set(9000.0, 1_790_000_100.0)  # the other clock jumped
    now[0] += 1
    assert (clock.monotonic(), clock.wall()) == (9001.0, 1_790_000_101.0)


def test_outcomes_cross_the_wire_as_they_were() -> None:
    def crossed(outcome: Done | Exception) -> Done | Exception:
        return wire.outcome(wire.read(wire.line(wire.answer(7, outcome))))

    done = Done({"id": 3, "text": "Hi"}, 12, 40, True)
    assert crossed(done) == done
    refused = crossed(ApiError(429, "Too many", {"Retry-After": "3"}))
    assert isinstance(refused, ApiError)
    assert (refused.status, refused.message, refused.headers) == (
        429,
        "Too many",
        {"Retry-After": "3"},
    )
    rule = crossed(DomainError("No such person"))
    assert isinstance(rule, DomainError) and str(rule) == "No such person"
    bug = crossed(RuntimeError("/home/ada/secret path"))
    assert isinstance(bug, ApiError) and (bug.status, bug.message) == (500, "internal error")


def test_a_long_backlog_goes_in_lines_of_a_thousand_events() -> None:
    events = [{"seq": n} for n in range(1, 2502)]
    lines = wire.backlog(events)
    assert [len(wire.read(line)["backlog"]) for line in lines] == [1000, 1000, 501]
    assert all(line.endswith(b"\n") and line.count(b"\n") == 1 for line in lines)
