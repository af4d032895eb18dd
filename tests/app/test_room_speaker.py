"""The speaker is big: from 120×40 up, `Speaking: NAME`, the turn in big digits and
`Next: NAME` beside the countdown; the timer-only view keeps all three; 80×24 keeps the
compact form in the people panel."""

from __future__ import annotations

import pytest

from circle.widgets.bigdigits import BigCountdown
from circle.widgets.panels import BigSpeakerPanel, SpeakerPanel
from tests.app.live_helpers import (
    BIG,
    BREAK_INDEX,
    SMALL,
    advance,
    go_to_item,
    live,
    make_app,
    region_text,
    screen_lines,
    settle,
    speaker,
    widget_text,
)


def big_panel(app) -> BigSpeakerPanel:
    return live(app).query_one(BigSpeakerPanel)


def big_digits(app) -> BigCountdown:
    return big_panel(app).query_one("#turn-digits", BigCountdown)


def digit_rows(app) -> int:
    """How many rows of the wall the turn time's digits take."""
    return len([line for line in widget_text(big_digits(app)).splitlines() if line.strip()])


def beside_the_countdown(app) -> bool:
    """The speaker panel sits on the countdown's rows, to its right."""
    countdown = live(app).query_one("#countdown").region
    panel = big_panel(app).region
    return panel.y == countdown.y and panel.x >= countdown.right and panel.height > 0


@pytest.mark.parametrize("size", [(120, 40), BIG, (200, 60)])
async def test_from_120_by_40_the_speaker_is_big_beside_the_countdown(tmp_path, clock, size):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1", "2", "3", "s")  # Mira speaks; Jon, then Priya wait
        await advance(pilot, clock, 95)
        assert beside_the_countdown(app)
        assert live(app).query_one(SpeakerPanel).display is False  # not twice
        shown = region_text(app, big_panel(app))
        assert shown.startswith("Speaking: Mira")
        assert shown.endswith("Next: Jon")
        assert big_digits(app).text == "01:35"
        assert digit_rows(app) >= 3  # big digits, not a line of text
        # The name is bold text, never drawn in blocks: a screen reader and a
        # photo of the wall both read it.
        name = big_panel(app).query_one("#speaker-name")
        assert "Speaking: Mira" in screen_lines(app)[name.region.y]
        content = name.render()
        at = str(content).index("Mira")
        assert any(
            "bold" in str(span.style) and span.start <= at and span.end >= at + 4
            for span in content.spans
        )

        await pilot.press("s", "s")  # Jon, then Priya: nobody is left in the queue
        await advance(pilot, clock, 5)
        assert region_text(app, big_panel(app)).startswith("Speaking: Priya")
        assert "Next: nobody" in region_text(app, big_panel(app))
        assert big_digits(app).text == "00:05"

        await pilot.press("d")
        await settle(pilot)
        assert region_text(app, big_panel(app)) == "Speaking: nobody Next: nobody"
        assert big_digits(app).text == ""


async def test_the_timer_view_keeps_the_name_the_digits_and_next(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2", "s")
        await advance(pilot, clock, 42)
        await pilot.press("z")
        await settle(pilot)
        assert live(app).projection == "timer"
        assert beside_the_countdown(app)
        shown = region_text(app, big_panel(app))
        assert shown.startswith("Speaking: Mira") and shown.endswith("Next: Jon")
        assert big_digits(app).text == "00:42" and digit_rows(app) >= 3
        assert live(app).query_one("#people").display is False


async def test_the_timer_view_keeps_the_speaker_at_80_by_24_too(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("1", "s", "z")
        await advance(pilot, clock, 7)
        assert beside_the_countdown(app)
        shown = region_text(app, big_panel(app))
        assert shown.startswith("Speaking: Mira") and shown.endswith("Next: nobody")
        assert big_digits(app).text == "00:07" and digit_rows(app) >= 3


@pytest.mark.parametrize("size", [SMALL, (119, 40), (160, 39)])
async def test_below_120_by_40_the_compact_form_stays(tmp_path, clock, size):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1", "s")
        await advance(pilot, clock, 65)
        assert big_panel(app).display is False
        assert live(app).query_one(SpeakerPanel).display is True
        assert speaker(app) == "Speaking: Mira 01:05"
        assert "Speaking: Mira" in region_text(app, live(app).query_one("#people"))


async def test_a_round_turn_shows_its_budget_in_words_under_the_digits(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(2):  # the hot seat round: 20 min for four mentees, 5:00 each
            await pilot.press("n")
        await pilot.press("s")
        await advance(pilot, clock, 60)
        shown = region_text(app, big_panel(app))
        assert "budget 05:00 a turn" in shown and "Next: Jon" in shown
        assert not big_panel(app).has_class("-over")
        await advance(pilot, clock, 241)
        assert "OVER BUDGET (05:00 a turn)" in region_text(app, big_panel(app))
        assert big_panel(app).has_class("-over")  # and in colour, never only in colour


async def test_a_mentors_interjection_shows_who_gets_the_floor_back(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2", "s")
        await advance(pilot, clock, 5)
        await pilot.press("0")  # Ada interjects: Mira's turn waits at 0:05
        await advance(pilot, clock, 20)
        shown = region_text(app, big_panel(app))
        assert shown.startswith("Speaking: Ada")
        assert "Next: Mira (back at 00:05)" in shown
        assert big_digits(app).text == "00:20"


async def test_behind_the_blind_the_big_panel_names_nobody(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2", "s", "h")
        await advance(pilot, clock, 3)
        shown = region_text(app, big_panel(app))
        assert "Mira" not in shown and "Jon" not in shown
        assert shown.startswith("Speaking: •••") and "Next: •••" in shown
        assert big_digits(app).text == "00:03"  # the clock still runs


async def test_a_break_hides_the_speaker_as_it_hides_the_people(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await go_to_item(pilot, BREAK_INDEX)
        assert big_panel(app).display is False
        assert live(app).query_one("#people").display is False
        await pilot.press("n")
        await settle(pilot)
        assert big_panel(app).display is True


def count_layouts(monkeypatch, panel: BigSpeakerPanel) -> list[str]:
    """The labels of the big speaker panel that asked for the screen to be laid out again."""
    from textual.widgets import Static

    asked: list[str] = []
    refresh = Static.refresh

    def noted(self, *args, layout: bool = False, **kwargs):
        if layout and self.parent is panel:
            asked.append(self.id or "")
        return refresh(self, *args, layout=layout, **kwargs)

    monkeypatch.setattr(Static, "refresh", noted)
    return asked


async def test_a_raised_hand_changes_who_is_next_without_laying_out_the_screen(
    tmp_path, clock, monkeypatch
):
    # Laying out the whole screen took most of such a key's time.
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        asked = count_layouts(monkeypatch, big_panel(app))
        await pilot.press("1")
        await settle(pilot)
        assert region_text(app, big_panel(app)).endswith("Next: Mira")
        await pilot.press("2", "1")
        await settle(pilot)
        assert region_text(app, big_panel(app)).endswith("Next: Jon")
        assert asked == []


async def test_a_name_too_long_for_one_line_still_shows_whole(tmp_path, clock, monkeypatch):
    long_name = "Maximiliana Montgomery-Featherstonehaugh"
    app = make_app(tmp_path, clock, mentees=[long_name, "Jon", "Priya"])
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        asked = count_layouts(monkeypatch, big_panel(app))
        await pilot.press("1")
        await settle(pilot)
        label = big_panel(app).query_one("#next-speaker")
        assert set(asked) == {"next-speaker"} and label.region.height > 1
        shown = region_text(app, label).replace(" ", "")
        assert shown == f"Next:{long_name}".replace(" ", "")
