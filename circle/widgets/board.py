"""The question board: questions sorted by votes, one selected for `v a p delete`.

On the console it may also list the questions waiting for approval (marked,
first); on the wall it has no selection and no keys to suggest.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

STATUS_MARK = {"open": "", "parked": " [parked]", "answered": " ✓ answered"}
WAITING_MARK = " ⏳ waiting: approve with ctrl+p"


class BoardRow(NamedTuple):
    id: int
    text: str
    asker: str | None
    votes: int
    status: str
    hidden: bool = False
    waiting: bool = False  # waiting for approval: shown on the console only, never the wall


class BoardPanel(Widget, can_focus=True):
    """Renders only the rows that fit around the selection, so 500 questions stay cheap.

    `selectable=False` (the wall): no selection, no focus, no keys in its hints.
    """

    rows: reactive[tuple[BoardRow, ...]] = reactive(())
    selected: reactive[int | None] = reactive(None)

    def __init__(self, *, id: str | None = None, selectable: bool = True) -> None:
        super().__init__(id=id)
        self.selectable = selectable
        self.can_focus = selectable

    def select_step(self, step: int) -> None:
        ids = [row.id for row in self.rows]
        if not ids:
            self.selected = None
            return
        if self.selected not in ids:
            self.selected = ids[0] if step > 0 else ids[-1]
            return
        index = max(0, min(len(ids) - 1, ids.index(self.selected) + step))
        self.selected = ids[index]

    def watch_rows(self, rows: tuple[BoardRow, ...]) -> None:
        if not self.selectable:
            return
        ids = [row.id for row in rows]
        if self.selected not in ids:
            self.selected = ids[0] if ids else None

    def _window(self) -> tuple[int, int]:
        height = max(1, self.size.height - 1)
        ids = [row.id for row in self.rows]
        at = ids.index(self.selected) if self.selected in ids else 0
        start = max(0, min(at - height // 2, len(ids) - height))
        return start, min(len(ids), start + height)

    def render(self) -> Content:
        if not self.rows:
            hint = ": press q to add one" if self.selectable else ""
            return Content.styled(f"No questions yet{hint}", "$text-muted")
        start, end = self._window()
        width = max(20, self.size.width)
        lines = [self._line(row, width) for row in self.rows[start:end]]
        if end < len(self.rows) or start > 0:
            more = len(self.rows) - (end - start)
            hint = " (up/down to scroll)" if self.selectable else ""
            lines.append(Content.styled(f"… {more} more{hint}", "$text-muted"))
        return Content("\n").join(lines)

    def _line(self, row: BoardRow, width: int) -> Content:
        chosen = row.id == self.selected
        votes = f"▲{row.votes:<3}"
        mark = WAITING_MARK if row.waiting else STATUS_MARK[row.status]
        room = width - len(votes) - len(mark) - 3
        text = row.text if len(row.text) <= room else row.text[: max(1, room - 1)] + "…"
        # The question comes first; the asker's name gets what room is left.
        spare = room - len(text)
        asker = f" — {row.asker}" if row.asker else ""
        if len(asker) > spare:
            asker = asker[: spare - 1] + "…" if spare > 4 else ""
        style = "$text-muted" if row.status == "answered" else ""
        line = Content.assemble(
            ("▸ " if chosen else "  ", "bold $accent"),
            (votes, "bold $accent"),
            (text, style),
            (asker, "italic $text-muted"),
            (mark, "$warning" if row.waiting or row.status == "parked" else "$success"),
        )
        return line.stylize("reverse", 0, len(line)) if chosen and self.has_focus else line
