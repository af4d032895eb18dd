"""Start-up: the cyclic garbage collector waits until the first screen is drawn.

Importing Textual and building the live screen allocates a few hundred
thousand objects, and none of them is garbage yet; left on, the collector
walks them again and again (about 50 ms before the first frame on the 2-core
machine). So the interactive commands pause it, and the app resumes it after
its first refresh, freezing what start-up made: those long-lived objects then
stay out of every later collection, which keeps key presses free of the long
full-heap passes during a session.
"""

from __future__ import annotations

import gc

_paused = False


def pause_gc() -> None:
    """Called by the command line just before it launches the app."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """After the first frame; a no-op unless `pause_gc` paused it (tests, embedding)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
