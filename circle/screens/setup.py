"""Setup: today's session in a minute. Agenda, title, series, people, Start.

Everything is checked as it is typed; Start stays disabled until the form is
valid. A title or series that matches an existing series pre-fills the roster
and says what the previous session hands over (open action items, parked
questions); the series' stage suggests a bundled agenda, chosen for the user
until they pick one themselves.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from circle.agendafiles.parser import AgendaError, bundled_templates, load_agenda_file
from circle.agendafiles.parser import format_total_min as total_min
from circle.domain.agenda import Agenda
from circle.domain.carry import SeriesCarry
from circle.domain.errors import CircleError
from circle.domain.goals import INITIATION, suggested_agenda
from circle.domain.present import plural
from circle.domain.roster import (
    MAX_MENTEES,
    MAX_MENTORS,
    MIN_MENTEES,
    MIN_MENTORS,
    check_roster,
)
from circle.domain.series import series_key, series_name
from circle.domain.text import clean_name
from circle.runtime import LiveRun, series_carry_over
from circle.screens.setup_form import (
    AbsentToggle,
    Check,
    carry_over_text,
    check_form,
    stage_hint,
    template_label,
)
from circle.storage import Store

DEFAULT_TEMPLATE = "group-circle"
ROLES = (("mentor", MAX_MENTORS), ("mentee", MAX_MENTEES))


class SetupScreen(Screen[LiveRun | None]):
    """Dismissed with the session it started, or None when left with escape."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="setup.back"),
        Binding("ctrl+s", "start", "Start", priority=True, id="setup.start"),
    ]

    def __init__(self, store: Store, sessions: list[dict]) -> None:
        """`sessions`: the index as the home screen read it (its series are suggested)."""
        super().__init__()
        self.store = store
        self._sessions = sessions
        self.templates: dict[str, Agenda] = {}
        self.template_error = ""
        self.agenda: Agenda | None = None
        self.carry: SeriesCarry | None = None
        self.check = Check()
        self._series: list[str] = []
        self._carry_cache: dict[str, SeriesCarry | None] = {}
        self._applied_key: str | None = None
        self._prefilled: set[str] = set()
        self._roster_touched = False
        # Set once the user picks an agenda: the series' suggestion never overrides it.
        self._agenda_chosen = False
        self._auto_template: str | None = None  # the template the form itself selected
        self._touched = False  # nothing typed yet: no problems shown, only Start disabled
        self._reading = ""  # the agenda file's path while a worker reads it

    # -- the form -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._load_choices()
        yield Header()
        with VerticalScroll(id="setup-form"):
            yield Label("Agenda", classes="setup-label")
            options = [(template_label(n, a), n) for n, a in self.templates.items()]
            first = DEFAULT_TEMPLATE if DEFAULT_TEMPLATE in self.templates else None
            self._auto_template = first or (options[0][1] if options else None)
            with Horizontal(id="agenda-row"):
                yield Select(
                    options,
                    value=first or (options[0][1] if options else Select.NULL),
                    allow_blank=not options,
                    prompt="No bundled templates",
                    id="agenda-template",
                )
                yield Input(
                    placeholder="…or the path of an agenda file",
                    id="agenda-file",
                )
            yield Static("", id="agenda-summary", markup=False)
            yield Static("", id="stage-hint", markup=False)
            yield Static("", id="agenda-intro", markup=False)
            yield Static("", id="agenda-error", markup=False)
            with Horizontal(id="names-row"):
                with Vertical(classes="setup-column"):
                    yield Label("Title", classes="setup-label")
                    yield Input(
                        placeholder="e.g. Tuesday circle",
                        id="title",
                        max_length=120,
                        suggester=SuggestFromList(self._series, case_sensitive=False),
                    )
                with Vertical(classes="setup-column"):
                    yield Label("Series (default: the title)", classes="setup-label")
                    yield Input(
                        placeholder="the series this session belongs to",
                        id="series",
                        max_length=120,
                        suggester=SuggestFromList(self._series, case_sensitive=False),
                    )
            yield Static("", id="carry-over", markup=False)
            with Horizontal(id="people-row"):
                for role, slots in ROLES:
                    low, high = (MIN_MENTORS, slots) if role == "mentor" else (MIN_MENTEES, slots)
                    with Vertical(classes="setup-column", id=f"{role}s"):
                        span = f"{low} or {high}" if high - low == 1 else f"{low} to {high}"
                        yield Label(f"{role.capitalize()}s ({span})", classes="setup-label")
                        for index in range(1, slots + 1):
                            with Horizontal(classes="person-row"):
                                yield Input(
                                    placeholder=self._person_placeholder(role, index),
                                    id=f"{role}-{index}",
                                    max_length=60,
                                    compact=True,
                                )
                                yield AbsentToggle(id=f"{role}-{index}-absent")
            yield Static("", id="problems", markup=False)
            with Horizontal(id="setup-buttons"):
                yield Button("Start (ctrl+s)", id="start", variant="success", disabled=True)
                yield Button("Back (esc)", id="back")
        yield Footer()

    @staticmethod
    def _person_placeholder(role: str, index: int) -> str:
        required = MIN_MENTORS if role == "mentor" else MIN_MENTEES
        return f"{role} {index}" + ("" if index <= required else " (optional)")

    def _load_choices(self) -> None:
        try:
            self.templates = dict(bundled_templates())
        except AgendaError as exc:  # a broken install; a file still works
            self.template_error = str(exc)
        names = [s.get("series") or s.get("title") or "" for s in self._sessions]
        for name in names:
            if name and series_key(name) not in {series_key(s) for s in self._series}:
                self._series.append(name)

    def on_mount(self) -> None:
        self.sub_title = "New session"
        self._update_agenda()
        self._revalidate()
        self.query_one("#title", Input).focus()

    # -- reading the form -----------------------------------------------------
    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def slots(self, role: str) -> list[str]:
        count = dict(ROLES)[role]
        return [self.value(f"{role}-{i}") for i in range(1, count + 1)]

    def absent(self) -> list[str]:
        names = []
        for role, count in ROLES:
            for index in range(1, count + 1):
                name = clean_name(self.value(f"{role}-{index}"))
                if name and self.query_one(f"#{role}-{index}-absent", AbsentToggle).absent:
                    names.append(name)
        return names

    def absent_slots(self) -> frozenset[str]:
        return frozenset(
            f"{role}-{index}"
            for role, count in ROLES
            for index in range(1, count + 1)
            if self.query_one(f"#{role}-{index}-absent", AbsentToggle).absent
        )

    @property
    def focus_chain(self) -> list[Widget]:
        """Tab goes through the names in order, the here/absent toggles after them."""
        chain = super().focus_chain
        toggles = [w for w in chain if isinstance(w, AbsentToggle)]
        rest = [w for w in chain if not isinstance(w, AbsentToggle)]
        names = [i for i, w in enumerate(rest) if (w.id or "").startswith(("mentor-", "mentee-"))]
        at = names[-1] + 1 if names else len(rest)
        return rest[:at] + toggles + rest[at:]

    @property
    def valid(self) -> bool:
        return self.agenda is not None and not self.check.messages

    # -- reacting to typing ---------------------------------------------------
    @on(Select.Changed, "#agenda-template")
    def _template_changed(self, event: Select.Changed) -> None:
        # The list announces its first value too: only another one is a choice.
        if event.value != self._auto_template:
            self._agenda_chosen = True
        self._update_agenda()
        self._revalidate()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        widget_id = event.input.id or ""
        if widget_id == "agenda-file":
            self._agenda_chosen = True
            self._update_agenda()
        elif widget_id in ("title", "series"):
            self._update_series()
        elif widget_id.startswith(("mentor-", "mentee-")):
            self._roster_touched = True
            self._prefilled.discard(widget_id)
        self._touched = True
        self._revalidate()

    @on(AbsentToggle.Changed)
    def _absent_changed(self) -> None:
        self._touched = True
        self._revalidate()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """enter: on to the next field (Start is ctrl+s, so enter never starts early)."""
        event.stop()
        self.focus_next(Input)

    def _update_agenda(self) -> None:
        path = self.value("agenda-file").strip()
        self._reading = path
        if path:
            # Each keystroke of the path asks again; the disk (and a first parse,
            # which loads the Markdown parser) is read off the UI's loop.
            self.agenda = None
            self._say("agenda-error", "")
            self.set_class(False, "-agenda-error")
            self._say("agenda-summary", "Reading the file…")
            self._say("agenda-intro", "")
            self._read_agenda_file(path)
            return
        chosen = self.query_one("#agenda-template", Select).value
        self.agenda = self.templates.get(str(chosen)) if chosen != Select.NULL else None
        error = ""
        if self.agenda is None:
            error = self.template_error or "Choose a template or give an agenda file"
        self._show_agenda(error, from_file=False)

    @work(thread=True, exclusive=True, group="agenda-file")
    def _read_agenda_file(self, path: str) -> None:
        try:
            agenda, error = load_agenda_file(Path(path).expanduser()), ""
        except AgendaError as exc:
            agenda, error = None, str(exc)
        self.app.call_from_thread(self._agenda_read, path, agenda, error)

    def _agenda_read(self, path: str, agenda: Agenda | None, error: str) -> None:
        if path != self._reading or not self.is_attached:
            return  # the path was typed on meanwhile (its own read follows), or the form left
        self._reading = ""
        self.agenda = agenda
        self._show_agenda(error, from_file=True)
        self._revalidate()

    def _show_agenda(self, error: str, from_file: bool) -> None:
        """The agenda's problem, or its summary and intro."""
        self._say("agenda-error", error)
        self.set_class(bool(error), "-agenda-error")
        summary = ""
        if self.agenda is not None:
            agenda = self.agenda
            items = plural(len(agenda.items), "item")
            summary = f"{agenda.title}: {items}, {total_min(agenda.total_s)} min"
            if from_file:
                summary = f"From the file: {summary}"
        self._say("agenda-summary", summary)
        # What the agenda says it is for, as its author wrote it (text, not markup).
        self._say("agenda-intro", " ".join((self.agenda.intro if self.agenda else "").split()))

    def _say(self, widget_id: str, text: str) -> None:
        """Show typed or derived text as it is (never markup); hide the line when empty."""
        widget = self.query_one(f"#{widget_id}", Static)
        widget.update(Content(text))
        widget.set_class(not text, "-empty")

    def _update_series(self) -> None:
        key = series_name(self.value("title"), self.value("series"))
        folded = series_key(key)
        if folded == self._applied_key:
            return
        self._applied_key = folded
        known = bool(key) and folded in {series_key(s) for s in self._series}
        if not known or folded in self._carry_cache:
            self._apply_series(key, self._carry_cache.get(folded))
            return
        self._say("carry-over", f"Series '{key}': reading last time…")
        self._read_carry(key)

    @work(thread=True, exclusive=True, group="carry-over")
    def _read_carry(self, key: str) -> None:
        """Last time's roster, items and goals: read off the UI's loop, as typing goes on."""
        try:
            carry = series_carry_over(self.store, key)
        except CircleError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Series", severity="error", markup=False
            )
            carry = None
        self.app.call_from_thread(self._carry_read, key, carry)

    def _carry_read(self, key: str, carry: SeriesCarry | None) -> None:
        self._carry_cache[series_key(key)] = carry
        if series_key(key) == self._applied_key:  # not typed past it meanwhile
            self._apply_series(key, carry)
            self._revalidate()  # the roster it filled in may complete the form

    def _apply_series(self, key: str, carry: SeriesCarry | None) -> None:
        self.carry = carry
        self._prefill(carry)
        self._suggest_agenda(key)
        line = ""
        if carry is not None:
            line = f"Series '{key}': the roster comes from last time.\n" + carry_over_text(carry)
        self._say("carry-over", line)

    def _suggest_agenda(self, series: str) -> None:
        """The agenda the series' stage suggests, selected unless the user has
        chosen one; a new series starts in initiation."""
        stage = self.carry.stage if self.carry is not None and self.carry.stage else INITIATION
        self._say("stage-hint", stage_hint(stage, self.carry is None) if series else "")
        if self._agenda_chosen:
            return
        wanted = suggested_agenda(stage) if series else None
        if wanted not in self.templates:
            wanted = DEFAULT_TEMPLATE if DEFAULT_TEMPLATE in self.templates else None
        select = self.query_one("#agenda-template", Select)
        if wanted is not None and select.value != wanted:
            self._auto_template = wanted  # the suggestion is not the user's choice
            select.value = wanted

    def _prefill(self, carry: SeriesCarry | None) -> None:
        """Names from the series: into empty fields, or all of them while the
        roster is untouched (a previous pre-fill is replaced or cleared)."""
        for role, count in ROLES:
            names = (carry.mentors if role == "mentor" else carry.mentees) if carry else []
            for index in range(1, count + 1):
                slot = f"{role}-{index}"
                widget = self.query_one(f"#{slot}", Input)
                name = names[index - 1] if index <= len(names) else ""
                replace = not self._roster_touched and (slot in self._prefilled or not widget.value)
                if (name and not widget.value) or replace:
                    with widget.prevent(Input.Changed):
                        widget.value = name
                    self._prefilled.discard(slot)
                    if name:
                        self._prefilled.add(slot)

    def _revalidate(self) -> None:
        """Check the form; say what is wrong once something has been typed (a
        form nobody has touched yet is not wrong, only not ready)."""
        self.check = check_form(
            self.value("title"), self.slots("mentor"), self.slots("mentee"), self.absent_slots()
        )
        shown = self._touched
        for role, count in ROLES:
            for index in range(1, count + 1):
                slot = f"{role}-{index}"
                bad = shown and slot in self.check.fields
                self.query_one(f"#{slot}", Input).set_class(bad, "-invalid")
        title_bad = "title" in self.check.fields and bool(self.value("title"))
        self.query_one("#title", Input).set_class(title_bad, "-invalid")
        lines = [f"• {message}" for message in self.check.messages] if shown else []
        if self._reading:
            lines.insert(0, "• The agenda file is still being read")
        elif self.agenda is None:
            lines.insert(0, "• The agenda has problems (see above)")
        self._say("problems", "\n".join(lines))
        self.query_one("#start", Button).disabled = not self.valid

    # -- actions --------------------------------------------------------------
    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_start(self) -> None:
        self._touched = True
        self._revalidate()
        if not self.valid or self.agenda is None:
            first = self.check.messages[:1] or ["Fix the agenda first"]
            self.notify(f"Can't start yet: {first[0]}", severity="warning", markup=False)
            return
        filled = {role: [v for v in self.slots(role) if v] for role, _ in ROLES}
        self.query_one("#start", Button).disabled = True  # one session per press
        series = self.value("series").strip() or None
        self._start(self.value("title"), self.agenda, filled, series, tuple(self.absent()))

    @work(thread=True, exclusive=True, group="start")
    def _start(
        self,
        title: str,
        agenda: Agenda,
        filled: dict[str, list[str]],
        series: str | None,
        absent: tuple[str, ...],
    ) -> None:
        """Create and save the session off the UI's loop (the form was read on
        it, before); home runs it."""
        from circle.domain.clock import SystemClock

        try:
            mentors, mentees = check_roster(filled["mentor"], filled["mentee"])
            run = LiveRun.start_new(
                self.store,
                SystemClock(),
                title=title,
                agenda=agenda,
                mentors=mentors,
                mentees=mentees,
                series=series,
                absent=absent,
            )
        except CircleError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        self.app.call_from_thread(self.dismiss, run)

    def _refused(self, message: str) -> None:
        self.notify(message, title="Can't start", severity="error", markup=False)
        self.query_one("#start", Button).disabled = not self.valid
