"""Big countdown digits, drawn with block characters, as large as the region allows.

`render_big` is a pure function: it picks the largest integer scale at which a
time string ("12:34", "+01:12", "1:02:03") fits a box and draws it with
half-block characters, so one text row holds two square-ish "pixels"
(a terminal cell is about twice as tall as it is wide, so one column by half a
row is roughly square).

Fallback chain, each step no bigger than the next in either direction, so a
bigger box never gives a smaller result:

    plain text (1 row)  <  compact font (3 rows)  <  big font, scale 1, 2, 3 ...

`BigCountdown` is the widget: it shows `render_big(text, width, height)` centred
in its content region; colours come from CSS.
"""

from __future__ import annotations

from functools import lru_cache

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

__all__ = ["BIG_HEIGHT", "COMPACT_HEIGHT", "BigCountdown", "big_scale", "render_big"]

# --- fonts -------------------------------------------------------------------
# '#' is a lit pixel. Every glyph of a font has the same number of rows; widths
# vary (the colon and the dot are narrow). One blank pixel column separates
# characters.

_BIG_SRC: dict[str, tuple[str, ...]] = {
    "0": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
    "3": (".###.", "#...#", "....#", "..##.", "....#", "#...#", ".###."),
    "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
    "5": ("#####", "#....", "####.", "....#", "....#", "#...#", ".###."),
    "6": ("..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."),
    "8": (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."),
    ":": (".", ".", "#", ".", "#", ".", "."),
    "+": ("...", "...", ".#.", "###", ".#.", "...", "..."),
    "-": ("...", "...", "...", "###", "...", "...", "..."),
    ".": (".", ".", ".", ".", ".", ".", "#"),
    " ": ("...", "...", "...", "...", "...", "...", "..."),
}

# Compact font: 5 pixel rows -> 3 text rows, like Textual's `Digits`. Each glyph
# is at most as wide as its big counterpart (keeps the fallback chain monotonic).
_COMPACT_SRC: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    "-": ("...", "...", "###", "...", "..."),
    ".": (".", ".", ".", ".", "#"),
    " ": ("..", "..", "..", "..", ".."),
}

Glyph = tuple[tuple[bool, ...], ...]


def _parse(src: dict[str, tuple[str, ...]]) -> dict[str, Glyph]:
    return {ch: tuple(tuple(c == "#" for c in row) for row in rows) for ch, rows in src.items()}


_BIG = _parse(_BIG_SRC)
_COMPACT = _parse(_COMPACT_SRC)

_BIG_PIXEL_ROWS = 7
_COMPACT_PIXEL_ROWS = 5
_GAP = 1  # pixel columns between characters

#: Text rows of the big font at scale 1, and of the compact font.
BIG_HEIGHT = (_BIG_PIXEL_ROWS + 1) // 2
COMPACT_HEIGHT = (_COMPACT_PIXEL_ROWS + 1) // 2

# (top pixel, bottom pixel) -> character
_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def _pixel_width(text: str, font: dict[str, Glyph]) -> int:
    """Width in pixel columns at scale 1 (gaps included)."""
    if not text:
        return 0
    return sum(len(font[ch][0]) for ch in text) + _GAP * (len(text) - 1)


def _draw(text: str, font: dict[str, Glyph], pixel_rows: int, scale: int) -> list[str]:
    """Draw `text` with `font`, each pixel `scale` columns wide and `scale` half-rows high."""
    # Pixel rows at scale 1, one bool per pixel column.
    rows: list[list[bool]] = [[] for _ in range(pixel_rows)]
    for index, ch in enumerate(text):
        glyph = font[ch]
        for y in range(pixel_rows):
            if index:
                rows[y].extend([False] * _GAP)
            rows[y].extend(glyph[y])
    # Scale: widen each pixel, repeat each row.
    scaled: list[tuple[bool, ...]] = []
    for row in rows:
        wide = tuple(p for p in row for _ in range(scale))
        scaled.extend([wide] * scale)
    if len(scaled) % 2:
        scaled.append((False,) * len(scaled[0]))
    return [
        "".join(_HALF[pair] for pair in zip(top, bottom, strict=True))
        for top, bottom in zip(scaled[0::2], scaled[1::2], strict=True)
    ]


def big_scale(text: str, max_width: int, max_height: int) -> int:
    """The largest scale of the big font that fits, or 0 if even scale 1 doesn't.

    Returns 0 as well when `text` has a character the font lacks, or is empty.
    """
    if not text or any(ch not in _BIG for ch in text):
        return 0
    by_width = max_width // _pixel_width(text, _BIG)
    # Text rows at scale s are ceil(7 s / 2) <= max_height  <=>  7 s <= 2 max_height.
    by_height = (2 * max_height) // _BIG_PIXEL_ROWS if max_height > 0 else 0
    return max(0, min(by_width, by_height))


@lru_cache(maxsize=128)
def _render_big_cached(text: str, max_width: int, max_height: int) -> tuple[str, ...]:
    scale = big_scale(text, max_width, max_height)
    if scale:
        return tuple(_draw(text, _BIG, _BIG_PIXEL_ROWS, scale))
    if (
        text
        and all(ch in _COMPACT for ch in text)
        and _pixel_width(text, _COMPACT) <= max_width
        and max_height >= COMPACT_HEIGHT
    ):
        return tuple(_draw(text, _COMPACT, _COMPACT_PIXEL_ROWS, 1))
    # Plain text: the last resort. It may be wider than asked when the box is
    # narrower than the text itself; the widget clips it.
    return (text,)


def render_big(text: str, max_width: int, max_height: int) -> list[str]:
    """Draw a time string in big block characters, as large as fits the box.

    `text` is made of ``0-9 : + - .`` and spaces ("12:34", "+01:12", "1:02:03").
    The result is the big 5x7-pixel font at the largest integer scale that
    fits `max_width` x `max_height` cells (half-block characters, 2 pixel rows per
    text row, so scale s is ``ceil(7 s / 2)`` rows high); failing that a 3-row
    compact font; failing that the plain text as one line (also for characters
    outside the charset). All lines have the same width. Plain strings, no markup.
    """
    return list(_render_big_cached(text, max_width, max_height))


# --- widget ------------------------------------------------------------------


class BigCountdown(Widget):
    """The current item's countdown in big digits, centred in its region.

    Set `text` (e.g. "12:34", "+01:12"); colours come from CSS classes the
    parent sets (`-warning`, `-over`, `-paused` ...).
    """

    DEFAULT_CSS = """
    BigCountdown {
        width: 1fr;
        height: 1fr;
        content-align: center middle;
        text-align: left;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    text: reactive[str] = reactive("", layout=False)

    def __init__(
        self,
        text: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(BigCountdown.text, text)

    def render(self) -> RenderResult:
        width, height = self.size
        lines = render_big(self.text, width, height)
        # Content(...) is plain text: nothing in it is parsed as markup.
        return Content("\n".join(lines))
