"""A small driver for real terminals: a private tmux server, one program per session.

Tests start `circle` in a tmux session of a fixed size, read the screen with
`capture-pane`, press real keys with `send-keys`, and wait for text with a
timeout by polling (never a blind sleep). Each `Tmux` has its own socket, so
it never touches anybody's tmux; `close()` (or leaving the `with`) kills its
server and every program still running in it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

POLL_S = 0.05
UTF8 = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


def wait_until(
    condition: Callable[[], object], timeout: float, what: str, explain: Callable[[], str] = str
) -> object:
    """Poll `condition` until it returns something truthy; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{explain()}")
        time.sleep(POLL_S)


class Tmux:
    def __init__(self, width: int = 120, height: int = 40) -> None:
        self.width, self.height = width, height
        self._dir = tempfile.mkdtemp(prefix="circle-e2e-")
        self.socket = os.path.join(self._dir, "tmux")
        self.env = {**os.environ, **UTF8}
        self.env.pop("TMUX", None)  # never talk to an enclosing tmux

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-u", "-f", "/dev/null", "-S", self.socket, *args],
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=check,
            timeout=10,
        )

    # -- programs -------------------------------------------------------------
    def start(self, name: str, argv: list[str | Path], cwd: Path | None = None) -> None:
        """Run `argv` in a new session; `exec` makes it the pane's own process."""
        command = "exec " + shlex.join(str(a) for a in argv)
        extra = [arg for key, value in UTF8.items() for arg in ("-e", f"{key}={value}")]
        self.tmux(
            "new-session", "-d", "-x", str(self.width), "-y", str(self.height),
            "-s", name, *extra, *(["-c", str(cwd)] if cwd else []), command,
            # Keep the server when its last program ends (or is killed), so the
            # next `start` never races a server on its way out.
            ";", "set-option", "-s", "exit-empty", "off",
        )  # fmt: skip

    def alive(self, name: str) -> bool:
        return self.tmux("has-session", "-t", f"={name}", check=False).returncode == 0

    def pid(self, name: str) -> int:
        """The pid of the program running in the session's (only) pane."""
        out = self.tmux("list-panes", "-t", _pane(name), "-F", "#{pane_pid}").stdout
        return int(out.split()[0])

    def kill9(self, name: str) -> int:
        """SIGKILL the program (a crash: nothing is flushed); wait until it is gone."""
        pid = self.pid(name)
        os.kill(pid, 9)
        wait_until(lambda: not _running(pid), 10, f"pid {pid} to die")
        return pid

    def wait_exit(self, name: str, timeout: float = 15) -> None:
        wait_until(lambda: not self.alive(name), timeout, f"{name} to exit", self.explain(name))

    def close(self) -> None:
        """Kill the server and every program in it; remove its socket."""
        self.tmux("kill-server", check=False)
        shutil.rmtree(self._dir, ignore_errors=True)

    # -- the screen -----------------------------------------------------------
    def screen(self, name: str) -> str:
        result = self.tmux("capture-pane", "-p", "-t", _pane(name), check=False)
        return result.stdout if result.returncode == 0 else ""

    def explain(self, name: str) -> Callable[[], str]:
        return lambda: f"--- screen of {name} ---\n{self.screen(name)}"

    def wait_for(self, name: str, *texts: str, timeout: float = 20) -> str:
        """Wait until every one of `texts` is on the screen; returns the screen."""

        def shown() -> str | None:
            screen = self.screen(name)
            return screen if all(t in screen for t in texts) else None

        return str(wait_until(shown, timeout, f"{texts!r} on screen", self.explain(name)))

    # -- keys -----------------------------------------------------------------
    def keys(self, name: str, *keys: str) -> None:
        """tmux key names, one per press: "1", "s", "Space", "Enter", "C-q"."""
        for key in keys:
            self.tmux("send-keys", "-t", _pane(name), key)

    def type(self, name: str, text: str) -> None:
        """Literal text, as typed."""
        self.tmux("send-keys", "-t", _pane(name), "-l", text)


def _pane(name: str) -> str:
    """The active pane of the session called exactly `name`."""
    return f"={name}:"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (not yet reaped by tmux) counts as dead.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return False
