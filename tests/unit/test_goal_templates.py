"""The bundled agendas that review goals: valid, canonical, and using `[goals]`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from circle.agendafiles.parser import load_agenda_file, parse_agenda, resolve_agenda, to_markdown
from circle.domain.agenda import KINDS, ROUND_KINDS

REPO = Path(__file__).resolve().parents[2]


def test_goals_is_an_agenda_kind_that_runs_as_a_round() -> None:
    assert "goals" in KINDS and {"round", "goals"} == ROUND_KINDS
    agenda = parse_agenda("# T\n\n## Goal review (20 min) [goals]\n")
    assert agenda.items[0].kind == "goals"


def test_goal_review_template() -> None:
    path = REPO / "agendas" / "goal-review.md"
    agenda = load_agenda_file(path)
    assert resolve_agenda("goal-review") == agenda
    assert agenda.total_s == 60 * 60
    assert to_markdown(agenda) == path.read_text("utf-8")
    assert agenda.intro and len(agenda.intro) < 600
    kinds = [item.kind for item in agenda.items]
    assert kinds[0] == "round" and "goals" in kinds and kinds[-1] == "close"
    for item in agenda.items:
        assert re.search(r"^- ", item.notes, re.MULTILINE), item.title
    close = agenda.items[-1].notes
    assert "On a scale of 1 to 10" in close and "by when" in close
    assert "in progress" in agenda.items[1].notes  # the action items' states


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("smart-goals", "Feedback on each other's goals"),
        ("closing-celebration", "Goals then and now"),
        ("goal-review", "Goal review"),
    ],
)
def test_goals_items_in_the_templates(name: str, title: str) -> None:
    items = {item.title: item.kind for item in resolve_agenda(name).items}
    assert items[title] == "goals"
