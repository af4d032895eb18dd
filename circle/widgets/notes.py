"""An item's notes, drawn from their Markdown without Textual's Markdown widget.

Notes are short lists of prompts to read out. A light line renderer (headings
bold, list bullets, code dimmed, **strong** bold) keeps them readable from the
back row and keeps Textual's heavy Markdown widget out of start-up. Nothing is
interpreted as markup: every piece of text goes into Content as text.
"""

from __future__ import annotations

import re

from textual.content import Content

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
