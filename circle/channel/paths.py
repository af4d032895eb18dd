"""Where a running session's socket lives, and which sessions are running.

The channel is a Unix socket, not loopback TCP with a secret. A socket file
opens no port at all, so nothing else on the machine or the network can
even knock, and the file system does the authentication: the socket has mode
0600 inside a directory of mode 0700, so only this user reaches it, with no
secret to generate, store, send, compare in constant time or leak. It also
names its session, so finding the running ones is listing a directory.

The socket is `DATA/run/<session_id>.sock`. An AF_UNIX path is limited to
about 104 bytes (108 on Linux, 104 on macOS, counting the final NUL); a data
directory deep enough to pass that gets its sockets in `$XDG_RUNTIME_DIR/circle`
(or, without one, a private `circle-<uid>` directory in the system's temp
directory), and `DATA/run/<session_id>.where` holds the socket's path so the
wall finds it from the data directory alone. `DATA/run/<session_id>.lock`
is held (flock) by the console while it serves the session: two consoles on
one session can't both start, whatever the timing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import stat
import tempfile
from pathlib import Path
from typing import Any, Protocol

from circle.domain.errors import BadInput, CircleError

# sun_path is 104 bytes on macOS and the BSDs, 108 on Linux; the path must
# also leave room for the terminating NUL there.
MAX_SOCKET_PATH = 103
SOCKET_SUFFIX = ".sock"
POINTER_SUFFIX = ".where"
LOCK_SUFFIX = ".lock"
PROBE_TIMEOUT_S = 0.3


class ChannelError(CircleError):
    """The channel can't be set up (a directory that isn't private, no AF_UNIX)."""


class AlreadyRunning(BadInput):
    """Another console is serving this session."""


class NothingRunning(BadInput):
    """`circle wall` without SESSION, and no console serving any session."""


def run_dir(data_dir: Path) -> Path:
    return Path(data_dir).absolute() / "run"


def default_socket_path(data_dir: Path, session_id: str) -> Path:
    return run_dir(data_dir) / f"{session_id}{SOCKET_SUFFIX}"


def pointer_path(data_dir: Path, session_id: str) -> Path:
    return run_dir(data_dir) / f"{session_id}{POINTER_SUFFIX}"


def lock_path(data_dir: Path, session_id: str) -> Path:
    return run_dir(data_dir) / f"{session_id}{LOCK_SUFFIX}"


def fits(path: Path) -> bool:
    return len(os.fsencode(str(path))) <= MAX_SOCKET_PATH


def private_dir(path: Path) -> Path:
    """Create `path` (mode 0700) or check that it is ours and closed to others.

    A directory that another user owns, or that others may enter, could let
    them reach the socket or plant one of theirs: refused, never "fixed".
    """
    try:
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700, parents=True)
        info = path.lstat()
    except OSError as exc:
        raise ChannelError(f"Can't make {path} for the wall's socket: {exc.strerror}") from exc
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise ChannelError(f"{path} is not a directory of this user's")
    if info.st_mode & 0o077:
        os.chmod(path, 0o700)  # ours, only too open (an older umask): close it
    return path


def fallback_dir() -> Path:
    """Where sockets go when the data directory is too deep for AF_UNIX."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_absolute():
        return Path(runtime) / "circle"
    return Path(tempfile.gettempdir()) / f"circle-{os.getuid()}"


def fallback_socket_path(data_dir: Path, session_id: str) -> Path:
    """Named by a digest of its default path: short, and the same on every resume."""
    digest = hashlib.sha256(os.fsencode(str(default_socket_path(data_dir, session_id))))
    return fallback_dir() / f"{digest.hexdigest()[:24]}{SOCKET_SUFFIX}"


def serving_path(data_dir: Path, session_id: str) -> Path:
    """Where a console serving `session_id` binds its socket (directories made private)."""
    private_dir(run_dir(data_dir))
    path = default_socket_path(data_dir, session_id)
    if fits(path):
        return path
    path = fallback_socket_path(data_dir, session_id)
    private_dir(path.parent)
    if not fits(path):
        raise ChannelError(
            f"No usable path for the wall's socket: {path} is longer than "
            f"{MAX_SOCKET_PATH} bytes; set XDG_RUNTIME_DIR or use a shorter --data-dir"
        )
    return path


def socket_path(data_dir: Path, session_id: str) -> Path | None:
    """Where a wall finds the session's socket, or None when nothing says where."""
    pointer = pointer_path(data_dir, session_id)
    try:
        text = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        text = ""
    if text:
        return Path(text)
    path = default_socket_path(data_dir, session_id)
    return path if fits(path) else None


def write_pointer(data_dir: Path, session_id: str, path: Path) -> None:
    write_private_line(pointer_path(data_dir, session_id), str(path))


def write_private_line(file: Path, line: str) -> None:
    """One line only this user reads (0600), written whole: a wall never reads half a path."""
    temp = file.with_name(file.name + ".tmp")
    temp.write_text(line + "\n", encoding="utf-8")
    os.chmod(temp, 0o600)
    os.replace(temp, file)


def answers(path: Path, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """Whether a console is listening on `path` now (a crashed one's file doesn't)."""
    if not hasattr(socket, "AF_UNIX") or not fits(path):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(timeout)
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def session_ids_with_sockets(data_dir: Path) -> set[str]:
    """Sessions that have a socket or a pointer in the data directory, live or stale."""
    directory = run_dir(data_dir)
    try:
        names = [entry.name for entry in os.scandir(directory)]
    except OSError:
        return set()
    ids = set()
    for name in names:
        for suffix in (SOCKET_SUFFIX, POINTER_SUFFIX):
            if name.endswith(suffix) and len(name) > len(suffix):
                ids.add(name[: -len(suffix)])
    return ids


def find_running(data_dir: Path) -> list[str]:
    """Ids of the sessions whose console answers on its socket now, newest id first."""
    running = []
    for session_id in session_ids_with_sockets(data_dir):
        path = socket_path(data_dir, session_id)
        if path is not None and answers(path):
            running.append(session_id)
    # Ids begin with their creation time (YYYYMMDD-HHMM-...), so they sort by age.
    return sorted(running, reverse=True)


class SessionIndex(Protocol):
    """What the resolver needs of `circle.storage.Store`."""

    data_dir: Path

    def resolve(self, ref: str) -> str: ...

    def list_sessions(self) -> list[dict[str, Any]]: ...


def resolve_wall_session(store: SessionIndex, ref: str | None) -> str:
    """The session `circle wall [SESSION]` follows.

    With SESSION: the stored session it names (an id, a unique prefix or
    "last"), running or not; a wall on a session that isn't running waits
    for it. Without: the newest running session. No running session, or a
    SESSION that matches none, is BadInput with a one-line message.
    """
    if ref is not None:
        return store.resolve(ref)
    running = find_running(store.data_dir)
    if not running:
        raise NothingRunning("No session is running: start one with `circle` or `circle resume`")
    # Newest by the store's own order (when each was created); ids the store
    # doesn't list still count, after the ones it does.
    order = {summary["id"]: rank for rank, summary in enumerate(store.list_sessions())}
    return min(running, key=lambda sid: (order.get(sid, len(order)), running.index(sid)))
