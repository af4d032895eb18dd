"""Action items: four states, real due dates, no owner unless one is chosen, carry-over."""

from __future__ import annotations

import re

import pytest

from circle.domain.carry import carry_over
from circle.domain.clock import FakeClock
from circle.domain.errors import DomainError
from circle.domain.session import Session, session_at_rest
from circle.minutes.export import render_html
from circle.minutes.markdown import render_markdown
from tests.conftest import make_session


def test_nobody_speaking_means_no_owner_unless_one_is_chosen(session: Session) -> None:
    nobody = session.add_action("Book the room")["seq"]
    assert session.actions[nobody].owner == ""
    assert session.default_owner() == ""
    chosen = session.add_action("Send the list", owner="ada")["seq"]
    assert session.actions[chosen].owner == "Ada"
    session.start_turn("Jon")
    spoken = session.add_action("Draft the plan")["seq"]
    assert session.actions[spoken].owner == "Jon"
    assert session.events[-1]["data"] == {"text": "Draft the plan", "owner": "Jon", "due": ""}


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("2026-13-45", r"2026-13-45 is not a real date: write it YYYY-MM-DD"),
        ("2026-02-29", r"2026-02-29 is not a real date"),  # 2026 is no leap year
        ("Friday", r"A due date is written YYYY-MM-DD \(e\.g\. 2026-12-01\), not 'Friday'"),
        ("2026-9-1", r"written YYYY-MM-DD"),
        ("01/10/2026", r"written YYYY-MM-DD"),
    ],
)
def test_a_due_date_must_be_a_real_date(session: Session, due: str, message: str) -> None:
    before = len(session.events)
    with pytest.raises(DomainError, match=message):
        session.add_action("Call the mentor", due=due)
    assert len(session.events) == before


def test_a_real_due_date_is_kept_trimmed(session: Session) -> None:
    leap = session.add_action("Leap", due=" 2028-02-29 ")["seq"]
    assert session.actions[leap].due == "2028-02-29"
    assert session.actions[session.add_action("No date", due="  ")["seq"]].due == ""


def test_four_states_each_one_an_event(session: Session) -> None:
    item = session.add_action("Draft the plan", owner="Mira")["seq"]
    assert session.actions[item].status == "open"
    for status in ("in progress", "dropped", "done", "open"):
        session.set_action_status(item, status)
        assert session.actions[item].status == status
        assert session.events[-1]["kind"] == "action_status"
    assert session.action_counts() == {"open": 1, "in progress": 0, "done": 0, "dropped": 0}
    with pytest.raises(DomainError, match="one of open, in progress, done, dropped"):
        session.set_action_status(item, "finished")
    with pytest.raises(DomainError, match="No action item #999"):
        session.set_action_status(999, "done")
    session.set_action_status(item, "in progress")
    assert session.undo() == "action item marked in progress"
    assert session.actions[item].status == "open"


def test_the_tick_box_says_done_or_open(session: Session) -> None:
    item = session.add_action("Draft the plan", owner="Mira")["seq"]
    session.set_action_done(item)
    assert session.actions[item].done and session.actions[item].status == "done"
    session.set_action_done(item, False)
    assert session.actions[item].status == "open" and not session.actions[item].done


def test_the_end_review_can_set_any_state(session: Session) -> None:
    a = session.add_action("One", owner="Mira")["seq"]
    b = session.add_action("Two", owner="Jon")["seq"]
    c = session.add_action("Three", owner="Jon")["seq"]
    session.set_action_status(c, "in progress")
    assert [x.text for x in session.open_actions()] == ["One", "Two", "Three"]
    session.end_session()
    session.set_action_status(a, "done")
    session.set_action_status(b, "dropped")
    assert [x.text for x in session.open_actions()] == ["Three"]


def test_old_logs_done_events_still_read() -> None:
    clock = FakeClock()
    s = make_session(clock)
    item = s.add_action("From an old log", owner="Mira")["seq"]
    events = list(s.events)
    old = dict(events[-1], seq=item + 1, kind="action_done", data={"action": item, "done": True})
    restored = session_at_rest([*events, old], None)
    assert restored.actions[item].status == "done"
    back = dict(old, seq=item + 2, data={"action": item, "done": False})
    assert session_at_rest([*events, old, back], None).actions[item].status == "open"


def test_old_carried_items_have_no_state_and_come_in_open() -> None:
    s = make_session(FakeClock(), carried_actions=({"text": "Old", "owner": "Mira"},))
    (carried,) = s.actions.values()
    assert (carried.status, carried.key, carried.carried_in) == ("open", None, True)


def test_open_and_in_progress_items_carry_over_keeping_their_name(clock: FakeClock) -> None:
    s = make_session(clock)
    ids = {
        text: s.add_action(text, owner="Jon", due="2026-10-01")["seq"]
        for text in ("open", "in progress", "done", "dropped")
    }
    for text, item in ids.items():
        s.set_action_status(item, text)
    carry = carry_over(s.folded, "S1")
    assert carry.actions == (
        {
            "text": "open",
            "owner": "Jon",
            "due": "2026-10-01",
            "status": "open",
            "key": f"S1#{ids['open']}",
        },
        {
            "text": "in progress",
            "owner": "Jon",
            "due": "2026-10-01",
            "status": "in progress",
            "key": f"S1#{ids['in progress']}",
        },
    )
    nxt = make_session(clock, carried_actions=carry.actions)
    carried = sorted(nxt.actions.values(), key=lambda a: a.id)
    assert [(a.text, a.status, a.key) for a in carried] == [
        ("open", "open", f"S1#{ids['open']}"),
        ("in progress", "in progress", f"S1#{ids['in progress']}"),
    ]
    # Carried on again, an item keeps the name it was first given.
    assert [a["key"] for a in carry_over(nxt.folded, "S2").actions] == [
        f"S1#{ids['open']}",
        f"S1#{ids['in progress']}",
    ]


def test_parked_questions_still_carry_over(session: Session) -> None:
    parked = session.add_question("Later?", asker="Mira")["seq"]
    session.toggle_status(parked, "parked")
    hidden = session.add_question("Hidden parked")["seq"]
    session.toggle_status(hidden, "parked")
    session.hide_question(hidden)
    session.add_question("Open")
    assert carry_over(session.folded, "S1").questions == ({"text": "Later?", "asker": "Mira"},)


def states_session() -> Session:
    clock = FakeClock()
    s = make_session(clock, carried_actions=({"text": "Carried", "owner": "Jon", "due": ""},))
    s.add_action("Plain open", owner="Mira")
    s.set_action_status(s.add_action("Working on it", owner="Jon")["seq"], "in progress")
    s.set_action_status(s.add_action("Not any more", owner="Priya")["seq"], "dropped")
    s.set_action_done(s.add_action("Finished", due="2026-10-01")["seq"])
    carried = next(a for a in s.actions.values() if a.carried_in)
    s.set_action_status(carried.id, "dropped")
    return session_at_rest(s.events, None)


def test_markdown_minutes_name_each_state() -> None:
    text = render_markdown(states_session())
    section = text.split("## Action items\n\n", 1)[1].split("\n## ", 1)[0]
    assert section.splitlines() == [
        "5 action items, 1 open, 1 in progress, 2 dropped.",
        "",
        "- [ ] Jon: Carried (carried in, dropped this session)",
        "- [ ] Mira: Plain open",
        "- [ ] Jon: Working on it (in progress)",
        "- [ ] Priya: Not any more (dropped)",
        "- [x] Finished (due 2026-10-01)",
    ]


def test_html_minutes_show_action_items_as_check_boxes() -> None:
    page = render_html(states_session())
    boxes = re.findall(r'<li class="task"><input type="checkbox"( checked)? disabled', page)
    assert [bool(b) for b in boxes] == [False, False, False, False, True]
    assert "[ ]" not in page and "[x]" not in page
    assert "<script" not in page


def test_text_like_a_box_stays_text_in_the_html() -> None:
    s = make_session(FakeClock())
    s.add_action("[x] looks ticked")  # no owner: the text follows the box directly
    page = render_html(session_at_rest(s.events, None))
    item = re.search(r'<li class="task">(.*?)</li>', page)
    assert item is not None
    assert item[1] == '<input type="checkbox" disabled aria-label="not done"> [x] looks ticked'
