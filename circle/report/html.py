"""The programme report as a standalone, print-friendly HTML page.

The body is the Markdown report rendered as the minutes are (raw HTML off,
so text people typed never becomes markup), with two inline SVG charts: the
pulse trend after the Pulse section, the speaking shares after Speaking time.
"""

from __future__ import annotations

from circle.minutes.html import html_page, render_markdown_html, tick_boxes
from circle.report.markdown import report_sections
from circle.report.model import ProgrammeReport
from circle.report.svg import PulsePoint, ShareBar, pulse_chart, shares_chart

__all__ = ["render_report_html"]

REPORT_CSS = """
svg.chart { display: block; max-width: 100%; height: auto; margin: .5rem 0 1.25rem; }
thead th { white-space: nowrap; overflow-wrap: normal; }
@media print {
  svg.chart { break-inside: avoid; page-break-inside: avoid;
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".strip()


def render_report_html(report: ProgrammeReport) -> str:
    parts = []
    for key, chunk in report_sections(report):
        rendered = render_markdown_html(chunk)
        parts.append(tick_boxes(rendered) if key == "actions" else rendered)
        if key == "pulse" and any(s.pulse_average is not None for s in report.sessions):
            parts.append(pulse_chart(pulse_points(report)))
        if key == "speaking" and any(s.seconds for s in report.speaking):
            parts.append(shares_chart(share_bars(report)))
    return html_page(f"{report.series} — programme report", "".join(parts), REPORT_CSS)


def pulse_points(report: ProgrammeReport) -> list[PulsePoint]:
    return [PulsePoint(str(n), s.pulse_average) for n, s in enumerate(report.sessions, 1)]


def share_bars(report: ProgrammeReport) -> list[ShareBar]:
    total = sum(s.seconds for s in report.speaking)
    return [
        ShareBar(s.person, s.role, s.seconds, 100 * s.seconds / total if total else 0.0)
        for s in report.speaking
    ]
