"""The programme report of a series: carry-over, counting rules, formats, the commands.

Regenerate the golden files with `UPDATE_GOLDEN=1 pytest tests/unit/test_report.py`
and read the diff before keeping it.
"""

from __future__ import annotations

import io
import json
import os
import re
import time
from pathlib import Path

import pytest

from circle.agendafiles.parser import resolve_agenda
from circle.domain.clock import FakeClock
from circle.domain.errors import BadInput, StorageError
from circle.domain.goals import LIVE_GOAL_STATUSES
from circle.domain.session import Session
from circle.report.command import render_report, report_command, series_command
from circle.report.markdown import REPORT_HEADINGS
from circle.report.model import still_owed
from circle.report.series import list_series, load_report, pulse_trend, sparkline
from circle.runtime import LiveRun, summary_of
from circle.storage import Store
from tests.unit.series_helpers import (
    DAY,
    IDS,
    autumn_cohort,
    close,
    first_session,
    start_in_series,
)

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The three-session series, built once: the tests only read it."""
    store = Store(tmp_path_factory.mktemp("cohort"))
    autumn_cohort(store)
    return store


def report_text(store: Store, series: str = "Autumn cohort", fmt: str = "markdown") -> str:
    out = io.StringIO()
    assert report_command(store, series, None, False, fmt, out) == 0
    return out.getvalue()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8")


# -- golden files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("markdown", "report.md"), ("html", "report.html"), ("json", "report.json")],
)
def test_golden_report(cohort: Store, fmt: str, name: str) -> None:
    check_golden(name, report_text(cohort, fmt=fmt))


# -- carry-over across three sessions ---------------------------------------------


def test_goals_items_and_stage_carry_through_three_sessions(cohort: Store) -> None:
    third = cohort.load_session(IDS[2]).events
    carried = [e for e in third if e["source"] == "system" and e["kind"] != "created"]
    goals = {e["data"]["text"]: e["data"] for e in carried if e["kind"] == "goal_carried"}
    # Every goal, with the status and notes the second session left it in,
    # named by the session that made it.
    assert goals["Ship a side project"]["status"] == "at risk"
    assert goals["Ship a side project"]["notes"] == ["No time | work is busy"]
    assert goals["Ship a side project"]["key"].startswith(IDS[0] + "#")
    assert goals["Speak up in every team meeting"]["status"] == "on track"
    assert set(goals) == {
        "Speak up in every team meeting",
        "Ship a side project",
        "Lead a team of my own",
    }
    actions = {e["data"]["text"]: e["data"] for e in carried if e["kind"] == "action_carried"}
    # Done items stay behind; an item in progress keeps its state and first name.
    assert set(actions) == {"Read chapter 3 of the handbook", "Ask my manager for *feedback*"}
    read = actions["Read chapter 3 of the handbook"]
    assert read["status"] == "in progress" and read["key"].startswith(IDS[0] + "#")
    assert actions["Ask my manager for *feedback*"]["key"].startswith(IDS[1] + "#")
    stage = [e["data"] for e in carried if e["kind"] == "stage_set"]
    assert stage == [{"stage": "cultivation"}]


# -- counting rules --------------------------------------------------------------


def test_an_item_carried_through_several_sessions_counts_once(cohort: Store) -> None:
    report = load_report(cohort, "Autumn cohort")
    texts = [a.text for a in report.actions]
    assert len(texts) == len(set(texts)) == 5
    read = next(a for a in report.actions if a.text.startswith("Read chapter 3"))
    assert (read.status, read.first, read.last) == ("dropped", 1, 3)
    assert report.action_counts == {"open": 2, "in progress": 0, "done": 2, "dropped": 1}


def test_the_pulse_is_shown_only_with_three_or_more_answers(cohort: Store) -> None:
    data = json.loads(report_text(cohort, fmt="json"))
    assert [s["pulse"] for s in data["sessions"]] == [
        {"n": 4, "average": 8.0},
        None,  # two answered: no average, no count
        {"n": 4, "average": 9.0},
    ]
    markdown = report_text(cohort)
    assert "| 2 | 2026-10-05 | Circle 2 | ended | 22:30 | 4 of 5 | — |" in markdown
    assert "7.5" not in markdown  # the hidden session's average, (6 + 9) / 2


def test_a_goal_has_one_history_across_the_series(cohort: Store) -> None:
    report = load_report(cohort, "autumn cohort")
    jon = next(g for g in report.goals if g.owner == "Jon")
    assert [(h.number, h.status, h.note) for h in jon.history] == [
        (1, "open", ""),
        (2, "at risk", "No time | work is busy"),
        (3, "done", "Launched <it> at last!"),
    ]
    assert [g.owner for g in report.goals] == ["Mira", "Jon", "Priya", "Leo"]


def test_the_json_shape_field_by_field(cohort: Store) -> None:
    data = json.loads(report_text(cohort, fmt="json"))
    assert list(data) == ["series", "stage", "sessions", "goals", "actions", "speaking"]
    assert (data["series"], data["stage"]) == ("Autumn cohort", "cultivation")
    session_keys = ["id", "date", "title", "status", "duration_s", "present", "absent", "pulse"]
    for session in data["sessions"]:
        assert list(session) == session_keys
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", session["date"])
        assert session["status"] in ("ended", "unfinished")
        assert isinstance(session["duration_s"], int)
    assert [s["id"] for s in data["sessions"]] == list(IDS)  # oldest first
    assert data["sessions"][1]["absent"] == ["Leo"]
    assert data["sessions"][1]["present"] == ["Ada", "Mira", "Jon", "Priya"]
    for goal in data["goals"]:
        assert list(goal) == ["owner", "text", "horizon", "status", "due", "history"]
        assert all(list(h) == ["session", "status", "note"] for h in goal["history"])
    assert data["goals"][2]["due"] is None  # no due date: null, not ""
    assert data["actions"] == {
        "total": 5,
        "open": 2,
        "in_progress": 0,
        "done": 2,
        "dropped": 1,
    }
    assert [list(s) for s in data["speaking"]] == [["person", "role", "seconds"]] * 5
    assert [(s["person"], s["role"]) for s in data["speaking"]] == [
        ("Ada", "mentor"),
        ("Mira", "mentee"),
        ("Jon", "mentee"),
        ("Priya", "mentee"),
        ("Leo", "mentee"),
    ]
    assert all(isinstance(s["seconds"], int) for s in data["speaking"])


def test_markdown_sections_in_order(cohort: Store) -> None:
    text = report_text(cohort)
    assert text.startswith("# Autumn cohort — programme report\n")
    assert re.findall(r"^## (.*)$", text, flags=re.M) == list(REPORT_HEADINGS)
    assert REPORT_HEADINGS == (
        "Sessions",
        "Pulse",
        "Attendance",
        "Goals",
        "Action items",
        "Speaking time",
        "Stage",
    )


def test_html_draws_two_charts_without_script(cohort: Store) -> None:
    page = report_text(cohort, fmt="html")
    assert page.startswith("<!doctype html>\n")
    assert page.count("<svg ") == 2
    assert page.index('id="pulse-title"') < page.index("<h2>Attendance</h2>")
    assert page.index("<h2>Speaking time</h2>") < page.index('id="shares-title"')
    assert "<script" not in page and "http" not in page and "url(" not in page
    assert "@media print" in page
    # The points of the pulse line: the two sessions with enough answers.
    (points,) = re.findall(r'<polyline points="([^"]+)"', page)
    assert len(points.split()) == 2


# -- determinism -------------------------------------------------------------------


def test_same_series_same_bytes_in_any_time_zone(cohort: Store) -> None:
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX only")
    saved = os.environ.get("TZ")
    outputs = []
    try:
        for zone in ("UTC", "America/Los_Angeles", "Pacific/Kiritimati"):
            os.environ["TZ"] = zone
            time.tzset()
            outputs.append([report_text(cohort, fmt=f) for f in ("markdown", "html", "json")])
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
    assert outputs[0] == outputs[1] == outputs[2]


# -- the commands ------------------------------------------------------------------


def test_report_by_last_and_in_any_case(cohort: Store) -> None:
    text = report_text(cohort)
    assert report_text(cohort, "last") == text
    assert report_text(cohort, "  AUTUMN   cohort ") == text


def test_an_unknown_series_is_one_line_of_bad_input(cohort: Store, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"^unknown series 'Spring' \(see `circle series`\)$"):
        report_text(cohort, "Spring")
    with pytest.raises(BadInput, match="there are no sessions yet"):
        report_text(Store(tmp_path / "empty"), "last")
    with pytest.raises(BadInput, match="unknown report format 'pdf'"):
        render_report(load_report(cohort, "last"), "pdf")


def test_report_to_a_file_never_overwrites_without_force(cohort: Store, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    out = io.StringIO()
    assert report_command(cohort, "last", str(target), False, "markdown", out) == 0
    assert out.getvalue() == f"Report written to {target}\n"
    assert target.read_text(encoding="utf-8") == report_text(cohort)
    target.write_text("keep me")
    with pytest.raises(BadInput, match=r"report\.md exists: use --force to overwrite"):
        report_command(cohort, "last", str(target), False, "json", io.StringIO())
    assert target.read_text() == "keep me"
    assert report_command(cohort, "last", str(target), True, "json", io.StringIO()) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["series"] == "Autumn cohort"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no temp file left
    with pytest.raises(BadInput, match="can't write the report"):
        report_command(cohort, "last", str(tmp_path / "no" / "r.md"), False, "markdown", out)


def test_series_lists_one_line_per_series(cohort: Store) -> None:
    out = io.StringIO()
    assert series_command(cohort, out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["series", "sessions", "first", "last", "stage", "pulse", "people"]
    assert lines[1] == (
        "Autumn cohort         3  2026-09-21  2026-10-19  cultivation  ▆·▇    "
        "Ada, Mira, Jon, Priya, Leo"
    )


def test_series_when_there_is_none(tmp_path: Path) -> None:
    out = io.StringIO()
    assert series_command(Store(tmp_path), out) == 0
    assert out.getvalue() == "no series yet\n"


def test_sparkline_on_the_fixed_scale() -> None:
    assert sparkline([1.0, None, 10.0, 5.5]) == "▁·█▅"


# -- series from before items were named ------------------------------------------


def start_legacy(store: Store, clock: FakeClock, title: str, carried: tuple[dict, ...]) -> LiveRun:
    """A session as runtime started one before action items had states: the
    items still open carried with text, owner and due only."""
    session = Session.create(
        title=title,
        agenda=resolve_agenda("group-circle"),
        mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"],
        clock=clock,
        series="Spring",
        carried_actions=carried,
    )
    session_id = store.new_session_id(session.started_wall)
    tail = store.create_session(summary_of(session_id, session), list(session.events))
    return LiveRun(store, session_id, session, tail=tail)


def still_open(run: LiveRun) -> tuple[dict, ...]:
    return tuple(
        {"text": a.text, "owner": a.owner, "due": a.due}
        for a in run.session.actions.values()
        if not a.done
    )


def test_items_carried_without_names_still_count_once(tmp_path: Path) -> None:
    """Carried items that bring only text, owner and due match the item still
    owed last time with the same text and owner."""
    store, clock = Store(tmp_path), FakeClock()
    run = start_legacy(store, clock, "One", ())
    run.session.add_action("Same words", owner="Jon")
    run.session.add_action("Same words", owner="Mira")
    run.session.add_action("Done at once", owner="Mira")
    run.session.set_action_done(max(run.session.actions))
    close(run)
    for title in ("Two", "Three"):
        clock.advance(7 * DAY)
        run = start_legacy(store, clock, title, still_open(run))
        if title == "Three":
            mira = next(a for a in run.session.actions.values() if a.owner == "Mira")
            run.session.set_action_done(mira.id)
            run.session.add_action("Same words", owner="Priya")
        close(run)
    report = load_report(store, "Spring")
    assert [(a.owner, a.text, a.status, a.first, a.last) for a in report.actions] == [
        ("Jon", "Same words", "open", 1, 3),
        ("Mira", "Same words", "done", 1, 3),
        ("Mira", "Done at once", "done", 1, 1),
        ("Priya", "Same words", "open", 3, 3),
    ]


def test_a_session_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first_session(store, FakeClock(wall=1_790_000_000.0))
    path = store.session_path(IDS[0])
    path.write_text('{"_default": {"1": {"broken": true}}}')
    with pytest.raises(StorageError, match=re.escape(str(path))):
        load_report(store, "last")
    out = io.StringIO()
    assert series_command(store, out) == 0  # still listed, from the index
    assert "Autumn cohort" in out.getvalue() and "unreadable" in out.getvalue()
    assert path.read_text() == '{"_default": {"1": {"broken": true}}}'  # never rewritten


def test_stage_history_and_suggested_agenda(tmp_path: Path) -> None:
    store, clock = Store(tmp_path), FakeClock()
    run = start_in_series(store, clock, title="First", series="Pair", agenda="kickoff")
    assert load_report(store, "Pair").suggested_agenda == "kickoff"
    run.session.set_stage("separation")
    run.session.set_stage("redefinition")
    close(run)
    clock.advance(DAY)
    second = start_in_series(store, clock, title="Last", series="Pair")
    close(second)
    report = load_report(store, "Pair")
    assert report.stage == "redefinition"
    assert [(c.number, c.stage) for c in report.stage_changes] == [
        (1, "initiation"),
        (1, "separation"),
        (1, "redefinition"),
    ]
    text = render_report(report)
    assert "Suggested agenda for the next session: closing-celebration." in text
    assert [s.status for s in report.sessions] == ["unfinished", "unfinished"]
    assert list_series(store)[0].unfinished == 2


def test_a_series_at_a_glance_from_its_report(cohort: Store) -> None:
    row = list_series(cohort)[0]
    assert (row.name, row.session_ids, row.unfinished) == ("Autumn cohort", IDS, 0)
    report = load_report(cohort, row.name)
    trend = pulse_trend(report)
    assert (report.stage, len(report.sessions), sparkline(trend)) == ("cultivation", 3, "▆·▇")
    assert trend == [8.0, None, 9.0]
    live = [g.text for g in report.goals if g.status in LIVE_GOAL_STATUSES]
    assert live == ["Lead a team of my own", "Mentor a newcomer"]
    assert [a.text for a in still_owed(report)] == [
        "Ask my manager for *feedback*",
        "Send the demo link to the group",
    ]
    assert report.suggested_agenda is None  # cultivation: the facilitator's choice


def test_the_roster_mark_is_explained_only_where_it_is_used(tmp_path: Path) -> None:
    store = Store(tmp_path)
    clock = FakeClock(wall=1_790_000_000.0)
    for mentees in (["Mira", "Jon", "Priya"], ["Mira", "Jon", "Priya", "Leo"]):
        run = start_in_series(store, clock, title="Grow", series="Grow", mentees=mentees)
        run.session.end_session()
        close(run)
        clock.advance(DAY)
    text = report_text(store, "Grow")
    assert "| Leo | mentee | — | present | 1 of 1 |" in text
    assert "— not on that session's roster." in text
