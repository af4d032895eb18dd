"""The programme report as JSON, for scripts: the shape is a contract.

    {"series", "stage", "sessions": [...], "goals": [...], "actions": {...}, "speaking": [...]}

Keys in a fixed order, two-space indented, UTF-8 as is: the same stored
series always gives the same bytes.
"""

from __future__ import annotations

import json

from circle.domain.goals import ACTION_DONE, ACTION_DROPPED, ACTION_OPEN, IN_PROGRESS
from circle.report.facts import SessionFacts
from circle.report.model import GoalSummary, ProgrammeReport

__all__ = ["render_report_json", "report_dict"]


def report_dict(report: ProgrammeReport) -> dict:
    counts = report.action_counts
    return {
        "series": report.series,
        "stage": report.stage,
        "sessions": [session_dict(s) for s in report.sessions],
        "goals": [goal_dict(g) for g in report.goals],
        "actions": {
            "total": len(report.actions),
            "open": counts[ACTION_OPEN],
            "in_progress": counts[IN_PROGRESS],
            "done": counts[ACTION_DONE],
            "dropped": counts[ACTION_DROPPED],
        },
        "speaking": [
            {"person": s.person, "role": s.role, "seconds": int(s.seconds + 0.5)}
            for s in report.speaking
        ],
    }


def session_dict(facts: SessionFacts) -> dict:
    pulse = None
    if facts.pulse_average is not None:
        # Two decimals: enough for an average of ten scores at most, and the
        # same bytes on every machine.
        pulse = {"n": facts.pulse_n, "average": round(facts.pulse_average, 2)}
    return {
        "id": facts.id,
        "date": facts.date,
        "title": facts.title,
        "status": facts.status,
        "duration_s": facts.duration_s,
        "present": facts.present,
        "absent": facts.absent,
        "pulse": pulse,
    }


def goal_dict(goal: GoalSummary) -> dict:
    return {
        "owner": goal.owner,
        "text": goal.text,
        "horizon": goal.horizon,
        "status": goal.status,
        "due": goal.due or None,
        "history": [
            {"session": h.session, "status": h.status, "note": h.note} for h in goal.history
        ],
    }


def render_report_json(report: ProgrammeReport) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
