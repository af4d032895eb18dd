"""Flash-mentoring plans: slot arithmetic, refusals and the rotation."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from circle.domain.errors import DomainError
from circle.domain.flash import (
    DEFAULT_CHANGEOVER_S,
    MIN_SLOT_S,
    FlashPlan,
    FlashRound,
    Meeting,
    max_slots,
    plan_flash,
    slot_length,
)

MENTEES = ("Ana", "Ben", "Chloé", "Dev", "Eli")
MENTORS = ("Mira", "Otto")


def mentees(n: int) -> tuple[str, ...]:
    return MENTEES[:n]


def pairs(plan: FlashPlan) -> list[tuple[str, str]]:
    return [(m.mentor, m.mentee) for r in plan.rounds for m in r.meetings]


def check_rotation(plan: FlashPlan, who: tuple[str, ...], mentors: tuple[str, ...]) -> None:
    """The properties every plan keeps, full rotation or not."""
    assert plan.slot_s >= MIN_SLOT_S
    assert plan.used_s <= plan.total_s
    assert [r.index for r in plan.rounds] == list(range(len(plan.rounds)))
    for r in plan.rounds:
        meeting = [m.mentee for m in r.meetings]
        busy = [m.mentor for m in r.meetings]
        assert len(set(meeting)) == len(meeting), "a mentee twice in a round"
        assert len(set(busy)) == len(busy), "a mentor twice in a round"
        assert set(meeting) <= set(who) and set(busy) <= set(mentors)
        assert r.sitting_out == tuple(p for p in who if p not in meeting)
        if len(who) >= len(mentors):
            assert len(r.meetings) == len(mentors), "every mentor meets someone each round"
    met = pairs(plan)
    assert len(met) == len(set(met)), "a (mentor, mentee) pair repeats"
    counts = Counter(mentee for _, mentee in met)
    per_mentee = [counts[p] for p in who]
    assert max(per_mentee) - min(per_mentee) <= 1, f"sit-outs not spread evenly: {counts}"
    if plan.complete:
        assert sorted(met) == sorted((a, b) for a in mentors for b in who)


# -- arithmetic --------------------------------------------------------------


def test_twenty_minutes_four_mentees_gives_four_slots_of_277_s() -> None:
    plan = plan_flash(20 * 60, mentees(4), MENTORS[:1])
    assert plan.slot_s == 277 == (1200 - 3 * 30) // 4
    assert plan.changeover_s == DEFAULT_CHANGEOVER_S == 30
    assert len(plan.rounds) == 4
    assert plan.used_s == 4 * 277 + 3 * 30 == 1198
    assert [r.meetings for r in plan.rounds] == [(Meeting("Mira", p),) for p in mentees(4)]
    assert plan.rounds[0].sitting_out == ("Ben", "Chloé", "Dev")
    assert plan.complete


def test_ten_minutes_three_mentees_gives_180_s() -> None:
    plan = plan_flash(10 * 60, mentees(3), MENTORS[:1])
    assert plan.slot_s == 180
    assert plan.used_s == 600 == plan.total_s


def test_changed_changeover() -> None:
    plan = plan_flash(20 * 60, mentees(4), MENTORS[:1], changeover_s=60)
    assert plan.slot_s == (1200 - 3 * 60) // 4 == 255
    assert plan.changeover_s == 60
    assert plan.used_s == 4 * 255 + 3 * 60
    no_break = plan_flash(10 * 60, mentees(4), MENTORS[:1], changeover_s=0)
    assert no_break.slot_s == 150 and no_break.used_s == 600


def test_roster_order_is_kept() -> None:
    order = ("Dev", "Ana", "Chloé")
    plan = plan_flash(10 * 60, order, MENTORS[:1])
    assert [r.meetings[0].mentee for r in plan.rounds] == list(order)


def test_slot_length_and_max_slots() -> None:
    assert slot_length(1200, 4) == 277
    assert slot_length(600, 3, 30) == 180
    assert slot_length(100, 1, 30) == 100
    assert max_slots(270) == 3  # 3·60 + 2·30 = 240 ≤ 270 < 4·60 + 3·30
    assert max_slots(240) == 3
    assert max_slots(239) == 2
    assert max_slots(59) == 0
    assert max_slots(60) == 1
    assert max_slots(180, 0) == 3
    with pytest.raises(ValueError):
        slot_length(100, 0)


@given(st.integers(0, 4 * 3600), st.integers(0, 600))
def test_max_slots_is_the_largest_count_with_60_s_slots(total: int, changeover: int) -> None:
    n = max_slots(total, changeover)
    if n:
        assert slot_length(total, n, changeover) >= MIN_SLOT_S
    assert slot_length(total, n + 1, changeover) < MIN_SLOT_S


# -- refusals ----------------------------------------------------------------


def test_too_short_slots_are_refused_saying_how_many_fit() -> None:
    with pytest.raises(DomainError) as err:
        plan_flash(270, mentees(4), MENTORS[:1])
    message = str(err.value)
    assert message == (
        "4 slots of 45 s are too short: at most 3 slots of at least 60 s fit in 4 min 30 s"
    )


def test_one_slot_fits() -> None:
    with pytest.raises(DomainError, match="at most 1 slot of at least 60 s fits in 100 s"):
        plan_flash(100, mentees(3), MENTORS[:1])


def test_refused_when_not_even_one_slot_fits() -> None:
    with pytest.raises(DomainError, match="not even one slot of 60 s fits in 50 s"):
        plan_flash(50, mentees(3), MENTORS[:1])


def test_two_mentors_refused_when_not_even_one_round_fits() -> None:
    with pytest.raises(DomainError, match="not even one round of 60 s fits in 59 s"):
        plan_flash(59, mentees(4), MENTORS)


@pytest.mark.parametrize(
    ("total", "who", "mentors", "changeover", "match"),
    [
        (600, (), MENTORS[:1], 30, "No mentees"),
        (600, mentees(3), (), 30, "1 or 2 mentors"),
        (600, mentees(3), (*MENTORS, "Zoe"), 30, "1 or 2 mentors"),
        (600, ("Ana", "Ana", "Ben"), MENTORS[:1], 30, "each person once"),
        (600, mentees(3), ("Ana",), 30, "each person once"),
        (600, mentees(3), MENTORS[:1], -1, "negative"),
        (0, mentees(3), MENTORS[:1], 30, "above zero"),
    ],
)
def test_bad_requests_are_refused(
    total: int, who: tuple[str, ...], mentors: tuple[str, ...], changeover: int, match: str
) -> None:
    with pytest.raises(DomainError, match=match):
        plan_flash(total, who, mentors, changeover)


# -- rotation ----------------------------------------------------------------


@pytest.mark.parametrize("n_mentors", [1, 2])
@pytest.mark.parametrize("n_mentees", [3, 4, 5])
def test_full_rotation_for_every_allowed_count(n_mentors: int, n_mentees: int) -> None:
    who, mentors = mentees(n_mentees), MENTORS[:n_mentors]
    plan = plan_flash(20 * 60, who, mentors)
    assert len(plan.rounds) == n_mentees
    assert plan.complete
    check_rotation(plan, who, mentors)
    assert Counter(pairs(plan)) == Counter((a, b) for a in mentors for b in who)


@pytest.mark.parametrize(("n_mentees", "k"), [(m, k) for m in (3, 4, 5) for k in range(1, m)])
def test_two_mentors_with_fewer_rounds_than_mentees(n_mentees: int, k: int) -> None:
    who = mentees(n_mentees)
    total = k * 60 + (k - 1) * 30 + 89  # k rounds of 60 s fit, k + 1 rounds don't
    plan = plan_flash(total, who, MENTORS)
    assert len(plan.rounds) == k
    assert plan.slot_s == 60 + 89 // k
    assert not plan.complete
    check_rotation(plan, who, MENTORS)


def test_two_mentors_five_mentees_three_rounds() -> None:
    plan = plan_flash(270, mentees(5), MENTORS)
    assert plan.slot_s == 70 and len(plan.rounds) == 3
    assert [[(m.mentor, m.mentee) for m in r.meetings] for r in plan.rounds] == [
        [("Mira", "Ana"), ("Otto", "Dev")],
        [("Mira", "Ben"), ("Otto", "Eli")],
        [("Mira", "Chloé"), ("Otto", "Ana")],
    ]
    assert plan.rounds[0].sitting_out == ("Ben", "Chloé", "Eli")


@pytest.mark.parametrize("n_mentees", [1, 2])
def test_two_mentors_with_few_present_mentees(n_mentees: int) -> None:
    who = mentees(n_mentees)
    plan = plan_flash(10 * 60, who, MENTORS)
    assert len(plan.rounds) == 2
    assert plan.complete
    check_rotation(plan, who, MENTORS)


@given(
    total=st.integers(1, 40 * 60),
    n_mentees=st.integers(3, 5),
    n_mentors=st.integers(1, 2),
    changeover=st.sampled_from([0, 15, 30, 60]),
)
def test_rotation_properties_over_total_time(
    total: int, n_mentees: int, n_mentors: int, changeover: int
) -> None:
    who, mentors = mentees(n_mentees), MENTORS[:n_mentors]
    fit = max_slots(total, changeover)
    needed = n_mentees
    if fit == 0 or (n_mentors == 1 and fit < needed):
        with pytest.raises(DomainError, match=f"{fit} slot|not even one"):
            plan_flash(total, who, mentors, changeover)
        return
    plan = plan_flash(total, who, mentors, changeover)
    assert len(plan.rounds) == min(needed, fit)
    assert plan.slot_s == slot_length(total, len(plan.rounds), changeover)
    check_rotation(plan, who, mentors)
    assert plan.complete == (fit >= needed)
    if plan.complete:
        assert len(pairs(plan)) == n_mentors * n_mentees


# -- storage -----------------------------------------------------------------


@pytest.mark.parametrize(("n_mentors", "total"), [(1, 1200), (2, 1200), (2, 270)])
def test_round_trip_through_json(n_mentors: int, total: int) -> None:
    plan = plan_flash(total, mentees(5 if n_mentors == 2 else 4), MENTORS[:n_mentors])
    stored = json.loads(json.dumps(plan.to_dict()))
    assert stored == plan.to_dict()
    again = FlashPlan.from_dict(stored)
    assert again == plan
    assert isinstance(again.rounds[0], FlashRound)
    assert isinstance(again.rounds[0].meetings, tuple)
    assert isinstance(again.mentors, tuple)


def test_from_dict_refuses_malformed_data() -> None:
    data = plan_flash(600, mentees(3), MENTORS[:1]).to_dict()
    del data["slot_s"]
    with pytest.raises(ValueError, match="malformed flash plan"):
        FlashPlan.from_dict(data)
