"""The footer: the main keys of the screen, one line, drawn as plain Content.

Textual's Footer builds a widget per key and restyles them as bindings
change, which costs a noticeable part of start-up; the projected screen only
needs its fixed set of keys shown, read from the same bindings (one source).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { height: 1; dock: bottom; background: $panel; }
    """

    def __init__(self, bindings: list[Binding], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bindings = [b for b in bindings if b.show]

    def render(self) -> Content:
        parts: list[Content] = []
        for binding in [*self.bindings, Binding("ctrl+p", "", "Palette", key_display="^p")]:
            key = binding.key_display or binding.key.split(",")[0]
            parts.append(Content.assemble((f" {key} ", "bold $accent"), binding.description))
        return Content("  ").join(parts)
