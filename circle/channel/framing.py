"""Newline-delimited JSON: one snapshot a line, each line at most MAX_LINE bytes.

JSON escapes every newline inside strings, so a newline always ends a line.
Snapshots are encoded as ASCII (`\\uXXXX` escapes), so no text anyone types,
however odd its Unicode, can make a line that doesn't decode on the other side.

A wall opens its connection with the HELLO line; a connection that doesn't
(a probe asking whether the console is alive) never counts as a wall.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

MAX_LINE = 1 << 20  # far above any session's snapshot (a full board is ~100 KB)
HELLO = b"circle-wall 1\n"


def to_json(value: Any) -> str:
    """Compact ASCII JSON, as every line is written. Raises TypeError or ValueError."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def encode(snapshot: dict[str, Any], encoded: Mapping[str, str] | None = None) -> bytes | None:
    """One line, or None for what can't go (not JSON, NaN, or over the limit).

    `encoded`: values already made by `to_json`, by key, used in place of the
    snapshot's own (which are not encoded again).
    """
    rest = {k: v for k, v in snapshot.items() if k not in encoded} if encoded else snapshot
    try:
        text = to_json(rest)
    except (TypeError, ValueError):
        return None
    if encoded:
        parts = [text[1:-1], *(f"{to_json(key)}:{value}" for key, value in encoded.items())]
        text = "{" + ",".join(part for part in parts if part) + "}"
    line = text.encode("ascii") + b"\n"
    return line if len(line) <= MAX_LINE else None


def decode(line: bytes) -> dict[str, Any] | None:
    """A snapshot, or None for a line that isn't one (the wall ignores those)."""
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    return value if isinstance(value, dict) else None


class LineSplitter:
    """Cuts a byte stream into lines, dropping any line longer than `limit`.

    Memory stays bounded: an overlong line is skipped as it arrives, up to
    its newline, never held whole.
    """

    def __init__(self, limit: int = MAX_LINE) -> None:
        self.limit = limit
        self._buffer = bytearray()
        self._skipping = False

    def feed(self, data: bytes) -> list[bytes]:
        lines = []
        self._buffer += data
        while True:
            end = self._buffer.find(b"\n")
            if end < 0:
                break
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            if self._skipping:
                self._skipping = False  # that was the overlong line's tail
            elif len(line) < self.limit:
                lines.append(line)
        if len(self._buffer) >= self.limit:
            self._buffer.clear()
            self._skipping = True
        return lines
