"""A running session is saved as it happens and comes back exactly on resume."""

from __future__ import annotations

from pathlib import Path

from circle.agendafiles.parser import resolve_agenda
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun, session_at_rest
from circle.storage import Store


def start(store: Store, clock: FakeClock, **kwargs) -> LiveRun:
    args = dict(
        title="Tuesday circle",
        agenda=resolve_agenda("group-circle"),
        mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"],
    )
    args.update(kwargs)
    return LiveRun.start_new(store, clock, **args)


def test_resume_restores_everything_after_a_reboot(tmp_path: Path) -> None:
    store, clock = Store(tmp_path), FakeClock()
    run = start(store, clock)
    s = run.session
    s.toggle_hand("Mira")
    s.toggle_hand("Jon")
    s.next_speaker()
    clock.advance(42)
    qid = s.add_question("What next?")["seq"]
    s.vote(qid)
    s.add_action("Write it down")
    s.add_takeaway("Small steps")
    s.set_attendance("Priya", "late")
    s.next_item()
    clock.advance(30)
    s.toggle_pause()
    clock.advance(100)
    run.heartbeat()
    assert run.writer.flush(5)
    before = s.state()
    # A reboot: new process, monotonic clock near zero, wall clock much later.
    fresh = FakeClock(monotonic=2.0, wall=clock.wall() + 3600)
    resumed = LiveRun.resume(store, run.session_id, fresh)
    assert resumed.session.state() == before
    fresh.advance(50)  # still paused: nothing moves
    assert resumed.session.state()["items"] == before["items"]
    resumed.session.toggle_pause()
    fresh.advance(10)
    assert resumed.session.timer_view().elapsed_s == before["items"][1]["actual_s"] + 10
    run.close()
    resumed.close()


def test_summary_and_status_follow_the_session(tmp_path: Path) -> None:
    store, clock = Store(tmp_path), FakeClock()
    run = start(store, clock)
    assert store.latest_unfinished() == run.session_id
    run.session.end_session()
    run.close()
    summary = store.get_summary(run.session_id)
    assert summary["status"] == "ended"
    assert store.latest_unfinished() is None


def test_series_carry_over(tmp_path: Path) -> None:
    store, clock = Store(tmp_path), FakeClock()
    first = start(store, clock, series="Spring cohort")
    s = first.session
    done = s.add_action("Done already")["seq"]
    s.add_action("Still open", owner="Jon")
    s.set_action_done(done)
    parked = s.add_question("Later, please")["seq"]
    s.toggle_status(parked, "parked")
    s.add_question("Open but not parked")
    first.close()
    clock.advance(7 * 86400)
    second = start(
        store, clock, title="Week 2", series="spring cohort", mentees=["Mira", "Jon", "Priya"]
    )
    carried = [a for a in second.session.actions.values() if a.carried_in]
    assert [(a.text, a.owner) for a in carried] == [("Still open", "Jon")]
    questions = list(second.session.board.questions.values())
    assert [(q.text, q.status, q.carried_in) for q in questions] == [
        ("Later, please", "parked", True)
    ]
    second.close()
    rebuilt = session_at_rest(store.load_session(second.session_id).events, None)
    assert len(rebuilt.actions) == 1
