"""What a phone sees: the board, the queue and what is happening now.

No aiohttp here. While the privacy blind is on, names and question texts
never leave the server.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from circle.domain.board import Question
from circle.domain.privacy import shown_text

if TYPE_CHECKING:
    from circle.domain.session import Session

HIDDEN_TEXT = "(hidden)"
RUNNING, PAUSED, OVER, ENDED = "running", "paused", "over", "ended"


class EndsAt:
    """When the current item runs out, in epoch seconds, held still while it runs.

    It is worked out as wall clock + time left, and the wall and monotonic
    clocks drift apart a little (NTP slews one of them): recomputed at every
    poll it would wobble by a second now and then, and with it the ETag
    every phone revalidates against. So a value within a second of the last
    one, for the same item and plan, is the last one.
    """

    def __init__(self) -> None:
        self._key: tuple[int, int] | None = None
        self._value = 0

    def settle(self, item_id: int, planned_s: int, raw: float) -> int:
        key = (item_id, planned_s)
        if key != self._key or abs(raw - self._value) > 1.0:
            self._key, self._value = key, round(raw)
        return self._value


def join_url(address: str, port: int | None, code: str) -> str:
    """The address a phone opens: the page, its code in the query (IPv6 in brackets)."""
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}/?code={code}"


def owned_names(session: Session, device: str) -> list[str]:
    if not device:
        return []
    return [name for name, owner in session.name_owner.items() if owner == device]


def question_payload(session: Session, question: Question, device: str) -> dict[str, Any]:
    blind = session.blind
    return {
        "id": question.id,
        "text": shown_text(blind, question.text),
        "name": None if blind else question.asker,
        "votes": question.votes,
        "status": question.status,
        "voted": bool(device) and device in question.voters,
        "pending": question.pending,
    }


def _ended_active(session: Session) -> float:
    """The timers' reading when the session ended: they stop there."""
    for event in reversed(session.events):
        if event["kind"] == "ended":
            return session.active(event["at"])
    return session.active()


def now_payload(session: Session, ends: EndsAt) -> dict[str, Any]:
    """The current item, its time and who speaks: the top line of the page."""
    timer = session.timer_()
    item = timer.item
    view = timer.view(_ended_active(session) if session.ended else session.active())
    if session.ended:
        state = ENDED
    elif session.paused:
        state = PAUSED
    else:
        state = OVER if view.over else RUNNING
    # The same moment is kept while the item is over too: the ETag leans on it.
    anchor = None
    if state in (RUNNING, OVER):
        anchor = ends.settle(item.id, item.planned_s, session.clock.wall() + view.remaining_s)
    speaker = session.queue.turn.person if session.queue.turn else None
    up = session.next_up()
    hide = session.blind or state == ENDED
    return {
        "item": item.title,
        "state": state,
        "left_s": math.floor(view.remaining_s),
        "ends_at": anchor if state == RUNNING else None,
        "speaker": None if hide else speaker,
        "next": None if hide or up is None else up.person,
        "_anchor": anchor,
    }


def takes_gzip(header: str) -> bool:
    """`Accept-Encoding` allows gzip: named (or `*`, if gzip isn't) with a quality above 0."""
    qualities: dict[str, float] = {}
    for part in header.lower().split(","):
        coding, _, params = part.partition(";")
        params = params.strip()
        qualities[coding.strip()] = _quality(params[2:]) if params.startswith("q=") else 1.0
    for coding in ("gzip", "x-gzip", "*"):
        if coding in qualities:
            return qualities[coding] > 0
    return False


def _quality(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def etag_matches(header: str, etag: str) -> bool:
    """`If-None-Match`: a list of tags, weak or strong, or `*`."""
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == etag:
            return True
    return False


def now_text(now: dict[str, Any]) -> str:
    """The top line for a page without JavaScript: 'Hot seat — 12 min left — Mira speaking'."""
    if now["state"] == ENDED:
        return "The session has ended"
    time_left = left_text(now["left_s"])
    if now["state"] == PAUSED:
        time_left = f"paused, {time_left}"
    parts = [now["item"], time_left]
    people = []
    if now["speaker"]:
        people.append(f"{now['speaker']} speaking")
    if now["next"]:
        people.append(f"{now['next']} next")
    if people:
        parts.append(", ".join(people))
    return " — ".join(parts)


def left_text(left_s: int) -> str:
    """'12 min left', '40 s left', '3 min over': as the page's script says it too."""
    if left_s >= 60:
        return f"{math.ceil(left_s / 60)} min left"
    if left_s >= 0:
        return f"{left_s} s left"
    over = -left_s
    return f"{over // 60} min over" if over >= 60 else f"{over} s over"
