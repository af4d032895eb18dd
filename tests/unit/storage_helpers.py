"""Records, fixtures and checks shared by the storage tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from circle.domain.agenda import Agenda, AgendaItem
from circle.domain.clock import FakeClock
from circle.domain.session import Session
from circle.storage import Store

WALL0 = 1_790_000_000.0
SID = "20261122-0930-ab12"


def summary(sid: str, created: float = WALL0, **fields: object) -> dict:
    base = {
        "id": sid,
        "title": "Tuesday circle",
        "series": "Tuesday circle",
        "created_wall": created,
        "status": "running",
        "mentors": ["Ada"],
        "mentees": ["Mira", "Jon", "Priya"],
        "ended_wall": None,
        "duration_s": 0.0,
    }
    return base | fields


def created_event() -> dict:
    """The `created` event a real session starts with."""
    agenda = Agenda("Tuesday", (AgendaItem("Questions", 600, "board"), AgendaItem("Wrap", 300)))
    session = Session.create(
        title="Tuesday circle",
        agenda=agenda,
        mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"],
        clock=FakeClock(wall=WALL0),
        join_code="ABCDEF",
    )
    return session.events[0]


def event(seq: int, kind: str = "hand_raised", **data: object) -> dict:
    """An event; by default Mira's hand raised."""
    return {
        "seq": seq,
        "kind": kind,
        "at": seq * 0.5,
        "wall": WALL0 + seq,
        "source": "facilitator",
        "data": data or {"person": "Mira"},
    }


def question(seq: int, text: str) -> dict:
    return event(seq, "question_added", text=text)


def created(sid: str, store: Store, when: float = WALL0, **fields: object) -> str:
    store.create_session(summary(sid, when, **fields), [created_event()])
    return sid


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot_dir(root: Path) -> dict[str, str]:
    """Every file under `root` (temp files included) and its hash."""
    return {str(p.relative_to(root)): sha(p) for p in sorted(root.rglob("*")) if p.is_file()}
