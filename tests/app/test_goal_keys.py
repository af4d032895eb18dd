"""`g` and the palette's goal, action-state and stage commands, pressed as a facilitator would."""

from __future__ import annotations

from textual.widgets import Label, OptionList, Select

from circle.domain.clock import FakeClock
from circle.minutes.markdown import render_markdown
from circle.runtime import session_at_rest
from circle.screens.goal_dialogs import ChoiceDialog, GoalDialog, GoalUpdateDialog
from circle.screens.help import HelpScreen
from circle.screens.live import LiveScreen
from tests.app.live_helpers import (
    make_app,
    notices,
    palette,
    run_of,
    saved_events,
    screen_text,
    select_labels,
    settle,
    type_text,
    wait_for,
    widget_text,
)


async def open_goal_dialog(pilot) -> GoalDialog:
    await pilot.press("g")
    return await wait_for(
        pilot, lambda: pilot.app.screen if isinstance(pilot.app.screen, GoalDialog) else None
    )


async def back_on_live(pilot) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LiveScreen), what="the live screen")
    await settle(pilot)


def dialog_error(dialog) -> str:
    return widget_text(dialog.query_one("#dialog-error"))


async def test_g_adds_a_goal_for_the_speaker_saved_and_in_the_minutes(tmp_path) -> None:
    app = make_app(tmp_path)
    run = run_of(app)
    run.session.start_turn("Jon")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dialog = await open_goal_dialog(pilot)
        assert widget_text(dialog.query_one(".dialog-title", Label)) == "New goal"
        assert dialog.focused is dialog.query_one("#text")
        # The speaker owns it unless someone else is chosen; habit is the default horizon.
        assert dialog.query_one("#owner", Select).value == "Jon"
        assert dialog.query_one("#horizon", Select).value == "habit"
        await type_text(pilot, "Ship the portfolio site")
        await pilot.press("enter")
        await back_on_live(pilot)
    [goal] = run.session.goal_rows()
    assert (goal.owner, goal.text, goal.horizon, goal.due, goal.status) == (
        "Jon",
        "Ship the portfolio site",
        "habit",
        "",
        "open",
    )
    added = [e for e in saved_events(run) if e["kind"] == "goal_added"]
    assert [e["data"]["text"] for e in added] == ["Ship the portfolio site"]
    stored = session_at_rest(saved_events(run), None)
    minutes = render_markdown(stored)
    goals_section = minutes.split("## Goals", 1)[1].split("## Feedback", 1)[0]
    assert "Jon" in goals_section and "Ship the portfolio site" in goals_section


async def test_nobody_speaking_the_first_mentee_owns_the_goal(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_goal_dialog(pilot)
        assert dialog.query_one("#owner", Select).value == "Mira"
        # The owners offered are the mentees: a goal is a mentee's.
        assert select_labels(dialog.query_one("#owner", Select)) == ["Mira", "Jon", "Priya", "Leo"]
        await pilot.press("escape")
        await back_on_live(pilot)
    assert run_of(app).session.goal_rows() == []


async def test_a_horizon_and_a_due_date_are_chosen_in_the_dialog(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_goal_dialog(pilot)
        horizons = dialog.query_one("#horizon", Select)
        assert select_labels(horizons) == [
            "habit (4–8 weeks)",
            "reach (3–12 months)",
            "stretch (2–5 years)",
        ]
        await type_text(pilot, "Lead a team")
        await pilot.press("tab", "tab")  # owner, then horizon
        assert dialog.focused is horizons
        await pilot.press("space", "down", "down", "enter")  # open, stretch, choose
        await pilot.press("tab")
        await type_text(pilot, "2030-06-30")
        await pilot.press("enter")
        await back_on_live(pilot)
    [goal] = run_of(app).session.goal_rows()
    assert (goal.owner, goal.horizon, goal.due) == ("Mira", "stretch", "2030-06-30")


async def test_a_bad_due_date_is_refused_in_the_dialog(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_goal_dialog(pilot)
        await type_text(pilot, "Run a 10k")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "2026-02-30")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog, "a bad date must keep the dialog open"
        assert "2026-02-30 is not a real date" in dialog_error(dialog)
        assert dialog.focused is dialog.query_one("#due")
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "Friday")
        await pilot.press("enter")
        await pilot.pause()
        assert "YYYY-MM-DD" in dialog_error(dialog)
        await pilot.press(*["backspace"] * 6)
        await type_text(pilot, "2026-12-01")
        await pilot.press("enter")
        await back_on_live(pilot)
    [goal] = run_of(app).session.goal_rows()
    assert goal.due == "2026-12-01"


async def test_a_goal_needs_its_text(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_goal_dialog(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and "needs its text" in dialog_error(dialog)
    assert run_of(app).session.goal_rows() == []


async def test_g_is_refused_once_the_session_ended(tmp_path) -> None:
    app = make_app(tmp_path)
    run_of(app).session.end_session()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert any("ended" in n for n in notices(app))


async def test_update_goal_from_the_palette_with_a_note(tmp_path) -> None:
    app = make_app(tmp_path)
    session = run_of(app).session
    goal_id = session.add_goal("Run a 10k", "Priya")["seq"]
    async with app.run_test(size=(120, 40)) as pilot:
        await palette(pilot, "Update goal: Priya: Run a 10k", "update goal priya")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, GoalUpdateDialog) else None
        )
        status = dialog.query_one("#status", Select)
        assert dialog.focused is status and status.value == "open"
        await pilot.press("enter")  # nothing changed: refused, stays open
        await pilot.pause()
        assert app.screen is dialog and "Nothing changed" in dialog_error(dialog)
        await pilot.press("space", "down", "down", "enter")  # open the list, "at risk"
        await pilot.press("tab")
        await type_text(pilot, "Knee injury, rest two weeks")
        await pilot.press("enter")
        await back_on_live(pilot)
    [goal] = session.goal_rows()
    assert goal.status == "at risk" and goal.notes == ("Knee injury, rest two weeks",)
    changes = [e["data"] for e in saved_events(run_of(app)) if e["kind"] == "goal_status"]
    assert changes == [
        {"goal": goal_id, "status": "at risk", "note": "Knee injury, rest two weeks"}
    ]


async def choose(pilot, title_part: str, option: int) -> None:
    app = pilot.app
    dialog = await wait_for(
        pilot, lambda: app.screen if isinstance(app.screen, ChoiceDialog) else None
    )
    assert title_part in widget_text(dialog.query_one(".dialog-title", Label))
    choices = dialog.query_one(OptionList)
    while choices.highlighted != option:
        await pilot.press("down" if (choices.highlighted or 0) < option else "up")
    await pilot.press("enter")
    await back_on_live(pilot)


async def test_action_item_status_from_the_palette(tmp_path) -> None:
    app = make_app(tmp_path)
    session = run_of(app).session
    action_id = session.add_action("Send the reading list", "Ada")["seq"]
    async with app.run_test(size=(120, 40)) as pilot:
        await palette(pilot, "Action item status: Ada: Send the reading list", "status ada")
        await choose(pilot, "Action item status", 1)  # in progress
        assert session.actions[action_id].status == "in progress"
        await palette(pilot, "Action item status: Ada: Send the reading list", "status ada")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, ChoiceDialog) else None
        )
        prompts = [str(p.prompt) for p in dialog.query_one(OptionList).options]
        assert prompts == ["open", "in progress (current)", "done", "dropped"]
        await choose(pilot, "Action item status", 3)  # dropped
    assert session.actions[action_id].status == "dropped"
    statuses = [
        e["data"]["status"] for e in saved_events(run_of(app)) if e["kind"] == "action_status"
    ]
    assert statuses == ["in progress", "dropped"]


async def test_set_stage_marks_the_current_one(tmp_path) -> None:
    app = make_app(tmp_path)
    session = run_of(app).session
    async with app.run_test(size=(120, 40)) as pilot:
        await palette(pilot, "Set stage")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        options = dialog.query_one(OptionList)
        first = str(options.get_option_at_index(0).prompt)
        assert first.startswith("initiation") and "(current)" in first
        assert "(current)" not in str(options.get_option_at_index(1).prompt)
        await choose(pilot, "Set stage", 1)
    assert session.stage == "cultivation"
    kinds = [e["kind"] for e in saved_events(run_of(app))]
    assert kinds.count("stage_set") == 1


async def test_choosing_the_current_state_records_nothing(tmp_path) -> None:
    app = make_app(tmp_path, FakeClock())
    run = run_of(app)
    before = len(saved_events(run))
    async with app.run_test(size=(120, 40)) as pilot:
        await palette(pilot, "Set stage")
        await choose(pilot, "Set stage", 0)
    assert len(saved_events(run)) == before


async def test_the_whole_goal_form_fits_at_80x24(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_goal_dialog(pilot)
        await pilot.press("enter")  # empty: refused, the reason shown
        await pilot.pause()
        shown = screen_text(app)
        for words in ("New goal", "Owner", "Horizon", "YYYY-MM-DD", "needs its text", "escape"):
            assert words in shown, words


async def test_help_and_palette_name_g_and_the_stage(tmp_path) -> None:
    app = make_app(tmp_path)
    run_of(app).session.set_stage("separation")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        shown = screen_text(app)
        assert "g  New goal for a mentee" in shown
        assert "Stage: separation (growing independence, fewer meetings)" in shown
        await pilot.press("escape")
        await back_on_live(pilot)
        await palette(pilot, "New goal for a mentee", "new goal")
        assert isinstance(app.screen, GoalDialog)
