"""Shared fixtures: a fake clock and a ready session on a small agenda."""

from __future__ import annotations

import pytest

from circle.domain.agenda import Agenda, AgendaItem
from circle.domain.clock import FakeClock
from circle.domain.session import Session

MENTORS = ["Ada"]
MENTEES = ["Mira", "Jon", "Priya", "Leo"]


def small_agenda() -> Agenda:
    return Agenda(
        title="Test circle",
        items=(
            AgendaItem("Check-in", 300, "discussion", "Each mentee: one win."),
            AgendaItem("Hot seat", 1200, "round", "Everyone in turn."),
            AgendaItem("Flash", 1200, "flash"),
            AgendaItem("Questions", 600, "board"),
            AgendaItem("Break", 300, "break"),
            AgendaItem("Wrap-up", 300, "close"),
        ),
    )


def make_session(clock: FakeClock, **kwargs) -> Session:
    args = dict(
        title="Tuesday circle",
        agenda=small_agenda(),
        mentors=list(MENTORS),
        mentees=list(MENTEES),
        clock=clock,
        join_code="ABCDEF",
    )
    args.update(kwargs)
    return Session.create(**args)


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    # The agenda cache (and anything else platformdirs puts in the user cache
    # directory) stays out of the real home directory, for circle run in-process
    # and in a terminal alike.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    # Sockets and a running demo's pointer go to the runtime directory: the
    # tests' own, so a demo running on this machine is never seen by a test.
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path_factory.getbasetemp() / "run"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(clock: FakeClock) -> Session:
    return make_session(clock)
