"""SIGKILL at 20 random moments of a scripted session, each followed by resume.

Every round resumes the same session, presses a burst of random real keys,
and kills circle at a random moment (mid-write included). After each kill the
data must load, hold every event that was stored before (nothing saved is
ever lost), and rebuild to a consistent state that the next resume shows.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pytest

from circle.runtime import session_at_rest
from circle.storage import Store
from tests.e2e.terminal import Tmux, have_tmux, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not have_tmux(), reason="needs tmux")]

CIRCLE = Path(sys.executable).parent / "circle"
ROUNDS = 20
KEYS = [
    "1",
    "2",
    "3",
    "4",
    "s",
    "d",
    "0",
    "n",
    "b",
    "Space",
    "+",
    "-",
    "v",
    "a",
    "p",
    "u",
    "Up",
    "Down",
]


def stored_events(data: Path) -> list[dict]:
    store = Store(data)
    (summary,) = store.list_sessions()
    return store.load_session(summary["id"]).events


def burst(term: Tmux, rng: random.Random, seconds: float) -> None:
    """Random facilitator keys (and the odd question) until `seconds` have passed."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if rng.random() < 0.1:
            term.keys("c", "q")
            term.type("c", f"Question {rng.randrange(1000)}")
            term.keys("c", "Enter")
        else:
            term.keys("c", rng.choice(KEYS))
        time.sleep(rng.uniform(0.0, 0.05))


def test_sigkill_at_random_moments_then_resume(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    data = tmp_path / "data"
    before: list[dict] = []
    with Tmux(120, 40) as term:
        for round_ in range(ROUNDS):
            if round_ == 0:
                argv = [
                    CIRCLE,
                    "--data-dir",
                    data,
                    "new",
                    "--agenda",
                    "group-circle",
                    "--title",
                    "Kill test",
                    "--mentor",
                    "Ada",
                    "--mentee",
                    "Mira",
                    "--mentee",
                    "Jon",
                    "--mentee",
                    "Priya",
                    "--mentee",
                    "Leo",
                ]
            else:
                argv = [CIRCLE, "--data-dir", data, "resume"]
            term.start("c", argv)
            term.wait_for("c", "Kill test")
            if round_:
                # What the resumed screen shows is what storage holds.
                session = session_at_rest(before, None)
                term.wait_for("c", session.timer_().item.title[:20])
            burst(term, rng, rng.uniform(0.2, 1.5))
            term.kill9("c")
            wait_until(lambda: not term.alive("c"), 10, "the pane to close")
            after = stored_events(data)  # loads: no torn file
            assert after[: len(before)] == before, f"round {round_}: stored events were lost"
            session = session_at_rest(after, None)  # rebuilds: consistent
            assert session.title == "Kill test"
            before = after
    assert len(before) > ROUNDS  # the rounds did record things
