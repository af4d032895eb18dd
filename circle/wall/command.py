"""`circle wall [SESSION]`: resolve the session, then run the wall until ctrl+q."""

from __future__ import annotations

from pathlib import Path

from circle.channel.demo import running_demo_dirs
from circle.channel.paths import NothingRunning, SessionIndex, find_running, resolve_wall_session


def wall_command(store: SessionIndex, ref: str | None) -> int:
    """Follow SESSION (an id, a unique prefix or "last"), or the newest running session.

    Raises `BadInput` (one line; the command line exits 2) when no session is
    running and none is named, or when SESSION names none. A named session
    that isn't running opens a wall that waits for it. Returns the exit code:
    0 once the wall is closed.
    """
    data_dir, session_id = _follow(store, ref)
    # Textual is imported once there is a wall to show, not for a refusal.
    from circle.channel.feed import WallFeed
    from circle.wall.app import WallApp

    app = WallApp(WallFeed(data_dir, session_id), session_id=session_id)
    app.run()
    return app.return_code or 0


def _follow(store: SessionIndex, ref: str | None) -> tuple[Path, str]:
    """The data directory and the session to follow.

    Nothing running in the data directory, and no SESSION named: a running
    `circle demo` (whose data lives in a throwaway directory) is followed.
    """
    try:
        return store.data_dir, resolve_wall_session(store, ref)
    except NothingRunning:
        for data_dir in running_demo_dirs():
            running = find_running(data_dir)
            if running:
                return data_dir, running[0]
        raise
