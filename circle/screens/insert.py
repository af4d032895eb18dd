"""Insert an agenda item live: title, minutes and kind."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Label, Select

from circle.domain.agenda import KINDS
from circle.screens.dialogs import _Dialog


class InsertItemDialog(_Dialog):
    TITLE_TEXT = "Insert an agenda item"

    def fields(self) -> ComposeResult:
        yield Input(placeholder="Title", id="text", max_length=120)
        yield Input(placeholder="Minutes, e.g. 10", id="minutes", type="number")
        yield Label("Kind")
        yield Select([(k, k) for k in KINDS], value="discussion", allow_blank=False, id="kind")

    def submit(self) -> None:
        title = self.text_of("text")
        if not title:
            self.show_error("The item needs a title")
            return
        try:
            minutes = float(self.text_of("minutes"))
        except ValueError:
            self.show_error("Give its length in minutes")
            return
        if not 1 <= minutes <= 240:
            self.show_error("Between 1 and 240 minutes")
            return
        kind = str(self.query_one("#kind", Select).value)
        self.dismiss((title, round(minutes * 60), kind))
