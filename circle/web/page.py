"""What a phone may do to the session: every check, then the change.

No aiohttp here (`circle.web.handlers` does the HTTP). Each `plan_*`
function checks a request completely and returns the change as a function
still to be called: the server counts the write against the device's rate
limit in between, so a refused request stores nothing and costs nothing.
Text that isn't valid Unicode is refused here, where it enters: nothing a
phone sends reaches the session unless it can be written to disk as UTF-8.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from circle.domain.board import MAX_QUESTION, Question
from circle.domain.errors import DomainError
from circle.domain.text import clean_text
from circle.web.views import question_payload

if TYPE_CHECKING:
    from circle.domain.session import Session

MAX_COMMENT = 500
_SURROGATE = re.compile("[\ud800-\udfff]")
Change = Callable[[], dict[str, Any]]


class ApiError(Exception):
    """A refusal with its HTTP status and a message for the participant."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


# -- reading input ----------------------------------------------------------------
def refuse_invalid_unicode(data: Any) -> None:
    """Every string in a parsed body, keys too, must be valid Unicode.

    JSON can spell a lone surrogate (`"\\ud800"`): Python accepts it, but no
    file can store it as UTF-8. Walked with a stack, not recursion: a 4 KB
    body can nest a thousand levels deep.
    """
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise ApiError(400, "The text is not valid Unicode (it has a lone surrogate)")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, "The body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "The body must be a JSON object")
    refuse_invalid_unicode(data)
    return data


def parse_form(body: bytes) -> dict[str, str]:
    """A URL-encoded form (`POST /ask`), strictly UTF-8 inside its %-escapes too."""
    try:
        fields = parse_qs(
            body.decode("utf-8"),
            keep_blank_values=True,
            max_num_fields=20,
            encoding="utf-8",
            errors="strict",
        )
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "The form could not be read (it is not valid UTF-8)") from None
    form = {key: values[0] for key, values in fields.items()}
    refuse_invalid_unicode(form)
    return form


def require_str(data: dict[str, Any], key: str) -> str:
    if key not in data:
        raise ApiError(400, f"'{key}' is missing")
    if not isinstance(data[key], str):
        raise ApiError(400, f"'{key}' must be a string")
    return data[key]


def check_running(session: Session) -> None:
    if session.ended:
        raise ApiError(409, "The session has ended")


def on_roster(session: Session, name: str) -> str:
    """The roster spelling of `name`."""
    try:
        return session.roster.find(name)
    except DomainError as exc:
        raise ApiError(400, str(exc)) from None


def claimable(session: Session, device: str, name: str) -> str:
    """The roster spelling of `name`, if this device may use it."""
    person = on_roster(session, name)
    owner = session.name_owner.get(person)
    if owner is not None and owner != device:
        raise ApiError(403, f"{person} is already taken on another device")
    return person


def visible_question(session: Session, qid: int) -> Question:
    question = session.board.questions.get(qid)
    if question is None or not question.visible:
        raise ApiError(404, f"No question #{qid}")
    return question


def question_text(text: str) -> str:
    """The text as it will be stored, checked as the session would check it."""
    cleaned = clean_text(text)
    if not cleaned:
        raise ApiError(400, "A question can't be empty")
    if len(cleaned) > MAX_QUESTION:
        raise ApiError(400, f"A question is at most {MAX_QUESTION} characters")
    return cleaned


# -- what a phone may do ------------------------------------------------------------
def plan_question(session: Session, device: str, text: str, name: str | None) -> Change:
    check_running(session)
    person = claimable(session, device, name) if name and name.strip() else None
    question_text(text)

    def change() -> dict[str, Any]:
        event = session.add_question(text, person, source="phone")
        if person is not None:
            session.claim_name(person, device)
        return question_payload(session, session.board.get(event["seq"]), device)

    return change


def plan_question_json(session: Session, device: str, data: dict[str, Any]) -> Change:
    text = require_str(data, "text")
    name = data.get("name")  # absent or null: anonymous
    if name is not None and not isinstance(name, str):
        raise ApiError(400, "'name' must be a string or null")
    return plan_question(session, device, text, name)


def plan_question_form(session: Session, device: str, form: dict[str, str]) -> Change:
    if "text" not in form:
        raise ApiError(400, "'text' is missing")
    return plan_question(session, device, form["text"], form.get("name") or None)


def plan_vote(session: Session, device: str, qid: int, on: bool) -> Change:
    """Vote or take the vote back; a repeat changes nothing."""
    check_running(session)
    question = visible_question(session, qid)

    def change() -> dict[str, Any]:
        if (device in question.voters) != on:
            if on:
                session.vote(qid, voter=device)
            else:
                session.unvote(qid, device)
        return question_payload(session, question, device)

    return change


def plan_hand(session: Session, device: str, data: dict[str, Any]) -> Change:
    name = require_str(data, "name")
    if type(data.get("up")) is not bool:
        raise ApiError(400, "'up' is missing" if "up" not in data else "'up' must be true or false")
    up: bool = data["up"]
    check_running(session)
    person = on_roster(session, name)
    if person not in session.roster.mentees:
        raise ApiError(400, f"Hands from the page are for mentees: {person} is a mentor")
    owner = session.name_owner.get(person)
    if session.blind and owner != device:
        # One answer whether the name is taken or free: the blind hides who is who.
        raise ApiError(403, "Names are hidden right now: a hand goes up only for your own name")
    if owner is not None and owner != device:
        raise ApiError(403, f"{person} is already taken on another device")
    if up and not session.roster.is_here(person):
        raise ApiError(400, f"{person} is marked {session.roster.status(person)}")
    if up:
        for other, other_owner in session.name_owner.items():
            if other_owner == device and other != person and session.queue.is_raised(other):
                raise ApiError(409, f"This device already has a hand up, for {other}")

    def change() -> dict[str, Any]:
        session.claim_name(person, device)
        session.set_hand(person, up, source="phone")
        return {"name": person, "up": up}

    return change


def people_present(session: Session) -> int:
    return sum(session.roster.is_here(person) for person in session.roster.people)


def plan_pulse(session: Session, data: dict[str, Any], already: bool) -> Change:
    score, comment = data.get("score"), data.get("comment", "")
    if score is not None and (type(score) is not int or not 1 <= score <= 10):
        raise ApiError(400, "'score' must be a whole number from 1 to 10, or null")
    if not isinstance(comment, str):
        raise ApiError(400, "'comment' must be a string")
    if not session.pulse_open:
        raise ApiError(409, "The pulse is not open")
    if already:
        raise ApiError(409, "Your pulse is already in")
    # One answer per person in the room, whatever number of devices they bring.
    if len(session.pulse) >= people_present(session):
        raise ApiError(409, "Everyone present has given the pulse")
    if score is None and not clean_text(comment):
        raise ApiError(400, "Give a score or a comment")

    def change() -> dict[str, Any]:
        session.give_pulse(score, comment, source="phone")
        return {"ok": True}

    return change
