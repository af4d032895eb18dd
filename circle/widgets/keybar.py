"""The footer: the main keys of the screen, one line, drawn as plain Content.

Textual's Footer builds a widget per key and restyles them as bindings
change, which costs a noticeable part of start-up; the projected screen only
needs its fixed set of keys shown, given by the screen from the same table
its bindings come from.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.content import Content
from textual.widget import Widget


class KeyHint(NamedTuple):
    key: str  # as written: "n", "space", "^p"
    label: str


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { height: 1; dock: bottom; background: $panel; }
    """

    def __init__(self, hints: tuple[KeyHint, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hints = hints

    def render(self) -> Content:
        parts = [Content.assemble((f" {key} ", "bold $accent"), label) for key, label in self.hints]
        return Content("  ").join(parts)
