"""The command palette (ctrl+p): every key's action, plus what has no key.

Attendance, agenda edits, queue policy, moderation, the second mentor's
turn, flash settings, the join card, goals, action-item states and the
relationship's stage live here. Each command is built fresh from the
session, so the list always names the people and items of the moment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from circle.domain.board import Question
from circle.domain.durations import duration_text
from circle.domain.present import HIDDEN_TEXT
from circle.domain.roster import STATUSES
from circle.domain.session import Session
from circle.domain.speakers import POLICIES
from circle.screens.commands import LIVE_COMMANDS
from circle.screens.live_controls import LiveControls
from circle.screens.messages import JoinCardRequested
from circle.screens.palette_goals import relationship_commands
from circle.screens.status import LiveStatus
from circle.screens.themes import THEMES

Command = tuple[str, str, Callable[[], object]]


@runtime_checkable
class HasControls(Protocol):
    """The screen offering these commands (the live screen), with what changes its session."""

    controls: LiveControls


@runtime_checkable
class HasJoinPage(Protocol):
    """The live screen: whether the join page is open, and how to close it."""

    status: LiveStatus

    def close_join_page(self) -> None: ...


def live_commands(controls: LiveControls) -> Iterator[Command]:
    """Every command of the moment: (title, help, what it runs)."""
    screen = controls.screen
    for command in LIVE_COMMANDS:
        run_key = partial(screen.run_action, command.action)
        yield command.description, f"key {command.key}", run_key
    yield from _people_commands(controls)
    yield from _agenda_commands(controls)
    yield from _board_commands(controls)
    yield from _flash_commands(controls)
    yield from relationship_commands(controls)
    yield from _theme_commands(controls)


ATTENDANCE = {"present": "is here", "late": "is late", "left": "has left", "absent": "is absent"}


def _people_commands(controls: LiveControls) -> Iterator[Command]:
    session = controls.session
    roster = session.roster
    for index, mentor in enumerate(roster.mentors):
        yield (
            f"Mentor speaks now: {mentor}",
            "a mentee's turn pauses; d or 0 gives it back",
            partial(controls.act, partial(session.mentor_turn, index)),
        )
    for person in roster.people:
        if session.queue.waits_in_round(person):
            yield (
                f"Skip in this round: {person}",
                "out of the round's queue (u undoes it)",
                partial(controls.act, partial(session.skip_in_round, person)),
            )
    for person in roster.people:
        now = ATTENDANCE[roster.status(person)]
        for status in STATUSES:
            if status != roster.status(person):
                yield (
                    f"Attendance: {person} {ATTENDANCE[status]}",
                    f"now {now}",
                    partial(controls.act, partial(session.set_attendance, person, status)),
                )
    for policy, label in POLICIES.items():
        if policy != session.queue.policy:
            yield (
                f"Queue policy: {label}",
                "running turns keep their time",
                partial(controls.act, partial(session.set_policy, policy)),
            )
    for name in sorted(session.name_owner):
        yield (
            f"Release name: {name}",
            "another phone may then use it",
            partial(controls.act, partial(session.release_name, name)),
        )


def _theme_commands(controls: LiveControls) -> Iterator[Command]:
    """The projector themes by name; Textual's "Theme" command lists every other."""
    app = controls.screen.app
    for theme in THEMES:
        if theme.name != app.theme:
            words = "light on black" if theme.dark else "dark on white, for a washed-out projector"

            def choose(name: str = theme.name) -> None:
                app.theme = name

            yield f"Theme: {theme.name}", f"{words}; remembered for the next start", choose


def _agenda_commands(controls: LiveControls) -> Iterator[Command]:
    from circle.screens.dialogs import MinutesDialog
    from circle.screens.insert import InsertItemDialog

    session = controls.session
    timer = session.timer_()
    for item in timer.items[timer.current :]:
        if item.skipped:
            continue
        yield (
            f"Skip item: {item.title}",
            "the forecast adjusts",
            partial(controls.act, partial(session.skip_item, item.id)),
        )

        def set_time(
            item_id: int = item.id, title: str = item.title, now: float = item.planned_s
        ) -> None:
            dialog = MinutesDialog(f"Planned time of “{title}” in minutes", now / 60)
            controls.ask(dialog, partial(session.set_planned, item_id))

        now_words = f"now {duration_text(item.planned_s)}"
        yield f"Change planned time: {item.title}", now_words, set_time
    for item in timer.upcoming():
        yield (
            f"Move item up: {item.title}",
            "",
            partial(controls.act, partial(session.move_item, item.id, -1)),
        )
        yield (
            f"Move item down: {item.title}",
            "",
            partial(controls.act, partial(session.move_item, item.id, 1)),
        )

    def insert() -> None:
        controls.ask(InsertItemDialog(), lambda chosen: session.insert_item(*chosen))

    yield "Insert an agenda item", "after the current one", insert


def _board_commands(controls: LiveControls) -> Iterator[Command]:
    session = controls.session
    on = session.board.moderated
    yield (
        "Approve phone questions: " + ("turn off" if on else "turn on"),
        "phone questions wait for approval" if not on else "phone questions go straight up",
        partial(controls.act, partial(session.set_moderation, not on)),
    )
    for question in session.board.pending():
        words = _question_words(session, question)
        yield (
            f"Approve question{words}",
            "from a phone",
            partial(controls.act, partial(session.approve_question, question.id)),
        )
        yield (
            f"Hide waiting question{words}",
            "from a phone",
            partial(controls.act, partial(session.hide_question, question.id)),
        )
    for question in session.board.hidden():
        yield (
            f"Unhide question{_question_words(session, question)}",
            "hidden by moderation",
            partial(controls.act, partial(session.unhide_question, question.id)),
        )
    yield (
        "Show the join card",
        "code, address and QR code",
        partial(controls.screen.post_message, JoinCardRequested()),
    )
    screen = controls.screen
    if isinstance(screen, HasJoinPage) and screen.status.join is not None:
        yield "Close the join page", "asks first: phones lose the page", screen.close_join_page


def _question_words(session: Session, question: Question) -> str:
    """': TEXT', or behind the blind (the palette may be projected) its number only."""
    if session.blind:
        return f" #{question.id} {HIDDEN_TEXT}"
    return f": {question.text[:60]}"


def _flash_commands(controls: LiveControls) -> Iterator[Command]:
    from circle.screens.dialogs import MinutesDialog

    session = controls.session
    order = session.flash_mentees()
    for index, person in enumerate(order):
        rest = [p for p in order if p != person]
        yield (
            f"Flash: skip {person}",
            "not in the next flash round",
            partial(controls.act, partial(session.set_flash_settings, order=rest or order)),
        )
        if index > 0:
            moved = order[: index - 1] + [person, order[index - 1]] + order[index + 1 :]
            yield (
                f"Flash: move {person} earlier",
                "in the next flash round",
                partial(controls.act, partial(session.set_flash_settings, order=moved)),
            )
    yield (
        "Flash: use the whole roster order again",
        "every present mentee",
        partial(controls.act, partial(session.set_flash_settings, order=[])),
    )

    def changeover() -> None:
        dialog = MinutesDialog(
            "Changeover between flash slots: minutes, or m:ss such as 0:30",
            session.changeover_s / 60,
            low=0,
            high=10,
        )
        controls.ask(dialog, lambda seconds: session.set_flash_settings(changeover_s=seconds))

    yield "Flash: changeover time", f"now {duration_text(session.changeover_s)}", changeover


class LiveCommands(Provider):
    """Offers the live screen's commands while it is the active screen."""

    def _commands(self) -> list[Command]:
        screen = self.screen
        if not isinstance(screen, HasControls):
            return []
        return list(live_commands(screen.controls))

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(matcher, query, name), callback, name, help_text)


def _highlight(matcher: Matcher, query: str, name: str) -> Content:
    """Matcher.highlight parses its text as markup; names and questions are data."""
    content = Content(name)
    _, offsets = matcher.fuzzy_search.match(query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize("bold reverse", offset, offset + 1)
    return content
