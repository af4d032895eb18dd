"""The views a `Session` gives at this moment: each of `circle.domain.views` (and
the pulse and the blind of `circle.domain.privacy`) read from the folded
state at the session clock's reading now."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from circle.domain import privacy, views
from circle.domain.board import ActionItem, QuestionBoard, Takeaway
from circle.domain.clock import Clock
from circle.domain.goals import CARRIED_ACTION_STATUSES
from circle.domain.state import SessionState
from circle.domain.timer import TimerView

if TYPE_CHECKING:
    from circle.domain.flashrun import FlashRun

Row = TypeVar("Row", bound=tuple)


class SessionViews:
    """Mixed into `Session`, which gives the clock, the state and its reading."""

    clock: Clock
    folded: SessionState
    now: Callable[[], float]

    def timer_view(self) -> TimerView:
        return views.timer_view(self.folded, self.now())

    def item_rows(self) -> list[dict]:
        """The agenda as dicts; `agenda_rows()` gives the same as typed rows."""
        return [views.item_dict(row) for row in self.agenda_rows()]

    def agenda_rows(self) -> list[views.ItemRow]:
        return views.item_rows(self.folded, self.now())

    def behind_s(self) -> float:
        return views.behind_s(self.folded, self.now())

    def forecast_end_wall(self) -> float:
        return views.forecast_end_wall(self.folded, self.now(), self.clock.wall())

    def planned_end_wall(self) -> float:
        return views.planned_end_wall(self.folded)

    def queue_entries(self) -> list[views.QueueEntry]:
        return views.queue_entries(self.folded, self.now())

    def shares(self) -> list[views.Share]:
        return views.shares(self.folded, self.now())

    def turn_view(self) -> views.TurnRow | None:
        return views.turn_view(self.folded, self.now())

    def interrupted_view(self) -> views.TurnRow | None:
        """The mentee's turn a mentor's interjection paused, if any."""
        return views.interrupted_view(self.folded)

    def next_up(self) -> views.NextUp | None:
        return views.next_up(self.folded, self.now())

    def turn_budget(self, person: str) -> float | None:
        return views.turn_budget(self.folded, person)

    def default_owner(self) -> str:
        return views.default_owner(self.folded)

    def takeaways_for(self, item_id: int) -> list[Takeaway]:
        return views.takeaways_for(self.folded, item_id)

    def open_actions(self) -> list[ActionItem]:
        """Items still owed (open or in progress): what the end review goes through."""
        return [a for a in self.folded.actions.values() if a.status in CARRIED_ACTION_STATUSES]

    def board_mark(self) -> tuple[QuestionBoard, int, bool]:
        """What a shown board is drawn from: the board (folding again makes a new
        one), its count of changes and the blind. The same mark, the same board:
        screens with hundreds of questions skip rebuilding it."""
        folded = self.folded
        return (folded.board, folded.board.revision, folded.blind)

    def pulse_view(self) -> privacy.PulseView:
        return privacy.pulse_view(self.folded)

    def flash_mentees(self) -> list[str]:
        return views.flash_mentees(self.folded)

    def current_flash(self) -> FlashRun | None:
        return views.current_flash(self.folded, self.now())

    def flash_on_screen(self) -> FlashRun | None:
        """The flash round shown in place of the item's countdown, if any."""
        return views.flash_on_screen(self.folded, self.now())

    def shown(self, row: Row) -> Row:
        """A typed row as the room may see it: blinded while the blind is down."""
        return privacy.shown(self.folded, row)
