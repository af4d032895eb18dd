"""How times and states read on the wall: plain functions, no Textual."""

from __future__ import annotations

import math
import time

from circle.domain.timer import TimerView

HIDDEN_NAME = "•••"
HIDDEN_TEXT = "(hidden)"


def mmss(seconds: float) -> str:
    """Whole seconds as mm:ss (or h:mm:ss), rounding towards the display's tick."""
    whole = int(math.floor(abs(seconds) + 1e-6))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def countdown_text(view: TimerView) -> str:
    """What the big digits show: time left, or +overrun once past zero."""
    if view.over:
        return "+" + mmss(view.overrun_s)
    return mmss(math.ceil(view.remaining_s - 1e-6))


def state_words(view: TimerView, paused: bool) -> str:
    """The state in words, so colour is never the only signal."""
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


def state_class(view: TimerView, paused: bool) -> str:
    if paused:
        return "-paused"
    if view.over:
        return "-over"
    return "-warning" if view.warning else "-ok"


def clock_hm(wall: float) -> str:
    return time.strftime("%H:%M", time.localtime(wall))


def minutes_label(seconds: float) -> str:
    minutes = seconds / 60
    if abs(minutes - round(minutes)) < 1e-6:
        return f"{round(minutes)}m"
    return f"{minutes:.1f}m"


def share_bar(percent: float, width: int) -> str:
    """A bar of `width` cells for 0–100 %, with eighth-blocks for the tail."""
    cells = max(0.0, min(100.0, percent)) / 100 * width
    full = int(cells)
    eighths = int((cells - full) * 8)
    tail = " ▏▎▍▌▋▊▉"[eighths] if full < width else ""
    return ("█" * full + tail).ljust(width)


def offset_words(behind_s: float) -> str:
    """How the forecast compares with the plan."""
    minutes = round(behind_s / 60)
    if minutes > 0:
        return f"{minutes} min late"
    if minutes < 0:
        return f"{-minutes} min early"
    return "on time"
