"""Projected building blocks: each owns its rendering and is fed plain data.

State is pushed down through reactives holding immutable tuples, so a widget
repaints only when what it shows has changed. Text people typed goes through
`Content(text)` / `Content.assemble`, never through markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from circle.widgets.bigdigits import BigCountdown

AGENDA_MARKS = {
    "done": ("✓", "$text-muted"),
    "missed": ("·", "$text-muted"),
    "current": ("▶", "bold $accent"),
    "next": ("›", "bold"),
    "upcoming": (" ", ""),
    "skipped": ("✗", "strike $text-muted"),
}


class TopBar(Widget):
    """Session title on the left; wall clock, forecast end and join code on the right."""

    info: reactive[tuple] = reactive((), layout=False)

    def render(self) -> Content:
        if not self.info:
            return Content("")
        title, right = self.info
        width = self.size.width
        gap = max(1, width - len(title) - len(right) - 2)
        return Content.assemble((f" {title}", "bold"), " " * gap, (right + " ", ""))


class AgendaPanel(Widget):
    """The agenda with done / current / next, planned versus actual."""

    rows: reactive[tuple] = reactive(())

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

    _shown: tuple[str, str, str, str] | None = None

    def show(self, title: str, digits: str, words: str, state: str) -> None:
        # Called twice a second: touch only what changed, so a tick repaints
        # the digits and never lays the screen out again.
        if self._shown == (title, digits, words, state):
            return
        old = self._shown or ("", "", "", "")
        self._shown = (title, digits, words, state)
        if title != old[0]:
            self.query_one("#item-title", Static).update(Content(title))
        self.query_one(BigCountdown).text = digits
        if words != old[2]:
            self.query_one("#state-words", Static).update(Content(words))
        if state != old[3]:
            for name in ("-ok", "-warning", "-over", "-paused"):
                self.set_class(name == state, name)


class SpeakerPanel(Widget):
    """Who is speaking now, and under it the turn timer (with a round's budget)."""

    turn: reactive[tuple] = reactive(())

    def watch_turn(self, old: tuple, new: tuple) -> None:
        # The timer changes every second; the layout only when a line comes or goes.
        if self._lines(old) != self._lines(new):
            self.refresh(layout=True)

    @staticmethod
    def _lines(turn: tuple) -> int:
        return 1 if not turn else 3 if turn[2] else 2

    def render(self) -> Content:
        if not self.turn:
            return Content.assemble(("Speaking: ", "bold"), ("nobody", "$text-muted"))
        name, timer, over = self.turn
        return Content.assemble(
            ("Speaking: ", "bold"),
            (name, "bold"),
            "\n",
            (timer, "bold $error" if over else "bold"),
            ("\nOVER BUDGET" if over else "", "bold $error"),
        )


class QueuePanel(Widget):
    """Raised hands in order, next first; "new" marks who has not spoken yet."""

    entries: reactive[tuple] = reactive((), layout=True)  # height: auto must grow

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

    shares: reactive[tuple] = reactive(())

    def render(self) -> Content:
        lines = []
        name_w = max((len(s[0]) for s in self.shares), default=4)
        name_w = min(name_w, 14)
        bar_w = max(4, self.size.width - name_w - 8)
        from circle.domain.present import share_bar

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


class NotesPanel(Vertical):
    """The current item's notes, then its takeaways (or, at close, the action items)."""

    def compose(self) -> ComposeResult:
        # The takeaways (or, at close, the action items) stay in view under
        # the notes; when room runs out, the notes give way.
        yield Static(id="notes-text", markup=False)
        yield Static(id="notes-extra", markup=False)

    _shown: tuple | None = None

    def show(self, notes: Content, heading: str, extra: tuple[Content, ...]) -> None:
        if self._shown == (notes, heading, extra):
            return
        self._shown = (notes, heading, extra)
        self.query_one("#notes-text", Static).update(notes)
        body = [Content.styled(heading, "bold")] if heading else []
        self.query_one("#notes-extra", Static).update(Content("\n").join([*body, *extra]))
