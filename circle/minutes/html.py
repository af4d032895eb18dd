"""The minutes as a standalone, print-friendly HTML page.

The body is the Markdown minutes rendered by markdown-it-py with raw HTML
off, so text people typed can never become markup. The only HTML written
here by hand is the page frame and the planned-versus-actual bars, where
every title goes through `html.escape`.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt

from circle.domain.present import clock_text
from circle.domain.session import Session
from circle.minutes.markdown import agenda_rows, minute_sections, minutes_date

__all__ = [
    "CSS",
    "agenda_bars",
    "html_page",
    "render_html_page",
    "render_markdown_html",
    "tick_boxes",
]

# One parser for every export: building it costs more than rendering a page.
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1b1b1b; background: #fff; margin: 0; }
main { max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: .25rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #333; padding-bottom: .15rem;
  margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
th, td { border: 1px solid #999; padding: .25rem .5rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
thead th { background: #eee; }
li { margin: .15rem 0; overflow-wrap: anywhere; }
.timing th { width: 30%; font-weight: normal; }
.timing td.figures { width: 9rem; white-space: nowrap; font-variant-numeric: tabular-nums; }
.bar { display: block; height: .55rem; margin: .15rem 0; border: 1px solid #333;
  box-sizing: border-box; min-width: 1px; }
.bar.planned { background: #c7d3e3; }
.bar.actual { background: #2f6690; }
.bar.actual.over { background: #b8322b; }
.legend { font-size: .9rem; color: #444; }
.legend .bar { display: inline-block; width: 1.5rem; vertical-align: middle; }
li.task { list-style: none; margin-left: -1.3rem; }
li.task input { appearance: none; -webkit-appearance: none; width: .9rem; height: .9rem;
  margin: 0 .4rem 0 0; vertical-align: -.12rem; border: 1.5px solid #1b1b1b;
  border-radius: 2px; background: #fff; opacity: 1; }
li.task input:checked { background: #1b1b1b; box-shadow: inset 0 0 0 2px #fff; }
@media print {
  body { font-size: 10.5pt; }
  main { margin: 0; max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .bar, thead th, li.task input { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
""".strip()


def render_html_page(session: Session) -> str:
    parts = []
    for key, chunk in minute_sections(session):
        rendered = _MD.render(chunk)
        parts.append(tick_boxes(rendered) if key == "actions" else rendered)
        if key == "agenda":
            parts.append(agenda_bars(session))
    return html_page(f"{session.title} — {minutes_date(session)}", "".join(parts))


def render_markdown_html(markdown: str) -> str:
    """Markdown as HTML with raw HTML off: what every exported page is made of."""
    return _MD.render(markdown)


def html_page(title: str, body: str, extra_css: str = "") -> str:
    """A standalone page around `body` (HTML); `title` is text, escaped here."""
    css = CSS + ("\n" + extra_css if extra_css else "")
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
        "<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n"
    )


# An action item's list entry starts with its box, which the Markdown writes
# and people's text can never imitate there: theirs is escaped ("\\[x]").
_BOX = re.compile(r"^<li>\[([ x])\] ", flags=re.M)
_CHECKBOX = {
    " ": '<li class="task"><input type="checkbox" disabled aria-label="not done"> ',
    "x": '<li class="task"><input type="checkbox" checked disabled aria-label="done"> ',
}


def tick_boxes(rendered: str) -> str:
    """Action items as check boxes, ticked when done: read-only, and printed as boxes."""
    return _BOX.sub(lambda m: _CHECKBOX[m[1]], rendered)


def agenda_bars(session: Session) -> str:
    """Planned and actual time per item as two bars on one scale."""
    rows = agenda_rows(session)
    ran = {"done", "current"}
    longest = max([r.planned_s for r in rows] + [r.actual_s for r in rows if r.status in ran])
    lines = [
        '<table class="timing">',
        "<caption>Planned versus actual time per agenda item</caption>",
        "<tbody>",
    ]
    for row in rows:
        actual = row.actual_s if row.status in ran else None
        lines.append(_bar_row(row.title, row.planned_s, actual, longest))
    lines += ["</tbody>", "</table>", _LEGEND]
    return "\n".join(lines) + "\n"


_LEGEND = (
    '<p class="legend"><span class="bar planned"></span> planned '
    '<span class="bar actual"></span> actual '
    '<span class="bar actual over"></span> over time</p>'
)


def _width(seconds: float, longest: float) -> str:
    return f"{100 * seconds / longest:.1f}%" if longest > 0 else "0.0%"


def _bar_row(title: str, planned: int, actual: float | None, longest: float) -> str:
    bars = f'<span class="bar planned" style="width: {_width(planned, longest)}"></span>'
    figures = f"{clock_text(planned)} planned"
    if actual is not None:
        over = " over" if actual > planned + 0.5 else ""
        bars += f'<span class="bar actual{over}" style="width: {_width(actual, longest)}"></span>'
        figures += f"<br>{clock_text(actual)} actual"
    else:
        figures += "<br>not run"
    return (
        f'<tr><th scope="row">{escape(title)}</th>'
        f'<td class="bars">{bars}</td><td class="figures">{figures}</td></tr>'
    )
