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
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from circle.domain.present import share_bar
from circle.widgets.bigdigits import BigCountdown

PERCENT_W = len(" 100 %")

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
    state: str  # the CSS class: -ok, -warning, -over, -paused or -ended


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
    role: str  # mentor or mentee: the bar's colour, and which group it is listed in
    percent: int
    key: str = ""  # a mentee's hand key, "1" to "5"; "" for mentors and behind the blind
    attendance: str = ""  # "absent", "late" or "left"; "" for someone present


class SpeakerRow(NamedTuple):
    """The big speaker panel: who speaks, the turn in big digits, who is next."""

    name: str  # "" when nobody speaks
    timer: str  # "01:35"; "" when nobody speaks
    words: str  # under the digits: "of 05:00 in the round", "OVER BUDGET", ""
    over: bool  # past a round's budget
    next: str  # "Jon", "nobody", or the interrupted mentee who gets the floor back


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
            for name in ("-ok", "-warning", "-over", "-paused", "-ended"):
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
    """Raised hands in order, next first; "new" marks who has not spoken yet.

    It takes the people panel's spare rows; when the hands outnumber them, the
    last row says how many more wait, so nobody is silently cut off.
    """

    entries: reactive[tuple[QueueRow, ...]] = reactive(())

    def render(self) -> Content:
        if not self.entries:
            return Content.styled("No hands up", "$text-muted")
        shown = list(enumerate(self.entries, 1))
        height = self.size.height
        more = 0
        if 0 < height < len(shown):
            more = len(shown) - (height - 1)
            shown = shown[: height - 1]
        lines = [
            Content.assemble(
                f"{number}. ",
                (name, "bold" if number == 1 else ""),
                (" new" if new else "", "$success"),
                (" (round)" if in_round else "", "$text-muted"),
            )
            for number, (name, new, in_round) in shown
        ]
        if more:
            lines.append(Content.styled(f"… {more} more", "$text-muted"))
        return Content("\n").join(lines)


class SharesPanel(Widget):
    """Everyone in the room with their speaking time as a bar and its percentage.

    Mentees first, each with their hand key; then the mentors under their own
    line. Someone not present says so in words where the bar would start.
    """

    shares: reactive[tuple[ShareRow, ...]] = reactive(())

    def watch_shares(self, old: tuple[ShareRow, ...], new: tuple[ShareRow, ...]) -> None:
        # The percentages change every second; the height (auto) only when
        # someone's group does, or everyone's.
        if self._groups(old) != self._groups(new):
            self.refresh(layout=True)

    @staticmethod
    def _groups(shares: tuple[ShareRow, ...]) -> tuple[int, int]:
        mentors = sum(1 for s in shares if s.role == "mentor")
        return len(shares) - mentors, mentors

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # One line a person, and one for the mentors' heading: never wrapped.
        mentees, mentors = self._groups(self.shares)
        return mentees + (mentors + 1 if mentors else 0)

    def render(self) -> Content:
        mentees = [s for s in self.shares if s.role != "mentor"]
        mentors = [s for s in self.shares if s.role == "mentor"]
        width = max(16, self.size.width)
        keyed = any(s.key for s in self.shares)
        key_w = 2 if keyed else 0
        # The bar's place holds at least "absent"; names give way first.
        name_room = width - key_w - 1 - len("absent") - PERCENT_W
        name_w = min(max((len(s.name) for s in self.shares), default=4), 14, max(4, name_room))
        bar_w = max(4, width - key_w - name_w - 1 - PERCENT_W)
        lines = [self._line(row, key_w, name_w, bar_w) for row in mentees]
        if mentors:
            lines.append(Content.styled("Mentors", "$text-muted"))
            lines.extend(self._line(row, key_w, name_w, bar_w) for row in mentors)
        return Content("\n").join(lines)

    @staticmethod
    def _line(row: ShareRow, key_w: int, name_w: int, bar_w: int) -> Content:
        name, role, percent, key, attendance = row
        label = name if len(name) <= name_w else name[: name_w - 1] + "…"
        style = "$secondary" if role == "mentor" else "$primary"
        # The word where the bar starts, the bar in what is left of its place.
        word = attendance.ljust(min(bar_w, len(attendance) + 1)) if attendance else ""
        bar = share_bar(percent, max(0, bar_w - len(word)))
        return Content.assemble(
            (key.ljust(key_w), "bold $accent"),
            label.ljust(name_w) + " ",
            (word, "bold $warning"),
            (bar, style),
            f" {percent:3.0f} %",
        )


def _relabel(label: Static, content: Content) -> None:
    """New words for a label: the screen is laid out again only if they take
    another number of lines. A raised hand changes who is next, and laying
    out the whole screen for it took most of such a key's time."""
    width = label.content_region.width
    lines = len(content.wrap(width)) if width > 0 else -1
    label.update(content, layout=lines != label.content_region.height)


class BigSpeakerPanel(Vertical):
    """From 120×40 up, beside the countdown: `Speaking: NAME`, the turn in big
    digits, and `Next: NAME` below; the timer-only view keeps it too."""

    def compose(self) -> ComposeResult:
        yield Static(id="speaker-name", markup=False)
        yield BigCountdown(id="turn-digits")
        yield Static(id="turn-words", markup=False)
        yield Static(id="next-speaker", markup=False)

    _shown = SpeakerRow("?", "?", "?", False, "?")

    def show(self, row: SpeakerRow) -> None:
        # Twice a second: only the digits change while a turn runs, and they
        # repaint without laying the screen out again.
        old, self._shown = self._shown, row
        if row.name != old.name:
            name = row.name or "nobody"
            style = "bold" if row.name else "bold $text-muted"
            _relabel(
                self.query_one("#speaker-name", Static),
                Content.assemble(("Speaking: ", "bold"), (name, style)),
            )
        if row.timer != old.timer:
            self.query_one("#turn-digits", BigCountdown).text = row.timer
        if row.words != old.words:
            _relabel(self.query_one("#turn-words", Static), Content(row.words))
        if row.over != old.over:
            self.set_class(row.over, "-over")
        if row.next != old.next:
            _relabel(
                self.query_one("#next-speaker", Static),
                Content.assemble(("Next: ", "bold"), (row.next, "bold")),
            )
