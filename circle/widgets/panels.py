"""Projected building blocks: each owns its rendering and is fed plain data.

State is pushed down through reactives holding immutable tuples, so a widget
repaints only when what it shows has changed. Text people typed goes through
`Content(text)` / `Content.assemble`, never through markup.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from circle.domain.present import share_bar
from circle.widgets.bigdigits import BigCountdown

AGENDA_MARKS = {
    "done": ("✓", "$text-muted"),
    "missed": ("·", "$text-muted"),
    "current": ("▶", "bold $accent"),
    "next": ("›", "bold"),
    "upcoming": (" ", ""),
    "skipped": ("✗", "strike $text-muted"),
}


class TopRow(NamedTuple):
    title: str
    info: str  # wall clock, forecast end, states, the join code


class AgendaRow(NamedTuple):
    status: str  # done, missed, current, next, upcoming or skipped
    title: str
    planned: str  # "5m"
    actual: str  # "04:50", or "" for items not started


class CountdownRow(NamedTuple):
    title: str
    digits: str  # "12:34", "+01:12"
    words: str  # "12 min left", "OVER +01:12"
    state: str  # the CSS class: -ok, -warning, -over or -paused


class TurnRow(NamedTuple):
    name: str
    timer: str  # "01:35", or "01:35 / 05:00" with a round's budget
    over: bool  # past the budget


class QueueRow(NamedTuple):
    name: str
    new: bool  # has not spoken yet this session
    in_round: bool


class ShareRow(NamedTuple):
    name: str
    role: str  # mentor or mentee: the bar's colour
    percent: int


class TopBar(Widget):
    """Session title on the left; wall clock, forecast end and join code on the right."""

    info: reactive[TopRow | None] = reactive(None, layout=False)

    def render(self) -> Content:
        if self.info is None:
            return Content("")
        title, right = self.info
        width = self.size.width
        gap = max(1, width - len(title) - len(right) - 2)
        return Content.assemble((f" {title}", "bold"), " " * gap, (right + " ", ""))


class AgendaPanel(Widget):
    """The agenda with done / current / next, planned versus actual."""

    rows: reactive[tuple[AgendaRow, ...]] = reactive(())

    def render(self) -> Content:
        lines = []
        width = max(10, self.size.width)
        for status, title, planned, actual in self.rows:
            mark, style = AGENDA_MARKS.get(status, (" ", ""))
            times = f"{planned} {actual}".rstrip()
            room = max(4, width - len(times) - 3)
            name = title if len(title) <= room else title[: room - 1] + "…"
            lines.append(
                Content.assemble((f"{mark} ", style), (name.ljust(room), style), f" {times}")
            )
        return Content("\n").join(lines)


class CountdownPanel(Vertical):
    """The current item's title, its countdown in big digits and the state in words."""

    def compose(self) -> ComposeResult:
        yield Static(id="item-title", markup=False)
        yield BigCountdown(id="digits")
        yield Static(id="state-words", markup=False)

    _shown = CountdownRow("", "", "", "")

    def show(self, row: CountdownRow) -> None:
        # Called twice a second: touch only what changed, so a tick repaints
        # the digits and never lays the screen out again.
        old, self._shown = self._shown, row
        if row.title != old.title:
            self.query_one("#item-title", Static).update(Content(row.title))
        if row.digits != old.digits:
            self.query_one(BigCountdown).text = row.digits
        if row.words != old.words:
            self.query_one("#state-words", Static).update(Content(row.words))
        if row.state != old.state:
            for name in ("-ok", "-warning", "-over", "-paused"):
                self.set_class(name == row.state, name)


class SpeakerPanel(Widget):
    """Who is speaking now, and under it the turn timer (with a round's budget).

    The wall adds who is next (`next_name`): the queue's head, for the back row.
    """

    turn: reactive[TurnRow | None] = reactive(None)
    next_name: reactive[str | None] = reactive(None, layout=True)

    def watch_turn(self, old: TurnRow | None, new: TurnRow | None) -> None:
        # The timer changes every second; the layout only when a line comes or goes.
        if self._lines(old) != self._lines(new):
            self.refresh(layout=True)

    @staticmethod
    def _lines(turn: TurnRow | None) -> int:
        return 1 if turn is None else 3 if turn.over else 2

    def render(self) -> Content:
        after = Content.assemble("\n", ("Next: ", "bold"), self.next_name) if self.next_name else ""
        if self.turn is None:
            return Content.assemble(("Speaking: ", "bold"), ("nobody", "$text-muted"), after)
        name, timer, over = self.turn
        return Content.assemble(
            ("Speaking: ", "bold"),
            (name, "bold"),
            "\n",
            (timer, "bold $error" if over else "bold"),
            ("\nOVER BUDGET" if over else "", "bold $error"),
            after,
        )


class QueuePanel(Widget):
    """Raised hands in order, next first; "new" marks who has not spoken yet."""

    entries: reactive[tuple[QueueRow, ...]] = reactive((), layout=True)  # height: auto grows

    def render(self) -> Content:
        if not self.entries:
            return Content.styled("No hands up", "$text-muted")
        lines = []
        for number, (name, new, in_round) in enumerate(self.entries, 1):
            lines.append(
                Content.assemble(
                    f"{number}. ",
                    (name, "bold" if number == 1 else ""),
                    (" new" if new else "", "$success"),
                    (" (round)" if in_round else "", "$text-muted"),
                )
            )
        return Content("\n").join(lines)


class SharesPanel(Widget):
    """Speaking time per person as bars, each with its percentage as text."""

    shares: reactive[tuple[ShareRow, ...]] = reactive(())

    def render(self) -> Content:
        lines = []
        name_w = max((len(s.name) for s in self.shares), default=4)
        name_w = min(name_w, 14)
        bar_w = max(4, self.size.width - name_w - 8)
        for name, role, percent in self.shares:
            label = name if len(name) <= name_w else name[: name_w - 1] + "…"
            style = "$secondary" if role == "mentor" else "$primary"
            lines.append(
                Content.assemble(
                    label.ljust(name_w) + " ",
                    (share_bar(percent, bar_w), style),
                    f" {percent:3.0f} %",
                )
            )
        return Content("\n").join(lines)
