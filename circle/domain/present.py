"""How times, counts and states read, on the wall and in the minutes.

Plain functions, no Textual: one helper per way of writing a thing, so the
wall, the join page and the minutes never disagree on one.
"""

from __future__ import annotations

import math
import time

from circle.domain.timer import TimerView

HIDDEN_NAME = "•••"
HIDDEN_TEXT = "(hidden)"


def _hms(whole: int, pad_minutes: bool) -> str:
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}" if pad_minutes else f"{minutes}:{secs:02d}"


def mmss(seconds: float) -> str:
    """A ticking time on the wall: mm:ss (or h:mm:ss), down to the second shown.

    Rounds towards the display's tick, so a second is shown only once it has passed.
    """
    return _hms(int(math.floor(abs(seconds) + 1e-6)), pad_minutes=True)


def clock_text(seconds: float) -> str:
    """A duration written down (the minutes): m:ss, or h:mm:ss from an hour.

    Whole seconds rounded half up; below zero reads as zero.
    """
    return _hms(int(max(seconds, 0.0) + 0.5), pad_minutes=False)


def signed_clock(seconds: float) -> str:
    """Over or under a plan: +m:ss or -m:ss (half a second either way is on time)."""
    sign = "-" if seconds < -0.5 else "+"
    return sign + clock_text(abs(seconds))


def countdown_text(view: TimerView) -> str:
    """What the big digits show: time left, or +overrun once past zero."""
    if view.over:
        return "+" + mmss(view.overrun_s)
    return mmss(math.ceil(view.remaining_s - 1e-6))


ENDED_WORDS = "ENDED"


def state_words(view: TimerView, paused: bool, ended: bool = False) -> str:
    """The state in words, so colour is never the only signal."""
    if ended:
        return ENDED_WORDS
    if view.over:
        words = f"OVER +{mmss(view.overrun_s)}"
    else:
        left = math.ceil(view.remaining_s - 1e-6)  # as the digits show it
        if left >= 60:
            # To the nearest minute, as a facilitator would say it: 10:05 is
            # "10 min left", 4:30 is "5 min left".
            words = f"{int(left / 60 + 0.5)} min left"
        else:
            words = f"{left} s left" if left else "time is up"
    return f"PAUSED · {words}" if paused else words


def state_class(view: TimerView, paused: bool, ended: bool = False) -> str:
    if ended:
        return "-ended"
    if paused:
        return "-paused"
    if view.over:
        return "-over"
    return "-warning" if view.warning else "-ok"


def turn_words(seconds: float, budget_s: float | None) -> tuple[bool, str]:
    """Whether a turn is past its round's budget, and the words under its digits."""
    if budget_s is not None and seconds > budget_s:
        return True, f"OVER BUDGET ({mmss(budget_s)} a turn)"
    return False, f"budget {mmss(budget_s)} a turn" if budget_s else ""


def next_words(name: str, back_at_s: float | None) -> str:
    """Who is next: a mentee an interjection paused says where her turn stands."""
    return name if back_at_s is None else f"{name} (back at {mmss(back_at_s)})"


def clock_hm(wall: float) -> str:
    """A wall-clock time of day on the wall, in the room's time zone."""
    return time.strftime("%H:%M", time.localtime(wall))


def utc_hm(wall: float) -> str:
    """A wall-clock time in the minutes: UTC, so the same session exports the
    same bytes on any machine, whatever its time zone."""
    return time.strftime("%H:%M UTC", time.gmtime(wall))


def utc_date(wall: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(wall))


def minutes_label(seconds: float) -> str:
    """A planned time in the agenda panel: "5m" for whole minutes, else m:ss
    ("4:48" after a rebalance), never a decimal."""
    whole = int(round(seconds))
    if whole % 60 == 0:
        return f"{whole // 60}m"
    return _hms(whole, pad_minutes=False)


def duration_words(seconds: float | None) -> str:
    """How long a stored session lasted, to the minute: "42 min", "1 h 05 min"."""
    if seconds is None:
        return "—"
    minutes = int(seconds // 60)
    if minutes < 1:
        return "<1 min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def plural(count: int, word: str) -> str:
    """A count with its noun: "1 vote", "3 votes" (regular plurals only)."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def share_bar(percent: float, width: int) -> str:
    """A bar of `width` cells for 0–100 %, with eighth-blocks for the tail (the wall)."""
    cells = max(0.0, min(100.0, percent)) / 100 * width
    full = int(cells)
    eighths = int((cells - full) * 8)
    tail = " ▏▎▍▌▋▊▉"[eighths] if full < width else ""
    return ("█" * full + tail).ljust(width)


def share_text(percent: float) -> str:
    """A share written down (the minutes): `████ 35 %`, one block per 10 %,
    the figure always in words too."""
    blocks = "█" * int(percent / 10 + 0.5)
    figure = f"{int(percent + 0.5)} %"
    return f"{blocks} {figure}" if blocks else figure


def offset_words(behind_s: float) -> str:
    """How the forecast compares with the plan."""
    minutes = round(behind_s / 60)
    if minutes > 0:
        return f"{minutes} min late"
    if minutes < 0:
        return f"{-minutes} min early"
    return "on time"
