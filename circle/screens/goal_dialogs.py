"""Dialogs for a mentoring relationship: a new goal, a goal's update, and one choice of a list.

Each returns its answer through `dismiss` (None on escape), like the dialogs
of `circle.screens.dialogs`. Names and goal texts are typed text: they go on
screen as `Content`, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from circle.domain.goals import (
    GOAL_STATUSES,
    HABIT,
    HORIZON_SPANS,
    HORIZONS,
    MAX_GOAL_TEXT,
    MAX_NOTE,
)
from circle.screens.dialogs import _Dialog

T = TypeVar("T")


@dataclass(frozen=True)
class GoalInput:
    text: str
    owner: str
    horizon: str
    due: str


@dataclass(frozen=True)
class GoalUpdate:
    status: str
    note: str


def horizon_words(horizon: str) -> str:
    """'habit (4–8 weeks)': the span says what the name means."""
    return f"{horizon} ({HORIZON_SPANS[horizon]})"


class GoalDialog(_Dialog):
    """`g`: a goal for a mentee, in one of three horizons, with an optional due date."""

    TITLE_TEXT = "New goal"
    HAS_LISTS = True
    # Owner and horizon side by side: the whole form, its error and its hint
    # fit on an 80×24 terminal.
    CSS = """
    GoalDialog .goal-lists { height: auto; }
    GoalDialog .goal-lists > Vertical { width: 1fr; height: auto; }
    GoalDialog #owner-column { margin-right: 2; }
    GoalDialog #due { margin-bottom: 0; }
    """

    def __init__(self, mentees: Sequence[str], default_owner: str) -> None:
        super().__init__()
        self.mentees, self.default_owner = list(mentees), default_owner

    def fields(self) -> ComposeResult:
        yield Input(
            placeholder="The goal, specific and measurable", id="text", max_length=MAX_GOAL_TEXT
        )
        with Horizontal(classes="goal-lists"):
            with Vertical(id="owner-column"):
                yield Label("Owner")
                owners = [(Content(m), m) for m in self.mentees]
                yield Select(owners, value=self.default_owner, allow_blank=False, id="owner")
            with Vertical():
                yield Label("Horizon")
                horizons = [(horizon_words(h), h) for h in HORIZONS]
                yield Select(horizons, value=HABIT, allow_blank=False, id="horizon")
        yield Input(placeholder="Due (optional), YYYY-MM-DD", id="due", max_length=10)

    def submit(self) -> None:
        text = self.text_of("text")
        if not text:
            self.show_error("A goal needs its text")
            return
        due = self.due_or_error()
        if due is None:
            return
        owner = str(self.query_one("#owner", Select).value)
        horizon = str(self.query_one("#horizon", Select).value)
        self.dismiss(GoalInput(text, owner, horizon, due))


class GoalUpdateDialog(_Dialog):
    """The palette's "Update goal": a new status, and what was said about it."""

    TITLE_TEXT = "Update goal"
    HAS_LISTS = True

    def __init__(self, goal_words: str, status: str) -> None:
        super().__init__()
        self.goal_words, self.status = goal_words, status

    def fields(self) -> ComposeResult:
        yield Static(Content(self.goal_words), id="goal-words")
        yield Label("Status")
        statuses = [(s, s) for s in GOAL_STATUSES]
        yield Select(statuses, value=self.status, allow_blank=False, id="status")
        placeholder = f"Note (optional): what moved, what is next (up to {MAX_NOTE} characters)"
        yield Input(placeholder=placeholder, id="note", max_length=MAX_NOTE)

    def hint(self) -> str:
        return "enter: save · escape: cancel · space: open the list"

    def submit(self) -> None:
        status = str(self.query_one("#status", Select).value)
        note = self.text_of("note")
        if status == self.status and not note:
            self.show_error("Nothing changed: choose another status or write a note")
            return
        self.dismiss(GoalUpdate(status, note))


class ChoiceDialog(ModalScreen[T | None], Generic[T]):
    """One choice from a short list: up/down to it, enter takes it, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]

    def __init__(
        self, title: str, choices: Sequence[tuple[Content | str, T]], current: int = 0
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            options = [Option(Content(p) if isinstance(p, str) else p) for p, _ in self.choices]
            yield OptionList(*options, id="choices")
            yield Label("up/down: move · enter: choose · escape: cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = self.current
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.is_current:
            self.dismiss(self.choices[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
