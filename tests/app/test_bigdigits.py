"""Big countdown digits: the pure renderer and the widget."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.geometry import Region

from circle.widgets.bigdigits import (
    BIG_HEIGHT,
    COMPACT_HEIGHT,
    BigCountdown,
    big_scale,
    render_big,
)

BLOCKS = set("█▀▄")
ALLOWED = set("█▀▄ ")
CHARSET = "0123456789:+-. "

texts = st.text(alphabet=CHARSET, min_size=1, max_size=10)
widths = st.integers(min_value=10, max_value=300)
heights = st.integers(min_value=3, max_value=80)


def size_of(lines: list[str]) -> tuple[int, int]:
    return (max(len(line) for line in lines), len(lines))


# --- sizes the product cares about -------------------------------------------------


def test_panel_at_160x45_is_at_least_six_rows() -> None:
    lines = render_big("12:34", 100, 14)
    assert len(lines) >= 6
    assert size_of(lines)[0] <= 100 and len(lines) <= 14


@pytest.mark.parametrize("text", ["12:34", "+01:12", "1:02:03", "-00:05"])
@pytest.mark.parametrize("width,height", [(100, 12), (100, 13), (96, 12), (100, 14)])
def test_panel_sizes_give_six_rows_or_more(text: str, width: int, height: int) -> None:
    lines = render_big(text, width, height)
    assert 6 <= len(lines) <= height
    assert size_of(lines)[0] <= width


def test_known_scales() -> None:
    # 80x24 terminal: the panel is about 40x6 -> scale 1, 4 rows.
    assert big_scale("12:34", 40, 6) == 1
    assert len(render_big("12:34", 40, 6)) == BIG_HEIGHT == 4
    # 160x45: panel about 100x14 -> scale 4, 14 rows, exactly 100 wide.
    assert big_scale("12:34", 100, 14) == 4
    assert size_of(render_big("12:34", 100, 14)) == (100, 14)
    # Timer-only view on a 200x60 terminal: scale 8, 200x28.
    assert big_scale("12:34", 200, 60) == 8
    assert size_of(render_big("12:34", 200, 60)) == (200, 28)


def test_full_screen_is_bigger_than_panel() -> None:
    assert len(render_big("12:34", 200, 60)) > len(render_big("12:34", 100, 14))


# --- fallbacks ---------------------------------------------------------------------


def test_compact_fallback_is_three_rows() -> None:
    lines = render_big("12:34", 20, 5)
    assert big_scale("12:34", 20, 5) == 0
    assert len(lines) == COMPACT_HEIGHT == 3
    assert set("".join(lines)) <= ALLOWED
    assert size_of(lines)[0] <= 20


def test_compact_fallback_when_too_short_for_big() -> None:
    lines = render_big("12:34", 200, 3)
    assert len(lines) == 3


def test_plain_text_fallback() -> None:
    assert render_big("12:34", 10, 3) == ["12:34"]
    assert render_big("12:34", 100, 2) == ["12:34"]
    assert render_big("12:34", 100, 1) == ["12:34"]
    # Narrower than the text itself: unavoidable, the text is returned as is.
    assert render_big("12:34", 3, 10) == ["12:34"]
    assert render_big("12:34", 0, 0) == ["12:34"]


def test_unknown_characters_fall_back_to_plain_text() -> None:
    assert render_big("OVER", 200, 60) == ["OVER"]


def test_empty_text_returns_something() -> None:
    assert render_big("", 100, 14) == [""]


def test_returns_a_fresh_list() -> None:
    first = render_big("12:34", 100, 14)
    first.append("junk")
    assert "junk" not in render_big("12:34", 100, 14)


# --- properties --------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=texts, width=widths, height=heights)
def test_fits_within_bounds(text: str, width: int, height: int) -> None:
    lines = render_big(text, width, height)
    assert lines
    line_width, line_count = size_of(lines)
    if len(text) > width:
        assert lines == [text]
    else:
        assert line_width <= width
        assert line_count <= height


@settings(max_examples=300, deadline=None)
@given(text=texts, width=widths, height=heights)
def test_all_lines_equal_width_and_block_glyphs_only(text: str, width: int, height: int) -> None:
    lines = render_big(text, width, height)
    assert len({len(line) for line in lines}) == 1
    if lines != [text]:
        assert set("".join(lines)) <= ALLOWED


@settings(max_examples=300, deadline=None)
@given(
    text=texts,
    width=widths,
    height=heights,
    more_width=st.integers(min_value=0, max_value=100),
    more_height=st.integers(min_value=0, max_value=40),
)
def test_larger_box_never_gives_smaller_output(
    text: str, width: int, height: int, more_width: int, more_height: int
) -> None:
    small = size_of(render_big(text, width, height))
    large = size_of(render_big(text, width + more_width, height + more_height))
    assert large[0] >= small[0]
    assert large[1] >= small[1]


@settings(max_examples=100, deadline=None)
@given(text=texts, width=widths, height=heights)
def test_scale_is_the_largest_that_fits(text: str, width: int, height: int) -> None:
    scale = big_scale(text, width, height)
    if scale:
        got = size_of(render_big(text, width, height))
        assert got[0] <= width and got[1] <= height
        # One step up would not fit: the big font at scale+1 overflows a side.
        bigger = size_of(render_big(text, got[0] * 10, got[1] * 10))
        assert bigger[0] > width or bigger[1] > height


def test_digits_are_pairwise_distinct_at_scale_one() -> None:
    renders = {d: render_big(d, 5, BIG_HEIGHT) for d in "0123456789"}
    for d, lines in renders.items():
        assert len(lines) == BIG_HEIGHT, d
        assert BLOCKS & set("".join(lines)), d
    for a, b in itertools.combinations("0123456789", 2):
        assert renders[a] != renders[b], (a, b)


def test_compact_digits_are_pairwise_distinct() -> None:
    renders = {d: render_big(d, 3, COMPACT_HEIGHT) for d in "0123456789"}
    for d, lines in renders.items():
        assert len(lines) == COMPACT_HEIGHT, d
    for a, b in itertools.combinations("0123456789", 2):
        assert renders[a] != renders[b], (a, b)


def test_scale_multiplies_pixels() -> None:
    one = render_big("8", 5, BIG_HEIGHT)
    two = render_big("8", 10, 7)
    assert size_of(one) == (5, 4)
    assert size_of(two) == (10, 7)
    # At scale 2 every pixel is 2 columns by one full row: only █ and space.
    assert set("".join(two)) <= {"█", " "}


# --- the widget --------------------------------------------------------------------


class CountdownApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BigCountdown("12:34", id="countdown")


def widget_lines(widget: BigCountdown) -> list[str]:
    width, height = widget.outer_size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def block_rows(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if BLOCKS & set(line)]


async def test_widget_renders_big_digits_centred() -> None:
    app = CountdownApp()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        widget = app.query_one(BigCountdown)
        assert widget.size == (160, 45)
        lines = widget_lines(widget)
        rows = block_rows(lines)
        assert len(rows) >= 6
        expected = render_big("12:34", 160, 45)
        # The glyphs appear contiguously, centred vertically and horizontally.
        top = rows[0]
        assert abs(top - (45 - len(expected) - top)) <= 1
        assert [line.strip() for line in lines[top : top + len(expected)]] == [
            line.strip() for line in expected
        ]
        block = lines[top : top + len(expected)]
        left = min(len(line) - len(line.lstrip()) for line in block)
        right = min(len(line) - len(line.rstrip()) for line in block)
        expected_left = min(len(line) - len(line.lstrip()) for line in expected)
        expected_right = min(len(line) - len(line.rstrip()) for line in expected)
        assert abs((left - expected_left) - (right - expected_right)) <= 1


async def test_widget_updates_when_text_changes() -> None:
    app = CountdownApp()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        widget = app.query_one(BigCountdown)
        before = widget_lines(widget)
        widget.text = "00:59"
        await pilot.pause()
        after = widget_lines(widget)
        assert after != before
        assert len(block_rows(after)) >= 6
        expected = [line.strip() for line in render_big("00:59", 160, 45)]
        rows = block_rows(after)
        assert [after[i].strip() for i in rows] == [line for line in expected if line.strip()]


async def test_widget_rerenders_on_resize() -> None:
    app = CountdownApp()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        widget = app.query_one(BigCountdown)
        big = len(block_rows(widget_lines(widget)))
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert widget.size == (80, 24)
        small = len(block_rows(widget_lines(widget)))
        assert 0 < small < big


async def test_widget_text_is_not_markup() -> None:
    app = CountdownApp()
    async with app.run_test(size=(40, 5)) as pilot:
        widget = app.query_one(BigCountdown)
        widget.text = "[b]x[/b]"
        await pilot.pause()
        lines = widget_lines(widget)
        assert any("[b]x[/b]" in line for line in lines)
