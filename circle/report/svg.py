"""Two small inline SVG charts for the HTML report: the pulse trend and speaking shares.

Drawn by hand rather than with a charting library: two charts of lines, dots
and bars are a few dozen lines, and a library would bring JavaScript or
fonts we must not fetch. No script, nothing loaded; dark strokes on white,
every figure also written as text, so a printed page reads without colour.
Every label is text people typed or derived from it, and goes through
`html.escape`. Coordinates are written with one decimal: the same data
always draws the same bytes.
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from circle.domain.present import clock_text

INK, GRID, MENTEE_FILL, MENTOR_FILL = "#1b1b1b", "#bbbbbb", "#2f6690", "#8a8a8a"
FONT = 'font-family="system-ui, sans-serif" font-size="11"'
# Beyond this many sessions the points' own labels would overlap.
MAX_POINT_LABELS = 20
MAX_AXIS_LABELS = 20
NAME_CHARS = 22


class PulsePoint(NamedTuple):
    label: str  # the session's number
    average: float | None  # None: too few scores to show


class ShareBar(NamedTuple):
    person: str
    role: str
    seconds: float
    percent: float


def _f(value: float) -> str:
    return f"{value:.1f}"


def _svg_open(width: int, height: int, name: str, title: str, desc: str) -> str:
    return (
        # Inline in HTML an <svg> needs no namespace: the page names no URL at all.
        f'<svg class="chart" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img" aria-labelledby="{name}-title {name}-desc">'
        f'<title id="{name}-title">{escape(title)}</title>'
        f'<desc id="{name}-desc">{escape(desc)}</desc>'
    )


def pulse_chart(points: list[PulsePoint]) -> str:
    """The pulse average per session on a 0–10 scale, joined by a line."""
    width, height, left, right, top, bottom = 640, 240, 36, 16, 14, 36
    plot_w, plot_h = width - left - right, height - top - bottom

    inset = 24  # keeps the first and last point clear of the axis and the edge

    def x(i: int) -> float:
        if len(points) == 1:
            return left + plot_w / 2
        return left + inset + (plot_w - 2 * inset) * i / (len(points) - 1)

    def y(value: float) -> float:
        return top + plot_h * (1 - value / 10)

    shown = [(i, p.average) for i, p in enumerate(points) if p.average is not None]
    desc = "; ".join(
        f"session {p.label}: " + ("too few scores" if p.average is None else f"{p.average:.1f}")
        for p in points
    )
    parts = [_svg_open(width, height, "pulse", "Pulse average per session", desc)]
    for tick in range(0, 11, 2):
        parts.append(
            f'<line x1="{left}" y1="{_f(y(tick))}" x2="{width - right}" y2="{_f(y(tick))}"'
            f' stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_f(y(tick) + 4)}" text-anchor="end" {FONT}'
            f' fill="{INK}">{tick}</text>'
        )
    every = -(-len(points) // MAX_AXIS_LABELS)  # ceiling division
    for i, point in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            parts.append(
                f'<text x="{_f(x(i))}" y="{height - bottom + 16}" text-anchor="middle" {FONT}'
                f' fill="{INK}">{escape(point.label)}</text>'
            )
        if point.average is None:  # a short dash on the axis: no pulse shown
            parts.append(
                f'<line x1="{_f(x(i) - 3)}" y1="{_f(y(0))}" x2="{_f(x(i) + 3)}" y2="{_f(y(0))}"'
                f' stroke="{INK}" stroke-width="2"/>'
            )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" {FONT}'
        f' fill="{INK}">session</text>'
    )
    if len(shown) > 1:
        line = " ".join(f"{_f(x(i))},{_f(y(v))}" for i, v in shown)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="2"/>')
    for i, value in shown:
        parts.append(f'<circle cx="{_f(x(i))}" cy="{_f(y(value))}" r="3.5" fill="{INK}"/>')
        if len(points) <= MAX_POINT_LABELS:
            parts.append(
                f'<text x="{_f(x(i))}" y="{_f(y(value) - 8)}" text-anchor="middle" {FONT}'
                f' fill="{INK}">{value:.1f}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def shares_chart(bars: list[ShareBar]) -> str:
    """Each person's share of the series' speaking time as a horizontal bar;
    mentors grey, mentees blue, the time and share written beside each."""
    row_h, label_w, bar_w, text_w = 22, 170, 320, 130
    width, height = label_w + bar_w + text_w, max(row_h * len(bars), row_h) + 8
    desc = "; ".join(f"{b.person}: {clock_text(b.seconds)}, {b.percent:.0f} %" for b in bars)
    parts = [_svg_open(width, height, "shares", "Share of speaking time per person", desc)]
    for row, bar in enumerate(bars):
        top = 4 + row * row_h
        length = bar_w * max(0.0, min(bar.percent, 100.0)) / 100
        fill = MENTOR_FILL if bar.role == "mentor" else MENTEE_FILL
        name = _short(bar.person) + (" (mentor)" if bar.role == "mentor" else "")
        parts.append(
            f'<text x="{label_w - 8}" y="{top + 15}" text-anchor="end" {FONT}'
            f' fill="{INK}">{escape(name)}</text>'
            f'<rect x="{label_w}" y="{top + 4}" width="{_f(length)}" height="{row_h - 8}"'
            f' fill="{fill}" stroke="{INK}" stroke-width="1"/>'
            f'<text x="{_f(label_w + length + 6)}" y="{top + 15}" {FONT} fill="{INK}">'
            f"{clock_text(bar.seconds)} · {bar.percent:.0f} %</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
