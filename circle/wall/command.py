"""`circle wall [SESSION]`: resolve the session, then run the wall until ctrl+q."""

from __future__ import annotations

from circle.channel.paths import SessionIndex, resolve_wall_session


def wall_command(store: SessionIndex, ref: str | None) -> int:
    """Follow SESSION (an id, a unique prefix or "last"), or the newest running session.

    Raises `BadInput` (one line; the command line exits 2) when no session is
    running and none is named, or when SESSION names none. A named session
    that isn't running opens a wall that waits for it. Returns the exit code:
    0 once the wall is closed.
    """
    session_id = resolve_wall_session(store, ref)
    # Textual is imported once there is a wall to show, not for a refusal.
    from circle.channel.feed import WallFeed
    from circle.wall.app import WallApp

    app = WallApp(WallFeed(store.data_dir, session_id), session_id=session_id)
    app.run()
    return app.return_code or 0
