"""`circle wall`: the projected view of a session running in the console.

The console (`circle`, `circle resume`) serves its running session on a
private Unix socket (`circle.channel`); a wall, in another terminal on the
same machine, follows it and shows what the room may see, with the live
screen's own panels (`WallApp`, `WallScreen`, the rows of `circle.wall.rows`).
"""

from circle.wall.command import wall_command

__all__ = ["wall_command"]
