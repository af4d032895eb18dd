"""How flash mentoring and the pulse change the state.

Handlers validate first and change state only once nothing can fail, and
read time from the event, never from a clock.
"""

from __future__ import annotations

from circle.domain.errors import DomainError
from circle.domain.events import Event
from circle.domain.state import FLASH_FIELDS, SessionState

# -- flash mentoring ---------------------------------------------------------------


def flash_started(state: SessionState, event: Event) -> None:
    # The flash modules load with a session's first round: most have none,
    # and start-up doesn't pay for them.
    from circle.domain.flash import FlashPlan
    from circle.domain.flashrun import FlashRun

    data = event["data"]
    plan = FlashPlan.from_dict(data["plan"])
    state.flash_runs.append(FlashRun(plan, data["item"], state.active(event["at"])))
    state.flash_moved_at = event["at"]


def flash_advanced(state: SessionState, event: Event) -> None:
    active = state.active(event["at"])
    run = state.flash_runs[-1] if state.flash_runs else None
    if run is None or run.done(active):
        raise DomainError("No flash round is running")
    run.advance(active)
    state.flash_moved_at = event["at"]


def flash_note(state: SessionState, event: Event) -> None:
    if not state.flash_runs:
        raise DomainError("No flash round to write in")
    data = event["data"]
    if data["field"] not in FLASH_FIELDS:
        raise DomainError(f"Unknown flash field '{data['field']}'")
    try:
        record = state.flash_runs[-1].records[data["round"]][data.get("meeting", 0)]
    except IndexError:
        raise DomainError("No such meeting in this flash round") from None
    setattr(record, data["field"], data["text"])


def flash_settings(state: SessionState, event: Event) -> None:
    data = event["data"]
    order = [state.roster.find(p) for p in data["order"]] if "order" in data else None
    if "changeover_s" in data:
        state.changeover_s = int(data["changeover_s"])
    if "order" in data:
        state.flash_order = order or None


# -- the pulse -------------------------------------------------------------------------


def pulse_opened(state: SessionState, event: Event) -> None:
    state.pulse_open = bool(event["data"].get("open", True))


def pulse_given(state: SessionState, event: Event) -> None:
    data = event["data"]
    score = data.get("score")
    if score is not None and not (isinstance(score, int) and 1 <= score <= 10):
        raise DomainError("A pulse score is a whole number from 1 to 10")
    if score is None and not data.get("comment"):
        raise DomainError("An empty pulse has nothing to record")
    entry = {"score": score, "comment": data.get("comment", ""), "source": event["source"]}
    state.pulse.append(entry)
