"""The palette's commands for the relationship: goals, action-item states, the stage.

Goals and action items are picked by their owner and text; behind the blind
(the palette may be projected) by their number only. A goal's progress, an
item's state and the stage may still be recorded after the session ended,
while the minutes are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.content import Content

from circle.domain.board import ActionItem
from circle.domain.goal_views import GoalRow
from circle.domain.goals import ACTION_STATUSES, STAGE_MEANINGS, STAGES
from circle.domain.present import HIDDEN_TEXT
from circle.domain.session import Session
from circle.screens.live_controls import LiveControls

Command = tuple[str, str, Callable[[], object]]
LABEL_CHARS = 60  # of a goal's or an item's text in a command's title
CURRENT = " (current)"  # beside the state a choice would keep


def goal_label(session: Session, goal: GoalRow) -> str:
    """'Mira: Run a 10k', or behind the blind its number only."""
    if session.blind:
        return f"#{goal.id} {HIDDEN_TEXT}"
    return f"{goal.owner}: {goal.text[:LABEL_CHARS]}"


def action_label(session: Session, action: ActionItem) -> str:
    if session.blind:
        return f"#{action.id} {HIDDEN_TEXT}"
    return f"{action.owner or 'no owner'}: {action.text[:LABEL_CHARS]}"


def _unless(current: str, change: Callable[[str], object]) -> Callable[[str], object]:
    """The change, unless the choice is what it already is: no event says nothing happened."""

    def changed(chosen: str) -> object:
        return None if chosen == current else change(chosen)

    return changed


def relationship_commands(controls: LiveControls) -> Iterator[Command]:
    yield from _goal_commands(controls)
    yield from action_item_commands(controls)
    yield _stage_command(controls)


def _goal_commands(controls: LiveControls) -> Iterator[Command]:
    from circle.screens.goal_dialogs import GoalUpdateDialog

    session = controls.session
    for goal in session.goal_rows():

        def update(goal: GoalRow = goal) -> None:
            words = f"{goal_label(session, goal)} · {goal.horizon} · now {goal.status}"
            dialog = GoalUpdateDialog(words, goal.status)
            change = partial(session.update_goal, goal.id)
            controls.ask(dialog, lambda u: change(u.status, u.note), after_end=True)

        carried = " · carried in" if goal.carried_in else ""
        yield f"Update goal: {goal_label(session, goal)}", f"now {goal.status}{carried}", update


def action_item_commands(controls: LiveControls) -> Iterator[Command]:
    """Any of the four states for an item (carried in or new); closing and
    reopening, the commonest changes, also in one step."""
    from circle.screens.goal_dialogs import ChoiceDialog

    session = controls.session
    for action in session.actions.values():
        label = action_label(session, action)
        done = not action.done
        verb = "Close" if done else "Reopen"
        help_text = ("carried in from last time" if action.carried_in else "") if done else "open"
        change = partial(session.set_action_done, action.id, done)
        yield f"{verb} action item: {label}", help_text, partial(controls.act, change)

        def choose(action: ActionItem = action) -> None:
            choices = [
                (
                    Content.assemble(
                        status, (CURRENT if status == action.status else "", "$accent")
                    ),
                    status,
                )
                for status in ACTION_STATUSES
            ]
            current = ACTION_STATUSES.index(action.status)
            dialog = ChoiceDialog(
                f"Action item status: {action_label(session, action)}", choices, current
            )
            set_status = partial(session.set_action_status, action.id)
            controls.ask(dialog, _unless(action.status, set_status), after_end=True)

        yield f"Action item status: {label}", f"now {action.status}", choose


def _stage_command(controls: LiveControls) -> Command:
    from circle.screens.goal_dialogs import ChoiceDialog

    session = controls.session

    def choose() -> None:
        choices = [
            (
                Content.assemble(
                    (stage, "bold"),
                    f" — {STAGE_MEANINGS[stage]}",
                    (CURRENT if stage == session.stage else "", "$accent"),
                ),
                stage,
            )
            for stage in STAGES
        ]
        dialog = ChoiceDialog("Set stage", choices, STAGES.index(session.stage))
        controls.ask(dialog, _unless(session.stage, session.set_stage), after_end=True)

    return "Set stage", f"of the relationship; now {session.stage}", choose
