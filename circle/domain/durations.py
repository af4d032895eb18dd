"""Durations as people write them in agendas ("5 min", "1h 30m", "1.5 h") and back."""

from __future__ import annotations

import re
from fractions import Fraction

# Unit spellings, longest first so the regex alternation prefers "min" over "m".
_UNITS: dict[str, int] = {}
for _seconds, _names in (
    (3600, ("hours", "hour", "hrs", "hr", "h")),
    (60, ("minutes", "minute", "mins", "min", "m")),
    (1, ("seconds", "second", "secs", "sec", "s")),
):
    for _name in _names:
        _UNITS[_name] = _seconds

_PART = re.compile(
    r"\s*(\d+(?:\.\d+)?|\.\d+)\s*("
    + "|".join(sorted(_UNITS, key=len, reverse=True))
    + r")(?![a-z])",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"\s*\d+(?:\.\d+)?\s*")

DURATION_HELP = "use e.g. 5 min, 90 s, 1 h, 1h 30m"


def parse_duration(text: str) -> int:
    """Seconds in `text` ("5 min", "90s", "1 h 30 min", "1.5 h"), rounded to whole seconds.

    Raises ValueError with a message fit for a person. Zero is returned, not
    refused: whether zero is allowed is the caller's rule.
    """
    pos, total = 0, Fraction(0)
    last_unit: int | None = None
    while pos < len(text):
        match = _PART.match(text, pos)
        if match is None:
            if text[pos:].strip() == "":
                break
            if pos == 0 and _BARE_NUMBER.fullmatch(text):
                raise ValueError(f"duration '{text.strip()}' has no unit ({DURATION_HELP})")
            raise ValueError(f"'{text.strip()}' is not a duration ({DURATION_HELP})")
        unit = _UNITS[match.group(2).lower()]
        # Units must go from big to small, each once: "30m 1h" or "5m 5m" are typos.
        if last_unit is not None and unit >= last_unit:
            raise ValueError(f"'{text.strip()}' is not a duration ({DURATION_HELP})")
        last_unit = unit
        total += Fraction(match.group(1)) * unit
        pos = match.end()
    if last_unit is None:
        raise ValueError(f"empty duration ({DURATION_HELP})")
    # Round half up: Python's round() would send 0.5 s to 0 and 2.5 s to 2.
    return int(total + Fraction(1, 2))


def format_duration(seconds: float) -> str:
    """A duration the way a facilitator says it, and parse_duration reads it back:
    "30 s", "90 s", "5 min", "1 h", "1 h 30 min", "2 min 5 s"."""
    seconds = int(round(seconds))
    if seconds < 120 and seconds % 60:
        return f"{seconds} s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    if secs:
        parts.append(f"{secs} s")
    return " ".join(parts) or "0 min"


def format_total_min(seconds: float) -> str:
    """Minutes with a decimal only where needed: "169", "45.5", "2.25"."""
    text = f"{seconds / 60:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def duration_text(seconds: float) -> str:
    """A duration in a message: "5 min" when it is whole minutes, else m:ss
    ("4:48", "0:45", "1:02:05"); never a decimal."""
    whole = max(int(round(seconds)), 0)
    if whole and whole % 60 == 0:
        return f"{whole // 60} min"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
