"""The setup form's pieces: its words for agendas and carry-over, its checks,
the stage's hint, and the here/absent toggle of each name.

`check_form` words every problem of the form at once, as `circle new` would;
`AbsentToggle` says in words whether someone is here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from circle.agendafiles.parser import format_total_min as total_min
from circle.domain.agenda import Agenda
from circle.domain.carry import SeriesCarry
from circle.domain.goals import suggested_agenda
from circle.domain.present import plural
from circle.domain.roster import NO_PRESENT_MENTOR, roster_problems


def template_label(name: str, agenda: Agenda) -> str:
    """What the agenda list shows: "group-circle — Group mentoring circle (60 min)"."""
    return f"{name} — {agenda.title} ({total_min(agenda.total_s)} min)"


def carry_over_text(carry: SeriesCarry) -> str:
    actions = plural(len(carry.actions), "open action item")
    questions = plural(len(carry.questions), "parked question")
    goals = plural(len(carry.goals), "goal")
    return f"Carried over from last time: {actions}, {questions}, {goals}"


@dataclass
class Check:
    """The form's problems: messages in order, and the fields to mark."""

    messages: list[str] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)

    def add(self, message: str, *fields: str) -> None:
        self.messages.append(message)
        self.fields.update(fields)




def check_form(
    title: str, mentors: list[str], mentees: list[str], absent: frozenset[str] = frozenset()
) -> Check:
    """Every problem at once, worded like `circle new`: the domain's roster rule.

    `mentors` and `mentees` are the raw fields, empty ones included: an empty
    field is an unused slot, a field of only spaces is "an empty name".
    `absent` holds the slots marked absent ("mentor-1").
    """
    check = Check()
    if not " ".join(title.split()):
        check.add("A session needs a title", "title")
    for problem in roster_problems(_slots(mentors), _slots(mentees)):
        check.add(problem.message, *problem.slots)
    named = [f"mentor-{i}" for i, name in enumerate(mentors, 1) if name.strip()]
    if named and all(slot in absent for slot in named):
        check.add(NO_PRESENT_MENTOR, *named)
    return check


def stage_hint(stage: str, new_series: bool) -> str:
    """One line on what the series' stage suggests for its next session."""
    suggested = suggested_agenda(stage)
    start = f"New series: starts in {stage}" if new_series else f"Stage: {stage}"
    return f"{start} — suggested agenda: {suggested}" if suggested else start


class AbsentToggle(Static, can_focus=True):
    """Whether someone is here, in words: "here" or "ABSENT". Space, enter or a
    click changes it. Tab reaches the toggles only after every name (see
    `SetupScreen.focus_chain`), so a space typed in a name never ticks one."""

    BINDINGS = [Binding("space,enter", "toggle", "Here / absent", id="setup.toggle_absent")]

    absent: reactive[bool] = reactive(False, init=False)

    class Changed(Message):
        def __init__(self, toggle: AbsentToggle) -> None:
            super().__init__()
            self.toggle = toggle

    def render(self) -> Content:
        if self.absent:
            return Content.styled(" ABSENT ", "bold reverse $warning")
        return Content.styled("  here  ", "$text-muted")

    def watch_absent(self) -> None:
        self.post_message(self.Changed(self))

    def action_toggle(self) -> None:
        self.absent = not self.absent

    def on_click(self) -> None:
        self.absent = not self.absent


def _slots(fields: list[str]) -> list[str | None]:
    """A form's name fields as the roster rule reads them: None for an unused one."""
    return [text or None for text in fields]
