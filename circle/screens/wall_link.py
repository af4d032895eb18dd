"""The console's side of `circle wall`: serve the running session to its walls.

The app owns one `WallLink` per live session. It opens the session's hub
(a 0600 Unix socket in the data directory, see `circle.channel`) after the
first frame, publishes a public snapshot when the session changes and every
second, and tells the app how many walls are attached. Publishing never
waits for a wall, and costs nothing while none is attached: no snapshot is
even built.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from circle.screens.status import JoinInfo

if TYPE_CHECKING:
    from circle.channel.hub import WallHub
    from circle.channel.snapshot import BoardCache
    from circle.domain.session import Session


class WallLink:
    def __init__(self, on_count: Callable[[int], None]) -> None:
        self.on_count = on_count
        self.hub: WallHub | None = None
        self._board: BoardCache | None = None  # kept between snapshots while walls are attached

    @property
    def count(self) -> int:
        """Walls attached now."""
        return 0 if self.hub is None else self.hub.count

    async def open(self, data_dir: Path, session_id: str) -> None:
        """Serve `session_id`. Raises `AlreadyRunning` (another console serves it)
        or `ChannelError` (no private place for the socket)."""
        # Imported here, after the first frame: the channel costs start-up nothing.
        from circle.channel.hub import WallHub

        hub = WallHub(data_dir, session_id, on_count=self.on_count)
        await hub.start()
        self.hub = hub

    def publish(self, session: Session, join: JoinInfo | None) -> None:
        """Send what the room may see now to every wall; never waits for one."""
        hub = self.hub
        if hub is None or not hub.count:
            return  # the hub sends its newest snapshot to a wall as it attaches: see on_count
        from circle.channel.snapshot import BoardCache, public_snapshot

        page = None
        if join is not None:
            page = {"code": join.code, "url": join.address, "devices": join.devices}
        board = self._board = self._board or BoardCache()
        snapshot = public_snapshot(session, join=page, wall_clock=session.clock.wall(), board=board)
        hub.publish(snapshot, {"board": board.encoded})

    async def close(self) -> None:
        """Drop the walls and remove the socket (a wall then says the session isn't running)."""
        hub, self.hub = self.hub, None
        if hub is not None:
            await hub.stop()
