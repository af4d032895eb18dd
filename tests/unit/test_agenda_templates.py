"""The bundled agenda templates: valid, with the promised totals, grounded in practice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from circle.agendafiles.parser import (
    bundled_dir,
    bundled_templates,
    load_agenda_file,
    resolve_agenda,
    to_markdown,
)
from circle.domain.agenda import KINDS

REPO = Path(__file__).resolve().parents[2]

PROMISED_MIN = {
    "kickoff": 90,
    "group-circle": 60,
    "flash-round": 45,
    "lean-coffee": 30,
    "smart-goals": 60,
    "closing-celebration": 60,
}


def test_bundled_dir_is_the_repo_folder_in_a_checkout() -> None:
    assert bundled_dir() == REPO / "agendas"


def test_templates_are_sorted_and_complete() -> None:
    names = [name for name, _ in bundled_templates()]
    assert names == sorted(names)
    assert set(PROMISED_MIN) <= set(names)


@pytest.mark.parametrize(("name", "minutes"), sorted(PROMISED_MIN.items()))
def test_template_valid_with_promised_total(name: str, minutes: int) -> None:
    agenda = load_agenda_file(REPO / "agendas" / f"{name}.md")
    assert agenda.total_s == minutes * 60
    assert resolve_agenda(name) == agenda
    assert agenda.intro, "each template has a short intro"
    assert len(agenda.intro) < 600
    for item in agenda.items:
        # Every item carries prompts the facilitator can read out: a bullet list.
        assert re.search(r"^- ", item.notes, re.MULTILINE), f"{name}: {item.title}"
    # The templates are written in the canonical form to_markdown produces.
    assert to_markdown(agenda) == (REPO / "agendas" / f"{name}.md").read_text("utf-8")


@pytest.mark.parametrize("name", sorted(PROMISED_MIN))
def test_templates_end_with_close_and_pulse(name: str) -> None:
    agenda = resolve_agenda(name)
    assert agenda.items[-1].kind == "close"
    assert "On a scale of 1 to 10" in agenda.items[-1].notes
    assert "by when" in agenda.items[-1].notes


def test_every_kind_used_somewhere() -> None:
    used = {item.kind for _, agenda in bundled_templates() for item in agenda.items}
    assert used >= set(KINDS)


def test_group_circle_shape() -> None:
    kinds = [item.kind for item in resolve_agenda("group-circle").items]
    assert {"round", "board", "break", "close"} <= set(kinds)


def test_flash_round_leaves_room_for_slots() -> None:
    # 5 mentees, 30 s changeovers: each slot still well over the 60 s minimum.
    flash = [i for i in resolve_agenda("flash-round").items if i.kind == "flash"]
    assert flash
    assert (flash[0].planned_s - 4 * 30) // 5 >= 5 * 60


def test_grounded_in_practice() -> None:
    text = {name: (REPO / "agendas" / f"{name}.md").read_text("utf-8") for name in PROMISED_MIN}
    circle = text["group-circle"].lower()
    for phrase in ("stays here", "candid", "keep to time"):
        assert phrase in circle
    assert "last time's action items" in circle
    assert "park" in circle
    kickoff = text["kickoff"].lower()
    for phrase in ("confidentiality", "how often", "between sessions", "summary"):
        assert phrase in kickoff
    goals = text["smart-goals"].lower()
    for phrase in ("4 to 8 weeks", "3 to 12 months", "2 to 5 years", "measurable", "time-bound"):
        assert phrase in goals
    assert "three affirming" in goals
    assert "celebrat" in text["closing-celebration"].lower()
