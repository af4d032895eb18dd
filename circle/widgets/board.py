"""The question board: questions sorted by votes, one selected for `v a p delete`.

On the console it may also list the questions waiting for approval (marked,
first); on the wall it has no selection and no keys to suggest.

The selected question is shown whole, wrapped over as many lines as it needs;
the others take one line each, cut with "…". In the board-only view (`wrap_all`)
every question is shown whole.
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
    waiting: bool = False  # waiting for approval: shown on the console only, never the wall


class BoardPanel(Widget, can_focus=True):
    """Renders only the rows that fit around the selection, so 500 questions stay cheap.

    `selectable=False` (the wall): no selection, no focus, no keys in its hints.
    """

    rows: reactive[tuple[BoardRow, ...]] = reactive(())
    selected: reactive[int | None] = reactive(None)
    wrap_all: reactive[bool] = reactive(False)

    def __init__(self, *, id: str | None = None, selectable: bool = True) -> None:
        super().__init__(id=id)
        self.selectable = selectable
        self.can_focus = selectable

    @property
    def selected_index(self) -> int | None:
        ids = [row.id for row in self.rows]
        return ids.index(self.selected) if self.selected in ids else None

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

    def select_row(self, index: int) -> None:
        """Select the question at row `index` (the last one if there are fewer)."""
        if self.rows:
            self.selected = self.rows[max(0, min(index, len(self.rows) - 1))].id

    def watch_rows(self, rows: tuple[BoardRow, ...]) -> None:
        if not self.selectable:
            return
        ids = [row.id for row in rows]
        if self.selected not in ids:
            self.selected = ids[0] if ids else None

    # -- drawing -----------------------------------------------------------------------
    def render(self) -> Content:
        if not self.rows:
            hint = ": press q to add one" if self.selectable else ""
            return Content.styled(f"No questions yet{hint}", "$text-muted")
        width = max(20, self.size.width)
        height = max(1, self.size.height)
        blocks = self._window(width, height)
        lines = [line for _, block in blocks for line in block]
        shown = len(blocks)
        if shown < len(self.rows):
            hint = " (up/down to scroll)" if self.selectable else ""
            more = f"… {len(self.rows) - shown} more{hint}"
            lines.append(Content.styled(more, "$text-muted"))
        return Content("\n").join(lines)

    def _window(self, width: int, height: int) -> list[tuple[int, list[Content]]]:
        """The rows around the selection that fit `height`, each with its lines."""
        blocks = self._fit(width, height)
        if len(blocks) < len(self.rows):  # keep a line for "… N more"
            blocks = self._fit(width, height - 1)
        return blocks

    def _fit(self, width: int, room: int) -> list[tuple[int, list[Content]]]:
        """The selection about in the middle: rows above it take up to half the
        room left, rows below the rest, then rows above again."""
        rows = self.rows
        at = self.selected_index or 0
        chosen = self._lines(rows[at], width)
        if len(chosen) > max(1, room):  # a long question on a short board: what fits
            chosen = chosen[: max(1, room - 1)] + [Content.styled("  …", "$text-muted")]
        picked = {at: chosen}
        used = len(chosen)

        def take(index: int) -> bool:
            nonlocal used
            block = self._lines(rows[index], width)
            if used + len(block) > room:
                return False
            picked[index] = block
            used += len(block)
            return True

        half = used + (room - used) // 2
        up, down = at - 1, at + 1
        while up >= 0 and used < half and take(up):
            up -= 1
        while down < len(rows) and take(down):
            down += 1
        while up >= 0 and take(up):
            up -= 1
        return [(index, picked[index]) for index in sorted(picked)]

    def _lines(self, row: BoardRow, width: int) -> list[Content]:
        chosen = row.id == self.selected
        if chosen or self.wrap_all:
            return self._wrapped(row, width, chosen)
        return [self._line(row, width, chosen)]

    def _wrapped(self, row: BoardRow, width: int, chosen: bool) -> list[Content]:
        """The whole question over as many lines as it needs, under its lead."""
        lead = Content.assemble(
            ("▸ " if chosen else "  ", "bold $accent"), (f"▲{row.votes:<3}", "bold $accent")
        )
        asker = f" — {row.asker}" if row.asker else ""
        mark = WAITING_MARK if row.waiting else STATUS_MARK[row.status]
        body = Content.assemble(
            (row.text, "$text-muted" if row.status == "answered" else ""),
            (asker, "italic $text-muted"),
            (mark, "$warning" if row.waiting or row.status == "parked" else "$success"),
        )
        indent = lead.cell_length
        wrapped = body.wrap(max(8, width - indent))
        lines = [lead + wrapped[0]]
        lines.extend(Content(" " * indent) + line for line in wrapped[1:])
        if chosen and self.has_focus:
            lines = [line.stylize("reverse", 0, len(line)) for line in lines]
        return lines

    def _line(self, row: BoardRow, width: int, chosen: bool) -> Content:
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
