"""The programme report as CommonMark with GFM pipe tables.

Sections in this order: the title, Sessions, Pulse, Attendance, Goals,
Action items, Speaking time, Stage. Text people typed goes through the
minutes' own `esc`, so it renders literally and breaks no table.
"""

from __future__ import annotations

from circle.domain.goals import (
    ACTION_DONE,
    ACTION_DROPPED,
    ACTION_OPEN,
    GOAL_DONE,
    IN_PROGRESS,
    STAGE_MEANINGS,
)
from circle.domain.present import clock_text, plural, share_text
from circle.domain.privacy import MIN_PULSE_SCORES
from circle.minutes.markdown import esc, table
from circle.report.facts import UNFINISHED, SessionFacts
from circle.report.model import (
    MENTOR,
    ActionSummary,
    GoalSummary,
    HistoryEntry,
    ProgrammeReport,
    still_owed,
)

__all__ = ["REPORT_HEADINGS", "render_report_markdown", "report_sections"]

REPORT_HEADINGS = (
    "Sessions",
    "Pulse",
    "Attendance",
    "Goals",
    "Action items",
    "Speaking time",
    "Stage",
)
NO_PULSE = "—"
ABSENT_MARK = "—"


def report_sections(report: ProgrammeReport) -> list[tuple[str, str]]:
    """The report as (key, Markdown) chunks, in order; joined they are the
    document. The HTML page draws its charts after "pulse" and "speaking"."""
    return [
        ("title", title_md(report)),
        ("sessions", "## Sessions\n\n" + sessions_md(report)),
        ("pulse", "## Pulse\n\n" + pulse_md(report)),
        ("attendance", "## Attendance\n\n" + attendance_md(report)),
        ("goals", "## Goals\n\n" + goals_md(report)),
        ("actions", "## Action items\n\n" + actions_md(report)),
        ("speaking", "## Speaking time\n\n" + speaking_md(report)),
        ("stage", "## Stage\n\n" + stage_md(report)),
    ]


def render_report_markdown(report: ProgrammeReport) -> str:
    return "\n".join(chunk for _, chunk in report_sections(report))


def title_md(report: ProgrammeReport) -> str:
    sessions = report.sessions
    span = f"{sessions[0].date} to {sessions[-1].date}" if sessions else "no dates"
    facts = [f"{plural(len(sessions), 'session')}, {span}"]
    unfinished = sum(1 for s in sessions if s.status == UNFINISHED)
    if unfinished:
        facts.append(f"{unfinished} unfinished")
    line = ", ".join(facts) + f". Stage: {report.stage}."
    mentors = [esc(p) for p, role in report.people if role == MENTOR]
    mentees = [esc(p) for p, role in report.people if role != MENTOR]
    people = f"Mentors: {', '.join(mentors) or 'none'}. Mentees: {', '.join(mentees) or 'none'}."
    return f"# {esc(report.series)} — programme report\n\n{line} {people}\n"


def pulse_cell(facts: SessionFacts) -> str:
    if facts.pulse_average is None:
        return NO_PULSE
    return f"{facts.pulse_average:.1f} ({plural(facts.pulse_n, 'score')})"


def sessions_md(report: ProgrammeReport) -> str:
    rows = [
        [
            str(n),
            s.date,
            esc(s.title),
            s.status,
            clock_text(s.duration_s),
            f"{len(s.present)} of {len(s.people)}",
            pulse_cell(s),
        ]
        for n, s in enumerate(report.sessions, 1)
    ]
    header = ["#", "Date", "Title", "Status", "Duration", "Present", "Pulse"]
    note = f"A pulse is shown only where {MIN_PULSE_SCORES} or more people gave a score."
    return table(header, rows) + "\n" + note + "\n"


def pulse_bar(average: float) -> str:
    """One block per point of the 1–10 score, the figure in words too."""
    return f"{'█' * int(average + 0.5)} {average:.1f}"


def pulse_md(report: ProgrammeReport) -> str:
    shown = [
        (n, s.pulse_average)
        for n, s in enumerate(report.sessions, 1)
        if s.pulse_average is not None
    ]
    if not shown:
        return f"No session had {MIN_PULSE_SCORES} or more scores, so no pulse is shown.\n"
    rows = [
        [
            str(n),
            s.date,
            str(s.pulse_n),
            NO_PULSE if s.pulse_average is None else pulse_bar(s.pulse_average),
        ]
        for n, s in enumerate(report.sessions, 1)
    ]
    (first_n, first), (last_n, last) = shown[0], shown[-1]
    if len(shown) == 1:
        trend = f"Only session {first_n} had {MIN_PULSE_SCORES} or more scores."
    else:
        trend = (
            f"Trend: {first:.1f} in session {first_n} to {last:.1f} in session {last_n}"
            f" ({last - first:+.1f})."
        )
    return table(["#", "Date", "Scores", "Average"], rows) + "\n" + trend + "\n"


def attendance_md(report: ProgrammeReport) -> str:
    numbers = [str(n) for n in range(1, len(report.sessions) + 1)]
    rows = []
    off_roster = False
    for person, role in report.people:
        cells = [s.attendance.get(person, ABSENT_MARK) for s in report.sessions]
        on_roster = sum(1 for s in report.sessions if person in s.attendance)
        off_roster = off_roster or on_roster < len(cells)
        came = sum(1 for c in cells if c not in ("absent", ABSENT_MARK))
        rows.append([esc(person), role, *cells, f"{came} of {on_roster}"])
    # The mark is explained only where a table uses it.
    note = f"\n{ABSENT_MARK} not on that session's roster.\n" if off_roster else ""
    return table(["Person", "Role", *numbers, "Attended"], rows) + note


def history_text(history: tuple[HistoryEntry, ...]) -> str:
    parts = [f"{h.number}: {h.status}" + (f" — {esc(h.note)}" if h.note else "") for h in history]
    return "; ".join(parts) if parts else "—"


def goals_md(report: ProgrammeReport) -> str:
    if not report.goals:
        return "No goals were recorded in this series.\n"
    owners: dict[str, list[GoalSummary]] = {}
    for goal in report.goals:
        owners.setdefault(goal.owner, []).append(goal)
    done = sum(1 for g in report.goals if g.status == GOAL_DONE)
    parts = [
        f"{plural(len(report.goals), 'goal')} of {plural(len(owners), 'mentee')}, {done} done. "
        "History: the session's number, then the status set there.\n"
    ]
    header = ["Goal", "Horizon", "Due", "Status", "History"]
    for owner, goals in owners.items():
        rows = [
            [
                esc(g.text),
                g.horizon,
                esc(g.due) if g.due else "—",
                g.status,
                history_text(g.history),
            ]
            for g in goals
        ]
        parts.append(f"### {esc(owner)}\n\n" + table(header, rows))
    return "\n".join(parts)


def owed_line(action: ActionSummary) -> str:
    owner = f"{esc(action.owner)}: " if action.owner else ""
    line = f"- [ ] {owner}{esc(action.text)}"
    if action.due:
        line += f" (due {esc(action.due)})"
    return line + f" — {action.status}, since session {action.first}"


def actions_md(report: ProgrammeReport) -> str:
    counts = report.action_counts
    total = len(report.actions)
    rows = [
        ["Done", str(counts[ACTION_DONE])],
        ["Open", str(counts[ACTION_OPEN])],
        ["In progress", str(counts[IN_PROGRESS])],
        ["Dropped", str(counts[ACTION_DROPPED])],
        ["Total", str(total)],
    ]
    if total:
        rate = 100 * counts[ACTION_DONE] / total
        line = f"Completion rate: {rate:.0f} % ({counts[ACTION_DONE]} of {total} done)."
    else:
        line = "Completion rate: — (no action items)."
    line += " An item carried through several sessions counts once."
    owed = still_owed(report)
    body = "\n".join(owed_line(a) for a in owed) if owed else "Nothing is owed."
    return table(["Status", "Items"], rows) + f"\n{line}\n\n### Still owed\n\n{body}\n"


def speaking_md(report: ProgrammeReport) -> str:
    total = sum(s.seconds for s in report.speaking)
    rows = [
        [
            esc(s.person),
            s.role,
            str(s.sessions),
            str(s.turns),
            clock_text(s.seconds),
            share_text(100 * s.seconds / total if total else 0.0),
        ]
        for s in report.speaking
    ]
    header = ["Person", "Role", "Sessions", "Turns", "Time", "Share"]
    note = f"Total speaking time {clock_text(total)}." if total else "Nobody took a turn."
    return table(header, rows) + "\n" + note + "\n"


def stage_md(report: ProgrammeReport) -> str:
    lines = [f"Stage: {report.stage} ({STAGE_MEANINGS[report.stage]}).", ""]
    for index, change in enumerate(report.stage_changes):
        when = f"session {change.number}, {report.sessions[change.number - 1].date}"
        how = f"from the start ({when})" if index == 0 else f"set in {when}"
        lines.append(f"- {change.stage}: {how}")
    agenda = report.suggested_agenda
    if agenda:
        lines += ["", f"Suggested agenda for the next session: {agenda}."]
    return "\n".join(lines) + "\n"
