"""The `Session`'s goal, action-state and stage commands and views.

A mixin of `Session`, kept apart so that each module stays short: it records
through the session's `_do` and reads the session's folded state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from circle.domain import goal_commands, goal_views
from circle.domain.goals import HABIT, Goal
from circle.domain.state import StateField

if TYPE_CHECKING:
    from collections.abc import Callable

    from circle.domain.commands import Change
    from circle.domain.events import Event
    from circle.domain.state import SessionState


class GoalsMixin:
    if TYPE_CHECKING:  # provided by Session

        @property
        def folded(self) -> SessionState: ...

        def _do(self, command: Callable[..., Change], *args: Any) -> Event: ...

        def _apply(self, change: Change) -> Event: ...

    goals: StateField[dict[int, Goal]] = StateField()
    stage: StateField[str] = StateField()

    # -- commands ---------------------------------------------------------------------
    def add_goal(
        self, text: str, owner: str | None = None, horizon: str = HABIT, due: str = ""
    ) -> Event:
        return self._do(goal_commands.add_goal, self.folded, text, owner, horizon, due)

    # A goal's progress, an item's state and the stage may be recorded after the
    # end, while the minutes are read: these skip the ended session's refusal.
    def update_goal(self, goal_id: int, status: str, note: str = "") -> Event:
        return self._apply(goal_commands.update_goal(self.folded, goal_id, status, note))

    def set_action_done(self, action_id: int, done: bool = True) -> Event:
        return self._apply(goal_commands.set_action_done(action_id, done))

    def set_action_status(self, action_id: int, status: str) -> Event:
        return self._apply(goal_commands.set_action_status(self.folded, action_id, status))

    def set_stage(self, stage: str) -> Event:
        return self._apply(goal_commands.set_stage(stage))

    # -- views --------------------------------------------------------------------------
    def goal_rows(self) -> list[goal_views.GoalRow]:
        return goal_views.goal_rows(self.folded)

    def goals_of(self, person: str, live_only: bool = True) -> list[goal_views.GoalRow]:
        return goal_views.goals_of(self.folded, person, live_only)

    def turn_goals(self) -> goal_views.TurnGoals | None:
        return goal_views.turn_goals(self.folded)

    def goals_review(self) -> list[goal_views.GoalsReview]:
        return goal_views.goals_review(self.folded)

    def default_goal_owner(self) -> str:
        return goal_views.default_goal_owner(self.folded)

    def action_counts(self) -> dict[str, int]:
        return goal_views.action_counts(self.folded)
