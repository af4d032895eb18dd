"""The channel between the console and its walls, on this machine only.

The console publishes public snapshots (`public_snapshot`) through a
`WallHub`; each `circle wall` follows them with a `WallFeed`. No Textual
here: the wall app and the console build on this.
"""

from circle.channel.feed import FeedUpdate, WallFeed
from circle.channel.hub import WallHub
from circle.channel.paths import (
    AlreadyRunning,
    ChannelError,
    find_running,
    resolve_wall_session,
)
from circle.channel.snapshot import (
    countdown_view,
    elapsed_since,
    public_snapshot,
    turn_seconds,
)

__all__ = [
    "AlreadyRunning",
    "ChannelError",
    "FeedUpdate",
    "WallFeed",
    "WallHub",
    "countdown_view",
    "elapsed_since",
    "find_running",
    "public_snapshot",
    "resolve_wall_session",
    "turn_seconds",
]
