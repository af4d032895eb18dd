"""The console's side of the channel: serve the latest snapshot to every wall.

A wall that can't keep up must never slow the console. So `publish` only
drops the newest line into each wall's one-line slot (replacing what that
wall hadn't taken yet) and returns; each wall has its own writer task that
sends whatever is in its slot once the previous line has gone. Nothing
queues up: a slow wall skips straight to the latest snapshot, and a wall that
stops reading altogether is dropped once a write has waited `stall_timeout_s`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import circle.channel.paths as paths
from circle.channel.framing import HELLO, encode

try:  # Two consoles on one session: the lock says which one serves it.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

HELLO_TIMEOUT_S = 5.0
STALL_TIMEOUT_S = 10.0


class _Wall:
    """One attached wall: its connection, its one-line slot and its writer task."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.slot: bytes | None = None
        self.ready = asyncio.Event()
        self.task: asyncio.Task | None = None

    def offer(self, line: bytes) -> None:
        self.slot = line  # an older line not yet taken is dropped: only the latest matters
        self.ready.set()

    def close(self) -> None:
        # abort, not close: whatever is still buffered for a stuck wall goes now.
        self.writer.transport.abort()
        if self.task is not None and self.task is not asyncio.current_task():
            self.task.cancel()


class WallHub:
    """Serves one session's snapshots on its socket. Runs on the console's event loop.

    `on_count(n)` is called whenever the number of attached walls changes
    (not by `stop`, which runs while the console closes).
    """

    def __init__(
        self,
        data_dir: Path,
        session_id: str,
        *,
        on_count: Callable[[int], None] | None = None,
        stall_timeout_s: float = STALL_TIMEOUT_S,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.session_id = session_id
        self.on_count = on_count
        self.stall_timeout_s = stall_timeout_s
        self.path: Path | None = None
        self.unsent = 0  # snapshots that couldn't be encoded or were over the size limit
        self._walls: set[_Wall] = set()
        # Published, not encoded yet: the snapshot and its parts encoded already.
        self._pending: tuple[dict[str, Any], Mapping[str, str] | None] | None = None
        self._last_line: bytes | None = None  # the newest snapshot that could go
        self._server: asyncio.Server | None = None
        self._lock_fd: int | None = None
        # Every connection's handler, wall or not yet: stop() ends them all.
        self._handlers: dict[asyncio.Task, asyncio.StreamWriter] = {}

    @property
    def count(self) -> int:
        """Walls attached now."""
        return len(self._walls)

    # -- life -----------------------------------------------------------------
    async def start(self) -> None:
        """Listen on the session's socket.

        Raises AlreadyRunning when another console serves the session, and
        ChannelError when no private place for the socket can be had. A
        socket file left by a console that crashed is replaced.
        """
        if not hasattr(socket, "AF_UNIX"):
            raise paths.ChannelError("The wall needs Unix sockets, which this system lacks")
        try:
            self._take_lock()
            try:
                await self._listen()
            except BaseException:
                self._release_lock()
                raise
        except OSError as exc:  # a read-only data directory, a full disk...
            why = exc.strerror or str(exc)
            raise paths.ChannelError(f"The wall's socket can't be set up: {why}") from exc

    async def _listen(self) -> None:
        path = paths.serving_path(self.data_dir, self.session_id)
        await self._clear_stale(path)
        self._server = await asyncio.start_unix_server(self._serve, path=str(path))
        try:
            os.chmod(path, 0o600)
            self._write_pointer(path)
        except BaseException:  # listening, but not as it must: undo it
            self._server.close()
            self._server = None
            path.unlink(missing_ok=True)
            raise
        self.path = path

    async def stop(self) -> None:
        """Drop every wall, stop listening and remove the socket (and its pointer)."""
        server, self._server = self._server, None  # from here, no wall attaches or counts
        if server is not None:
            server.close()
            # A connection accepted just now gets its handler a step or two
            # later: let those start (they see the hub stopping and hang up).
            for _ in range(3):
                await asyncio.sleep(0)
        # Connections end by being closed, not by cancelling their handlers:
        # a handler returns by itself, and asyncio's streams (3.11) would
        # report a cancelled one as an error.
        for writer in self._handlers.values():
            writer.transport.abort()
        for wall in list(self._walls):
            wall.close()
        if self._handlers:
            await asyncio.wait(list(self._handlers), timeout=1.0)
        self._walls.clear()
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            with contextlib.suppress(FileNotFoundError):
                paths.pointer_path(self.data_dir, self.session_id).unlink()
            self.path = None
        self._release_lock()

    def _take_lock(self) -> None:
        paths.private_dir(paths.run_dir(self.data_dir))
        if fcntl is None:  # pragma: no cover
            return
        lock = paths.lock_path(self.data_dir, self.session_id)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise self._already_running() from None
        # The file stays when released: unlinking a lock file lets two
        # processes each lock a different file of the same name.
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None

    def _already_running(self) -> paths.AlreadyRunning:
        return paths.AlreadyRunning(
            f"Session {self.session_id} is already running in another console"
        )

    async def _clear_stale(self, path: Path) -> None:
        try:
            info = path.lstat()
        except FileNotFoundError:
            return
        if not stat.S_ISSOCK(info.st_mode):
            raise paths.ChannelError(f"{path} is in the way of the wall's socket: not a socket")
        if await asyncio.to_thread(paths.answers, path):
            raise self._already_running()
        path.unlink()  # a crashed console's: nobody answers on it

    def _write_pointer(self, path: Path) -> None:
        pointer = paths.pointer_path(self.data_dir, self.session_id)
        if path == paths.default_socket_path(self.data_dir, self.session_id):
            with contextlib.suppress(FileNotFoundError):
                pointer.unlink()  # an old one would send walls elsewhere
        else:
            paths.write_pointer(self.data_dir, self.session_id, path)

    # -- snapshots ------------------------------------------------------------
    def publish(self, snapshot: dict[str, Any], encoded: Mapping[str, str] | None = None) -> None:
        """Hand the latest snapshot to every wall, without waiting for any.

        Call from the event loop. While no wall is attached the dict is only
        kept (encoded when one attaches): build a new one each time.
        `encoded`: parts of it already encoded (see `framing.encode`).
        """
        self._pending = (snapshot, encoded)
        if not self._walls:
            return  # no cost while no wall is attached
        line = self._encode_pending()
        if line is not None:
            for wall in self._walls:
                wall.offer(line)

    def _encode_pending(self) -> bytes | None:
        """The line for the snapshot published last, or None if it can't go."""
        pending, self._pending = self._pending, None
        if pending is None:
            return None
        line = encode(*pending)
        if line is None:
            self.unsent += 1  # the walls keep showing the one before
        else:
            self._last_line = line
        return line

    # -- walls ----------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers[task] = writer
        if self._server is None:  # stopping, or stopped
            writer.transport.abort()
            self._handlers.pop(task, None)
            return
        wall: _Wall | None = None
        try:
            hello = await asyncio.wait_for(reader.readline(), HELLO_TIMEOUT_S)
            if hello != HELLO:
                return  # a probe asking whether the console is alive, or a stranger
            wall = self._attach(writer)
            while await reader.read(4096):
                pass  # a wall has nothing more to say; reading notices when it leaves
        except (OSError, ValueError, TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            if wall is not None:
                self._detach(wall)
            else:
                writer.transport.abort()
            self._handlers.pop(task, None)

    def _attach(self, writer: asyncio.StreamWriter) -> _Wall:
        wall = _Wall(writer)
        self._walls.add(wall)
        wall.task = asyncio.create_task(self._write_loop(wall))
        self._encode_pending()
        if self._last_line is not None:
            wall.offer(self._last_line)  # a new wall shows the room at once, not at the next change
        self._count_changed()
        return wall

    def _detach(self, wall: _Wall) -> None:
        wall.close()
        if wall in self._walls:
            self._walls.discard(wall)
            self._count_changed()

    async def _write_loop(self, wall: _Wall) -> None:
        try:
            while True:
                await wall.ready.wait()
                wall.ready.clear()
                line, wall.slot = wall.slot, None
                if line is None:
                    continue
                wall.writer.write(line)
                await asyncio.wait_for(wall.writer.drain(), self.stall_timeout_s)
        except (OSError, TimeoutError):
            self._detach(wall)  # gone, or not reading: the console won't wait for it

    def _count_changed(self) -> None:
        if self.on_count is not None and self._server is not None:
            self.on_count(self.count)
