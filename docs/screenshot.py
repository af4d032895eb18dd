"""Draw docs/live-screen.svg: the live screen mid-session, at 160×45.

    python docs/screenshot.py
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from circle.agendafiles.parser import resolve_agenda
from circle.app import CircleApp
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun
from circle.storage import Store

OUT = Path(__file__).with_name("live-screen.svg")


async def main() -> None:
    clock = FakeClock(wall=1_795_000_000.0)
    store = Store(Path(tempfile.mkdtemp()))
    run = LiveRun.start_new(
        store, clock, title="Spring cohort · session 4", agenda=resolve_agenda("group-circle"),
        mentors=["Ada Okafor"], mentees=["Mira", "Jon", "Priya", "Leo"],
    )
    s = run.session
    clock.advance(290)
    s.next_item()
    clock.advance(300)
    s.next_item()  # the hot seat round
    for person, seconds in (("Mira", 280), ("Jon", 150)):
        s.start_turn(person)
        clock.advance(seconds)
    s.mentor_turn()
    clock.advance(70)
    s.next_speaker()
    clock.advance(95)
    for text, votes in (("How do I ask for a raise without sounding ungrateful?", 4),
                        ("What does a good first 90 days look like?", 2),
                        ("Is it OK to say no to a stretch project?", 1)):
        qid = s.add_question(text)["seq"]
        for _ in range(votes):
            s.vote(qid)
    s.add_takeaway("Name the outcome you want before the meeting")
    app = CircleApp(store, run)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        app.save_screenshot(str(OUT.name), path=str(OUT.parent))
    run.close()


if __name__ == "__main__":
    asyncio.run(main())
