"""The board as phones poll it: built once per session version, sealed per phone.

Hundreds of phones poll every second and a half, and nearly every poll is
answered "not changed" (304). Building, serialising and hashing the whole
board for each of them would cost the session's loop milliseconds a poll, so
what every phone sees alike (the questions, the roster) is built, serialised
and hashed once per session version. What moves with the clock (the current
item, its time, the speakers' queue) is read again once it is `LIVE_TTL_S`
old in session time. What differs per phone (its votes, its names, its
raised hands, whether it gave the pulse) is small and added per request.

No aiohttp and no session access after `build_*`: a `Board` is never changed
once built, so the join server's thread may read it while the session goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from circle.domain.board import MAX_QUESTION
from circle.web.views import EndsAt, now_payload, question_payload

if TYPE_CHECKING:
    from collections.abc import Mapping

    from circle.domain.session import Session

# A phone counts down by itself from a fixed moment while the item runs, so the
# clock's part of the board only needs reading a few times a second.
LIVE_TTL_S = 0.25


def _json(value: Any) -> str:
    return json.dumps(value)


def gzipped(body: bytes) -> bytes:
    # The fastest level: a board of questions still shrinks to a fraction,
    # in a quarter of a millisecond for 500 of them.
    return gzip.compress(body, compresslevel=1, mtime=0)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Shared:
    """What every phone sees alike, for one session version."""

    version: int
    fields: dict[str, Any]
    # Each question's JSON, as a phone that hasn't voted for it and one that has sees it.
    questions: tuple[tuple[int, str, str], ...]
    digest: str
    voted: Mapping[str, frozenset[int]]
    owned: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Live:
    """What moves with the clock: the top line and the queue, read at session time `at`."""

    version: int
    at: float
    now: dict[str, Any]
    queue: list[dict[str, Any]]
    raised: frozenset[str]
    digest: str


@dataclass(frozen=True)
class Board:
    session: Session  # which one: a resumed session counts its versions from 0 again
    shared: Shared
    live: Live
    built: float  # time.monotonic() when built

    def fits(self, session: Session) -> bool:
        """Still what the session shows: same version, clock part read lately."""
        if session is not self.session:
            return False
        version = session.version
        if self.shared.version != version or self.live.version != version:
            return False
        return abs(session.now() - self.live.at) < LIVE_TTL_S

    @cached_property
    def plain_etag(self) -> str:
        return Reply(self, "", False).sealed()

    @cached_property
    def plain_body(self) -> bytes:
        """The body for a phone with no votes, names or pulse: most of them, after a burst."""
        return Reply(self, "", False).body().encode("utf-8")

    @cached_property
    def plain_gzipped(self) -> bytes:
        """`plain_body` compressed once, for every phone that takes gzip (every browser)."""
        return gzipped(self.plain_body)


# A question as phones see it (id, text, asker, votes, status, pending, blind),
# mapped to its JSON unvoted and voted: a new version serialises only what changed.
Fragments = dict[tuple[Any, ...], tuple[str, str]]


def build_shared(session: Session, known: Fragments | None = None) -> tuple[Shared, Fragments]:
    """The shared part, and the fragments to build the next version from."""
    blind = session.blind
    fields = {
        "title": session.title,
        "pulse_open": session.pulse_open,
        "blind": blind,
        # The blind hides who is in the room too; the picker comes back with it.
        "roster": [] if blind else list(session.roster.people),
        "mentees": [] if blind else list(session.roster.mentees),
        "moderated": session.board.moderated,
        "ended": session.ended,
        "max_question": MAX_QUESTION,
    }
    questions = []
    voted: dict[str, set[int]] = {}
    known = known or {}
    fragments: Fragments = {}
    for q in session.board.ordered():
        key = (q.id, q.text, q.asker, q.votes, q.status, q.pending, blind)
        pair = known.get(key)
        if pair is None:
            payload = question_payload(session, q, "")
            pair = (_json(payload), _json(dict(payload, voted=True)))
        fragments[key] = pair
        questions.append((q.id, *pair))
        for device in q.voters:
            voted.setdefault(device, set()).add(q.id)
    owned: dict[str, list[str]] = {}
    for name, owner in session.name_owner.items():
        owned.setdefault(owner, []).append(name)
    # Fragments carry over from version to version and a str keeps its hash once
    # worked out, so hashing the tuple of them costs microseconds where hashing
    # every question's text again would cost a millisecond. The hash is salted
    # per process: a restart changes every tag once, which costs one full poll.
    questions_hash = hash(tuple(plain for _, plain, _ in questions))
    digest = _digest(_json(fields), f"{questions_hash & 0xFFFFFFFFFFFFFFFF:016x}")
    shared = Shared(
        version=session.version,
        fields=fields,
        questions=tuple(questions),
        digest=digest,
        voted={device: frozenset(ids) for device, ids in voted.items()},
        owned={device: tuple(names) for device, names in owned.items()},
    )
    return shared, fragments


def build_live(session: Session, ends: EndsAt) -> Live:
    at = session.now()
    now = now_payload(session, ends)
    anchor = now.pop("_anchor")
    # The ETag covers everything a phone shows but the seconds ticking away:
    # while the item runs (or runs over) the page counts from a fixed moment.
    hashed = dict(now, left_s=anchor) if anchor is not None else now
    entries = session.queue_entries()
    blind = session.blind
    queue = [{"name": None if blind else e.person, "new": e.new} for e in entries]
    return Live(
        version=session.version,
        at=at,
        now=now,
        queue=queue,
        raised=frozenset(e.person for e in entries),
        digest=_digest(_json(hashed), _json(queue)),
    )


@dataclass(frozen=True)
class Reply:
    """One phone's board: its ETag now, its body only if the phone needs it."""

    board: Board
    device: str
    pulse_given: bool

    def _mine(self) -> dict[str, Any]:
        names = self.board.shared.owned.get(self.device, ()) if self.device else ()
        raised = self.board.live.raised
        return {
            "you": names[-1] if names else None,
            "my_hands": [name for name in names if name in raised],
            "pulse_given": self.pulse_given,
        }

    def _voted(self) -> frozenset[int]:
        return self.board.shared.voted.get(self.device, frozenset()) if self.device else frozenset()

    @property
    def etag(self) -> str:
        return self.board.plain_etag if self.plain else self.sealed()

    def sealed(self) -> str:
        voted = sorted(self._voted())
        mine = _json([self._mine(), voted])
        return f'"{_digest(self.board.shared.digest, self.board.live.digest, mine)}"'

    @property
    def plain(self) -> bool:
        """No votes, names or pulse of its own: the board every such phone sees alike."""
        shared = self.board.shared
        return (
            not self.pulse_given
            and self.device not in shared.voted
            and (self.device not in shared.owned)
        )

    def encoded(self) -> bytes:
        return self.board.plain_body if self.plain else self.body().encode("utf-8")

    def gzipped(self) -> bytes:
        """`encoded()`, compressed: a room's phones share one Wi-Fi."""
        return self.board.plain_gzipped if self.plain else gzipped(self.encoded())

    def body(self) -> str:
        shared, live = self.board.shared, self.board.live
        voted = self._voted()
        head = _json({**shared.fields, "now": live.now, "queue": live.queue, **self._mine()})
        questions = ", ".join(on if qid in voted else off for qid, off, on in shared.questions)
        return f'{head[:-1]}, "questions": [{questions}]}}'
