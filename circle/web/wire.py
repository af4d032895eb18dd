"""What the console and the join page's process say to each other: one JSON object a line.

The console to the page:
    {"hello": {host, port, secret, clock: [monotonic, wall], now, version}}
    {"backlog": [event, ...]}  the session's events so far, in order
    {"go": 1}                  the backlog is whole: listen
    {"event": event}           one more event, as the console recorded it
    {"clock": [monotonic, wall]}
    {"re": id, "done": [reply, seq, version, changed]} | {"re": id, "refused": [status,
        message, headers]} | {"re": id, "rule": message}
The page to the console:
    {"listening": [port, address]} | {"failed": message}
    {"op": op, "id": id, "device": device, "data": {...}}
    {"devices": n}
Events and answers share one pipe, in order: when a change's answer
arrives, the page's copy of the session has already folded the change.
No aiohttp here.
"""

from __future__ import annotations

import json
from typing import Any

from circle.domain.errors import CircleError, DomainError
from circle.web.desk import Done
from circle.web.page import ApiError

BACKLOG_CHUNK = 1000  # events a line: a long session's backlog in lines of a few hundred KB


class JoinError(CircleError):
    """The join page can't start: the port is taken or the address can't be bound."""


def line(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n"


def read(raw: bytes) -> dict[str, Any]:
    message = json.loads(raw)
    if not isinstance(message, dict):
        raise ValueError(f"not a message: {raw[:80]!r}")
    return message


def backlog(events: list[dict[str, Any]]) -> list[bytes]:
    return [
        line({"backlog": events[start : start + BACKLOG_CHUNK]})
        for start in range(0, len(events), BACKLOG_CHUNK)
    ]


def answer(request_id: int, outcome: Done | Exception) -> dict[str, Any]:
    """A change's outcome as a message: made, refused (with its HTTP status) or
    against a rule the checks didn't foresee."""
    if isinstance(outcome, Done):
        return {"re": request_id, "done": list(outcome)}
    if isinstance(outcome, ApiError):
        return {"re": request_id, "refused": [outcome.status, outcome.message, outcome.headers]}
    if isinstance(outcome, DomainError):
        return {"re": request_id, "rule": str(outcome)}
    return {"re": request_id, "refused": [500, "internal error", {}]}


def outcome(message: dict[str, Any]) -> Done | Exception:
    """The other side of `answer`."""
    if "done" in message:
        reply, seq, version, changed = message["done"]
        return Done(reply, seq, version, changed)
    if "rule" in message:
        return DomainError(message["rule"])
    status, text, headers = message["refused"]
    return ApiError(status, text, headers)
