"""The notes panel: an item's notes, then its takeaways, what was carried over, or the
action items at close.

Notes are short lists of prompts to read out, drawn from their Markdown
without Textual's Markdown widget. A light line renderer (headings bold, list
bullets, code dimmed, **strong** bold) keeps them readable from the back row
and keeps Textual's heavy Markdown widget out of start-up. Nothing is
interpreted as markup: every piece of text goes into Content as text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

_BULLET = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_STRONG = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def _inline(text: str, style: str = "") -> Content:
    parts: list[tuple[str, str]] = []
    last = 0
    for match in _STRONG.finditer(text):
        parts.append((text[last : match.start()], style))
        parts.append((match.group(1) or match.group(2), f"bold {style}".strip()))
        last = match.end()
    parts.append((text[last:], style))
    return Content.assemble(*[p for p in parts if p[0]])


def _join_continuations(markdown: str) -> list[str]:
    """Markdown joins a paragraph's or list item's wrapped lines: so do we."""
    lines: list[str] = []
    in_code = False
    for raw in markdown.splitlines():
        if _FENCE.match(raw):
            in_code = not in_code
            lines.append(raw)
            continue
        starts_block = not raw.strip() or _BULLET.match(raw) or _HEADING.match(raw)
        previous = lines[-1] if lines else ""
        ends_block = not previous.strip() or _FENCE.match(previous) or _HEADING.match(previous)
        if in_code or starts_block or ends_block:
            lines.append(raw)
        else:
            lines[-1] = lines[-1].rstrip() + " " + raw.strip()
    return lines


def notes_content(markdown: str) -> Content:
    lines: list[Content] = []
    in_code = False
    for raw in _join_continuations(markdown):
        if _FENCE.match(raw):
            in_code = not in_code
            continue
        if in_code:
            lines.append(Content.styled(raw, "$text-muted"))
        elif heading := _HEADING.match(raw):
            lines.append(Content.styled(heading.group(1), "bold $accent"))
        elif bullet := _BULLET.match(raw):
            indent, text = bullet.groups()
            lines.append(Content.assemble((f"{indent}• ", "$accent"), _inline(text)))
        else:
            lines.append(_inline(raw.rstrip()))
    return Content("\n").join(lines)


# -- the lines under the notes -------------------------------------------------------
class ActionLine(NamedTuple):
    done: bool
    owner: str
    text: str
    due: str


class TakeawayLine(NamedTuple):
    decision: bool
    text: str


class QuestionLine(NamedTuple):
    """A question carried over from last time, with its status."""

    text: str
    status: str


class HeadingLine(NamedTuple):
    text: str


NoteLine = ActionLine | TakeawayLine | QuestionLine | HeadingLine


class NotesView(NamedTuple):
    notes: str  # the item's notes, Markdown
    heading: str  # over the lines; "" for none
    lines: tuple[NoteLine, ...]


def note_line(line: NoteLine) -> Content:
    match line:
        case ActionLine(done, owner, text, due):
            return Content.assemble(
                ("☑ " if done else "☐ "),
                (owner, "bold"),
                ": " if owner else "",  # an action item may have no owner
                text,
                (f" (due {due})" if due else "", "italic"),
            )
        case TakeawayLine(decision, text):
            return Content.assemble(("Decision: " if decision else "• ", "bold"), text)
        case QuestionLine(text, status):
            return Content.assemble(("? ", "bold $accent"), text, f" [{status}]")
        case HeadingLine(text):
            return Content.styled(text, "bold")


class NotesPanel(Vertical):
    """The current item's notes, then its takeaways (or, at close, the action items)."""

    def compose(self) -> ComposeResult:
        # The takeaways (or, at close, the action items) stay in view under
        # the notes; when room runs out, the notes give way.
        yield Static(id="notes-text", markup=False)
        yield Static(id="notes-extra", markup=False)

    _shown: NotesView | None = None

    def show(self, view: NotesView) -> None:
        old, self._shown = self._shown, view
        if old is not None and view == old:
            return
        if old is None or view.notes != old.notes:
            self.query_one("#notes-text", Static).update(notes_content(view.notes))
        body = [Content.styled(view.heading, "bold")] if view.heading else []
        lines = [note_line(line) for line in view.lines]
        self.query_one("#notes-extra", Static).update(Content("\n").join([*body, *lines]))
