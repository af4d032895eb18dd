"""What each panel of the live screen shows, read from the session as plain rows.

The live screen hands these rows down; the widgets draw them and never see the
session. Behind the privacy blind every name and every typed text is replaced
here, in one place, before any widget gets it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from circle.domain import privacy
from circle.domain.agenda import AgendaItem
from circle.domain.board import ActionItem
from circle.domain.goal_views import GoalRow
from circle.domain.present import (
    HIDDEN_NAME,
    clock_hm,
    countdown_text,
    minutes_label,
    mmss,
    next_words,
    offset_words,
    state_class,
    state_words,
    turn_words,
)
from circle.domain.session import Session
from circle.domain.timer import TimerView
from circle.screens.status import LiveStatus
from circle.widgets.board import BoardRow
from circle.widgets.flash import FlashMeeting, FlashSlot, FlashView
from circle.widgets.notes import (
    ActionLine,
    GoalLine,
    GoalsOf,
    HeadingLine,
    NoteLine,
    NotesView,
    QuestionLine,
    TakeawayLine,
    review_goal_lines,
    speaker_goal_lines,
)
from circle.widgets.panels import (
    AgendaRow,
    CountdownRow,
    QueueRow,
    ShareRow,
    SpeakerRow,
    TopRow,
    TurnRow,
)

if TYPE_CHECKING:
    # The flash modules load with a session's first round: most have none.
    from circle.domain.flashrun import FlashRun


def shown_name(session: Session, person: str | None) -> str:
    """A name as the room may see it ("" for nobody)."""
    return privacy.shown_name(session.blind, person) or ""


def shown_text(session: Session, text: str) -> str:
    """What people typed, as the room may see it: hidden behind the blind."""
    return privacy.shown_text(session.blind, text)


def top_row(session: Session, status: LiveStatus) -> TopRow:
    forecast = None if session.ended else (session.forecast_end_wall(), session.behind_s())
    pulse = session.pulse_view().progress if session.pulse_open else None
    parts = state_parts(session.clock.wall(), forecast, session.paused, session.blind, pulse)
    if status.save_problem:
        parts.append("⚠ NOT SAVING")
    if status.walls:
        parts.append(walls_words(status.walls))
    if status.join is not None:
        parts.append(status.join.words())
    return TopRow(session.title, " · ".join(parts))


def state_parts(
    wall: float,
    forecast: tuple[float, float] | None,
    paused: bool,
    blind: bool,
    pulse: str | None,
) -> list[str]:
    """The top bar's words for the room, on the console and the wall alike:
    the time, the forecast end (`forecast` is None once ended), the states."""
    if forecast is None:
        parts = [clock_hm(wall), "ENDED"]
    else:
        ends, behind_s = forecast
        parts = [clock_hm(wall), f"ends {clock_hm(ends)} ({offset_words(behind_s)})"]
    if paused:
        parts.append("PAUSED")
    if blind:
        parts.append("BLIND")
    if pulse is not None:
        parts.append(f"pulse {pulse}")
    return parts


def walls_words(count: int) -> str:
    """'wall connected', or with several 'wall connected (2)'."""
    return "wall connected" if count == 1 else f"wall connected ({count})"


def countdown_row(session: Session, timer: TimerView) -> CountdownRow:
    return CountdownRow(
        session.timer_().item.title,
        countdown_text(timer),
        state_words(timer, session.paused, session.ended),
        state_class(timer, session.paused, session.ended),
    )


def agenda_rows(session: Session) -> tuple[AgendaRow, ...]:
    return tuple(
        AgendaRow(
            r["status"],
            r["title"],
            minutes_label(r["planned_s"]),
            mmss(r["actual_s"]) if r["status"] in ("done", "current") else "",
        )
        for r in session.item_rows()
    )


def turn_row(session: Session) -> TurnRow | None:
    view = session.turn_view()
    if view is None:
        return None
    person, seconds, budget = view
    timer = mmss(seconds) + (f" / {mmss(budget)}" if budget else "")
    over = budget is not None and seconds > budget
    return TurnRow(shown_name(session, person), timer, over)


def speaker_row(session: Session) -> SpeakerRow:
    """The big speaker panel: the turn in digits, its budget in words, who is next."""
    turn = session.turn_view()
    name = timer = words = ""
    over = False
    if turn is not None:
        person, seconds, budget = turn
        name, timer = shown_name(session, person), mmss(seconds)
        over, words = turn_words(seconds, budget)
    return SpeakerRow(name, timer, words, over, _next_speaker(session))


def _next_speaker(session: Session) -> str:
    """Who speaks next: a mentee a mentor interrupted gets the floor back first."""
    up = session.next_up()
    if up is None:
        return "nobody"
    return next_words(shown_name(session, up.person), up.back_at_s)


ATTENDANCE_WORDS = {"present": "", "late": "late", "left": "left", "absent": "absent"}


def share_rows(session: Session) -> tuple[ShareRow, ...]:
    """Everyone with their share: mentees with their hand keys, mentors marked.

    Behind the blind a key, a role or an attendance word would name people
    as surely as their names, so the rows go by speaking time alone.
    """
    shares = session.shares()
    if session.blind:  # by position and colour the bars would still name people
        shares = sorted(shares, key=lambda s: -s.seconds)
        return tuple(ShareRow(HIDDEN_NAME, "mentee", round(s.percent)) for s in shares)
    roster = session.roster
    keys = {person: str(number) for number, person in enumerate(roster.mentees, 1)}
    return tuple(
        ShareRow(
            s.person,
            s.role,
            round(s.percent),
            keys.get(s.person, ""),
            ATTENDANCE_WORDS.get(roster.status(s.person), ""),
        )
        for s in shares
    )


def queue_rows(session: Session) -> tuple[QueueRow, ...]:
    return tuple(
        QueueRow(shown_name(session, e.person), e.new, e.in_round) for e in session.queue_entries()
    )


def board_rows(session: Session, *, waiting: bool = False) -> tuple[BoardRow, ...]:
    """The board in its order; with `waiting`, the questions waiting for approval first."""
    board, blind = session.board, session.blind  # read once: hundreds of rows
    questions = [*board.pending(), *board.ordered()] if waiting else board.ordered()
    return tuple(
        BoardRow(
            q.id,
            privacy.shown_text(blind, q.text),
            privacy.shown_name(blind, q.asker) or "",
            len(q.voters),
            q.status,
            q.pending,  # waiting (positional: hundreds of rows are built per change)
        )
        for q in questions
    )


def board_heading(session: Session, shown: int) -> str:
    """`shown`: the approved questions on the board."""
    pending = len(session.board.pending())
    waiting = f" · {pending} waiting for approval" if pending else ""
    return f"Questions ({shown}){waiting}"


# -- under the notes ------------------------------------------------------------------
# The console's hint for a mentee with no goals (the wall, having no keys, says none).
NONE_YET = " (g adds one)"


def notes_view(session: Session, item: AgendaItem) -> NotesView:
    """The speaker's goals, then the action items at close, what was carried over
    in the first item, else the item's takeaways."""
    return _notes_view(session, item)._replace(goals=goal_lines(session))


def goal_lines(session: Session) -> tuple[NoteLine, ...]:
    """In a goal review each present mentee's goals in their turn; in any other
    item a mentee speaking has their goals still being worked on beside them."""
    review = session.goals_review()
    if review:
        entries = [
            GoalsOf(shown_name(session, r.mentee), r.speaking, _goal_lines(session, r.goals))
            for r in review
        ]
        return review_goal_lines(entries, NONE_YET)
    turn = session.turn_goals()
    if turn is None:
        return ()
    return speaker_goal_lines(shown_name(session, turn.person), _goal_lines(session, turn.goals))


def _goal_lines(session: Session, goals: tuple[GoalRow, ...]) -> tuple[GoalLine, ...]:
    return tuple(
        GoalLine(
            shown_text(session, g.text),
            g.horizon,
            g.status,
            shown_text(session, g.due),
            shown_text(session, g.notes[-1] if g.notes else ""),
        )
        for g in goals
    )


def _notes_view(session: Session, item: AgendaItem) -> NotesView:
    notes = item.notes or ""
    if item.kind == "close":
        actions = tuple(_action_line(session, a) for a in session.actions.values())
        heading = "Action items" if actions else "No action items yet (press t to add one)"
        return NotesView(notes, heading, actions)
    takeaways = tuple(
        TakeawayLine(t.kind == "decision", shown_text(session, t.text))
        for t in session.takeaways_for(item.id)
    )
    if session.timer_().items[0] is item:
        carried = _carried_over(session)
        if carried:
            title = (HeadingLine("Takeaways"),) if takeaways else ()
            heading = "Carried over from last time (close or keep: ctrl+p)"
            return NotesView(notes, heading, (*carried, *title, *takeaways))
    return NotesView(notes, "Takeaways" if takeaways else "", takeaways)


def _action_line(session: Session, action: ActionItem) -> ActionLine:
    owner = shown_name(session, action.owner)
    text, due = shown_text(session, action.text), shown_text(session, action.due or "")
    return ActionLine(action.status, owner, text, due)


def _carried_over(session: Session) -> tuple[NoteLine, ...]:
    actions = [a for a in session.actions.values() if a.carried_in]
    questions = [q for q in session.board.questions.values() if q.carried_in]
    lines: list[NoteLine] = [_action_line(session, a) for a in actions]
    for question in questions:
        lines.append(QuestionLine(shown_text(session, question.text), question.status))
    return tuple(lines)


# -- flash mentoring --------------------------------------------------------------------
def flash_on_item(session: Session) -> FlashRun | None:
    """The flash round of the current item, running or finished, if any: what
    `o` and `k` write in."""
    runs = session.flash_runs
    if runs and runs[-1].item_id == session.timer_().item.id:
        return runs[-1]
    return None


def flash_on_screen(session: Session) -> FlashRun | None:
    """The flash round shown in place of the countdown: an ad-hoc round gives
    the item its own countdown back once it is done."""
    return session.flash_on_screen()


def flash_view(session: Session, run: FlashRun) -> FlashView:
    active = session.active()
    pos = run.position(active)
    two = len(run.plan.mentors) > 1
    slots = []
    for index, records in enumerate(run.view_records(active)):
        meetings = tuple(
            FlashMeeting(
                shown_name(session, r.mentee),
                shown_name(session, r.mentor),
                shown_text(session, r.topic),
                shown_text(session, r.takeaway),
            )
            for r in records
        )
        sitting = run.plan.rounds[index].sitting_out if two else ()
        slots.append(
            FlashSlot(
                meetings,
                tuple(shown_name(session, p) for p in sitting),
                records[0].planned_s,
                records[0].actual_s,
            )
        )
    remaining = max(0.0, pos.remaining(active))
    return FlashView(tuple(slots), pos.round_index, pos.phase, remaining, two)
