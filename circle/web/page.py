"""The join page's side of the session: what a phone may read and do, and the HTML.

No aiohttp here (`circle.web.server` does the HTTP). Every text a person typed goes
through `html.escape` on the way into HTML, or stays a JSON string that the
page's script writes with `textContent`, so nothing typed is ever interpreted
(§8). While the privacy blind is on, names and question texts never leave the
server. The actions check everything before they record anything, so a refused
request stores nothing.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable
from functools import cache
from html import escape
from importlib.resources import files
from string import Template
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from circle.domain.board import MAX_QUESTION, Question
from circle.domain.errors import DomainError
from circle.domain.text import clean_text

if TYPE_CHECKING:
    from circle.domain.session import Session

HIDDEN_TEXT = "(hidden)"
MAX_COMMENT = 500
# Fixed notices for the JavaScript-off flow: the redirect carries a key, never
# a message, so a crafted link can't put words on the page.
NOTICES = {
    "sent": "Thanks: your question is on the board.",
    "pending": "Thanks: your question waits for the facilitator's approval.",
}


class ApiError(Exception):
    """A refusal with its HTTP status and a message for the participant."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class RateLimiter:
    """At most `limit` hits per `window` seconds per key (sliding window)."""

    def __init__(self, limit: int, window: float, now: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.now = limit, window, now
        self.hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> float | None:
        """Count a hit; None if allowed, else the seconds until it would be."""
        now = self.now()
        if len(self.hits) > 5000:  # forget idle devices so the table stays small
            self.hits = {k: q for k, q in self.hits.items() if q and now - q[-1] < self.window}
        recent = self.hits.setdefault(key, deque())
        while recent and now - recent[0] >= self.window:
            recent.popleft()
        if len(recent) >= self.limit:
            return self.window - (now - recent[0])
        recent.append(now)
        return None


# -- reading input ----------------------------------------------------------------
def parse_json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, "The body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "The body must be a JSON object")
    return data


def parse_form(body: bytes) -> dict[str, str] | None:
    """A URL-encoded form (`POST /ask`); None when it can't be read."""
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        return None
    return {key: values[0] for key, values in fields.items()}


def require_str(data: dict[str, Any], key: str) -> str:
    if key not in data:
        raise ApiError(400, f"'{key}' is missing")
    if not isinstance(data[key], str):
        raise ApiError(400, f"'{key}' must be a string")
    return data[key]


def check_running(session: Session) -> None:
    if session.ended:
        raise ApiError(409, "The session has ended")


def claimable(session: Session, device: str, name: str) -> str:
    """The roster spelling of `name`, if this device may use it."""
    try:
        person = session.roster.find(name)
    except DomainError as exc:
        raise ApiError(400, str(exc)) from None
    owner = session.name_owner.get(person)
    if owner is not None and owner != device:
        raise ApiError(403, f"{person} is already taken on another device")
    return person


def visible_question(session: Session, qid: int) -> Question:
    question = session.board.questions.get(qid)
    if question is None or not question.visible:
        raise ApiError(404, f"No question #{qid}")
    return question


# -- what a phone may do ------------------------------------------------------------
def ask(session: Session, device: str, text: str, name: str | None) -> Question:
    check_running(session)
    person = claimable(session, device, name) if name and name.strip() else None
    try:  # the domain cleans the text and checks it is 1 to 280 characters
        event = session.add_question(text, person, source="phone")
    except DomainError as exc:
        raise ApiError(400, str(exc)) from None
    if person is not None:  # claimed after: a refused question claims nothing
        session.claim_name(person, device)
    return session.board.get(event["seq"])


def ask_json(session: Session, device: str, data: dict[str, Any]) -> Question:
    text = require_str(data, "text")
    name = data.get("name")  # absent or null: anonymous
    if name is not None and not isinstance(name, str):
        raise ApiError(400, "'name' must be a string or null")
    return ask(session, device, text, name)


def ask_form(session: Session, device: str, form: dict[str, str] | None) -> Question:
    if form is None:
        raise ApiError(400, "The form could not be read")
    if "text" not in form:
        raise ApiError(400, "'text' is missing")
    return ask(session, device, form["text"], form.get("name") or None)


def set_vote(session: Session, device: str, qid: int, on: bool) -> tuple[Question, bool]:
    """Vote or take the vote back; a repeat changes nothing."""
    check_running(session)
    question = visible_question(session, qid)
    if (device in question.voters) == on:
        return question, False
    if on:
        session.vote(qid, voter=device)
    else:
        session.unvote(qid, device)
    return question, True


def set_hand(session: Session, device: str, data: dict[str, Any]) -> dict[str, Any]:
    name = require_str(data, "name")
    if type(data.get("up")) is not bool:
        raise ApiError(400, "'up' is missing" if "up" not in data else "'up' must be true or false")
    up: bool = data["up"]
    check_running(session)
    person = claimable(session, device, name)
    if up and not session.roster.is_here(person):
        raise ApiError(400, f"{person} is marked {session.roster.status(person)}")
    session.claim_name(person, device)
    session.set_hand(person, up, source="phone")
    return {"name": person, "up": up}


def give_pulse(session: Session, data: dict[str, Any], already: bool) -> None:
    score, comment = data.get("score"), data.get("comment", "")
    if score is not None and (type(score) is not int or not 1 <= score <= 10):
        raise ApiError(400, "'score' must be a whole number from 1 to 10, or null")
    if not isinstance(comment, str):
        raise ApiError(400, "'comment' must be a string")
    if not session.pulse_open:
        raise ApiError(409, "The pulse is not open")
    if already:
        raise ApiError(409, "Your pulse is already in")
    if score is None and not clean_text(comment):
        raise ApiError(400, "Give a score or a comment")
    session.give_pulse(score, comment, source="phone")


# -- what a phone sees --------------------------------------------------------------
def owned_names(session: Session, device: str) -> list[str]:
    return [name for name, owner in session.name_owner.items() if owner == device]


def question_payload(session: Session, question: Question, device: str) -> dict[str, Any]:
    blind = session.blind
    return {
        "id": question.id,
        "text": HIDDEN_TEXT if blind else question.text,
        "name": None if blind else question.asker,
        "votes": question.votes,
        "status": question.status,
        "voted": device in question.voters,
        "pending": question.pending,
    }


def board_payload(session: Session, device: str, pulse_given: bool = False) -> dict[str, Any]:
    """`GET /api/board`: everything one phone needs, in one poll."""
    blind = session.blind
    mine = owned_names(session, device)
    queue = session.queue_entries()
    raised = {entry.person for entry in queue}
    return {
        "title": session.title,
        "questions": [question_payload(session, q, device) for q in session.board.ordered()],
        "queue": [{"name": None if blind else e.person, "new": e.new} for e in queue],
        "pulse_open": session.pulse_open,
        "pulse_given": pulse_given,
        "blind": blind,
        # The blind hides who is in the room too; the picker comes back with it.
        "roster": [] if blind else list(session.roster.people),
        "you": mine[-1] if mine else None,
        "my_hands": [name for name in mine if name in raised],
        "moderated": session.board.moderated,
        "ended": session.ended,
        "max_question": MAX_QUESTION,
    }


# -- HTML ---------------------------------------------------------------------------
@cache
def _template(name: str) -> Template:
    return Template(files("circle.web").joinpath("static", name).read_text("utf-8"))


def _doc(title: str, body: str, code: str = "") -> str:
    data = f' data-code="{escape(code)}"' if code else ""
    return _template("layout.html").substitute(title=escape(title), data=data, body=body)


def _question_li(session: Session, question: Question, device: str) -> str:
    q = question_payload(session, question, device)
    who = escape(q["name"]) if q["name"] else "Anonymous"
    votes = f"{q['votes']} vote" + ("" if q["votes"] == 1 else "s")
    status = "" if q["status"] == "open" else f" · {escape(q['status'])}"
    label = "Take my vote back" if q["voted"] else "Vote"
    return (
        f'<li class="q" data-id="{q["id"]}">'
        f'<p class="q-text" id="q{q["id"]}">{escape(q["text"])}</p>'
        f'<p class="q-meta">{who} · {votes}{status}</p>'
        f'<button type="button" class="vote needs-js" data-id="{q["id"]}" '
        f'aria-pressed="{"true" if q["voted"] else "false"}" '
        f'aria-describedby="q{q["id"]}">{label}</button></li>'
    )


def render_page(session: Session, device: str, code: str, notice: str = "") -> str:
    """The whole page, server-rendered so it reads and asks with JavaScript off."""
    blind = session.blind
    mine = owned_names(session, device)
    options = ['<option value="">Anonymous</option>']
    for person in [] if blind else session.roster.people:
        selected = " selected" if mine and person == mine[-1] else ""
        options.append(f'<option value="{escape(person)}"{selected}>{escape(person)}</option>')
    questions = session.board.ordered()
    queue = session.queue_entries()
    hidden = " hidden"
    body = _template("page.html").substitute(
        title=escape(session.title),
        code=escape(code),
        notice=escape(NOTICES.get(notice, "")),
        options="".join(options),
        name_hint="Names are hidden right now."
        if blind
        else "Shown with your questions and used for your hand. Anonymous hides it.",
        max_question=MAX_QUESTION,
        max_comment=MAX_COMMENT,
        pulse_hidden="" if session.pulse_open else hidden,
        scores="\n".join(
            f'<label class="score"><input type="radio" name="score" value="{n}"> {n}</label>'
            for n in range(1, 11)
        ),
        qcount=len(questions),
        items="\n".join(_question_li(session, q, device) for q in questions),
        board_empty_hidden=hidden if questions else "",
        hands="\n".join(
            f"<li>{HIDDEN_TEXT if blind else escape(e.person)}{' · new' if e.new else ''}</li>"
            for e in queue
        ),
        queue_empty_hidden=hidden if queue else "",
    )
    return _doc(session.title or "circle", body, code)


def render_code_form(message: str) -> str:
    """Asked for without (or with a wrong) code: a form to type the code in."""
    return _doc("Join", _template("code.html").substitute(message=escape(message)))


def render_error(message: str, code: str = "") -> str:
    """An error for a browser with JavaScript off (`POST /ask`)."""
    back = f"/?code={escape(code)}" if code else "/"
    return _doc("Error", _template("error.html").substitute(message=escape(message), back=back))
