"""What each panel of the wall shows, read from a public snapshot as plain rows.

The same rows the live screen builds from the session (`circle.screens.live_rows`),
built here from the snapshot the console sent (`circle.channel.snapshot`): the
wall never sees the session, and the snapshot holds only what the room may see,
already behind the blind when it is on.

Times run on from the moment the snapshot was taken (`countdown_view`,
`elapsed_since`), never counted by the wall: a wall that stops hearing from the
console stops its clocks a moment later.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from circle.channel.snapshot import SCHEMA, countdown_view, elapsed_since, turn_seconds
from circle.domain.present import (
    countdown_text,
    minutes_label,
    mmss,
    next_words,
    state_class,
    state_words,
    turn_words,
)
from circle.screens.live_rows import state_parts
from circle.screens.status import JoinInfo
from circle.widgets.board import BoardRow
from circle.widgets.flash import FlashMeeting, FlashSlot, FlashView
from circle.widgets.notes import (
    GoalLine,
    GoalsOf,
    NoteLine,
    NotesView,
    TakeawayLine,
    review_goal_lines,
)
from circle.widgets.panels import (
    AgendaRow,
    CountdownRow,
    QueueRow,
    ShareRow,
    SpeakerRow,
    TopRow,
    TurnRow,
)

Snapshot = dict[str, Any]

# What reading a snapshot of another shape raises: the wall skips such a snapshot.
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)


class WallView(NamedTuple):
    """Everything the wall shows at one moment."""

    kind: str
    top: TopRow
    countdown: CountdownRow
    agenda: tuple[AgendaRow, ...]
    turn: TurnRow | None
    speaker: SpeakerRow
    next_name: str | None
    queue: tuple[QueueRow, ...]
    shares: tuple[ShareRow, ...]
    board: tuple[BoardRow, ...]
    board_heading: str
    notes_title: str
    notes: NotesView
    flash: FlashView | None


def readable(snapshot: Snapshot) -> bool:
    """A snapshot this wall knows how to read (a console of another version may differ)."""
    return snapshot.get("schema") == SCHEMA


def wall_view(snapshot: Snapshot, now: float) -> WallView:
    """The wall at monotonic time `now`. Raises one of MALFORMED for a snapshot of
    another shape."""
    item = snapshot["item"]
    return WallView(
        kind=str(item["kind"]),
        top=top_row(snapshot, now),
        countdown=countdown_row(snapshot, now),
        agenda=agenda_rows(snapshot, now),
        turn=turn_row(snapshot, now),
        speaker=speaker_row(snapshot, now),
        next_name=next_text(snapshot),
        queue=tuple(QueueRow(e["name"] or "", e["new"], e["in_round"]) for e in snapshot["queue"]),
        shares=tuple(
            ShareRow(e["name"] or "", e["role"], e["percent"]) for e in snapshot["shares"]
        ),
        board=board_rows(snapshot),
        board_heading=f"Questions ({len(snapshot['board'])})",
        notes_title=str(item["title"]),
        notes=notes_view(snapshot),
        flash=flash_view(snapshot, now),
    )


def wall_clock(snapshot: Snapshot, now: float) -> float:
    """The time of day now: the console's, moved on by the machine's monotonic clock."""
    taken = snapshot["taken"]
    return taken["wall"] + max(0.0, now - taken["monotonic"])


def top_row(snapshot: Snapshot, now: float) -> TopRow:
    ended = snapshot["status"] == "ended"
    forecast = None if ended else (snapshot["forecast_end_wall"], snapshot["behind_s"])
    pulse = snapshot["pulse"]
    progress = None if pulse is None else f"{pulse['answered']} of {pulse['of']} answered"
    wall = wall_clock(snapshot, now)
    parts = state_parts(wall, forecast, snapshot["paused"], snapshot["blind"], progress)
    join = snapshot["join"]
    if join is not None:
        parts.append(JoinInfo(join["code"], join["url"], join.get("devices", 0)).words())
    return TopRow(snapshot["title"], " · ".join(parts))


def countdown_row(snapshot: Snapshot, now: float) -> CountdownRow:
    title = snapshot["item"]["title"]
    count = snapshot["countdown"]
    if count["ended"]:  # frozen where the session ended
        return CountdownRow(title, count["digits"], count["words"], "-paused")
    view = countdown_view(snapshot, now)
    paused = snapshot["paused"]
    return CountdownRow(
        title, countdown_text(view), state_words(view, paused), state_class(view, paused)
    )


def agenda_rows(snapshot: Snapshot, now: float) -> tuple[AgendaRow, ...]:
    since = elapsed_since(snapshot, now)
    rows = []
    for row in snapshot["agenda"]:
        status = row["status"]
        actual = row["actual_s"] + (since if status == "current" else 0.0)
        rows.append(
            AgendaRow(
                status,
                row["title"],
                minutes_label(row["planned_s"]),
                mmss(actual) if status in ("done", "current") else "",
            )
        )
    return tuple(rows)


def turn_row(snapshot: Snapshot, now: float) -> TurnRow | None:
    speaker = snapshot["speaker"]
    seconds = turn_seconds(snapshot, now)
    if speaker is None or seconds is None:
        return None
    budget = speaker["budget_s"]
    timer = mmss(seconds) + (f" / {mmss(budget)}" if budget else "")
    return TurnRow(speaker["name"] or "", timer, budget is not None and seconds > budget)


def speaker_row(snapshot: Snapshot, now: float) -> SpeakerRow:
    """The big speaker panel, as the console draws it (circle.screens.live_rows)."""
    speaker = snapshot["speaker"]
    seconds = turn_seconds(snapshot, now)
    name = timer = words = ""
    over = False
    if speaker is not None and seconds is not None:
        name, timer = speaker["name"] or "", mmss(seconds)
        over, words = turn_words(seconds, speaker["budget_s"])
    return SpeakerRow(name, timer, words, over, next_text(snapshot) or "nobody")


def next_text(snapshot: Snapshot) -> str | None:
    """Who is next, as the console says it (a paused turn with where it stands)."""
    name = snapshot["next"]
    return None if name is None else next_words(name, snapshot.get("next_back_s"))


def board_rows(snapshot: Snapshot) -> tuple[BoardRow, ...]:
    return tuple(
        BoardRow(q["id"], q["text"], q["name"], q["votes"], q["status"]) for q in snapshot["board"]
    )


def notes_view(snapshot: Snapshot) -> NotesView:
    """The item's takeaways and decisions, and in a goal review the goals of the
    mentee speaking; never the item's notes, which stay on the console."""
    lines = tuple(
        TakeawayLine(t["kind"] == "decision", t["text"]) for t in snapshot["item"]["takeaways"]
    )
    return NotesView("", "Takeaways" if lines else "", lines, goal_lines(snapshot))


def goal_lines(snapshot: Snapshot) -> tuple[NoteLine, ...]:
    # A console of a version without goals sends none: the wall shows none.
    review = [
        GoalsOf(
            entry["name"] or "",
            entry["speaking"],
            tuple(
                GoalLine(g["text"], g["horizon"], g["status"], g["due"], g["note"])
                for g in entry["goals"]
            ),
        )
        for entry in snapshot.get("goals", ())
    ]
    return review_goal_lines(review)


def flash_view(snapshot: Snapshot, now: float) -> FlashView | None:
    flash = snapshot["flash"]
    if flash is None:
        return None
    slots = tuple(
        FlashSlot(
            tuple(
                FlashMeeting(m["mentee"] or "", m["mentor"] or "", m["topic"], m["takeaway"])
                for m in row["meetings"]
            ),
            tuple(name or "" for name in row["sitting_out"]),
            row["planned_s"],
            row["actual_s"],
        )
        for row in flash["rotation"]
    )
    remaining = flash["remaining_s"]
    if flash["phase"] != "done":
        remaining = max(0.0, remaining - elapsed_since(snapshot, now))
    return FlashView(slots, flash["round"], flash["phase"], remaining, flash["word"] == "Round")
