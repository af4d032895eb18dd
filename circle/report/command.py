"""`circle series` and `circle report SERIES [-o FILE] [--force] [--html | --json]`.

Output rules as for `circle export`: stdout or a file written atomically,
never overwriting one without `--force`; the same stored series always
gives the same bytes.
"""

from __future__ import annotations

from typing import Any, TextIO

from circle.domain.errors import BadInput, CircleError
from circle.minutes.export import write_output
from circle.report.html import render_report_html
from circle.report.json_report import render_report_json
from circle.report.markdown import render_report_markdown
from circle.report.model import ProgrammeReport
from circle.report.series import list_series, load_report, pulse_trend, report_for, sparkline

__all__ = ["render_report", "report_command", "series_command"]

MARKDOWN, HTML, JSON = "markdown", "html", "json"
_RENDER = {MARKDOWN: render_report_markdown, HTML: render_report_html, JSON: render_report_json}


def render_report(report: ProgrammeReport, fmt: str = MARKDOWN) -> str:
    try:
        render = _RENDER[fmt]
    except KeyError:
        raise BadInput(f"unknown report format '{fmt}': markdown, html or json") from None
    return render(report)


def report_command(
    store: Any, series: str, output: str | None, force: bool, fmt: str, out: TextIO
) -> int:
    """`circle report SERIES [-o FILE] [--force] [--html | --json]`; `fmt` is
    "markdown", "html" or "json". Unknown series: BadInput, one line."""
    text = render_report(load_report(store, series), fmt)
    return write_output(text, output, force, "report", out)


def series_command(store: Any, out: TextIO) -> int:
    """`circle series`: one line per series, the one met most recently first.

    A series whose sessions can't all be read is still listed, from the
    index, with its stage and pulse shown as unknown."""
    rows = list_series(store)
    if not rows:
        print("no series yet", file=out)
        return 0
    table = [("series", "sessions", "first", "last", "stage", "pulse", "people")]
    for row in rows:
        try:
            report = report_for(store, row)
            stage, pulse = report.stage, sparkline(pulse_trend(report))
        except CircleError:
            stage, pulse = "unreadable", "?"
        count, people = str(len(row.session_ids)), ", ".join(row.people)
        table.append((row.name, count, row.first_date, row.last_date, stage, pulse, people))
    widths = [max(len(line[col]) for line in table) for col in range(6)]
    for line in table:
        cells = [
            line[0].ljust(widths[0]),
            line[1].rjust(widths[1]),
            *(cell.ljust(width) for cell, width in zip(line[2:6], widths[2:6], strict=True)),
        ]
        print("  ".join([*cells, line[6]]).rstrip(), file=out)
    return 0
