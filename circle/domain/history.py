"""A session's event log and the state folded from it, kept fast to rebuild.

Undo takes an event back by folding the log again without it. Folded from
the first event that grows with the session (a quarter of a second at 50,000
events), so every `SNAPSHOT_EVERY` events the state is kept as it stands, and
a rebuild starts from the last snapshot before the event taken back.

A snapshot at seq S is the state after every event up to S, exactly what
`fold` gives for that part of the log. Undoing an event at seq T leaves the
snapshots before T true (they never folded T) and drops the others.
"""

from __future__ import annotations

import gc
import pickle
from bisect import bisect_right

from circle.domain.events import FACILITATOR, UNDOABLE, Event
from circle.domain.fold import apply, apply_if_it_still_can, counts, undone_in
from circle.domain.state import SessionState

SNAPSHOT_EVERY = 500
# Only the newest few are kept: undo reaches back a few actions, and an older
# target is still right, only slower (folded from the start).
SNAPSHOTS_KEPT = 4
# A stored log (a resume) is folded making only the newest snapshot: each one
# pickles the whole state (60 ms at 50,000 events), and the next undo is of
# an action near the end. The session makes the others as it goes on.
SNAPSHOTS_ON_LOAD = 1


class History:
    def __init__(self, snapshot_every: int | None = None) -> None:
        self.events: list[Event] = []
        self.state = SessionState()
        self.undone: set[int] = set()
        self.every = snapshot_every or SNAPSHOT_EVERY
        # seq -> the state after every event up to seq, pickled: a snapshot is
        # never changed by the fold that goes on from it, and loads as a copy.
        self._snapshots: dict[int, bytes] = {}

    @classmethod
    def of(
        cls, events: list[Event], snapshot_every: int | None = None, snapshots: bool = True
    ) -> History:
        """The history of a stored log, folded from its first event.

        Without `snapshots` none are made on the way, for a log only read (the
        minutes): undo still works, folding from the start.
        """
        history = cls(snapshot_every)
        history.events = list(events)
        history.undone = undone_in(history.events)
        history._fold_on(0, SessionState(), keep=SNAPSHOTS_ON_LOAD if snapshots else 0)
        return history

    @property
    def last_seq(self) -> int:
        return self.events[-1]["seq"] if self.events else 0

    @property
    def snapshot_seqs(self) -> list[int]:
        """Where the kept snapshots stand, oldest first."""
        return sorted(self._snapshots)

    def last_undoable(self) -> Event | None:
        """The newest facilitator action that undo can take back, if any."""
        for event in reversed(self.events):
            if (
                event["kind"] in UNDOABLE
                and event["source"] == FACILITATOR
                and event["seq"] not in self.undone
            ):
                return event
        return None

    def record(self, event: Event) -> None:
        """Fold one new event and log it; a refused one raises DomainError, unlogged."""
        apply(self.state, event)
        self.events.append(event)
        self._keep_snapshot(event["seq"], self.state, SNAPSHOTS_KEPT)

    def take_back(self, undo: Event) -> None:
        """Log an undo event, then rebuild the state without its target."""
        target = undo["data"]["target"]
        self.events.append(undo)
        self.undone.add(target)
        for seq in [s for s in self._snapshots if s >= target]:
            del self._snapshots[seq]
        earlier = [s for s in self._snapshots if s < target]
        # The snapshots dropped are not made again here, which would double
        # the time of an undo: recording makes the next one at its boundary.
        if earlier:
            start = max(earlier)
            self._fold_on(start, _load(self._snapshots[start]), keep=0)
        else:
            self._fold_on(0, SessionState(), keep=0)

    def _fold_on(self, after_seq: int, state: SessionState, keep: int) -> None:
        """Fold every event after `after_seq` onto `state`, which becomes the state,
        making the newest `keep` snapshots on the way."""
        first = bisect_right(self.events, after_seq, key=lambda e: e["seq"])
        for event in self.events[first:]:
            if counts(event, self.undone):
                apply_if_it_still_can(state, event)
            if keep:
                self._keep_snapshot(event["seq"], state, keep)
        self.state = state

    def _keep_snapshot(self, seq: int, state: SessionState, newest: int) -> None:
        # Only snapshots that would be kept are made: folding a long log from
        # the start must not pay for pickling every one it passes.
        if seq % self.every or seq <= self.last_seq - newest * self.every:
            return
        self._snapshots[seq] = pickle.dumps(state, pickle.HIGHEST_PROTOCOL)
        for old in sorted(self._snapshots)[:-SNAPSHOTS_KEPT]:
            del self._snapshots[old]


def _load(snapshot: bytes) -> SessionState:
    """A snapshot as a state of its own, to fold on from.

    Unpickling makes thousands of objects at once, each of which would count
    towards a garbage collection that finds nothing to free: collection waits
    until they are made, which takes about a third off an undo.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(snapshot)
    finally:
        if enabled:
            gc.enable()
