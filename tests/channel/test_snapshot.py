"""The public snapshot carries what the room may see and nothing private."""

from __future__ import annotations

import json

import pytest

from circle.channel.framing import encode
from circle.channel.snapshot import (
    MAX_EXTRAPOLATION_S,
    BoardCache,
    countdown_view,
    elapsed_since,
    public_snapshot,
    turn_seconds,
)
from circle.domain.agenda import Agenda
from circle.domain.clock import FakeClock
from circle.domain.present import HIDDEN_NAME, HIDDEN_TEXT, countdown_text
from tests.conftest import MENTEES, MENTORS, make_session, small_agenda

PEOPLE = MENTORS + MENTEES
JOIN = {"code": "QZXWVK", "url": "http://192.0.2.7:8765/?code=QZXWVK"}


def dump(snapshot: dict) -> str:
    """The snapshot as it goes over the wire (JSON escapes non-ASCII as \\uXXXX)."""
    line = encode(snapshot)
    assert line is not None
    return json.dumps(json.loads(line), ensure_ascii=False)


def take(session, clock: FakeClock, join: dict | None = None) -> dict:
    return public_snapshot(session, join=join, wall_clock=clock.wall())


def secret_agenda() -> Agenda:
    items = tuple(
        item._replace(notes=f"NOTE-MARKER-{index} {item.notes}")
        for index, item in enumerate(small_agenda().items)
    )
    return Agenda("Test circle", items, intro="INTRO-MARKER", source="/home/x/SOURCE-MARKER.md")


def busy_session(clock: FakeClock):
    """A session holding one of every private thing, each carrying a marker."""
    session = make_session(
        clock,
        agenda=secret_agenda(),
        join_code="QZXWVK",
        carried_actions=({"text": "CARRIED-ACTION-MARKER", "owner": "Mira"},),
    )
    clock.advance(20)
    session.add_question("Shown question", "Jon")
    session.vote(max(session.board.questions), voter="c:DEVICE-VOTE-MARKER")
    session.claim_name("Priya", "c:DEVICE-NAME-MARKER")
    session.set_hand("Priya", True, source="phone")
    session.add_question("HIDDEN-QUESTION-MARKER")
    session.hide_question(max(session.board.questions))
    session.set_moderation(True)
    session.add_question("PENDING-QUESTION-MARKER", source="phone")
    session.add_action("ACTION-MARKER", owner="Mira", due="2031-07-19")
    session.add_takeaway("Public takeaway")
    session.open_pulse()
    session.give_pulse(9, "PULSE-COMMENT-MARKER")
    session.give_pulse(None, "PULSE-PHONE-MARKER", source="phone")
    return session


MARKERS = [
    "NOTE-MARKER",
    "INTRO-MARKER",
    "SOURCE-MARKER",
    "CARRIED-ACTION-MARKER",
    "DEVICE-VOTE-MARKER",
    "DEVICE-NAME-MARKER",
    "HIDDEN-QUESTION-MARKER",
    "PENDING-QUESTION-MARKER",
    "ACTION-MARKER",
    "2031-07-19",
    "PULSE-COMMENT-MARKER",
    "PULSE-PHONE-MARKER",
    "SECRET-MARKER",
]


@pytest.mark.parametrize("marker", MARKERS)
def test_no_private_thing_reaches_the_snapshot(marker: str) -> None:
    clock = FakeClock()
    session = busy_session(clock)
    join = {**JOIN, "secret": "SECRET-MARKER", "token": "SECRET-MARKER-2"}
    for item in range(len(session.timer_().items)):
        # Every item once: notes, takeaways and (at close) action items differ by item.
        wire = dump(take(session, clock, join))
        assert marker not in wire, f"{marker} leaked while item {item} was current"
        if item < len(session.timer_().items) - 1:
            session.next_item()


def test_the_planted_markers_are_really_in_the_session() -> None:
    # Guards the test above: a marker that never made it into the session
    # would pass it without proving anything.
    clock = FakeClock()
    session = busy_session(clock)
    recorded = json.dumps(session.events)
    for marker in MARKERS:
        if marker != "SECRET-MARKER":  # that one is planted in the join info
            assert marker in recorded


def test_the_pulse_shows_only_how_many_answered() -> None:
    clock = FakeClock()
    session = busy_session(clock)
    pulse = take(session, clock)["pulse"]
    assert pulse == {"answered": 2, "of": 5, "text": "2 of 5 answered"}
    session.set_attendance("Leo", "absent")
    assert take(session, clock)["pulse"]["text"] == "2 of 4 answered"
    session.open_pulse(False)
    assert take(session, clock)["pulse"] is None


def test_the_board_shows_approved_visible_questions_with_votes() -> None:
    clock = FakeClock()
    session = busy_session(clock)
    shown = min(session.board.questions)
    board = take(session, clock)["board"]
    assert board == [
        {"id": shown, "text": "Shown question", "name": "Jon", "votes": 1, "status": "open"}
    ]
    pending = session.board.pending()[0].id
    session.approve_question(pending)
    board = take(session, clock)["board"]
    assert [q["text"] for q in board] == ["Shown question", "PENDING-QUESTION-MARKER"]
    assert board[1]["name"] is None  # asked anonymously


def test_the_join_code_shows_only_while_the_page_is_open() -> None:
    clock = FakeClock()
    session = busy_session(clock)
    assert "QZXWVK" not in dump(take(session, clock))
    assert take(session, clock)["join"] is None
    joined = take(session, clock, {**JOIN, "devices": 3})
    assert joined["join"] == {**JOIN, "devices": 3}


SHOWN_TYPED = ["Shown question", "Public takeaway", "Topic of Mira", "Takeaway of Mira"]


def flash_session(clock: FakeClock):
    session = make_session(clock)
    session.add_question("Shown question", "Jon")
    session.next_item()
    session.next_item()  # the flash item
    session.add_takeaway("Public takeaway")
    session.toggle_hand("Leo")
    session.start_turn("Mira")
    session.start_flash()
    session.flash_note("topic", "Topic of Mira")
    session.flash_note("takeaway", "Takeaway of Mira")
    clock.advance(30)
    return session


def test_the_flash_round_shows_slots_rotation_and_notes() -> None:
    clock = FakeClock()
    session = flash_session(clock)
    flash = take(session, clock)["flash"]
    assert flash["word"] == "Slot"
    assert flash["round"] == 0 and flash["phase"] == "slot"
    assert flash["rounds"] == len(flash["rotation"]) == 4
    first = flash["rotation"][0]["meetings"][0]
    assert first == {
        "mentor": "Ada",
        "mentee": "Mira",
        "topic": "Topic of Mira",
        "takeaway": "Takeaway of Mira",
    }
    assert flash["remaining_s"] == flash["rotation"][0]["planned_s"] - 30
    session.next_item()
    assert take(session, clock)["flash"] is None  # the round belongs to its own item


def test_the_blind_hides_every_name_and_typed_text() -> None:
    clock = FakeClock()
    session = flash_session(clock)
    session.open_pulse()
    session.set_blind(True)
    snapshot = take(session, clock, JOIN)
    wire = dump(snapshot)
    for shown in [*PEOPLE, *SHOWN_TYPED]:
        assert shown not in wire, f"{shown} shows through the blind"
    assert snapshot["speaker"]["name"] == HIDDEN_NAME
    assert snapshot["next"] == HIDDEN_NAME
    assert snapshot["queue"][0]["name"] == HIDDEN_NAME
    assert {s["name"] for s in snapshot["shares"]} == {HIDDEN_NAME}
    assert {s["role"] for s in snapshot["shares"]} == {"mentee"}  # colour would name mentors
    assert snapshot["board"][0]["text"] == HIDDEN_TEXT
    assert snapshot["board"][0]["name"] == HIDDEN_NAME
    assert snapshot["item"]["takeaways"] == [{"kind": "takeaway", "text": HIDDEN_TEXT}]
    meeting = snapshot["flash"]["rotation"][0]["meetings"][0]
    assert meeting == {
        "mentor": HIDDEN_NAME,
        "mentee": HIDDEN_NAME,
        "topic": HIDDEN_TEXT,
        "takeaway": HIDDEN_TEXT,
    }
    # What the blind keeps: the title, the agenda, the clock, the join code.
    assert snapshot["title"] == "Tuesday circle"
    assert snapshot["item"]["title"] == "Flash"
    assert snapshot["join"] == JOIN


def test_the_blind_sorts_the_shares_by_time_not_roster() -> None:
    clock = FakeClock()
    session = make_session(clock)
    session.start_turn("Leo")  # the last in the roster speaks most
    clock.advance(60)
    session.start_turn("Jon")
    clock.advance(20)
    session.end_turn()
    session.set_blind(True)
    percents = [s["percent"] for s in take(session, clock)["shares"]]
    assert percents == [75, 25, 0, 0, 0]


def test_lifting_the_blind_shows_everything_again() -> None:
    clock = FakeClock()
    session = flash_session(clock)
    session.set_blind(True)
    session.set_blind(False)
    wire = dump(take(session, clock))
    for shown in [*PEOPLE, *SHOWN_TYPED]:
        assert shown in wire


def test_the_same_state_gives_the_same_snapshot() -> None:
    first_clock, second_clock = FakeClock(), FakeClock()
    first, second = flash_session(first_clock), flash_session(second_clock)
    assert dump(take(first, first_clock)) == dump(take(second, second_clock))
    assert take(first, first_clock) == take(first, first_clock)


def test_the_countdown_and_speaker_follow_the_session_state() -> None:
    clock = FakeClock()
    session = make_session(clock)
    session.start_turn("Mira")
    clock.advance(100)
    snapshot = take(session, clock)
    count = snapshot["countdown"]
    assert count["remaining_s"] == 200 and count["elapsed_s"] == 100
    assert (count["state"], count["digits"], count["words"]) == ("ok", "03:20", "3 min left")
    assert snapshot["speaker"] == {
        "name": "Mira",
        "seconds": 100.0,
        "budget_s": None,
        "over_budget": False,
    }
    assert snapshot["next"] is None
    assert snapshot["taken"] == {"wall": clock.wall(), "monotonic": clock.monotonic()}
    clock.advance(150)
    assert take(session, clock)["countdown"]["state"] == "warning"
    session.toggle_pause()
    paused = take(session, clock)["countdown"]
    assert paused["state"] == "paused" and paused["words"].startswith("PAUSED · ")
    session.toggle_pause()
    clock.advance(60)
    over = take(session, clock)["countdown"]
    assert (over["over"], over["digits"], over["words"]) == (True, "+00:10", "OVER +00:10")


def test_an_ended_session_says_so() -> None:
    clock = FakeClock()
    session = make_session(clock)
    session.end_session()
    snapshot = take(session, clock)
    assert snapshot["status"] == "ended"
    assert (snapshot["countdown"]["state"], snapshot["countdown"]["words"]) == ("ended", "ENDED")


def test_a_round_turn_carries_its_budget() -> None:
    clock = FakeClock()
    session = make_session(clock)
    session.next_item()  # the round: every mentee queued in roster order
    session.next_speaker()
    clock.advance(301)
    snapshot = take(session, clock)
    assert snapshot["speaker"]["budget_s"] == 300.0
    assert snapshot["speaker"]["over_budget"] is True
    assert snapshot["next"] == "Jon"
    assert [q["name"] for q in snapshot["queue"]] == ["Jon", "Priya", "Leo"]
    assert all(q["in_round"] for q in snapshot["queue"])


def test_the_agenda_rows_carry_plan_actual_and_status() -> None:
    clock = FakeClock()
    session = make_session(clock)
    clock.advance(90)
    session.next_item()
    rows = take(session, clock)["agenda"]
    assert rows[0] == {
        "id": 0,
        "title": "Check-in",
        "kind": "discussion",
        "planned_s": 300,
        "actual_s": 90.0,
        "status": "done",
    }
    assert [r["status"] for r in rows[1:3]] == ["current", "next"]


def test_a_wall_runs_the_countdown_on_from_the_moment_taken() -> None:
    clock = FakeClock()
    session = make_session(clock)
    session.start_turn("Mira")
    snapshot = take(session, clock)
    taken = clock.monotonic()
    view = countdown_view(snapshot, taken + 1.5)
    assert view.remaining_s == pytest.approx(298.5)
    assert countdown_text(view) == "04:59"
    assert turn_seconds(snapshot, taken + 1.5) == pytest.approx(1.5)
    # Never further than a stuck console would justify, never backwards.
    assert elapsed_since(snapshot, taken + 60) == MAX_EXTRAPOLATION_S
    assert elapsed_since(snapshot, taken - 5) == 0.0
    session.toggle_pause()
    assert countdown_view(take(session, clock), taken + 1.5).remaining_s == 300


def test_the_snapshot_is_plain_json() -> None:
    clock = FakeClock()
    session = flash_session(clock)
    snapshot = take(session, clock, JOIN)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert set(snapshot) == {
        "schema", "title", "taken", "status", "paused", "blind", "forecast_end_wall",
        "behind_s", "agenda", "item", "countdown", "speaker", "next", "next_back_s", "queue",
        "shares",
        "board", "flash", "join", "pulse",
    }  # fmt: skip


class TestBoardCache:
    """The console keeps the board's part between snapshots; the walls see the same."""

    def check(self, session, clock: FakeClock, cache: BoardCache) -> dict:
        kept = public_snapshot(session, join=None, wall_clock=clock.wall(), board=cache)
        assert kept == take(session, clock)
        assert json.loads(cache.encoded) == kept["board"]
        line = encode(kept, {"board": cache.encoded})
        assert line is not None and json.loads(line) == kept
        return kept

    def test_every_change_of_a_question_reaches_the_wall(self) -> None:
        clock = FakeClock()
        session = make_session(clock)
        cache = BoardCache()
        self.check(session, clock, cache)
        session.add_question("How do I say no?", "Jon")
        session.add_question("And to my manager?")
        first, second = sorted(session.board.questions)
        assert [q["text"] for q in self.check(session, clock, cache)["board"]] == [
            "How do I say no?",
            "And to my manager?",
        ]
        session.vote(second, voter="Mira")
        assert self.check(session, clock, cache)["board"][0]["votes"] == 1
        session.toggle_status(second, "answered")
        session.hide_question(first)
        assert [q["id"] for q in self.check(session, clock, cache)["board"]] == [second]
        session.set_blind(True)
        assert self.check(session, clock, cache)["board"][0]["text"] == HIDDEN_TEXT

    def test_a_board_folded_again_is_a_new_board(self) -> None:
        clock = FakeClock()
        session = make_session(clock)
        cache = BoardCache()
        session.add_question("Asked, then taken back")
        board, revision = session.board, session.board.revision
        self.check(session, clock, cache)
        session.undo()  # the state is folded again: a new board, counting from its start
        session.add_question("Asked instead")
        assert session.board is not board and session.board.revision == revision
        assert [q["text"] for q in self.check(session, clock, cache)["board"]] == ["Asked instead"]

    def test_a_change_that_leaves_the_board_alone_reuses_it(self) -> None:
        clock = FakeClock()
        session = make_session(clock)
        session.add_question("How do I say no?", "Jon")
        cache = BoardCache()
        before = self.check(session, clock, cache)["board"]
        session.toggle_hand("Mira")
        clock.advance(1)
        assert self.check(session, clock, cache)["board"] is before
        session.vote(max(session.board.questions), voter="Mira")
        assert self.check(session, clock, cache)["board"] is not before
