"""Where a running `circle demo` keeps its throwaway data, so a plain `circle wall` finds it.

The demo stores its session in a temporary directory of its own, removed on
the way out, so a wall looking in the usual data directory would never see
it, and "run the demo, then open the wall in a second terminal" is exactly
what someone trying circle does. While it runs, the demo leaves a one-line
pointer, `demo-<pid>.where`, in the same private directory (0700) that holds
sockets too long for the data directory; the wall reads those pointers only
when nothing runs in its own data directory. A pointer whose process is gone
(a demo killed with -9) is ignored and removed.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from circle.channel.paths import fallback_dir, private_dir, write_private_line

PREFIX = "demo-"
SUFFIX = ".where"


def register_demo(data_dir: Path) -> Path | None:
    """Leave the pointer to the demo's data directory; None when the directory can't be made."""
    try:
        directory = private_dir(fallback_dir())
        pointer = directory / f"{PREFIX}{os.getpid()}{SUFFIX}"
        write_private_line(pointer, str(Path(data_dir).absolute()))
    except (OSError, ValueError):
        return None  # the demo runs as well without a wall that finds it by itself
    return pointer


def unregister_demo(pointer: Path | None) -> None:
    if pointer is not None:
        with contextlib.suppress(OSError):
            pointer.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone's process: alive, though not ours to signal
    return True


def running_demo_dirs() -> list[Path]:
    """Data directories of the demos running now, newest pointer first."""
    try:
        entries = list(os.scandir(fallback_dir()))
    except OSError:
        return []
    found = []
    for entry in entries:
        name = entry.name
        pid_text = name[len(PREFIX) : -len(SUFFIX)]
        if not (name.startswith(PREFIX) and name.endswith(SUFFIX) and pid_text.isdigit()):
            continue
        if not _alive(int(pid_text)):
            unregister_demo(Path(entry.path))
            continue
        try:
            text = Path(entry.path).read_text(encoding="utf-8").strip()
            found.append((entry.stat().st_mtime, Path(text)))
        except (OSError, UnicodeDecodeError):
            continue
    return [path for _, path in sorted(found, reverse=True) if path.is_absolute()]
