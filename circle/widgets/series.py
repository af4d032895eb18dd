"""The series list of the home screen: one card per series, "All series" first.

A card says where a series stands without opening it: its stage, the pulse
of its latest sessions as a sparkline, the goals still being worked on and
the action items still owed. Everything comes from the index (see
`circle.report.glance`); what an old index can't tell yet shows as "—".
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from circle.domain.present import plural
from circle.domain.series import series_key
from circle.report.glance import UNKNOWN, SeriesGlance

ALL = "all"  # the option id of "All series"
GOALS_SHOWN = 3  # goal texts on a card; the rest are counted
GOAL_CHARS = 26  # a goal's text is cut to this on a card: one line of a narrow pane


def series_option_id(index: int) -> str:
    return f"series-{index}"


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, cut with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def latest_pulse(glance: SeriesGlance) -> str:
    """The newest session's pulse average that could be shown, as "7.4"."""
    known = [value for value in glance.pulse if value is not None]
    return f" {known[-1]:.1f}" if known else ""


def counts_line(glance: SeriesGlance) -> str:
    goals = UNKNOWN if glance.open_goals is None else str(len(glance.open_goals))
    owed = UNKNOWN if glance.owed_actions is None else str(glance.owed_actions)
    goal_word = "goal open" if goals == "1" else "goals open"
    item_word = "item owed" if owed == "1" else "items owed"
    return f"{goals} {goal_word} · {owed} {item_word}"


def card(glance: SeriesGlance) -> Content:
    """A series in a few lines; names and goals are shown as typed, never as markup."""
    row = glance.row
    sessions = plural(len(row.session_ids), "session")
    if row.unfinished:
        sessions += f", {row.unfinished} unfinished"
    parts: list[str | tuple[str, str] | Content] = [
        (row.name, "bold"),
        (f" · {sessions}\n", "dim"),
        ("stage ", "dim"),
        (glance.stage or UNKNOWN, "bold"),
        ("\npulse ", "dim"),
        glance.sparkline + latest_pulse(glance),
        "\n",
        counts_line(glance),
    ]
    goals = glance.open_goals or ()
    for goal in goals[:GOALS_SHOWN]:
        owner = f"{goal.owner}: " if goal.owner else ""
        parts.append(f"\n  • {shorten(owner + goal.text, GOAL_CHARS)}")
    if len(goals) > GOALS_SHOWN:
        parts.append((f"\n  and {len(goals) - GOALS_SHOWN} more", "dim"))
    return Content.assemble(*parts)


class SeriesList(OptionList):
    """ "All series", then a card per series, the one met most recently first.

    Highlighting an entry shows its sessions in the table beside it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.glances: list[SeriesGlance] = []

    def show(self, glances: list[SeriesGlance], total: int) -> None:
        """Redraw the cards, keeping the highlighted series where it still is."""
        keep = self.chosen()
        keep_key = series_key(keep.row.name) if keep else None
        self.glances = glances
        count = plural(total, "session")
        everything = Content.assemble(("All series", "bold"), (f"  {count}", "dim"))
        options = [Option(everything, id=ALL), None]
        for index, glance in enumerate(glances):
            options.append(Option(card(glance), id=series_option_id(index)))
            options.append(None)
        self.set_options(options[:-1] if glances else options[:1])
        names = [series_key(g.row.name) for g in glances]
        at = names.index(keep_key) if keep_key in names else None
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = 0 if at is None else self.get_option_index(series_option_id(at))

    def chosen(self) -> SeriesGlance | None:
        """The highlighted series; None on "All series"."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ALL
        if option_id == ALL:
            return None
        return self.glances[int(option_id.removeprefix("series-"))]
