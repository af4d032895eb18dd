"""The minutes: golden files, sections, determinism and the export command.

Regenerate the golden files with `UPDATE_GOLDEN=1 pytest tests/unit/test_minutes.py`
and read the diff before keeping it.
"""

from __future__ import annotations

import io
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from circle.domain.clock import FakeClock
from circle.domain.errors import BadInput
from circle.domain.session import Session, session_at_rest
from circle.minutes.export import export_command, export_to_dir, minutes_stem, render_html
from circle.minutes.markdown import SECTION_HEADINGS, UNFINISHED, render_markdown
from tests.conftest import make_session

# -- the scripted session ------------------------------------------------------

CARRIED = ({"text": "Read chapter 3 of the handbook", "owner": "Jon", "due": ""},)
CARRIED_Q = ({"text": "How do we run remote sessions?", "asker": None},)
CARRIED_GOALS = (
    {
        "key": "20260907-1400-ab12#9",
        "owner": "Jon",
        "text": "Ship one side project",
        "horizon": "reach",
        "due": "2027-03-01",
        "status": "open",
        "notes": ["Picked the idea"],
    },
    {
        "key": "20260907-1400-ab12#10",
        "owner": "Priya",
        "text": "Unchanged goal stays out of these minutes",
        "horizon": "habit",
        "due": "",
        "status": "on track",
        "notes": [],
    },
)


def scripted_session(end: bool = True) -> tuple[Session, FakeClock]:
    """Check-in with turns, questions and takeaways; a round; a flash round;
    actions; late and absent people; the pulse; ended unless `end` is False."""
    clock = FakeClock(wall=1_790_000_000.0)
    s = make_session(
        clock,
        absent=("Leo",),
        carried_actions=CARRIED,
        carried_questions=CARRIED_Q,
        carried_goals=CARRIED_GOALS,
        series="Autumn cohort",
    )
    _check_in(s, clock)
    _hot_seat(s, clock)
    if not end:
        s.start_turn("Jon")  # still speaking when the minutes are taken
        clock.advance(45)
        return s, clock
    _flash(s, clock)
    _wrap_up(s, clock)
    return s, clock


def _check_in(s: Session, clock: FakeClock) -> None:
    s.start_turn("Mira")
    clock.advance(90)
    s.start_turn("Jon")
    clock.advance(60)
    s.mentor_turn()
    clock.advance(30)
    s.end_turn()
    s.add_takeaway("Everyone had one win since last time")
    s.add_takeaway("Meet every two weeks", kind="decision")
    q1 = s.add_question("How do I ask for a raise?", asker="Mira")["seq"]
    q2 = s.add_question("Is a side project worth it?")["seq"]
    q3 = s.add_question("What's the best way to learn *fast*?", asker="Jon")["seq"]
    q4 = s.add_question("Off-topic rant", asker="Jon")["seq"]
    for _ in range(3):
        s.vote(q1)
    s.vote(q2)
    s.vote(q3, "device-1")
    s.vote(q3, "device-2")
    s.toggle_status(q1, "answered")
    s.toggle_status(q2, "parked")
    s.hide_question(q4)
    clock.advance(200)  # Check-in runs 6:20 of 5:00
    s.set_attendance("Priya", "late")


def _hot_seat(s: Session, clock: FakeClock) -> None:
    s.next_item()
    s.extend(60)
    for person, seconds in (("Mira", 240), ("Jon", 300), ("Priya", 200)):
        s.start_turn(person)
        clock.advance(seconds)
    s.end_turn()
    s.add_action("Draft the raise proposal", owner="Mira", due="2026-09-25")
    s.add_action("Share the reading list", owner="Ada")
    clock.advance(60)


def _flash(s: Session, clock: FakeClock) -> None:
    s.next_item()
    s.start_flash()  # 3 present mentees: 3 slots
    s.flash_note("topic", "Negotiation")
    s.flash_note("takeaway", "Write the number down first")
    clock.advance(300)
    s.advance_flash()  # ends slot 1 early
    s.advance_flash()  # skips the changeover
    s.flash_note("topic", "Learning plan")
    clock.advance(2000)  # slot 2 and 3 run out by themselves
    s.skip_item(4)  # Break
    s.next_item()  # Questions


def _wrap_up(s: Session, clock: FakeClock) -> None:
    clock.advance(400)
    s.next_item()  # Wrap-up
    s.set_attendance("Mira", "left")
    mira_action = next(a for a in s.actions.values() if a.owner == "Mira")
    s.set_action_done(mira_action.id)
    carried = next(a for a in s.actions.values() if a.carried_in)
    s.set_action_done(carried.id)
    s.add_goal("Ask for the raise by *December*", owner="Mira", due="2026-12-15")
    jon = next(g for g in s.goals.values() if g.owner == "Jon")
    s.update_goal(jon.id, "at risk", "No time | too much work")
    s.update_goal(jon.id, "on track")
    clock.advance(240)
    s.end_session()
    clock.advance(30)
    s.give_pulse(9, "Great energy")
    s.give_pulse(7)
    s.give_pulse(None, "More time for questions\nplease")
    s.give_pulse(8, "")
    clock.advance(5)


def clock_record(s: Session) -> dict:
    return {"session_s": s.now(), "wall": s.clock.wall()}


GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8")


def minutes_of(end: bool = True) -> str:
    s, _ = scripted_session(end)
    return render_markdown(session_at_rest(s.events, clock_record(s)))


def headings(markdown: str) -> list[str]:
    return re.findall(r"^## (.*)$", markdown, flags=re.M)


# -- golden files -------------------------------------------------------------


def test_golden_ended_session() -> None:
    check_golden("minutes.md", minutes_of(end=True))


def test_golden_unfinished_session() -> None:
    check_golden("minutes-unfinished.md", minutes_of(end=False))


# -- structure ----------------------------------------------------------------


def test_every_section_in_order_for_an_empty_session() -> None:
    s = make_session(FakeClock())
    text = render_markdown(session_at_rest(s.events, None))
    assert text.startswith("# Tuesday circle — 2026-09-21\n\n" + UNFINISHED + "\n")
    assert headings(text) == list(SECTION_HEADINGS)
    bodies = re.split(r"^## .*$", text, flags=re.M)[1:]
    for heading, body in zip(SECTION_HEADINGS, bodies, strict=True):
        assert body.strip(), f"section {heading} is empty"
    assert "No flash mentoring" in text and "Nobody took a turn." in text
    assert text.count("None.") >= 4  # three question groups and the action items


def test_ended_session_is_not_marked_unfinished() -> None:
    text = minutes_of(end=True)
    assert "Unfinished" not in text
    assert headings(text) == list(SECTION_HEADINGS)
    assert UNFINISHED in minutes_of(end=False)


def test_each_question_once_and_hidden_ones_only_counted() -> None:
    text = minutes_of()
    for question in ("How do I ask for a raise?", "Is a side project worth it?"):
        assert text.count(question) == 1
    assert "Off-topic rant" not in text
    assert "1 hidden question not listed." in text


def test_feedback_gives_average_count_and_comments_only() -> None:
    feedback = minutes_of().split("## Feedback\n", 1)[1]
    assert "average 8.0 / 10 from 3 scores" in feedback
    # The comments in the order given; no score appears beside anything.
    assert feedback.index("Great energy") < feedback.index("More time for questions")
    assert not re.search(r"\b(9|7)\b", feedback)


def test_unfinished_minutes_count_up_to_the_saved_moment() -> None:
    s, _ = scripted_session(end=False)  # Jon has been speaking 45 s
    events = s.events
    early = session_at_rest(events, {"session_s": events[-1]["at"]})
    late = session_at_rest(events, {"session_s": events[-1]["at"] + 60})
    jon = {x.person: x.seconds for x in early.shares()}["Jon"]
    assert {x.person: x.seconds for x in late.shares()}["Jon"] == jon + 60


def test_ended_minutes_do_not_move_after_the_end() -> None:
    s, _ = scripted_session(end=True)
    now = s.now()
    first = render_markdown(session_at_rest(s.events, {"session_s": now}))
    later = render_markdown(session_at_rest(s.events, {"session_s": now + 3600}))
    assert first == later


# -- determinism --------------------------------------------------------------


def test_same_stored_session_same_bytes() -> None:
    s, _ = scripted_session()
    record = clock_record(s)
    stored = json.loads(json.dumps({"events": s.events, "clock": record}))
    once = session_at_rest(s.events, record)
    assert render_markdown(once) == render_markdown(once)
    assert render_html(once) == render_html(once)
    again = session_at_rest(stored["events"], stored["clock"])
    assert render_markdown(again) == render_markdown(once)
    assert render_html(again) == render_html(once)


def test_bytes_do_not_depend_on_the_time_zone() -> None:
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX only")
    saved = os.environ.get("TZ")
    outputs = []
    try:
        for zone in ("UTC", "America/Los_Angeles", "Pacific/Kiritimati"):
            os.environ["TZ"] = zone
            time.tzset()
            outputs.append(minutes_of())
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
    assert outputs[0] == outputs[1] == outputs[2]


# -- export -------------------------------------------------------------------


@dataclass
class Stored:
    events: list
    clock: dict | None
    summary: dict


class FakeStore:
    def __init__(self) -> None:
        s, _ = scripted_session()
        self.stored = Stored(s.events, clock_record(s), {"title": s.title})

    def resolve(self, ref: str) -> str:
        if ref not in ("last", "abc123"):
            raise BadInput(f"no session '{ref}'")
        return "abc123"

    def load_session(self, session_id: str) -> Stored:
        assert session_id == "abc123"
        return self.stored

    def open_session(self, session_id: str, build):
        """As the real store: the stored session, and what `build` makes of it."""
        stored = self.load_session(session_id)
        return SimpleNamespace(loaded=stored, value=build(stored))


def test_export_to_stdout() -> None:
    out = io.StringIO()
    assert export_command(FakeStore(), "last", None, False, False, out) == 0
    assert out.getvalue() == minutes_of()


def test_export_to_file_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "minutes.md"
    target.write_text("keep me")
    with pytest.raises(BadInput, match=r"minutes\.md exists: use --force to overwrite"):
        export_command(FakeStore(), "abc123", str(target), False, False, io.StringIO())
    assert target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minutes.md"]  # no temp file left


def test_export_to_file_with_force_and_html(tmp_path: Path) -> None:
    target = tmp_path / "minutes.md"
    target.write_text("old")
    out = io.StringIO()
    assert export_command(FakeStore(), "last", str(target), True, False, out) == 0
    assert target.read_bytes().decode("utf-8") == minutes_of()
    page = tmp_path / "minutes.html"
    assert export_command(FakeStore(), "last", str(page), False, True, out) == 0
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert str(page) in out.getvalue()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minutes.html", "minutes.md"]


def test_export_into_a_missing_directory_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="can't write"):
        export_command(
            FakeStore(), "last", str(tmp_path / "no" / "x.md"), False, False, io.StringIO()
        )


def test_export_to_dir_numbers_repeated_exports(tmp_path: Path) -> None:
    s, _ = scripted_session()
    exports = tmp_path / "exports"
    paths = [
        export_to_dir(s.events, clock_record(s), exports, "20260921-1613-ab12") for _ in range(3)
    ]
    stem = minutes_stem(s)
    assert stem == "2026-09-21-tuesday-circle"
    assert [p.name for p in paths] == [f"{stem}.md", f"{stem}-2.md", f"{stem}-3.md"]
    assert paths[2].read_text(encoding="utf-8") == paths[0].read_text(encoding="utf-8")
    html = export_to_dir(s.events, clock_record(s), exports, html=True)
    assert html.name == f"{stem}.html"


def test_stem_of_an_unusual_title() -> None:
    s = make_session(FakeClock(), title="Café ## <Ünïcode> | circle!!")
    assert minutes_stem(s) == "2026-09-21-cafe-unicode-circle"
    japanese = make_session(FakeClock(), title="日本語")
    assert minutes_stem(japanese) == "2026-09-21-session"
    assert minutes_stem(japanese, "20260921-1613-AB12") == "2026-09-21-20260921-1613-ab12"


def test_export_through_the_real_store(tmp_path: Path) -> None:
    from circle.storage import Store

    store = Store(tmp_path / "data")
    s, _ = scripted_session()
    sid = "20260921-1613-ab12"
    summary = {"id": sid, "title": s.title, "series": s.series, "created_wall": s.started_wall}
    store.create_session(summary, s.events)
    out = io.StringIO()
    # No clock document: the minutes are taken at the last event.
    assert export_command(store, sid[:8], None, False, False, out) == 0
    expected = render_markdown(session_at_rest(s.events, None))
    assert out.getvalue() == expected
    target = tmp_path / "m.md"
    export_command(store, "last", str(target), False, False, io.StringIO())
    assert target.read_bytes() == expected.encode("utf-8")
