"""When circle itself fails: the details go to a file, the room sees one line.

A traceback on the projected screen shows the room the program's insides
(and, with Textual's locals, whatever people typed). So an unexpected error
is written to `DATA/logs/crash-<time>-<pid>.txt`, the terminal is given back,
and the command prints one line naming that file and exits 1. Nothing the
session recorded is lost: it was saved as it happened, and `circle resume`
opens it again.
"""

from __future__ import annotations

import os
import time
import traceback
from pathlib import Path

CRASH_EXIT = 1


def write_crash_report(data_dir: Path, error: BaseException) -> Path | None:
    """The traceback in a new file under `data_dir/logs`; None if it can't be written."""
    logs = Path(data_dir) / "logs"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = logs / f"crash-{stamp}-{os.getpid()}.txt"
    text = "".join(traceback.format_exception(error))
    try:
        logs.mkdir(parents=True, exist_ok=True)
        path.write_text(f"circle crashed at {time.strftime('%Y-%m-%d %H:%M:%S')}\n\n{text}")
    except OSError:
        return None
    return path


def crash_line(report: Path | None) -> str:
    """The one line the command prints instead of a traceback."""
    where = f"details in {report}" if report is not None else "no details could be saved"
    return f"circle stopped because of a bug; {where}"
