"""The fold table; undo and rebuild from snapshots give what a fold from the start gives."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circle.domain import fold as fold_module
from circle.domain import history as history_module
from circle.domain import views
from circle.domain.clock import FakeClock
from circle.domain.errors import DomainError
from circle.domain.events import UNDOABLE, EventKind, undo_phrase
from circle.domain.fold import HANDLERS, apply, fold
from circle.domain.history import History
from circle.domain.session import Session, session_at_rest
from circle.domain.state import SessionState
from tests.conftest import make_session
from tests.unit.test_session_long import ACTIONS, act

EVERY = 5  # a snapshot every five events: many snapshots in a short test


def from_the_start(session: Session) -> dict:
    """What folding the whole log from nothing gives, read at the session's now."""
    return views.state_dict(fold(session.events), session.now())


@contextlib.contextmanager
def snapshots_every(n: int) -> Iterator[None]:
    with mock.patch.object(history_module, "SNAPSHOT_EVERY", n):
        yield


@contextlib.contextmanager
def counted_folds() -> Iterator[list[int]]:
    """How many events a rebuild folds: proof of where it started."""
    folded: list[int] = []
    real = history_module.apply_if_it_still_can

    def counting(state: SessionState, event: dict) -> None:
        folded.append(event["seq"])
        real(state, event)

    with mock.patch.object(history_module, "apply_if_it_still_can", counting):
        yield folded


def phone_questions(session: Session, count: int) -> None:
    """Events the facilitator's undo passes over: it never takes back a phone's."""
    for n in range(count):
        session.add_question(f"From a phone {n}", source="phone")


# -- the fold table -----------------------------------------------------------------------


def test_every_kind_but_undo_has_its_handler() -> None:
    assert set(HANDLERS) == set(EventKind) - {EventKind.UNDO}
    assert set(HANDLERS) >= UNDOABLE


def test_an_unknown_kind_is_refused_and_changes_nothing(session: Session) -> None:
    before = views.state_dict(session.folded, session.now())
    event = {"seq": 99, "kind": "teleported", "at": 1.0, "wall": 1.0, "source": "x", "data": {}}
    with pytest.raises(DomainError, match="Unknown event kind 'teleported'"):
        apply(session.folded, event)
    assert views.state_dict(session.folded, session.now()) == before


def test_a_refused_skip_of_the_last_item_keeps_the_round_queue(session: Session) -> None:
    for _ in range(5):
        session.next_item()
    session.insert_item("Closing round", 300, "round")
    session.next_item()
    queue = session.queue_entries()
    assert queue and all(e.in_round for e in queue)
    with pytest.raises(DomainError, match="last item"):
        session.skip_item(session.timer_().item.id)
    assert session.queue_entries() == queue


def test_fold_of_the_log_is_the_live_state(session: Session, clock: FakeClock) -> None:
    session.toggle_hand("Mira")
    qid = session.add_question("Q?")["seq"]
    session.vote(qid, "phone-1")
    clock.advance(30)
    session.undo()  # the vote is a phone's: undo takes the hand back
    assert from_the_start(session) == session.state()


def test_undo_phrases_name_what_was_taken_back() -> None:
    def event(kind: str, **data: str) -> dict:
        return {"kind": kind, "data": data}

    assert undo_phrase(event("hand_raised", person="Mira")) == "Mira's hand raised"
    assert undo_phrase(event("attendance", person="Jon", status="late")) == "Jon marked late"
    assert undo_phrase(event("item_moved", item="3")) == "item moved"


# -- snapshots ----------------------------------------------------------------------------


def test_snapshots_stand_every_n_events_and_only_the_newest_are_kept(clock: FakeClock) -> None:
    with snapshots_every(EVERY):
        session = make_session(clock)
        phone_questions(session, 40)
    seqs = session.history.snapshot_seqs
    assert len(seqs) == history_module.SNAPSHOTS_KEPT
    assert all(seq % EVERY == 0 for seq in seqs)
    assert seqs[-1] > session.last_seq - EVERY


def test_undo_rebuilds_from_the_last_snapshot_before_the_target(clock: FakeClock) -> None:
    with snapshots_every(EVERY):
        session = make_session(clock)
        phone_questions(session, 6)
        target = session.toggle_hand("Mira")["seq"]
        phone_questions(session, 12)  # two more snapshots after the hand
    assert session.history.snapshot_seqs[-1] > target
    with counted_folds() as folded:
        assert session.undo() == "Mira's hand raised"
    start = max(s for s in session.history.snapshot_seqs if s < target)
    assert folded[0] == start + 1  # not from the first event
    assert session.queue_entries() == []
    assert from_the_start(session) == session.state()


def test_a_later_event_that_no_longer_applies_after_undo(clock: FakeClock) -> None:
    with snapshots_every(EVERY):
        session = make_session(clock)
        qid = session.add_question("Taken back soon")["seq"]
        session.vote(qid, "phone-1")  # leans on the question
        phone_questions(session, 11)
        clock.advance(10)
        session.undo()  # the question: the phone's vote no longer applies
    assert qid not in session.board.questions
    assert from_the_start(session) == session.state()
    # The vote is still in the log, passed over: restoring gives the same again.
    assert any(e["kind"] == "question_voted" for e in session.events)
    restored = Session.restore(session.events, clock, session.now())
    assert restored.state() == session.state()


def test_undo_beyond_every_kept_snapshot_folds_from_the_start(clock: FakeClock) -> None:
    with snapshots_every(EVERY):
        session = make_session(clock)
        session.toggle_hand("Jon")
        phone_questions(session, EVERY * (history_module.SNAPSHOTS_KEPT + 2))
        with counted_folds() as folded:
            session.undo()
    assert folded[0] == 1
    assert from_the_start(session) == session.state()


def test_restore_keeps_snapshots_near_the_end_for_the_next_undo(clock: FakeClock) -> None:
    with snapshots_every(EVERY):
        session = make_session(clock)
        phone_questions(session, 30)
        session.toggle_hand("Leo")
        restored = Session.restore(session.events, clock, session.now())
        # Only the newest is made on restore: each one pickles the whole state.
        assert restored.history.snapshot_seqs == session.history.snapshot_seqs[-1:]
        with counted_folds() as folded:
            restored.undo()
    assert len(folded) <= EVERY + 1
    assert from_the_start(restored) == restored.state()


def test_a_restored_session_makes_its_snapshots_again_as_it_goes_on(clock: FakeClock) -> None:
    with snapshots_every(EVERY):
        session = make_session(clock)
        phone_questions(session, EVERY * 2)
        restored = Session.restore(session.events, clock, session.now())
        phone_questions(restored, EVERY * (history_module.SNAPSHOTS_KEPT + 1))
        assert len(restored.history.snapshot_seqs) == history_module.SNAPSHOTS_KEPT
        restored.toggle_hand("Leo")
        with counted_folds() as folded:
            restored.undo()
    assert len(folded) <= EVERY + 1
    assert from_the_start(restored) == restored.state()


def test_a_session_at_rest_makes_no_snapshots_and_still_undoes(clock: FakeClock) -> None:
    with snapshots_every(EVERY):
        session = make_session(clock)
        session.toggle_hand("Priya")
        phone_questions(session, 20)
        record = {"session_s": session.now(), "wall": clock.wall()}
        at_rest = session_at_rest(session.events, record)
        assert at_rest.history.snapshot_seqs == []
        assert at_rest.state() == session.state()
        at_rest.undo()
    assert at_rest.queue_entries() == [] and from_the_start(at_rest) == at_rest.state()


def test_a_history_of_a_log_is_its_fold() -> None:
    clock = FakeClock()
    session = make_session(clock)
    session.start_turn("Mira")
    clock.advance(12)
    session.end_turn()
    history = History.of(session.events, snapshot_every=2)
    assert views.state_dict(history.state, session.now()) == session.state()
    assert history.snapshot_seqs and all(s % 2 == 0 for s in history.snapshot_seqs)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(ACTIONS, st.integers(0, 40)), max_size=60))
def test_live_state_with_snapshots_equals_a_fold_from_the_start(steps) -> None:
    clock = FakeClock()
    with snapshots_every(3):
        s = make_session(clock)
        for name, n in steps:
            act(s, clock, name, n)
            assert s.state() == from_the_start(s)


def test_fold_module_knows_no_session() -> None:
    for module in (fold_module, history_module):
        assert "Session" not in vars(module)
