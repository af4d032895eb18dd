"""What a facilitator (or a participant's phone) can do to a session.

Each command checks its input, computes anything that depends on the moment
(an owner by default, a rebalance), and records one event whose data is
enough to replay it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from circle.domain.board import ANSWERED, MAX_QUESTION, OPEN, PARKED
from circle.domain.errors import DomainError
from circle.domain.speakers import POLICIES
from circle.domain.text import clean_text
from circle.domain.timer import spread_overrun

if TYPE_CHECKING:
    from circle.domain.session import Event, Session

    _Base = Session
else:
    _Base = object


class CommandsMixin(_Base):
    # -- agenda -----------------------------------------------------------
    def toggle_pause(self) -> bool:
        """Pause or resume; returns whether the session is now paused."""
        self._record("resumed" if self.paused else "paused", {})
        return self.paused

    def next_item(self) -> Event:
        following = self.timer_().next_index()
        if following is None:
            raise DomainError("This is the last item: press x to end the session")
        return self._record("item_changed", {"to": self.timer_().items[following].id})

    def previous_item(self) -> Event:
        previous = self.timer_().previous_index()
        if previous is None:
            raise DomainError("This is the first item")
        return self._record("item_changed", {"to": self.timer_().items[previous].id})

    def extend(self, by_s: int = 60) -> Event:
        return self._record("item_extended", {"by_s": by_s})

    def set_planned(self, item_id: int, planned_s: int) -> Event:
        return self._record("item_planned", {"item": item_id, "planned_s": planned_s})

    def skip_item(self, item_id: int) -> Event:
        return self._record("item_skipped", {"item": item_id})

    def insert_item(self, title: str, planned_s: int, kind: str = "discussion") -> Event:
        title = clean_text(title)
        return self._record("item_inserted", {"title": title, "planned_s": planned_s, "kind": kind})

    def move_item(self, item_id: int, offset: int) -> Event:
        return self._record("item_moved", {"item": item_id, "offset": offset})

    def behind_s(self) -> float:
        """How far the forecast end is past the planned end, in seconds."""
        elapsed = self.now() - self.events[0]["at"]
        return elapsed + self.timer_().remaining_forecast(self.active()) - self.planned_total_s

    def rebalance(self) -> Event:
        new = spread_overrun(self.timer_().upcoming(), self.behind_s())
        return self._record("rebalanced", {"planned": {str(k): v for k, v in new.items()}})

    def end_session(self) -> Event:
        return self._record("ended", {})

    def set_blind(self, on: bool) -> Event:
        return self._record("blind", {"on": on})

    # -- people -----------------------------------------------------------
    def set_attendance(self, person: str, status: str, wall: float | None = None) -> Event:
        data = {"person": self.roster.find(person), "status": status}
        if status == "late" or status == "left":
            data["wall"] = round(wall if wall is not None else self.clock.wall(), 3)
        return self._record("attendance", data)

    def toggle_hand(self, person: str) -> Event:
        """Keys 1–5: raise a hand, or lower it if it is up."""
        person = self.roster.find(person)
        if self.queue.is_raised(person):
            return self._record("hand_lowered", {"person": person})
        return self._record("hand_raised", {"person": person})

    def set_hand(self, person: str, up: bool, source: str = "facilitator") -> Event | None:
        """Idempotent raise/lower (the join page): None when nothing changes."""
        person = self.roster.find(person)
        if self.queue.is_raised(person) == up:
            return None
        return self._record("hand_raised" if up else "hand_lowered", {"person": person}, source)

    def next_speaker(self) -> Event:
        hand = self.queue.head(self.active())
        return self.start_turn(hand.person)

    def start_turn(self, person: str) -> Event:
        person = self.roster.find(person)
        return self._record(
            "turn_started", {"person": person, "budget_s": self.turn_budget(person)}
        )

    def mentor_turn(self, index: int = 0) -> Event:
        if index >= len(self.roster.mentors):
            raise DomainError("There is no second mentor")
        return self.start_turn(self.roster.mentors[index])

    def end_turn(self) -> Event:
        if self.queue.turn is None:
            raise DomainError("Nobody is speaking")
        return self._record("turn_ended", {})

    def turn_budget(self, person: str) -> float | None:
        """In a round, each mentee's turn gets an equal share of the item."""
        item = self.timer_().item
        present = self.roster.present_mentees()
        if item.kind != "round" or person not in present:
            return None
        return round(item.planned_s / len(present), 1)

    def set_policy(self, policy: str) -> Event:
        if policy not in POLICIES:
            raise DomainError(f"Unknown queue policy '{policy}'")
        return self._record("policy", {"policy": policy})

    def claim_name(self, name: str, device: str) -> str:
        name = self.roster.find(name)
        if self.name_owner.get(name) != device:
            self._record("name_claimed", {"name": name, "device": device}, "phone")
        return name

    def release_name(self, name: str) -> Event:
        return self._record("name_released", {"name": self.roster.find(name)})

    # -- board ------------------------------------------------------------
    def add_question(self, text: str, asker: str | None = None, source: str = "keyboard") -> Event:
        text = clean_text(text)
        if len(text) > MAX_QUESTION:
            raise DomainError(f"A question is at most {MAX_QUESTION} characters")
        asker = self.roster.find(asker) if asker else None
        origin = "phone" if source == "phone" else "facilitator"
        return self._record(
            "question_added", {"text": text, "asker": asker, "source": source}, origin
        )

    def vote(self, qid: int, voter: str | None = None) -> Event:
        """`v` counts one more vote from the room; a phone votes once as itself."""
        if voter is None:
            return self._record(
                "question_voted", {"question": qid, "voter": f"room:{self.last_seq + 1}"}
            )
        return self._record("question_voted", {"question": qid, "voter": voter}, "phone")

    def unvote(self, qid: int, voter: str) -> Event:
        return self._record("question_unvoted", {"question": qid, "voter": voter}, "phone")

    def toggle_status(self, qid: int, status: str) -> Event:
        """`a` and `p`: mark answered / parked, or back to open."""
        current = self.board.get(qid).status
        new = OPEN if current == status else status
        if status not in (ANSWERED, PARKED):
            raise DomainError(f"Unknown status '{status}'")
        return self._record("question_status", {"question": qid, "status": new})

    def hide_question(self, qid: int) -> Event:
        return self._record("question_hidden", {"question": qid})

    def unhide_question(self, qid: int) -> Event:
        return self._record("question_unhidden", {"question": qid})

    def approve_question(self, qid: int) -> Event:
        return self._record("question_approved", {"question": qid})

    def set_moderation(self, on: bool) -> Event:
        return self._record("moderation", {"on": on})

    # -- records ----------------------------------------------------------
    def default_owner(self) -> str:
        """Whoever is speaking, else the first mentor."""
        return self.queue.turn.person if self.queue.turn else self.roster.mentors[0]

    def add_action(self, text: str, owner: str | None = None, due: str = "") -> Event:
        owner = self.roster.find(owner) if owner else self.default_owner()
        data = {"text": clean_text(text), "owner": owner, "due": clean_text(due)}
        return self._record("action_added", data)

    def set_action_done(self, action_id: int, done: bool = True) -> Event:
        return self._record("action_done", {"action": action_id, "done": done})

    def add_takeaway(self, text: str, kind: str = "takeaway") -> Event:
        if kind not in ("takeaway", "decision"):
            raise DomainError(f"Unknown takeaway kind '{kind}'")
        data = {"item": self.timer_().item.id, "text": clean_text(text), "kind": kind}
        return self._record("takeaway_added", data)

    # -- flash ------------------------------------------------------------
    def flash_mentees(self) -> list[str]:
        order = self.flash_order or self.roster.mentees
        return [m for m in order if self.roster.is_here(m)]

    def start_flash(self, total_s: int | None = None) -> Event:
        item = self.timer_().item
        if total_s is None:
            if item.kind != "flash":
                raise DomainError("Not a flash item: give the round's total time")
            total_s = item.planned_s
        from circle.domain.flash import plan_flash  # loaded with the first round

        plan = plan_flash(total_s, self.flash_mentees(), self.roster.mentors, self.changeover_s)
        return self._record("flash_started", {"plan": plan.to_dict(), "item": item.id})

    def advance_flash(self) -> Event:
        return self._record("flash_advanced", {})

    def flash_note(self, field: str, text: str, meeting: int = 0) -> Event:
        if field not in ("topic", "takeaway"):
            raise DomainError(f"Unknown flash field '{field}'")
        if not self.flash_runs:
            raise DomainError("No flash round to write in")
        round_index = self.flash_runs[-1].focus_round(self.active())
        data = {"round": round_index, "meeting": meeting, "field": field, "text": clean_text(text)}
        return self._record("flash_note", data)

    def set_flash_settings(
        self, changeover_s: int | None = None, order: list[str] | None = None
    ) -> Event:
        data: dict = {}
        if changeover_s is not None:
            if not 0 <= changeover_s <= 600:
                raise DomainError("A changeover is 0 to 600 seconds")
            data["changeover_s"] = changeover_s
        if order is not None:
            data["order"] = order
        return self._record("flash_settings", data)

    # -- pulse ------------------------------------------------------------
    def open_pulse(self, open_: bool = True) -> Event:
        return self._record("pulse_opened", {"open": open_})

    def give_pulse(
        self, score: int | None, comment: str = "", source: str = "facilitator"
    ) -> Event:
        data = {"score": score, "comment": clean_text(comment, multiline=True)[:500]}
        return self._record("pulse_given", data, source)
