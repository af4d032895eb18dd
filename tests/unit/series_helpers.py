"""Stored series for tests: sessions started as runtime starts them, with the
series' carry-over (action items, questions, goals, stage) from the previous
session, saved through a real `circle.storage.Store`."""

from __future__ import annotations

from circle.agendafiles.parser import resolve_agenda
from circle.domain.carry import SeriesCarry, carry_over
from circle.domain.clock import FakeClock
from circle.domain.session import Session, session_at_rest
from circle.runtime import LiveRun, summary_of
from circle.storage import Store

MENTORS = ["Ada"]
MENTEES = ["Mira", "Jon", "Priya", "Leo"]
DAY = 86_400


def previous_carry(store: Store, series: str) -> SeriesCarry | None:
    """What runtime's carry-over gives: the newest session of the series, at rest."""
    earlier = store.sessions_in_series(series)
    if not earlier:
        return None
    latest = earlier[0]
    loaded = store.load_session(latest["id"])
    return carry_over(session_at_rest(loaded.events, loaded.clock).folded, latest["id"])


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
) -> LiveRun:
    carry = previous_carry(store, series)
    session = Session.create(
        title=title,
        agenda=resolve_agenda(agenda),
        mentors=mentors or (carry.mentors if carry else list(MENTORS)),
        mentees=mentees or (carry.mentees if carry else list(MENTEES)),
        clock=clock,
        series=series,
        absent=absent,
        carried_actions=carry.actions if carry else (),
        carried_questions=carry.questions if carry else (),
        carried_goals=carry.goals if carry else (),
        stage=carry.stage if carry else None,
        join_code="ABCDEF",
    )
    session_id = store.new_session_id(session.started_wall)
    store.create_session(summary_of(session_id, session), list(session.events))
    return LiveRun(store, session_id, session)


def close(run: LiveRun) -> None:
    """End the session and save it all, the clock included."""
    assert run.close(), "the writer did not flush"
