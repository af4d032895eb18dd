"""Modal dialogs: each returns its result through `dismiss` (None on escape)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from circle.domain.errors import DomainError
from circle.domain.goals import check_due

ANONYMOUS = "__anonymous__"


@dataclass(frozen=True)
class QuestionInput:
    text: str
    asker: str | None


@dataclass(frozen=True)
class ActionInput:
    text: str
    owner: str | None
    due: str


class _Dialog(ModalScreen):
    """A titled form; `enter` on any field submits, `escape` cancels.

    A closed list (an "Asked by" or "Owner" Select) would open again on
    `enter`; here `enter` submits the form and space or up/down open the
    list. Once open, the list takes `enter` to choose.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("enter", "submit_on_list", "Add", show=False, priority=True, id="dialog.submit"),
    ]
    TITLE_TEXT = ""
    HAS_LISTS = False  # a Select among the fields: the hint says how to open it

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.TITLE_TEXT), classes="dialog-title")
            yield from self.fields()
            yield Static("", id="dialog-error", markup=False)
            yield Label(self.hint(), classes="dialog-hint")

    def fields(self) -> ComposeResult:
        yield from ()

    def hint(self) -> str:
        lists = " · space: open a list" if self.HAS_LISTS else ""
        return f"enter: add · escape: cancel{lists}"

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit_on_list(self) -> None:
        """`enter` on a closed list submits; anywhere else it does what it does there
        (an Input submits through its own `enter`, an open list chooses)."""
        if not isinstance(self.focused, Select) or self.focused.expanded:
            raise SkipAction()
        if self.is_current:
            self.submit()

    def show_error(self, message: str) -> None:
        self.query_one("#dialog-error", Static).update(Content(message))

    def due_or_error(self) -> str | None:
        """The `#due` field as a real date ("" when empty), or None after
        saying what is wrong there: a date people misread ("Friday",
        "2026-02-30") is refused while it can still be corrected, not after
        the dialog has closed with everything typed."""
        try:
            return check_due(self.text_of("due"))
        except DomainError as exc:
            self.show_error(str(exc))
            self.query_one("#due", Input).focus()
            return None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        # A second enter can be queued behind the first: once dismissed, this
        # dialog must not dismiss again (that would pop the screen beneath).
        if self.is_current:
            self.submit()

    def submit(self) -> None:
        raise NotImplementedError

    def text_of(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()


def _people_select(people: list[str], widget_id: str, first: str, value: str) -> Select:
    options = [(first, ANONYMOUS)] + [(Content(p), p) for p in people]
    return Select(options, value=value, allow_blank=False, id=widget_id)


class QuestionDialog(_Dialog):
    TITLE_TEXT = "New question"
    HAS_LISTS = True

    def __init__(self, people: list[str]) -> None:
        super().__init__()
        self.people = people

    def fields(self) -> ComposeResult:
        yield Input(placeholder="The question, as asked", id="text", max_length=280)
        yield Label("Asked by")
        yield _people_select(self.people, "asker", "anonymous", ANONYMOUS)

    def submit(self) -> None:
        text = self.text_of("text")
        if not text:
            self.show_error("A question can't be empty")
            return
        asker = self.query_one("#asker", Select).value
        self.dismiss(QuestionInput(text, None if asker == ANONYMOUS else str(asker)))


class ActionDialog(_Dialog):
    TITLE_TEXT = "New action item"
    HAS_LISTS = True

    def __init__(self, people: list[str], default_owner: str) -> None:
        super().__init__()
        self.people, self.default_owner = people, default_owner

    def fields(self) -> ComposeResult:
        yield Input(placeholder="What will be done", id="text", max_length=500)
        yield Label("Owner")
        # Nobody speaking: no owner unless one is chosen.
        owner = self.default_owner or ANONYMOUS
        yield _people_select(self.people, "owner", "(no owner)", owner)
        yield Input(placeholder="Due (optional), YYYY-MM-DD", id="due")

    def submit(self) -> None:
        text = self.text_of("text")
        if not text:
            self.show_error("An action item can't be empty")
            return
        due = self.due_or_error()
        if due is None:
            return
        owner = self.query_one("#owner", Select).value
        owner_name = None if owner == ANONYMOUS else str(owner)
        self.dismiss(ActionInput(text, owner_name, due))


class TextDialog(_Dialog):
    """One line of text: a takeaway, a flash topic, an item title..."""

    def __init__(self, title: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self.placeholder, self.value = placeholder, value

    def fields(self) -> ComposeResult:
        yield Input(value=self.value, placeholder=self.placeholder, id="text", max_length=500)

    def submit(self) -> None:
        text = self.text_of("text")
        if not text:
            self.show_error("Type something, or press escape")
            return
        self.dismiss(text)


def duration_field(minutes: float | None) -> str:
    """A duration as the field shows it: whole minutes ("20"), else m:ss ("4:48")."""
    if minutes is None:
        return ""
    seconds = round(minutes * 60)
    whole, rest = divmod(seconds, 60)
    return str(whole) if not rest else f"{whole}:{rest:02d}"


def parse_duration(typed: str) -> int | None:
    """Seconds from "20" (minutes), "4:48" (m:ss) or "4.8" (minutes); None if neither."""
    text = typed.strip()
    try:
        if ":" in text:
            minutes, _, seconds = text.partition(":")
            if not seconds.isdigit() or len(seconds) != 2 or int(seconds) >= 60:
                return None
            return int(minutes or "0") * 60 + int(seconds)
        return round(float(text) * 60)
    except ValueError:
        return None


class MinutesDialog(_Dialog):
    """A duration: minutes ("20") or minutes and seconds ("4:48"); never shown as a decimal."""

    def __init__(
        self,
        title: str,
        value: float | None = None,
        low: float = 1,
        high: float = 240,
        check: Callable[[int], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self.value = duration_field(value)
        self.low, self.high, self.check = low, high, check

    def fields(self) -> ComposeResult:
        yield Input(
            value=self.value, placeholder="minutes, or m:ss", id="text", restrict=r"[0-9.:]*"
        )

    def submit(self) -> None:
        seconds = parse_duration(self.text_of("text"))
        if seconds is None:
            self.show_error("Give the time in minutes, e.g. 20, or as m:ss, e.g. 4:30")
            return
        if not self.low * 60 <= seconds <= self.high * 60:
            low, high = duration_field(self.low), duration_field(self.high)
            self.show_error(f"Between {low} and {high} minutes")
            return
        refusal = self.check(seconds) if self.check else None
        if refusal:
            self.show_error(refusal)
            return
        self.dismiss(seconds)


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    ]

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self.question, self.yes = question, yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")
                yield Button("Cancel (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if self.is_current:
            self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        if self.is_current:
            self.dismiss(value)


class FlashNoteDialog(_Dialog):
    """The topic or takeaway of a flash slot (with two mentors: of one meeting)."""

    def __init__(self, field: str, meetings: list[str], current: list[str]) -> None:
        super().__init__()
        self.TITLE_TEXT = "Slot topic" if field == "topic" else "Slot takeaway"
        self.field, self.meetings, self.current = field, meetings, current
        self.HAS_LISTS = len(meetings) > 1

    def fields(self) -> ComposeResult:
        yield Input(
            value=self.current[0], placeholder=f"The {self.field}", id="text", max_length=500
        )
        if len(self.meetings) > 1:
            yield Label("Which meeting")
            options = [(Content(m), i) for i, m in enumerate(self.meetings)]
            yield Select(options, value=0, allow_blank=False, id="meeting")

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.query_one("#text", Input).value = self.current[event.value]

    def submit(self) -> None:
        text = self.text_of("text")
        if not text:
            self.show_error("Type something, or press escape")
            return
        meeting = self.query(Select).first().value if len(self.meetings) > 1 else 0
        self.dismiss((int(meeting), text))
