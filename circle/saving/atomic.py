"""The one atomic write: a crash at any moment leaves the old file or the new one.

Storage (sessions, the index, the join secret) and the minutes export both
write through `atomic_write`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

# A directory that can't be opened or fsync'ed on this file system: the rename
# itself is still atomic, only its survival of a power cut is not promised.
_DIR_SYNC_UNSUPPORTED = {
    errno.EINVAL,
    errno.ENOTSUP,
    errno.EOPNOTSUPP,
    errno.EBADF,
    errno.EACCES,
    errno.EPERM,
    errno.EISDIR,
}


def atomic_write(
    path: Path,
    payload: bytes | Sequence[bytes | bytearray],
    *,
    overwrite: bool = True,
    mode: int | None = None,
) -> None:
    """Write `payload` (bytes, or pieces written in order) to `path`.

    Temp file in the same directory, fsync, rename, fsync of the directory.
    Without `overwrite` an existing `path` raises FileExistsError and is left
    alone; a hard link makes the check and the placing one atomic step where
    the file system allows. `mode` sets the permissions (else mkstemp's 0600).
    """
    path = Path(path)
    chunks = [payload] if isinstance(payload, bytes | bytearray) else payload
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            _place_new(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)  # after a link, or after a failure: never left behind
    fsync_dir(path.parent)


def _place_new(tmp: str, path: Path) -> None:
    try:
        os.link(tmp, path)  # FileExistsError if the name is taken, atomically
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if path.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(tmp, path)


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new entry in `directory` survive a power cut."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError as exc:
        if exc.errno in _DIR_SYNC_UNSUPPORTED:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _DIR_SYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def remove_stale_temps(directory: Path, stem: str) -> None:
    """Temp files a killed writer left for files named `<stem>.*` (never read)."""
    for tmp in directory.glob(f".{stem}.*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
