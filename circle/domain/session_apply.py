"""How each kind of event changes the session's state.

Handlers validate first and change state only once nothing can fail, so a
refused event leaves the state as it was. They read time from the event
(`at`), never from the clock, so folding the log later gives the same state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from circle.domain.board import ActionItem, Question, Takeaway, check_text
from circle.domain.errors import DomainError
from circle.domain.roster import ABSENT, LEFT, STATUSES, Roster
from circle.domain.speakers import SpeakerQueue
from circle.domain.timer import AgendaTimer, ItemRun, check_planned

if TYPE_CHECKING:
    from circle.domain.flashrun import FlashRun
    from circle.domain.session import Session

    _Base = Session
else:
    _Base = object


class ApplyMixin(_Base):
    def _apply(self, event: dict[str, Any]) -> None:
        handler = getattr(self, "_on_" + event["kind"], None)
        if handler is None:
            raise DomainError(f"Unknown event kind '{event['kind']}'")
        handler(event, event["data"])

    # -- session ----------------------------------------------------------
    def _on_created(self, event: dict, data: dict) -> None:
        self.title, self.series = data["title"], data["series"]
        self.join_code, self.started_wall = data["join_code"], data["started_wall"]
        self.roster = Roster(list(data["mentors"]), list(data["mentees"]))
        agenda = data["agenda"]
        self.agenda_title = agenda["title"]
        items = [
            ItemRun(
                id=i,
                title=it["title"],
                kind=it["kind"],
                planned_s=it["planned_s"],
                notes=it["notes"],
                original_s=it["planned_s"],
            )
            for i, it in enumerate(agenda["items"])
        ]
        self.timer = AgendaTimer(items)
        self.planned_total_s = sum(i.planned_s for i in items)
        self.queue = SpeakerQueue(self.roster.people)
        self._entered_item(event)

    def _on_paused(self, event: dict, data: dict) -> None:
        if self.paused:
            raise DomainError("Already paused")
        self._paused_since = event["at"]

    def _on_resumed(self, event: dict, data: dict) -> None:
        if self._paused_since is None:
            raise DomainError("Not paused")
        self._paused_total += event["at"] - self._paused_since
        self._paused_since = None

    def _on_ended(self, event: dict, data: dict) -> None:
        if self.paused:
            self._on_resumed(event, {})
        active = self.active(event["at"])
        self.queue.end_turn(active, quiet=True)
        self.timer_().go_to(self.timer_().current, active)
        self.status, self.ended_at = "ended", event["wall"]

    def _on_blind(self, event: dict, data: dict) -> None:
        self.blind = bool(data["on"])

    # -- agenda -----------------------------------------------------------
    def timer_(self) -> AgendaTimer:
        if self.timer is None:
            raise DomainError("The session has not been created")
        return self.timer

    def _on_item_changed(self, event: dict, data: dict) -> None:
        timer = self.timer_()
        index = timer.index_of(data["to"])
        if index == timer.current or timer.items[index].skipped:
            raise DomainError("That item can't be made current")
        self._leave_item()
        timer.go_to(index, self.active(event["at"]))
        self._entered_item(event)

    def _leave_item(self) -> None:
        if self.timer_().item.kind == "round":
            self.queue.drop_round()

    def _entered_item(self, event: dict) -> None:
        """A round puts every present mentee in the queue, in roster order.

        Someone speaking as the round begins finishes her sentence; her round
        turn, with its budget, comes when the queue reaches her.
        """
        if self.timer_().item.kind != "round":
            return
        for person in self.roster.present_mentees():
            self.queue.hands = [h for h in self.queue.hands if h.person != person]
            self.queue.raise_hand(person, event["seq"], in_round=True)

    def _on_item_extended(self, event: dict, data: dict) -> None:
        item = self.timer_().item
        planned = item.planned_s + int(data["by_s"])
        check_planned(planned)
        item.planned_s = planned

    def _on_item_planned(self, event: dict, data: dict) -> None:
        self.timer_().set_planned(data["item"], int(data["planned_s"]))

    def _on_item_skipped(self, event: dict, data: dict) -> None:
        timer = self.timer_()
        current = timer.item
        was_current = timer.items[timer.index_of(data["item"])] is current
        if was_current:
            self._leave_item()
        timer.skip(data["item"], self.active(event["at"]))
        if was_current:
            self._entered_item(event)

    def _on_item_inserted(self, event: dict, data: dict) -> None:
        timer = self.timer_()
        item = ItemRun(
            id=event["seq"] + 10_000,
            title=data["title"],
            kind=data["kind"],
            planned_s=int(data["planned_s"]),
            notes=data.get("notes", ""),
            original_s=0,
            inserted=True,
        )
        check_text(item.title, "An item's title", 120)
        timer.insert(item, data.get("position") or timer.current + 1)

    def _on_item_moved(self, event: dict, data: dict) -> None:
        self.timer_().move(data["item"], int(data["offset"]))

    def _on_rebalanced(self, event: dict, data: dict) -> None:
        for item_id, planned in data["planned"].items():
            self.timer_().set_planned(int(item_id), int(planned))

    # -- people -----------------------------------------------------------
    def _on_attendance(self, event: dict, data: dict) -> None:
        person, status = self.roster.find(data["person"]), data["status"]
        if status not in STATUSES:
            raise DomainError(f"Unknown attendance '{status}'")
        if status in (ABSENT, LEFT):
            self.queue.hands = [h for h in self.queue.hands if h.person != person]
            if self.queue.turn and self.queue.turn.person == person:
                self.queue.end_turn(self.active(event["at"]))
        self.roster.attendance[person] = {"status": status, "wall": data.get("wall")}

    def _check_here(self, person: str) -> str:
        person = self.roster.find(person)
        if not self.roster.is_here(person):
            raise DomainError(f"{person} is {self.roster.status(person)}")
        return person

    def _on_hand_raised(self, event: dict, data: dict) -> None:
        self.queue.raise_hand(self._check_here(data["person"]), event["seq"])

    def _on_hand_lowered(self, event: dict, data: dict) -> None:
        self.queue.lower_hand(self.roster.find(data["person"]))

    def _on_turn_started(self, event: dict, data: dict) -> None:
        person = self._check_here(data["person"])
        self.queue.start_turn(person, self.active(event["at"]), data.get("budget_s"))

    def _on_turn_ended(self, event: dict, data: dict) -> None:
        self.queue.end_turn(self.active(event["at"]))

    def _on_policy(self, event: dict, data: dict) -> None:
        self.queue.set_policy(data["policy"])

    def _on_name_claimed(self, event: dict, data: dict) -> None:
        name = self.roster.find(data["name"])
        owner = self.name_owner.get(name)
        if owner is not None and owner != data["device"]:
            raise DomainError(f"{name} is already taken on another device")
        self.name_owner[name] = data["device"]

    def _on_name_released(self, event: dict, data: dict) -> None:
        name = self.roster.find(data["name"])
        if self.name_owner.pop(name, None) is None:
            raise DomainError(f"{name} is not taken by any device")

    # -- board ------------------------------------------------------------
    def _on_question_added(self, event: dict, data: dict) -> None:
        asker = self.roster.find(data["asker"]) if data.get("asker") else None
        self.board.add(Question(event["seq"], data["text"], asker, data.get("source", "keyboard")))

    def _on_question_carried(self, event: dict, data: dict) -> None:
        question = Question(
            event["seq"],
            data["text"],
            data.get("asker"),
            "carried",
            status="parked",
            carried_in=True,
        )
        self.board.add(question)

    def _on_question_voted(self, event: dict, data: dict) -> None:
        self.board.vote(data["question"], data["voter"])

    def _on_question_unvoted(self, event: dict, data: dict) -> None:
        self.board.unvote(data["question"], data["voter"])

    def _on_question_status(self, event: dict, data: dict) -> None:
        self.board.set_status(data["question"], data["status"])

    def _on_question_hidden(self, event: dict, data: dict) -> None:
        self.board.set_hidden(data["question"], True)

    def _on_question_unhidden(self, event: dict, data: dict) -> None:
        self.board.set_hidden(data["question"], False)

    def _on_question_approved(self, event: dict, data: dict) -> None:
        self.board.approve(data["question"])

    def _on_moderation(self, event: dict, data: dict) -> None:
        self.board.moderated = bool(data["on"])

    # -- records ----------------------------------------------------------
    def _on_action_added(self, event: dict, data: dict) -> None:
        owner = self.roster.find(data["owner"])
        text = check_text(data["text"], "An action item")
        self.actions[event["seq"]] = ActionItem(event["seq"], text, owner, data.get("due", ""))

    def _on_action_carried(self, event: dict, data: dict) -> None:
        self.actions[event["seq"]] = ActionItem(
            event["seq"],
            data["text"],
            data.get("owner", ""),
            data.get("due", ""),
            carried_in=True,
        )

    def _on_action_done(self, event: dict, data: dict) -> None:
        try:
            action = self.actions[data["action"]]
        except KeyError:
            raise DomainError(f"No action item #{data['action']}") from None
        action.done = bool(data["done"])

    def _on_takeaway_added(self, event: dict, data: dict) -> None:
        self.timer_().index_of(data["item"])
        text = check_text(data["text"], "A takeaway")
        self.takeaways.append(
            Takeaway(event["seq"], data["item"], text, data.get("kind", "takeaway"))
        )

    # -- flash ------------------------------------------------------------
    def _on_flash_started(self, event: dict, data: dict) -> None:
        # The flash modules load with a session's first round: most have none.
        from circle.domain.flash import FlashPlan
        from circle.domain.flashrun import FlashRun

        plan = FlashPlan.from_dict(data["plan"])
        self.flash_runs.append(FlashRun(plan, data["item"], self.active(event["at"])))

    def _on_flash_advanced(self, event: dict, data: dict) -> None:
        active = self.active(event["at"])
        run = self.flash_runs[-1] if self.flash_runs else None
        if run is None or run.done(active):
            raise DomainError("No flash round is running")
        run.advance(active)

    def _on_flash_note(self, event: dict, data: dict) -> None:
        if not self.flash_runs:
            raise DomainError("No flash round to write in")
        run = self.flash_runs[-1]
        record = run.records[data["round"]][data.get("meeting", 0)]
        setattr(record, data["field"], data["text"])

    def _on_flash_settings(self, event: dict, data: dict) -> None:
        if "changeover_s" in data:
            self.changeover_s = int(data["changeover_s"])
        if "order" in data:
            self.flash_order = [self.roster.find(p) for p in data["order"]] or None

    def current_flash(self) -> FlashRun | None:
        """The flash round in progress, if any (a finished one is not)."""
        if self.flash_runs and not self.flash_runs[-1].done(self.active()):
            return self.flash_runs[-1]
        return None

    # -- pulse ------------------------------------------------------------
    def _on_pulse_opened(self, event: dict, data: dict) -> None:
        self.pulse_open = bool(data.get("open", True))

    def _on_pulse_given(self, event: dict, data: dict) -> None:
        score = data.get("score")
        if score is not None and not (isinstance(score, int) and 1 <= score <= 10):
            raise DomainError("A pulse score is a whole number from 1 to 10")
        if score is None and not data.get("comment"):
            raise DomainError("An empty pulse has nothing to record")
        self.pulse.append(
            {"score": score, "comment": data.get("comment", ""), "source": event["source"]}
        )
