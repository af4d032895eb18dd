"""The minutes of a session: CommonMark with GFM pipe tables.

The minutes are built from a session "at rest": restored from its stored
events with a clock that never moves, so the same stored session always
gives the same bytes. Everything people typed goes through `esc`, which
backslash-escapes Markdown punctuation so it renders literally and never
breaks a table. The HTML page (`circle.minutes.html`) builds on this module.
"""

from __future__ import annotations

import re

from circle.domain import goal_views, views
from circle.domain.goal_views import GoalRow
from circle.domain.goals import (
    ACTION_DONE,
    ACTION_DROPPED,
    ACTION_OPEN,
    IN_PROGRESS,
)
from circle.domain.present import clock_text, plural, share_text, signed_clock, utc_date, utc_hm
from circle.domain.privacy import MIN_PULSE_SCORES, pulse_view
from circle.domain.session import Session
from circle.domain.views import ActionRow, ItemRow, MeetingRow, QuestionRow

__all__ = [
    "SECTION_HEADINGS",
    "esc",
    "esc_lines",
    "minute_sections",
    "minutes_date",
    "render_markdown",
]

SECTION_HEADINGS = (
    "Attendance",
    "Agenda",
    "Speaking time",
    "Questions",
    "Flash mentoring",
    "Action items",
    "Goals",
    "Feedback",
)
UNFINISHED = "*Unfinished session: these minutes were exported before the session ended.*"

# -- escaping -----------------------------------------------------

# Punctuation that can start Markdown (or GFM) syntax anywhere in a line.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!(){}+~&])")
# Only special at the start of a line: list markers, setext underlines,
# ordered-list numbers ("1." — "1)" is covered by `)` above).
_LEADING = re.compile(r"^([-=])|^(\d+)(\.)")


def esc(text: str) -> str:
    """One line of literal text for Markdown: safe in a paragraph, list item,
    heading or table cell. Whitespace (newlines included) collapses to spaces."""
    line = " ".join(str(text).split())
    line = _SPECIAL.sub(r"\\\1", line)
    return _LEADING.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\.", line)


def esc_lines(text: str, indent: str) -> str:
    """Literal multi-line text (a pulse comment): one hard line break per line,
    continuation lines indented to stay inside their list item."""
    lines = [esc(line) for line in str(text).splitlines()]
    return ("\\\n" + indent).join(line for line in lines if line)


def table(header: list[str], rows: list[list[str]]) -> str:
    """A GFM pipe table; cells must already be escaped (`esc`)."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def minutes_date(session: Session) -> str:
    # UTC, not local time: the date must not depend on the exporting machine's
    # time zone, or the same stored session would export different bytes.
    return utc_date(session.started_wall)


# -- the session at rest ----------------------------------------------------


def rest_now(session: Session) -> float:
    """The moment the minutes describe, on the session clock: the end, for an
    ended session, else the moment the session was saved.

    Events after `x` (the pulse) move the session clock on; the agenda's
    current item and a flash round must not keep counting after the end.
    """
    ended_s = session.folded.ended_s
    return session.now() if ended_s is None else ended_s


def rest_active(session: Session) -> float:
    """Active seconds at `rest_now`: what every timer in the minutes counts to."""
    return session.folded.active(rest_now(session))


def agenda_rows(session: Session) -> list[ItemRow]:
    """The agenda as it stood at `rest_now`."""
    return views.item_rows(session.folded, rest_now(session))


# -- sections -----------------------------------------------------------------


def minute_sections(session: Session) -> list[tuple[str, str]]:
    """The minutes as (key, Markdown) chunks, in order; joined they are the
    document. The HTML page inserts its timing bars after the "agenda" chunk."""
    return [
        ("title", title_chunk(session)),
        ("attendance", "## Attendance\n\n" + attendance_md(session)),
        ("agenda", "## Agenda\n\n" + agenda_table_md(session)),
        ("agenda-notes", takeaways_md(session)),
        ("speaking", "## Speaking time\n\n" + speaking_md(session)),
        ("questions", "## Questions\n\n" + questions_md(session)),
        ("flash", "## Flash mentoring\n\n" + flash_md(session)),
        ("actions", "## Action items\n\n" + actions_md(session)),
        ("goals", "## Goals\n\n" + goals_md(session)),
        ("feedback", "## Feedback\n\n" + feedback_md(session)),
    ]


def render_markdown(session: Session) -> str:
    return "\n".join(chunk for _, chunk in minute_sections(session))


def title_chunk(session: Session) -> str:
    lines = [f"# {esc(session.title)} — {minutes_date(session)}", ""]
    if not session.ended:
        lines += [UNFINISHED, ""]
    facts = [f"Started {utc_hm(session.started_wall)}"]
    if session.ended and session.ended_at is not None:
        facts.append(f"ended {utc_hm(session.ended_at)}")
    facts.append(f"{clock_text(rest_active(session))} in session")
    meta = ", ".join(facts) + f". Agenda: {esc(session.agenda_title)}."
    if session.series and session.series != session.title:
        meta += f" Series: {esc(session.series)}."
    return "\n".join([*lines, meta, ""])


def attendance_md(session: Session) -> str:
    roster = session.roster
    groups: dict[str, list[str]] = {"present": [], "late": [], "left": [], "absent": []}
    for person in roster.people:
        entry = roster.attendance[person]
        label = esc(person) + (" (mentor)" if person in roster.mentors else "")
        wall = entry.get("wall")
        if entry["status"] in ("late", "left") and wall is not None:
            verb = "arrived" if entry["status"] == "late" else "left"
            label += f", {verb} {utc_hm(wall)}"
        groups.setdefault(entry["status"], []).append(label)
    lines = [
        f"- {status.capitalize()}: " + ("; ".join(names) if names else "nobody")
        for status, names in groups.items()
    ]
    return "\n".join(lines) + "\n"


def item_status(row: ItemRow, ended: bool) -> str:
    status = row.status
    if ended:
        status = {"current": "done", "next": "not reached", "upcoming": "not reached"}.get(
            status, status
        )
    elif status == "current":
        status = "in progress"
    return status + (", added" if row.inserted else "")


def agenda_table_md(session: Session) -> str:
    rows = []
    for row in agenda_rows(session):
        ran = row.status in ("done", "current")
        planned = clock_text(row.planned_s)
        if row.original_s and row.original_s != row.planned_s:
            planned += f" (was {clock_text(row.original_s)})"
        actual = clock_text(row.actual_s) if ran else "—"
        diff = signed_clock(row.actual_s - row.planned_s) if ran else "—"
        status = item_status(row, session.ended)
        rows.append([esc(row.title), row.kind, planned, actual, diff, status])
    header = ["Item", "Kind", "Planned", "Actual", "Over/under", "Status"]
    return table(header, rows)


def takeaways_md(session: Session) -> str:
    parts = []
    for row in agenda_rows(session):
        notes = views.takeaways_for(session.folded, row.id)
        if notes:
            lines = [f"- {t.kind.capitalize()}: {esc(t.text)}" for t in notes]
            parts.append(f"### {esc(row.title)}\n\n" + "\n".join(lines) + "\n")
    return "\n".join(parts) if parts else "No takeaways or decisions were recorded.\n"


def speaking_md(session: Session) -> str:
    shares = views.shares(session.folded, rest_now(session))
    rows = [
        [esc(s.person), s.role, str(s.turns), clock_text(s.seconds), share_text(s.percent)]
        for s in shares
    ]
    total = sum(s.seconds for s in shares)
    note = f"Total speaking time {clock_text(total)}." if total else "Nobody took a turn."
    return table(["Person", "Role", "Turns", "Time", "Share"], rows) + "\n" + note + "\n"


def question_line(q: QuestionRow) -> str:
    facts = [plural(q.votes, "vote"), f"asked by {esc(q.asker)}" if q.asker else "anonymous"]
    if q.carried_in:
        facts.append("carried in")
    return f"- {esc(q.text)} — " + ", ".join(facts)


def questions_md(session: Session) -> str:
    every = views.all_question_rows(session.folded)
    listed = [q for q in every if q.visible]
    hidden = sum(1 for q in every if q.hidden)
    waiting = sum(1 for q in every if q.pending)
    counts = {s: sum(1 for q in listed if q.status == s) for s in ("answered", "parked", "open")}
    summary = f"{plural(len(listed), 'question')}: " + ", ".join(
        f"{n} {s}" for s, n in counts.items()
    )
    summary += "."
    if hidden:
        summary += f" {plural(hidden, 'hidden question')} not listed."
    if waiting:
        summary += f" {plural(waiting, 'question')} awaiting approval not listed."
    parts = [summary + "\n"]
    for status in counts:
        group = sorted((q for q in listed if q.status == status), key=lambda q: (-q.votes, q.id))
        body = "\n".join(question_line(q) for q in group) if group else "None."
        parts.append(f"### {status.capitalize()}\n\n{body}\n")
    return "\n".join(parts)


def flash_md(session: Session) -> str:
    runs = views.flash_views(session.folded, rest_now(session))
    if not runs:
        return "No flash mentoring in this session.\n"
    titles = {row.id: row.title for row in agenda_rows(session)}
    parts = []
    for number, run in enumerate(runs, 1):
        word = "Round" if run.two_mentors else "Slot"
        rows = [
            flash_row(str(index), meeting)
            for index, meetings in enumerate(run.meetings, 1)
            for meeting in meetings
        ]
        header = [word, "Mentee", "Mentor", "Topic", "Takeaway", "Planned", "Actual"]
        heading = ""
        if len(runs) > 1:
            heading = f"### Flash round {number}: {esc(titles.get(run.item_id, ''))}\n\n"
        parts.append(heading + table(header, rows))
    return "\n".join(parts)


def flash_row(label: str, meeting: MeetingRow) -> list[str]:
    actual = "—" if meeting.actual_s is None else clock_text(meeting.actual_s)
    return [
        label,
        esc(meeting.mentee),
        esc(meeting.mentor),
        esc(meeting.topic),
        esc(meeting.takeaway),
        clock_text(meeting.planned_s),
        actual,
    ]


def action_line(action: ActionRow) -> str:
    """`- [x]` for done, `- [ ]` for the rest; a state other than open or done is
    written out, since a tick box can only say done or not."""
    box = "[x]" if action.done else "[ ]"
    owner = f"{esc(action.owner)}: " if action.owner else ""
    line = f"- {box} {owner}{esc(action.text)}"
    if action.due:
        line += f" (due {esc(action.due)})"
    carried_and_dropped = action.carried_in and action.status == ACTION_DROPPED
    if action.status in (IN_PROGRESS, ACTION_DROPPED) and not carried_and_dropped:
        line += f" ({action.status})"
    if action.carried_in:
        closed = {ACTION_DONE: ", closed this session", ACTION_DROPPED: ", dropped this session"}
        line += f" (carried in{closed.get(action.status, '')})"
    return line


def actions_md(session: Session) -> str:
    actions = sorted(views.action_rows(session.folded), key=lambda a: a.id)
    if not actions:
        return "None.\n"
    counts = goal_views.action_counts(session.folded)
    # Done is what the list's ticks show; in progress and dropped are named
    # only when some item is in them.
    summary = f"{plural(len(actions), 'action item')}, {counts[ACTION_OPEN]} open"
    for status in (IN_PROGRESS, ACTION_DROPPED):
        if counts[status]:
            summary += f", {counts[status]} {status}"
    return summary + ".\n\n" + "\n".join(action_line(a) for a in actions) + "\n"


def goal_lines(goal: GoalRow) -> list[str]:
    """A goal, then each change made to it in this session with its note."""
    facts = [goal.horizon] + ([f"due {esc(goal.due)}"] if goal.due else []) + [goal.status]
    line = f"- {esc(goal.owner)}: {esc(goal.text)} — " + ", ".join(facts)
    if goal.carried_in:
        line += " (carried in)"
    return [line] + [
        f"  - {status}: {esc(note)}" if note else f"  - {status}" for status, note in goal.changes
    ]


def goals_md(session: Session) -> str:
    goals = goal_views.changed_goal_rows(session.folded)
    if not goals:
        return "None.\n"
    summary = f"{plural(len(goals), 'goal')} created or updated in this session."
    lines = [line for goal in goals for line in goal_lines(goal)]
    return summary + "\n\n" + "\n".join(lines) + "\n"


def feedback_md(session: Session) -> str:
    # The room's rule holds here too: the average and its spread only from
    # MIN_PULSE_SCORES scores, never a score, and comments sorted, so that
    # their order says nothing about who gave which.
    pulse = pulse_view(session.folded, final=True)
    answers = f" ({plural(pulse.answered, 'answer')})" if pulse.answered > pulse.scores else ""
    if pulse.average is not None and pulse.spread is not None:
        line = (
            f"Pulse: average {pulse.average:.1f} / 10 from {plural(pulse.scores, 'score')}, "
            f"spread ±{pulse.spread:.1f}{answers}."
        )
    elif pulse.scores:
        line = (
            f"Pulse: {plural(pulse.scores, 'score')}{answers}; an average is given only "
            f"from {MIN_PULSE_SCORES} scores."
        )
    else:
        line = f"Pulse: no scores{answers}."
    listed = "\n".join(f"- {esc_lines(c, '  ')}" for c in pulse.comments)
    body = listed or "No comments."
    return f"{line}\n\n### Comments\n\n{body}\n"
