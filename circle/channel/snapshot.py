"""The public snapshot: exactly what the wall may show of a running session.

The console builds one on every change and every second and sends it to the
walls. It is built by listing what the room may see, never by copying the
session and deleting what it may not: a field added to the session later
stays private until someone adds it here on purpose. So the notes, the
questions waiting for approval, the action items, the pulse's scores and
comments, the join page's secret and the devices' ids have no way in. Goals
come in only during a goal review (a `[goals]` item), the one place the room
looks at them together.

The blind applies here, before anything leaves the console: names become
`HIDDEN_NAME` and everything people typed becomes `HIDDEN_TEXT`, as on the
live screen, so a wall can't show what the blind hides even by mistake.

The wall never counts on its own: each snapshot carries the moment it was
taken (wall clock and the monotonic clock, which is the same machine-wide
clock in both processes), and `elapsed_since` says how far a display may run
the countdown forward from it between two snapshots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from circle.channel.framing import to_json
from circle.domain.present import (
    countdown_text,
    state_words,
)
from circle.domain.privacy import shown_name, shown_text
from circle.domain.timer import TimerView, warning_threshold

if TYPE_CHECKING:
    from circle.domain.board import Question, QuestionBoard
    from circle.domain.flashrun import FlashRun
    from circle.domain.session import Session

SCHEMA = 1
# How far a wall may run a countdown past its last snapshot. The console sends
# one every second; past this the console is stuck, and the wall holds the
# last time shown rather than count on its own.
MAX_EXTRAPOLATION_S = 2.0

Snapshot = dict[str, Any]


class _Shown:
    """What the blind lets through: names and typed text, or their stand-ins."""

    def __init__(self, blind: bool) -> None:
        self.blind = blind

    def name(self, person: str | None) -> str | None:
        return shown_name(self.blind, person)

    def text(self, typed: str) -> str:
        # Empty stays empty: the blind hides what was typed, not that nothing was.
        return shown_text(self.blind, typed)


def _r(seconds: float) -> float:
    """Millisecond precision: enough for any display, and stable output."""
    return round(float(seconds), 3)


def public_snapshot(
    session: Session, *, join: dict | None, wall_clock: float, board: BoardCache | None = None
) -> Snapshot:
    """A JSON-ready dict of what the room may see now. Same state, same dict.

    `join` is `{"code": str, "url": str}` (optionally `"devices": int`) while
    the join page is open, else None; any other key in it is left out.
    `wall_clock` is the epoch time the wall shows as the time of day.
    `goals` is there only during a goal review (a `[goals]` item).
    With `board`, the questions come from it (brought up to date first), and
    its `encoded` is their JSON, ready for `framing.encode`.
    """
    shown = _Shown(session.blind)
    timer = session.timer_view()
    active = session.active()
    snapshot = {
        "schema": SCHEMA,
        "title": session.title,
        "taken": {"wall": _r(wall_clock), "monotonic": _r(session.clock.monotonic())},
        "status": session.status,
        "paused": session.paused,
        "blind": session.blind,
        "forecast_end_wall": _r(wall_clock + session.timer_().remaining_forecast(active)),
        "behind_s": _r(session.behind_s()),
        "agenda": _agenda(session),
        "item": _item(session, shown),
        "countdown": _countdown(timer, session.paused, session.ended),
        "speaker": _speaker(session, shown),
        **_next(session, shown),
        "queue": [
            {"name": shown.name(e.person), "new": e.new, "in_round": e.in_round}
            for e in session.queue_entries()
        ],
        "shares": _shares(session, shown),
        "board": _board(session, shown) if board is None else board.update(session),
        "flash": _flash(session, shown, active),
        "join": _join(join),
        "pulse": _pulse(session),
    }
    goals = _goals(session, shown)
    if goals:  # only in a goal review: the one item where the room sees goals
        snapshot["goals"] = goals
    return snapshot


def _agenda(session: Session) -> list[dict]:
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "kind": row["kind"],
            "planned_s": row["planned_s"],
            "actual_s": _r(row["actual_s"]),
            "status": row["status"],
        }
        for row in session.item_rows()
    ]


def _item(session: Session, shown: _Shown) -> dict:
    """The current item, with its takeaways (never its notes: they are the facilitator's)."""
    item = session.timer_().item
    return {
        "id": item.id,
        "title": item.title,
        "kind": item.kind,
        "takeaways": [
            {"kind": t.kind, "text": shown.text(t.text)} for t in session.takeaways_for(item.id)
        ],
    }


def _countdown(view: TimerView, paused: bool, ended: bool) -> dict:
    if ended:
        state, words = "ended", "ENDED"
    else:
        state = "paused" if paused else "over" if view.over else "warning" if view.warning else "ok"
        words = state_words(view, paused)
    return {
        "elapsed_s": _r(view.elapsed_s),
        "remaining_s": _r(view.remaining_s),
        "planned_s": view.planned_s,
        "warning": view.warning,
        "over": view.over,
        "paused": paused,
        "ended": ended,
        "state": state,
        "digits": countdown_text(view),
        "words": words,
    }


def _speaker(session: Session, shown: _Shown) -> dict | None:
    view = session.turn_view()
    if view is None:
        return None
    person, seconds, budget = view
    return {
        "name": shown.name(person),
        "seconds": _r(seconds),
        "budget_s": None if budget is None else _r(budget),
        "over_budget": budget is not None and seconds > budget,
    }


def _next(session: Session, shown: _Shown) -> dict:
    """Who is next, as the console has it: `next_back_s` is where a turn an
    interjection paused stands (None for a raised hand, or nobody next)."""
    up = session.next_up()
    if up is None:
        return {"next": None, "next_back_s": None}
    back = None if up.back_at_s is None else _r(up.back_at_s)
    return {"next": shown.name(up.person), "next_back_s": back}


def _shares(session: Session, shown: _Shown) -> list[dict]:
    shares = session.shares()
    if shown.blind:
        # In roster order, and with roles, the bars would still name people.
        shares = sorted(shares, key=lambda s: -s.seconds)
    return [
        {
            "name": shown.name(s.person),
            "role": "mentee" if shown.blind else s.role,
            "percent": round(s.percent),
        }
        for s in shares
    ]


def _board(session: Session, shown: _Shown) -> list[dict]:
    """Approved questions that are not hidden, in the board's order."""
    return [_question(q, shown) for q in _on_board(session)]


def _on_board(session: Session) -> list[Question]:
    # `ordered` leaves out hidden and waiting questions already; the wall must never depend on that.
    return [q for q in session.board.ordered() if q.visible]


def _question(q: Question, shown: _Shown) -> dict:
    return {
        "id": q.id,
        "text": shown.text(q.text),
        "name": shown.name(q.asker),  # None: asked anonymously
        "votes": q.votes,
        "status": q.status,
    }


class BoardCache:
    """The board's part of the snapshots, kept from one to the next.

    With hundreds of questions, listing and encoding them is most of what a
    snapshot costs, and most changes (a hand, a turn, the clock's second)
    leave the board as it was. So the list is made again only when a question
    changed or the blind moved, and then a question that did not change keeps
    its dict and its JSON from the time before.
    """

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.encoded = "[]"
        self._made_from: tuple[QuestionBoard, int, bool] | None = None  # its board_mark
        self._known: dict[tuple, tuple[dict, str]] = {}

    def update(self, session: Session) -> list[dict]:
        """The board's rows now (the list is shared: don't change it)."""
        mark = session.board_mark()
        if mark == self._made_from:
            return self.rows
        blind = session.blind
        shown, known, kept = _Shown(blind), self._known, {}
        for q in _on_board(session):
            key = (q.id, q.text, q.asker, q.votes, q.status, blind)
            pair = known.get(key)
            if pair is None:
                row = _question(q, shown)
                pair = (row, to_json(row))
            kept[key] = pair
        self._known = kept  # what left the board is forgotten
        self.rows = [row for row, _ in kept.values()]
        self.encoded = f"[{','.join(text for _, text in kept.values())}]"
        self._made_from = mark
        return self.rows


def _flash(session: Session, shown: _Shown, active: float) -> dict | None:
    """The running flash round, while it belongs to the current item."""
    run: FlashRun | None = session.flash_runs[-1] if session.flash_runs else None
    if run is None or run.item_id != session.timer_().item.id:
        return None
    pos = run.position(active)
    two = len(run.plan.mentors) > 1
    rotation = []
    for index, row in enumerate(run.view_records(active)):
        rotation.append(
            {
                "meetings": [
                    {
                        "mentor": shown.name(r.mentor),
                        "mentee": shown.name(r.mentee),
                        "topic": shown.text(r.topic),
                        "takeaway": shown.text(r.takeaway),
                    }
                    for r in row
                ],
                "planned_s": row[0].planned_s,
                "actual_s": None if row[0].actual_s is None else _r(row[0].actual_s),
                "sitting_out": [
                    shown.name(p) for p in (run.plan.rounds[index].sitting_out if two else ())
                ],
            }
        )
    return {
        "word": "Round" if two else "Slot",
        "rounds": run.rounds,
        "round": pos.round_index,
        "phase": pos.phase,
        "remaining_s": _r(max(0.0, pos.remaining(active))),
        "rotation": rotation,
    }


def _goals(session: Session, shown: _Shown) -> list[dict]:
    """In a goal review, each present mentee's goals; empty in any other item."""
    return [
        {
            "name": shown.name(review.mentee),
            "speaking": review.speaking,
            "goals": [
                {
                    "text": shown.text(g.text),
                    "horizon": g.horizon,
                    "status": g.status,
                    "due": shown.text(g.due),
                    "note": shown.text(g.notes[-1] if g.notes else ""),
                }
                for g in review.goals
            ],
        }
        for review in session.goals_review()
    ]


def _join(join: dict | None) -> dict | None:
    if join is None:
        return None
    out = {"code": str(join["code"]), "url": str(join["url"])}
    if isinstance(join.get("devices"), int):
        out["devices"] = join["devices"]
    return out


def _pulse(session: Session) -> dict | None:
    """While the pulse is open, only how many of those present have answered."""
    if not session.pulse_open:
        return None
    answered = len(session.pulse)
    present = sum(1 for p in session.roster.people if session.roster.is_here(p))
    return {"answered": answered, "of": present, "text": f"{answered} of {present} answered"}


# -- reading a snapshot on the wall ----------------------------------------------
def elapsed_since(snapshot: Snapshot, monotonic_now: float) -> float:
    """Active seconds since the snapshot was taken, as far as a display may run on.

    Zero while paused or ended; never negative; at most MAX_EXTRAPOLATION_S.
    """
    if snapshot["paused"] or snapshot["status"] == "ended":
        return 0.0
    since = monotonic_now - snapshot["taken"]["monotonic"]
    return min(max(0.0, since), MAX_EXTRAPOLATION_S)


def countdown_view(snapshot: Snapshot, monotonic_now: float) -> TimerView:
    """The countdown at `monotonic_now`, for `circle.domain.present` to format."""
    count = snapshot["countdown"]
    since = elapsed_since(snapshot, monotonic_now)
    remaining = count["remaining_s"] - since
    planned = count["planned_s"]
    return TimerView(
        elapsed_s=count["elapsed_s"] + since,
        remaining_s=remaining,
        planned_s=planned,
        warning=0 <= remaining <= warning_threshold(planned),
        over=remaining < 0,
    )


def turn_seconds(snapshot: Snapshot, monotonic_now: float) -> float | None:
    """The speaker's turn time at `monotonic_now`, or None when nobody speaks."""
    speaker = snapshot["speaker"]
    if speaker is None:
        return None
    return speaker["seconds"] + elapsed_since(snapshot, monotonic_now)
