"""Notices behind the blind name nobody, and hide only whole names."""

from __future__ import annotations

from circle.domain.clock import FakeClock
from circle.domain.present import HIDDEN_NAME
from circle.screens.live_controls import LiveControls
from tests.conftest import make_session


class Wall:
    def __init__(self) -> None:
        self.said: list[str] = []

    def notify(self, message: str, **_: object) -> None:
        self.said.append(message)


def test_the_blind_hides_whole_names_only() -> None:
    session = make_session(FakeClock(), mentees=["Al", "Jon", "Priya"])
    session.set_blind(True)
    wall = Wall()
    LiveControls(wall, session, lambda: None).tell("Already done: Al and Jon's turn")  # type: ignore[arg-type]
    assert wall.said == [f"Already done: {HIDDEN_NAME} and {HIDDEN_NAME}'s turn"]
