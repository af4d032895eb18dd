"""The speaker's goals by the item's notes, a `[goals]` item's review, the blind, the wall."""

from __future__ import annotations

from circle.channel.snapshot import public_snapshot
from circle.domain.clock import FakeClock
from circle.wall.rows import wall_view
from circle.widgets.notes import note_line
from tests.app.live_helpers import go_to_item, make_app, run_of, screen_text, settle, text

GOAL_REVIEW_INDEX = 2  # goal-review: check-in, last time's items, Goal review [goals], ...


def notes_extra(app) -> str:
    return text(app, "#notes-extra")


def with_goals(app) -> None:
    session = run_of(app).session
    session.add_goal("Run a 10k", "Mira", "reach", "2026-10-01")
    closed = session.add_goal("Learn Rust", "Mira")["seq"]
    session.update_goal(closed, "dropped", "Not this year")
    on_track = session.add_goal("Speak at a meetup", "Mira")["seq"]
    session.update_goal(on_track, "on track", "Talk accepted for March")
    session.add_goal("Mentor a junior", "Jon")


async def test_a_mentee_speaking_has_their_open_goals_beside_the_notes(tmp_path) -> None:
    app = make_app(tmp_path)
    with_goals(app)
    session = run_of(app).session
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Run a 10k" not in notes_extra(app), "nobody speaks: no goals shown"
        await pilot.press("1", "s")  # Mira raises her hand and speaks
        await settle(pilot)
        extra = notes_extra(app)
        assert "Goals: Mira" in extra
        assert "Run a 10k [open · reach · due 2026-10-01]" in extra
        assert "Speak at a meetup [on track · habit]" in extra
        assert "last note: Talk accepted for March" in extra
        # Done or dropped goals are no longer worked on; Jon's are his.
        assert "Learn Rust" not in extra and "Mentor a junior" not in extra
        # The item's own notes stay in the panel above them.
        item_notes = session.timer_().item.notes.splitlines()[0].lstrip("- ").strip('"')
        assert item_notes[:20] in text(app, "#notes-text")
        await pilot.press("d")  # her turn ends: her goals go
        await settle(pilot)
        assert "Goals: Mira" not in notes_extra(app)


async def test_the_blind_hides_the_goals(tmp_path) -> None:
    app = make_app(tmp_path)
    with_goals(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "s")
        await settle(pilot)
        assert "Run a 10k" in screen_text(app)
        await pilot.press("h")
        await settle(pilot)
        shown = screen_text(app)
        assert "Run a 10k" not in shown and "2026-10-01" not in shown
        assert "Talk accepted" not in shown and "Goals: Mira" not in shown
        assert "Goals: •••" in notes_extra(app) and "(hidden) [open · reach" in notes_extra(app)


async def test_a_goals_item_reviews_each_present_mentee_in_turn(tmp_path) -> None:
    app = make_app(tmp_path, agenda="goal-review")
    with_goals(app)
    session = run_of(app).session
    session.set_attendance("Priya", "absent")
    async with app.run_test(size=(120, 40)) as pilot:
        await go_to_item(pilot, GOAL_REVIEW_INDEX)
        assert session.timer_().item.kind == "goals"
        # Between turns: who brings how many goals (the absent are not reviewed).
        extra = notes_extra(app)
        assert "Goals to review" in extra
        # Mira's goal dropped today is still reviewed: closed, but closed just now.
        assert "Mira: 3 goals" in extra and "Jon: 1 goal" in extra and "Leo: no goals yet" in extra
        assert "Priya" not in extra
        await pilot.press("s")  # the review runs like a round: Mira first
        await settle(pilot)
        assert session.turn_view()[0] == "Mira"
        extra = notes_extra(app)
        assert "Run a 10k" in extra and "Learn Rust [dropped" in extra
        assert "Mentor a junior" not in extra
        await pilot.press("s")
        await settle(pilot)
        assert "Goals: Jon" in notes_extra(app) and "Mentor a junior" in notes_extra(app)
        await pilot.press("s")
        await settle(pilot)
        assert "Goals: Leo has none yet (g adds one)" in notes_extra(app)


async def test_a_goal_closed_in_the_review_stays_in_view(tmp_path) -> None:
    app = make_app(tmp_path, agenda="goal-review")
    session = run_of(app).session
    goal = session.add_goal("Mentor a junior", "Mira")["seq"]
    async with app.run_test(size=(120, 40)) as pilot:
        await go_to_item(pilot, GOAL_REVIEW_INDEX)
        await pilot.press("s")
        session.update_goal(goal, "done", "Paired every week")
        await settle(pilot)
        assert "Mentor a junior [done · habit]" in notes_extra(app)


def wall_notes(session, clock) -> str:
    snapshot = public_snapshot(session, join=None, wall_clock=clock.wall())
    view = wall_view(snapshot, clock.monotonic())
    lines = [*view.notes.goals, *view.notes.lines]
    return "\n".join(str(note_line(line)) for line in lines)


def test_the_wall_shows_goals_only_in_a_goals_item(tmp_path) -> None:
    clock = FakeClock()
    app = make_app(tmp_path, clock, agenda="goal-review")
    with_goals(app)
    session = run_of(app).session
    session.start_turn("Mira")
    assert "Run a 10k" not in wall_notes(session, clock), "outside a review: the console's"
    assert "goals" not in public_snapshot(session, join=None, wall_clock=clock.wall())
    session.end_turn()
    while session.timer_().current < GOAL_REVIEW_INDEX:
        session.next_item()
    assert "Goals to review" in wall_notes(session, clock)
    session.next_speaker()
    shown = wall_notes(session, clock)
    assert "Goals: Mira" in shown and "Run a 10k [open · reach · due 2026-10-01]" in shown
    assert "last note: Talk accepted for March" in shown
    # The wall has no keys: it never tells the room to press one.
    session.next_speaker()
    session.next_speaker()
    session.next_speaker()
    assert "has none yet" in wall_notes(session, clock)
    assert "g adds one" not in wall_notes(session, clock)


def test_the_blind_hides_the_goals_on_the_wall(tmp_path) -> None:
    clock = FakeClock()
    app = make_app(tmp_path, clock, agenda="goal-review")
    with_goals(app)
    session = run_of(app).session
    while session.timer_().current < GOAL_REVIEW_INDEX:
        session.next_item()
    session.next_speaker()
    session.set_blind(True)
    shown = wall_notes(session, clock)
    snapshot = str(public_snapshot(session, join=None, wall_clock=clock.wall()))
    for typed in ("Mira", "Run a 10k", "2026-10-01", "Talk accepted"):
        assert typed not in shown and typed not in snapshot
    assert "Goals: •••" in shown and "(hidden) [open · reach · due (hidden)]" in shown
