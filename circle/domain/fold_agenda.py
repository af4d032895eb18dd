"""How the session's own events and the agenda's change the state.

Like every handler of the fold, these validate first and change state only
once nothing can fail, so a refused event leaves the state as it was; and
they read time from the event (`at`), never from a clock.
"""

from __future__ import annotations

from circle.domain import rounds
from circle.domain.board import check_text
from circle.domain.errors import DomainError
from circle.domain.events import Event
from circle.domain.roster import Roster
from circle.domain.speakers import SpeakerQueue
from circle.domain.state import ENDED, SessionState
from circle.domain.timer import AgendaTimer, ItemRun, check_planned

# Inserted items get ids far from the agenda's own (0, 1, 2 ...).
INSERTED_ID_BASE = 10_000


# -- the session ---------------------------------------------------------------


def created(state: SessionState, event: Event) -> None:
    data = event["data"]
    agenda = data["agenda"]
    items = [
        ItemRun(
            id=i,
            title=it["title"],
            kind=it["kind"],
            planned_s=it["planned_s"],
            notes=it["notes"],
            original_s=it["planned_s"],
            everyone=bool(it.get("all", False)),
        )
        for i, it in enumerate(agenda["items"])
    ]
    timer = AgendaTimer(items)  # refuses an empty agenda before anything changes
    state.title, state.series = data["title"], data["series"]
    state.join_code, state.started_wall = data["join_code"], data["started_wall"]
    state.created_at = event["at"]
    state.roster = Roster(list(data["mentors"]), list(data["mentees"]))
    state.agenda_title = agenda["title"]
    state.timer = timer
    state.planned_total_s = sum(i.planned_s for i in items)
    state.queue = SpeakerQueue(state.roster.people)
    entered_item(state, event)


def paused(state: SessionState, event: Event) -> None:
    if state.paused:
        raise DomainError("Already paused")
    state.paused_since = event["at"]


def resumed(state: SessionState, event: Event) -> None:
    if state.paused_since is None:
        raise DomainError("Not paused")
    state.paused_total += event["at"] - state.paused_since
    state.paused_since = None


def ended(state: SessionState, event: Event) -> None:
    if state.paused:
        resumed(state, event)
    active = state.active(event["at"])
    state.queue.stop(active)
    timer = state.timer_()
    timer.go_to(timer.current, active)  # the current item stops counting
    state.status, state.ended_at, state.ended_s = ENDED, event["wall"], event["at"]


def blind(state: SessionState, event: Event) -> None:
    state.blind = bool(event["data"]["on"])


# -- the agenda ------------------------------------------------------------------


def leave_item(state: SessionState) -> None:
    rounds.end_round(state)


def entered_item(state: SessionState, event: Event) -> None:
    """A round puts its members in the queue, in roster order.

    Someone speaking as the round begins finishes her sentence; her round
    turn, with its budget, comes when the queue reaches her.
    """
    rounds.start_round(state, event["seq"])


def item_changed(state: SessionState, event: Event) -> None:
    timer = state.timer_()
    index = timer.index_of(event["data"]["to"])
    if index == timer.current or timer.items[index].skipped:
        raise DomainError("That item can't be made current")
    leave_item(state)
    timer.go_to(index, state.active(event["at"]))
    entered_item(state, event)


def item_extended(state: SessionState, event: Event) -> None:
    item = state.timer_().item
    planned = item.planned_s + int(event["data"]["by_s"])
    check_planned(planned)
    item.planned_s = planned


def item_planned(state: SessionState, event: Event) -> None:
    data = event["data"]
    state.timer_().set_planned(data["item"], int(data["planned_s"]))


def item_skipped(state: SessionState, event: Event) -> None:
    timer = state.timer_()
    item_id = event["data"]["item"]
    was_current = timer.items[timer.index_of(item_id)] is timer.item
    if was_current:
        # Checked before the round's places are dropped: skipping the last
        # item is refused and must leave the queue as it was.
        if timer.next_index() is None:
            raise DomainError("Can't skip the last item: press x to end the session")
        leave_item(state)
    timer.skip(item_id, state.active(event["at"]))
    if was_current:
        entered_item(state, event)


def item_inserted(state: SessionState, event: Event) -> None:
    data = event["data"]
    timer = state.timer_()
    item = ItemRun(
        id=event["seq"] + INSERTED_ID_BASE,
        title=data["title"],
        kind=data["kind"],
        planned_s=int(data["planned_s"]),
        notes=data.get("notes", ""),
        original_s=0,
        inserted=True,
        everyone=bool(data.get("all", False)),
    )
    check_text(item.title, "An item's title", 120)
    timer.insert(item, data.get("position") or timer.current + 1)


def item_moved(state: SessionState, event: Event) -> None:
    data = event["data"]
    state.timer_().move(data["item"], int(data["offset"]))


def rebalanced(state: SessionState, event: Event) -> None:
    timer = state.timer_()
    planned = {int(item_id): int(s) for item_id, s in event["data"]["planned"].items()}
    for item_id, seconds in planned.items():  # all checked before any changes
        timer.index_of(item_id)
        check_planned(seconds)
    for item_id, seconds in planned.items():
        timer.set_planned(item_id, seconds)
