"""The join page's HTML, server-rendered so it reads and asks with JavaScript off.

Every text a person typed goes through `html.escape` on the way in, or stays
a JSON string that the page's script writes with `textContent`, so nothing
typed is ever interpreted.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib.resources import files
from string import Template
from typing import TYPE_CHECKING, Any

from circle.domain.board import MAX_QUESTION, Question
from circle.domain.privacy import shown_name
from circle.web.page import MAX_COMMENT
from circle.web.views import now_text, owned_names, question_payload

if TYPE_CHECKING:
    from circle.domain.session import Session

# Fixed notices for the JavaScript-off flow: the redirect carries a key, never
# a message, so a crafted link can't put words on the page.
NOTICES = {
    "sent": "Thanks: your question is on the board.",
    "pending": "Thanks: your question waits for the facilitator's approval.",
}


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


def render_page(session: Session, device: str, now: dict[str, Any], notice: str = "") -> str:
    """The whole page for one device; `now` is the board's `now` block."""
    code = session.join_code
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
        now=escape(now_text(now)),
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
            f"<li>{escape(shown_name(blind, e.person) or '')}{' · new' if e.new else ''}</li>"
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
