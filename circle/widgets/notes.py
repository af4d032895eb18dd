"""The notes panel: an item's notes, the speaker's goals, then its takeaways, what was
carried over, or the action items at close.

Notes are short lists of prompts to read out, drawn from their Markdown
without Textual's Markdown widget. A light line renderer (headings bold, list
bullets, code dimmed, **strong** bold) keeps them readable from the back row
and keeps Textual's heavy Markdown widget out of start-up. Nothing is
interpreted as markup: every piece of text goes into Content as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    status: str  # open, in progress, done or dropped
    owner: str
    text: str
    due: str


# A mark for each action-item state; the states a tick box can't say are also in words.
ACTION_MARKS = {"open": "☐ ", "in progress": "◐ ", "done": "☑ ", "dropped": "☒ "}
ACTION_WORDS = {"in progress": " [in progress]", "dropped": " [dropped]"}


class TakeawayLine(NamedTuple):
    decision: bool
    text: str


class QuestionLine(NamedTuple):
    """A question carried over from last time, with its status."""

    text: str
    status: str


class HeadingLine(NamedTuple):
    text: str


class GoalLine(NamedTuple):
    """One of the speaker's goals, with what was last said about it."""

    text: str
    horizon: str
    status: str
    due: str
    note: str  # the latest note; "" for none


class GoalCountLine(NamedTuple):
    """A mentee waiting for their turn in a goal review, and how many goals they bring."""

    owner: str
    count: int


NoteLine = ActionLine | TakeawayLine | QuestionLine | HeadingLine | GoalLine | GoalCountLine


class NotesView(NamedTuple):
    notes: str  # the item's notes, Markdown
    heading: str  # over the lines; "" for none
    lines: tuple[NoteLine, ...]
    goals: tuple[NoteLine, ...] = ()  # the speaker's goals, over the heading


class GoalsOf(NamedTuple):
    """A mentee's goals as a goal review shows them (names already behind the blind)."""

    owner: str
    speaking: bool
    goals: tuple[GoalLine, ...]


def speaker_goal_lines(
    owner: str, goals: Sequence[GoalLine], none_yet: str = ""
) -> tuple[NoteLine, ...]:
    """`Goals: Mira` over her goals; `none_yet` says what to do when she has none."""
    if not goals:
        return (HeadingLine(f"Goals: {owner} has none yet{none_yet}"),)
    return (HeadingLine(f"Goals: {owner}"), *goals)


def review_goal_lines(review: Sequence[GoalsOf], none_yet: str = "") -> tuple[NoteLine, ...]:
    """A goal review: the goals of the mentee speaking; between turns, who brings how many."""
    for entry in review:
        if entry.speaking:
            return speaker_goal_lines(entry.owner, entry.goals, none_yet)
    if not review:
        return ()
    return (HeadingLine("Goals to review"), *(GoalCountLine(e.owner, len(e.goals)) for e in review))


def note_line(line: NoteLine) -> Content:
    match line:
        case ActionLine(status, owner, text, due):
            return Content.assemble(
                ACTION_MARKS.get(status, "☐ "),
                (owner, "bold"),
                ": " if owner else "",  # an action item may have no owner
                text,
                (f" (due {due})" if due else "", "italic"),
                (ACTION_WORDS.get(status, ""), "bold"),
            )
        case TakeawayLine(decision, text):
            return Content.assemble(("Decision: " if decision else "• ", "bold"), text)
        case QuestionLine(text, status):
            return Content.assemble(("? ", "bold $accent"), text, f" [{status}]")
        case HeadingLine(text):
            return Content.styled(text, "bold")
        case GoalLine(text, horizon, status, due, note):
            due_words = f" · due {due}" if due else ""
            line = Content.assemble(
                ("◆ ", "bold $accent"), text, (f" [{status} · {horizon}{due_words}]", "bold")
            )
            if not note:
                return line
            return Content.assemble(line, "\n", ("  last note: ", "italic"), note)
        case GoalCountLine(owner, count):
            goals = "no goals yet" if not count else "1 goal" if count == 1 else f"{count} goals"
            return Content.assemble("• ", (owner, "bold"), f": {goals}")


class NotesPanel(Vertical):
    """The current item's notes, the speaker's goals, then the item's takeaways
    (or, at close, the action items)."""

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
        goals = [note_line(line) for line in view.goals]
        body = [Content.styled(view.heading, "bold")] if view.heading else []
        lines = [note_line(line) for line in view.lines]
        extra = Content("\n").join([*goals, *body, *lines])
        self.query_one("#notes-extra", Static).update(extra)
